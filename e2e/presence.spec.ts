import { expect, test, type WebSocketRoute } from "@playwright/test";
import { e2eAdmin, signIn } from "./support";

test("two agents on the same conversation see each other viewing and typing", async ({ browser }) => {
  test.setTimeout(90_000);
  const first = e2eAdmin("presenceA");
  const second = e2eAdmin("presenceB");
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  const pageA = await contextA.newPage();
  const pageB = await contextB.newPage();
  // B's socket passes through Playwright, so the test can drop it as a network failure would.
  const socketsOfB: WebSocketRoute[] = [];
  await pageB.routeWebSocket(/\/socket\.io\//, (route) => {
    socketsOfB.push(route);
    route.connectToServer();
  });
  await signIn(pageA, first);
  await signIn(pageB, second);

  // Both open the same conversation: the one waiting longest, at the top of the list.
  for (const page of [pageA, pageB]) {
    const top = page.getByRole("listbox", { name: "Conversations" }).getByRole("option").first();
    await top.getByRole("button").click();
    await expect(page.getByTestId("thread")).toBeVisible();
  }

  await expect(pageA.getByTestId("presence")).toHaveText(`${second.name} is also viewing`);
  await expect(pageB.getByTestId("presence")).toHaveText(`${first.name} is also viewing`);

  // B's connection drops: the server forgets B was viewing, and B's page reconnects by itself
  // and says again which conversation it shows.
  await socketsOfB.at(-1)?.close();
  await expect(pageA.getByTestId("presence")).toHaveCount(0);
  await expect.poll(() => socketsOfB.length).toBe(2);
  await expect(pageA.getByTestId("presence")).toHaveText(`${second.name} is also viewing`);

  await pageB.getByLabel("Reply to the customer").pressSequentially("Hello");
  await expect(pageA.getByTestId("presence")).toHaveText(`${second.name} is typing…`);

  // B goes to another page (the tab's socket stays open): B no longer views the conversation.
  await pageB.getByRole("link", { name: "SLA board" }).click();
  await expect(pageA.getByTestId("presence")).toHaveCount(0);
  await pageB.getByRole("link", { name: "Inbox" }).click();
  await pageB
    .getByRole("listbox", { name: "Conversations" })
    .getByRole("option")
    .first()
    .getByRole("button")
    .click();
  await expect(pageA.getByTestId("presence")).toHaveText(`${second.name} is also viewing`);

  await contextB.close();
  await expect(pageA.getByTestId("presence")).toHaveCount(0);
  await contextA.close();
});
