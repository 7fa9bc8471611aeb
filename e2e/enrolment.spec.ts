import { expect, test } from "@playwright/test";
import { addTeamMember, e2eAdmin, recordCspViolations, signIn, signInAndEnrol } from "./support";

test("a new team member sets up two-factor authentication at first sign-in", async ({ browser }) => {
  test.setTimeout(120_000);
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, e2eAdmin("enrolment"));
  const email = `newcomer-${Date.now()}@parley.test`;
  const password = await addTeamMember(admin, { name: "Nico Newcomer", email, role: "agent" });

  const newcomerContext = await browser.newContext();
  const newcomer = await newcomerContext.newPage();
  // The QR code is a data: image; the enrolment pages load it under their CSP.
  const violations = await recordCspViolations(newcomer);
  // Before enrolment nothing else is reachable: the app sends them back to /enroll.
  const { recoveryCodes } = await signInAndEnrol(newcomer, { email, password });
  expect(recoveryCodes).toHaveLength(10);
  await expect(newcomer.getByTestId("user-menu")).toContainText("Nico Newcomer");
  // An agent sees no admin sections.
  await expect(newcomer.getByRole("link", { name: "Users" })).toHaveCount(0);
  await newcomer.goto("/admin/users");
  await expect(newcomer.getByRole("heading", { name: "Your role does not allow this page" })).toBeVisible();
  expect(violations).toEqual([]);

  await adminContext.close();
  await newcomerContext.close();
});
