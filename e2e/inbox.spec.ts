import { expect, test } from "@playwright/test";
import { e2eAdmin, signIn } from "./support";

test("an agent works a conversation from the keyboard: opens it, notes, picks a canned reply, takes it", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const account = e2eAdmin("inbox");
  await signIn(page, account);

  const list = page.getByRole("listbox", { name: "Conversations" });
  await expect(list.getByRole("option").first()).toBeVisible();

  // The list's filter menus stay inside its column instead of spilling over the thread.
  const column = await list.boundingBox();
  for (const id of ["status-filter", "inbox-filter", "sla-filter", "label-filter"]) {
    const menu = await page.locator(`#${id}`).boundingBox();
    expect(column && menu && menu.x + menu.width <= column.x + column.width, `${id} fits`).toBe(true);
  }

  // j highlights the first conversation, Enter opens it.
  await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  const thread = page.getByTestId("thread");
  await expect(thread).toBeVisible();
  await expect(page.getByTestId("window-status")).toContainText("Window closes in");

  // A private note goes into the thread, marked as such, and never to the customer.
  await page.getByRole("tab", { name: "Note" }).click();
  await page.getByLabel("Write a private note").fill("Checked the order: it left the warehouse today.");
  await page.getByLabel("Write a private note").press("Enter");
  await expect(thread.getByText("Checked the order: it left the warehouse today.")).toBeVisible();
  await expect(thread.getByText("Private note").last()).toBeVisible();

  // "/" opens the canned replies; Enter picks the highlighted one with its variables filled in.
  await page.getByRole("tab", { name: "Reply" }).click();
  const composer = page.getByLabel("Reply to the customer");
  await composer.fill("/greet");
  await expect(page.getByRole("listbox", { name: "Canned replies" })).toBeVisible();
  await composer.press("Enter");
  await expect(composer).toHaveValue(
    /^Hello .+, thank you for contacting Support\. My name is E2E and I will be glad to help you today\.$/,
  );

  // "a" assigns the open conversation to me, and the thread says so.
  await composer.press("Escape");
  await page.keyboard.press("a");
  await expect(thread.getByText(`${account.name} assigned this to ${account.name}`)).toBeVisible();

  // "?" lists the shortcuts.
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
});
