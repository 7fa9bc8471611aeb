import { expect, test, type WebSocket } from "@playwright/test";
import { e2eAdmin, openConversation, openCustomerPhone, openInbox, signIn } from "./support";

test("a customer's message appears in the agent's open inbox, and the canned reply reaches the customer's phone", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // Sign-in, the inbox, the thread, the socket and the simulator's phone, all under the pages' CSP.
  const violations: string[] = [];
  const { context: agentContext, page: agent } = await openInbox(browser, e2eAdmin("live"), violations);

  const customer = await openCustomerPhone(browser, "Support", "Quinn Live", "+1 555 700 1234", violations);
  await customer.say("Do you deliver on Sundays?");

  // No reload: the new conversation arrives over the socket.
  const thread = await openConversation(agent, "Quinn Live");
  await expect(agent.getByRole("option").filter({ hasText: "Quinn Live" })).toContainText(
    "Do you deliver on Sundays?",
  );
  await expect(thread.getByText("Do you deliver on Sundays?")).toBeVisible();

  // The customer's message started the response clock: the row shows its countdown badge.
  const row = agent.getByRole("option").filter({ hasText: "Quinn Live" });
  await expect(row.locator("[data-sla-state]")).toContainText("First response");

  const composer = agent.getByLabel("Reply to the customer");
  await composer.fill("/greeting");
  await composer.press("Enter");
  await expect(composer).toHaveValue(/^Hello Quinn, thank you for contacting Support\./);
  await composer.press("Enter");

  // The customer's phone shows the reply, and the agent sees it delivered.
  await expect(
    customer.chat
      .getByTestId("business-message")
      .filter({ hasText: "Hello Quinn, thank you for contacting Support." }),
  ).toBeVisible({
    timeout: 15_000,
  });
  const sent = thread.locator("[data-message-id]").filter({ hasText: "Hello Quinn" });
  await expect(sent.getByText(/Delivered|Read/)).toBeVisible({ timeout: 15_000 });
  // The reply met the clock, and the customer's next message starts a new one: both arrive on
  // the message's own socket event (no reload), and the row follows them.
  await expect(row.locator("[data-sla-state]")).toHaveCount(0);
  await customer.say("And on public holidays?");
  await expect(row).toContainText("And on public holidays?");
  await expect(row.locator("[data-sla-state]")).toContainText("Next response");
  expect(violations).toEqual([]);

  await agentContext.close();
  await customer.context.close();
});

test("a tab keeps one socket open, shared by the inbox, the SLA board and the session watcher", async ({
  page,
}) => {
  // Each socket of an agent gets every event of their inboxes: a second one per tab would double
  // what the server writes for every message.
  const open = new Set<WebSocket>();
  let opened = 0;
  page.on("websocket", (socket) => {
    if (!socket.url().includes("/socket.io/")) return;
    opened += 1;
    open.add(socket);
    socket.on("close", () => open.delete(socket));
  });
  await signIn(page, e2eAdmin("live"));
  await expect(
    page.getByRole("listbox", { name: "Conversations" }).getByRole("option").first(),
  ).toBeVisible();
  await expect.poll(() => open.size).toBe(1);
  await page.getByRole("link", { name: "SLA board" }).click();
  await expect(page.getByRole("heading", { name: "SLA board" })).toBeVisible();
  await page.getByRole("link", { name: "Inbox" }).click();
  await expect(
    page.getByRole("listbox", { name: "Conversations" }).getByRole("option").first(),
  ).toBeVisible();
  expect(open.size).toBe(1);
  expect(opened).toBe(1);
});

test("after the 24-hour window the composer offers an approved template instead of free text", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, e2eAdmin("live"));
  await page.getByLabel("Status").selectOption("pending");
  const first = page.getByRole("listbox", { name: "Conversations" }).getByRole("option").first();
  await first.getByRole("button").click();
  await expect(page.getByTestId("window-closed")).toContainText("The 24-hour window has closed");
  await expect(page.getByLabel("Reply to the customer")).toHaveCount(0);
  await expect(page.getByLabel("Approved template")).toBeVisible();
});
