import { expect, test } from "@playwright/test";
import { addTeamMember, e2eAdmin, signIn, signInAndEnrol } from "./support";

test("an agent deactivated by an admin is signed out of their open browser", async ({ browser }) => {
  test.setTimeout(120_000);
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, e2eAdmin("deactivation"));
  const email = `leaving-${Date.now()}@parley.test`;
  const password = await addTeamMember(admin, { name: "Lou Leaving", email, role: "agent" });

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signInAndEnrol(agent, { email, password });
  await expect(agent.getByTestId("user-menu")).toContainText("Lou Leaving");

  await admin.goto("/admin/users");
  await admin.getByRole("button", { name: "Deactivate Lou Leaving" }).click();
  await expect(admin.getByText("Lou Leaving was deactivated and signed out.")).toBeVisible();

  // The agent's open page learns it over the socket and goes to sign-in.
  await expect(agent).toHaveURL(/\/sign-in\?ended=1$/, { timeout: 10_000 });
  await expect(agent.getByText("Your session has ended; sign in again.")).toBeVisible();
  await agent.goto("/");
  await expect(agent).toHaveURL(/\/sign-in$/);

  await adminContext.close();
  await agentContext.close();
});
