import { expect, test } from "@playwright/test";
import { e2eAdmin, openConversation, openCustomerPhone, openInbox } from "./support";

test("STOP blocks the agent's open composer live, a new question allows service replies, START frees it", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const { context: agentContext, page: agent } = await openInbox(browser, e2eAdmin("consent"));

  const customer = await openCustomerPhone(browser, "Support", "Rae Consent", "+1 555 700 4321");
  await customer.say("Hi, is my order shipped yet?");

  const thread = await openConversation(agent, "Rae Consent");
  await expect(thread.getByText("Hi, is my order shipped yet?")).toBeVisible();
  const composer = agent.getByLabel("Reply to the customer");
  await expect(composer).toBeEnabled();
  await expect(agent.getByTestId("consent-banner")).toHaveCount(0);

  // STOP: the composer is blocked without a reload, and the panel shows the opt-out.
  await customer.say("STOP");
  const banner = agent.getByTestId("consent-banner");
  await expect(banner).toBeVisible({ timeout: 15_000 });
  await expect(banner).toHaveAttribute("data-kind", "opted_out");
  await expect(banner).toContainText(/Opted out on .+ via STOP — only the confirmation was sent/);
  await expect(composer).toBeDisabled();
  await expect(agent.getByTestId("composer-blocked")).toContainText("Replies are blocked");
  await expect(agent.getByTestId("consent-state-service")).toHaveText("Opted out");
  // The customer got the one confirmation.
  await expect(customer.chat.getByTestId("business-message").last()).toBeVisible({ timeout: 15_000 });

  // A question without START: service replies are allowed in this window, marketing is not.
  await customer.say("Wait, I still need my parcel tracking number");
  await expect(banner).toHaveAttribute("data-kind", "service_only", { timeout: 15_000 });
  await expect(banner).toContainText("marketing stays blocked");
  await expect(composer).toBeEnabled();

  // START: opted in to service again, the banner goes and the composer stays free.
  await customer.say("START");
  await expect(agent.getByTestId("consent-banner")).toHaveCount(0, { timeout: 15_000 });
  await expect(agent.getByTestId("consent-state-service")).toHaveText("Opted in");
  await expect(composer).toBeEnabled();
  await composer.fill("Here is your tracking number: PX-2231.");
  await composer.press("Enter");
  await expect(
    customer.chat
      .getByTestId("business-message")
      .filter({ hasText: "Here is your tracking number: PX-2231." }),
  ).toBeVisible({ timeout: 15_000 });

  // The agent records the marketing opt-in the customer gave on the phone; evidence is required.
  const form = agent.getByRole("form", { name: "Record opt-in" });
  await form.getByLabel("Purpose").selectOption("marketing");
  await form.getByRole("button", { name: "Record opt-in" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    "Evidence is required: the words the customer saw or sent.",
  );
  await form
    .getByLabel("Evidence (required)")
    .fill("Rae said on the phone: yes, send me your offers on WhatsApp.");
  await form.getByRole("button", { name: "Record opt-in" }).click();
  await expect(form.getByRole("status")).toHaveText("Marketing opt-in recorded.");
  await expect(agent.getByTestId("consent-state-marketing")).toHaveText("Opted in");
  await agent.getByText(/^History \(\d+\)$/).click();
  await expect(
    agent.getByRole("list", { name: "Consent history" }).getByRole("listitem").first(),
  ).toContainText("recorded by E2E Admin Consent");

  await agentContext.close();
  await customer.context.close();
});
