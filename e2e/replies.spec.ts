import { expect, test } from "@playwright/test";
import { e2eAdmin, openConversation, openCustomerPhone, signIn } from "./support";

test("an admin writes a canned reply, an agent sends it, WhatsApp refuses it once and Retry delivers it once", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, e2eAdmin("replies"));

  // The admin adds a reply for every inbox, with variables.
  await admin.goto("/admin/canned-replies");
  const form = admin.getByRole("region", { name: "New canned reply" });
  await form.getByLabel("Shortcut").fill("parcel-e2e");
  await form.getByLabel("Title").fill("Parcel on its way");
  await form
    .getByLabel("Text")
    .fill("Hello {{contact.first_name}}, your parcel is on its way. Kind regards, {{agent.first_name}}");
  await form.getByRole("button", { name: "Add canned reply" }).click();
  await expect(admin.getByRole("status")).toHaveText("/parcel-e2e was added.");
  await expect(admin.getByTestId("canned-reply-row").filter({ hasText: "/parcel-e2e" })).toContainText(
    "All inboxes",
  );

  // A new customer writes in.
  const customer = await openCustomerPhone(browser, "Support", "Riley Retry", "+1 555 700 4321");
  await customer.say("Where is my parcel?");

  await admin.goto("/");
  const thread = await openConversation(admin, "Riley Retry");
  await expect(thread.getByText("Where is my parcel?")).toBeVisible();

  // WhatsApp will refuse the next send for good (131026: could not deliver).
  const failure = await admin.request.put("/api/simulator/failure", {
    data: { kind: "graph_error", code: 131026, times: 1 },
  });
  expect(failure.status()).toBe(200);

  const composer = admin.getByLabel("Reply to the customer");
  await composer.fill("/parcel-e2e");
  await composer.press("Enter");
  const text = "Hello Riley, your parcel is on its way. Kind regards, E2E";
  await expect(composer).toHaveValue(text);
  await composer.press("Enter");

  const bubbles = thread.locator("[data-message-id]").filter({ hasText: text });
  await expect(bubbles.first().getByRole("status")).toContainText(
    "Not delivered: WhatsApp could not deliver",
    {
      timeout: 15_000,
    },
  );
  await bubbles.first().getByRole("button", { name: "Retry" }).click();

  await expect(bubbles).toHaveCount(2);
  await expect(bubbles.first().getByText("Sent again below.")).toBeVisible();
  await expect(bubbles.first().getByRole("button", { name: "Retry" })).toHaveCount(0);
  await expect(bubbles.last().getByText(/Delivered|Read/)).toBeVisible({ timeout: 15_000 });

  // The customer's phone got it exactly once.
  await expect(customer.chat.getByTestId("business-message").filter({ hasText: text })).toHaveCount(1, {
    timeout: 15_000,
  });

  await adminContext.close();
  await customer.context.close();
});
