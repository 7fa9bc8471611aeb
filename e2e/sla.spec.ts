import { expect, test } from "@playwright/test";
import { e2eAdmin, openCustomerPhone, signIn } from "./support";

test("a supervisor sees a breach arrive live on the SLA board and reviews it with a reassignment", async ({
  browser,
}) => {
  // Time passes for real: a one-minute target, then the ticker (every 10 s) marks the breach.
  test.setTimeout(240_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, e2eAdmin("sla"));

  // An admin makes Sales promise an answer within one minute, on calendar time.
  await page.getByRole("link", { name: "Business hours" }).click();
  await expect(page).toHaveURL(/\/admin\/business-hours/);
  // Exact: the clock and off-hours options mention the inbox in their labels too.
  await page.getByLabel("Inbox", { exact: true }).selectOption({ label: "Sales" });
  await page.getByLabel("First response (minutes)").fill("1");
  await page.getByLabel("Next response (minutes)").fill("1");
  await page.getByLabel(/Calendar time/).check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Saved\./ })).toBeVisible();

  // A zero target is refused with a message that says what to fix.
  await page.getByLabel("First response (minutes)").fill("0");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "target" })).toContainText(
    "the first-response target must be more than zero minutes",
  );
  await page.getByLabel("First response (minutes)").fill("1");

  await page.getByRole("link", { name: "SLA board", exact: true }).click();
  const breached = page.getByRole("list", { name: "Breached" });
  // The demo data's customer who waited past Sales' target.
  await expect(breached.getByText("Kofi Mensah")).toBeVisible({ timeout: 20_000 });

  // A customer writes to Sales from the simulated phone.
  const customer = await openCustomerPhone(browser, "Sales", "Zara Slow", "+1 555 700 4321");
  await customer.say("Is the green armchair back in stock?");

  // Without a reload: the breach arrives on the board, and the supervisor is alerted.
  await expect(breached.getByText("Zara Slow")).toBeVisible({ timeout: 120_000 });
  const alert = page
    .getByRole("region", { name: "Notifications" })
    .getByRole("status")
    .filter({ hasText: "Zara Slow" });
  await expect(alert).toContainText("Response time breached");
  await expect(alert).toContainText("in Sales");

  const card = page.getByRole("article", { name: "Breach: Zara Slow" });
  await expect(card).toBeVisible();
  await card.getByLabel("Reason").selectOption({ label: "Staffing" });
  await card.getByLabel("Note").fill("Only one person on Sales this afternoon.");
  await card.getByLabel("Reassign").selectOption({ label: "Dana Agent" });
  await card.getByRole("button", { name: "Mark reviewed" }).click();
  await expect(card).toHaveCount(0);
  // Still breached (nobody has answered), now held by the teammate it was given to.
  await expect(breached.getByRole("listitem").filter({ hasText: "Zara Slow" })).toContainText(
    "held by Dana Agent",
  );

  // The agent's side: the inbox filtered to breached conversations shows the countdown badge.
  await page.getByRole("link", { name: "Inbox", exact: true }).click();
  await page.getByLabel("Response time").selectOption("breached");
  const row = page.getByRole("option").filter({ hasText: "Zara Slow" });
  await expect(row).toContainText(/breached (just now|\d+ min ago)/);
  await row.getByRole("button").click();
  await expect(
    page.getByRole("region", { name: "Conversation", exact: true }).locator("[data-sla-state=breached]"),
  ).toBeVisible();

  await customer.context.close();
  await context.close();
});
