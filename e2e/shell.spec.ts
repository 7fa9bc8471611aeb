import { expect, test } from "@playwright/test";
import { e2eAdmin, signIn } from "./support";

test("a visitor who is not signed in is sent to sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { name: "Sign in to Parley" })).toBeVisible();
});

test("the app shell loads with its navigation, header and the signed-in admin", async ({ page }) => {
  test.setTimeout(90_000);
  const admin = e2eAdmin("shell");
  await signIn(page, admin);
  await expect(page).toHaveTitle("Parley");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Inbox" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("link", { name: "Users" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
  await expect(page.getByTestId("user-menu")).toContainText(admin.name);

  // The reports' day axis: a label for every few days, each readable in full ("Nov 6").
  await page.getByRole("link", { name: "Reports" }).click();
  const breaches = page.getByRole("figure", { name: "Breaches per day" });
  const days = breaches.locator("[aria-hidden] > span");
  await expect(days.first()).toBeVisible();
  const labels = await days.evaluateAll((spans) =>
    spans.map((span) => ({ text: span.textContent, clipped: span.scrollWidth > span.clientWidth })),
  );
  expect(labels.length).toBeGreaterThan(1);
  expect(labels.length).toBeLessThanOrEqual(8);
  for (const label of labels) {
    expect(label.text).toMatch(/^([A-Z][a-z]{2} \d{1,2}|\d{1,2} [A-Z][a-z]{2})$/);
    expect(label.clipped, `${label.text} is cut off`).toBe(false);
  }
  // A period without a single breach says so instead of leaving the chart blank.
  await page.getByLabel("From").fill("2020-01-01");
  await page.getByLabel("To (inclusive)").fill("2020-01-31");
  await expect(breaches.getByText("No breaches in this period.")).toBeVisible();
  await expect(breaches.locator("[aria-hidden] > span").first()).toHaveText(/^(Jan 1|1 Jan)$/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("health reports the database as ok", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", db: "ok" });
});
