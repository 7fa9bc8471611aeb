import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { e2eAdmin, openConversation, openCustomerPhone, signIn } from "./support";

test("a reply asking for a password needs 'Send anyway'; the customer's card is masked; export and erase from the contact panel", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const adminContext = await browser.newContext({ acceptDownloads: true });
  const admin = await adminContext.newPage();
  await signIn(admin, e2eAdmin("rights"));

  // The admin keeps originals of masked secrets for a week and runs the retention sweeper once.
  await admin.goto("/admin/privacy");
  await admin.getByLabel("Keep originals of masked secrets").check();
  await admin.getByLabel("Days to keep an original").fill("7");
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByRole("status")).toHaveText("Saved.");
  await admin.getByRole("button", { name: "Run now" }).click();
  await expect(admin.getByRole("status")).toContainText("Run finished");
  await expect(admin.getByRole("cell", { name: "Done" }).first()).toBeVisible();

  // A new customer writes in with a card number.
  const customer = await openCustomerPhone(browser, "Support", "Erin Erasure", "+1 555 700 8642");
  await customer.say("My card is 4111 1111 1111 1111, refund please");

  await admin.goto("/");
  const thread = await openConversation(admin, "Erin Erasure");
  await expect(thread.getByText("My card is •••• •••• •••• 1111, refund please")).toBeVisible();
  await expect(thread.getByText("4111 1111 1111 1111")).toHaveCount(0);
  await thread.getByRole("button", { name: "Show original" }).click();
  await expect(thread.getByTestId("original-text")).toContainText("4111 1111 1111 1111");

  // The composer warns as the agent types, the server refuses, and "Send anyway" sends it.
  const composer = admin.getByLabel("Reply to the customer");
  const risky = "Please send me your password so I can check the refund.";
  await composer.fill(risky);
  await expect(admin.getByTestId("sensitive-warning")).toContainText("a password");
  await composer.press("Enter");
  const confirm = admin.getByRole("alertdialog");
  await expect(confirm).toContainText("Not sent");
  await expect(thread.locator("[data-message-id]").filter({ hasText: risky })).toHaveCount(0);
  await confirm.getByRole("button", { name: "Send anyway" }).click();
  await expect(thread.locator("[data-message-id]").filter({ hasText: risky })).toHaveCount(1);
  await expect(confirm).toHaveCount(0);

  // Export from the contact panel: everything about Erin, masked.
  const panel = admin.getByRole("complementary", { name: "Contact details" });
  const downloadPromise = admin.waitForEvent("download");
  await panel.getByRole("link", { name: "Export JSON" }).click();
  const download = await downloadPromise;
  const exported = readFileSync((await download.path()) ?? "", "utf8");
  expect(exported).toContain("Erin Erasure");
  expect(exported).toContain("•••• •••• •••• 1111");
  expect(exported).not.toContain("4111 1111 1111 1111");
  expect(exported).toContain(risky);

  // Erase: irreversible, said so, needs the typed word and a reason.
  await panel.getByRole("button", { name: "Erase…" }).click();
  const erase = panel.getByRole("form", { name: "Erase this customer's data" });
  await expect(erase).toContainText("This cannot be undone.");
  const submit = erase.getByRole("button", { name: "Erase permanently" });
  await erase.getByLabel(/Reason/).fill("Customer asked by email on 2026-11-23");
  await expect(submit).toBeDisabled();
  await erase.getByLabel("Type ERASE to confirm").fill("ERASE");
  await submit.click();
  await expect(panel.getByTestId("contact-erased")).toBeVisible();
  await expect(thread.getByTestId("content-removed").first()).toBeVisible();
  await expect(thread.getByText("refund please")).toHaveCount(0);
  await expect(thread.getByText(/4111/)).toHaveCount(0);
  await expect(panel.getByRole("button", { name: "Erase…" })).toHaveCount(0);

  await adminContext.close();
  await customer.context.close();
});
