import { expect, test } from "@playwright/test";

test("a customer's message sent from the simulator reaches Parley through its webhook", async ({
  page,
  request,
}) => {
  await page.goto("/simulator");
  await expect(page.getByRole("heading", { level: 1, name: "Customer phone" })).toBeVisible();

  await page.getByLabel("Business number").selectOption({ label: "Support (+1 555 010 0001)" });
  const newCustomer = page.getByRole("form", { name: "New customer" });
  await newCustomer.getByLabel("Name").fill("Erin Example");
  await newCustomer.getByLabel("Phone, with country code").fill("+1 555 765 4321");
  await newCustomer.getByRole("button", { name: "Use this customer" }).click();

  const chat = page.getByRole("region", { name: "Chat with Support as Erin Example" });
  await chat.getByLabel("Message").fill("Hello! Is the blue jacket back in stock?");
  await chat.getByRole("button", { name: "Send" }).click();

  // Acknowledged by the app's webhook route: two grey ticks on the customer's phone.
  const bubble = chat
    .getByTestId("customer-message")
    .filter({ hasText: "Is the blue jacket back in stock?" });
  await expect(bubble).toBeVisible();
  await expect(bubble.getByTitle("Delivered to the business")).toBeVisible();

  // Parley stored the customer: the simulator now offers them among the inbox's contacts.
  const listed = await request.get("/api/simulator/inboxes");
  const body = (await listed.json()) as {
    items: { name: string; customers: { waId: string; name: string }[] }[];
  };
  const support = body.items.find((inbox) => inbox.name === "Support");
  expect(support?.customers).toContainEqual({ waId: "15557654321", name: "Erin Example" });
});

test("the failure switch tells what the Graph API stand-in will do", async ({ page }) => {
  await page.goto("/simulator");
  const failures = page.getByRole("region", { name: "WhatsApp failures" });
  await failures.getByLabel("The next sends").selectOption({ label: "Graph error code…" });
  await failures.getByLabel("Error code").selectOption({ label: "131047 window closed" });
  await failures.getByLabel("How many sends (empty: until switched off)").fill("2");
  await failures.getByRole("button", { name: "Apply" }).click();
  await expect(failures.getByTestId("failure-state")).toHaveText("Graph error code 131047 — 2 more send(s).");

  await failures.getByLabel("The next sends").selectOption({ label: "Answer normally" });
  await failures.getByRole("button", { name: "Apply" }).click();
  await expect(failures.getByTestId("failure-state")).toHaveText("Sends succeed.");
});

test("the webhook answers Meta's verification handshake only with the right token", async ({ request }) => {
  const refused = await request.get(
    "/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=42",
  );
  expect(refused.status()).toBe(403);
  const unsigned = await request.post("/api/webhooks/whatsapp", {
    data: { object: "whatsapp_business_account", entry: [] },
  });
  expect(unsigned.status()).toBe(401);
});
