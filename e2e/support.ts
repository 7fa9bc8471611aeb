import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { totpCodeAt } from "../lib/auth/totp";

export interface E2eAccount {
  id: string;
  email: string;
  name: string;
  password: string;
  totpSecret: string;
  recoveryCodes: string[];
}

/** Admins created by scripts/e2e-server.mjs with the admin command line before the server started. */
export function e2eAdmin(
  key:
    | "shell"
    | "enrolment"
    | "deactivation"
    | "inbox"
    | "presenceA"
    | "presenceB"
    | "live"
    | "replies"
    | "rights"
    | "sla"
    | "consent"
    | "xss",
): E2eAccount {
  const file = path.join(process.cwd(), ".e2e-data", "accounts.json");
  const accounts = JSON.parse(readFileSync(file, "utf8")) as Record<string, E2eAccount>;
  const account = accounts[key];
  if (!account) throw new Error(`no e2e account "${key}" in ${file}`);
  return account;
}

/**
 * Posts a webhook body to Parley's real webhook route, signed like Meta signs it (HMAC-SHA256 of the
 * exact bytes sent, non-ASCII \u-escaped as Meta sends it) with this run's app secret.
 */
export async function postSignedWebhook(request: APIRequestContext, body: unknown): Promise<void> {
  const file = path.join(process.cwd(), ".e2e-data", "whatsapp.json");
  const { appSecret } = JSON.parse(readFileSync(file, "utf8")) as { appSecret: string };
  const raw = JSON.stringify(body).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  const signature = createHmac("sha256", appSecret).update(raw).digest("hex");
  const response = await request.post("/api/webhooks/whatsapp", {
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signature}` },
    data: raw,
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** Signs in through the real form: password, then the current TOTP code (waiting out a used step). */
export async function signIn(page: Page, account: { email: string; password: string; totpSecret: string }) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const code = page.getByLabel("Authentication code");
  await expect(code).toBeVisible();
  for (let attempt = 0; attempt < 2; attempt += 1) {
    await code.fill(totpCodeAt(account.totpSecret, new Date()));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    const outcome = await Promise.race([
      page.waitForURL((url) => url.pathname === "/", { timeout: 10_000 }).then(() => "signed in" as const),
      page
        .getByText("That code has already been used")
        .waitFor({ timeout: 10_000 })
        .then(() => "reused" as const),
    ]);
    if (outcome === "signed in") return;
    // Each code works once; the next one comes with the next 30-second step.
    await page.waitForTimeout(30_000 - (Date.now() % 30_000) + 500);
  }
  throw new Error(`could not sign in as ${account.email}`);
}

/** Adds a team member through the Users page and returns the one-time password it shows. */
export async function addTeamMember(page: Page, person: { name: string; email: string; role: string }) {
  await page.goto("/admin/users");
  const form = page.getByRole("region", { name: "Add a team member" });
  await form.getByLabel("Name", { exact: true }).fill(person.name);
  await form.getByLabel("Email", { exact: true }).fill(person.email);
  await form.getByLabel("Role", { exact: true }).selectOption(person.role);
  await form.getByLabel("Support").check();
  await form.getByRole("button", { name: "Add team member" }).click();
  const notice = page.getByRole("status").filter({ hasText: "first password" });
  await expect(notice).toBeVisible();
  const text = (await notice.textContent()) ?? "";
  const password = /shown only now: (\S+)/.exec(text)?.[1];
  if (!password) throw new Error(`no password in "${text}"`);
  return password;
}

/** First sign-in of a person without 2FA: enrol with a code computed from the key shown as text. */
export async function signInAndEnrol(page: Page, person: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/enroll");
  await expect(page.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  await page.getByLabel("First code from your app").fill(totpCodeAt(secret, new Date()));
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const recoveryCodes = await codes.allTextContents();
  await page.getByRole("link", { name: /continue to Parley/ }).click();
  await page.waitForURL((url) => url.pathname === "/");
  return { secret, recoveryCodes };
}

/** Signs in in a browser context of its own and waits until the inbox lists its conversations. */
export async function openInbox(browser: Browser, account: E2eAccount, cspViolations?: string[]) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (cspViolations) await recordCspViolations(page, cspViolations);
  await signIn(page, account);
  await expect(
    page.getByRole("listbox", { name: "Conversations" }).getByRole("option").first(),
  ).toBeVisible();
  return { context, page };
}

const businessNumbers = {
  Support: "Support (+1 555 010 0001)",
  Sales: "Sales (+1 555 010 0002)",
} as const;

/**
 * A new customer's phone on /simulator, in a browser context of its own, chatting with one of the
 * demo inboxes; `say` sends a message and waits until the phone has delivered it.
 */
export async function openCustomerPhone(
  browser: Browser,
  inbox: keyof typeof businessNumbers,
  name: string,
  phoneNumber: string,
  cspViolations?: string[],
) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (cspViolations) await recordCspViolations(page, cspViolations);
  await page.goto("/simulator");
  await page.getByLabel("Business number").selectOption({ label: businessNumbers[inbox] });
  const newCustomer = page.getByRole("form", { name: "New customer" });
  await newCustomer.getByLabel("Name").fill(name);
  await newCustomer.getByLabel("Phone, with country code").fill(phoneNumber);
  await newCustomer.getByRole("button", { name: "Use this customer" }).click();
  const chat = page.getByRole("region", { name: `Chat with ${inbox} as ${name}` });
  const say = async (text: string) => {
    await chat.getByLabel("Message").fill(text);
    await chat.getByRole("button", { name: "Send" }).click();
    // The phone clears its field once the message is delivered; typing earlier would be wiped.
    await expect(chat.getByLabel("Message")).toHaveValue("", { timeout: 15_000 });
  };
  return { context, page, chat, say };
}

/** Opens a customer's conversation once the list shows it (it may arrive over the socket); its thread. */
export async function openConversation(page: Page, customerName: string) {
  const row = page.getByRole("option").filter({ hasText: customerName });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.getByRole("button").click();
  return page.getByTestId("thread");
}

/**
 * Every Content-Security-Policy violation the page reports from its next document on: the
 * `securitypolicyviolation` event, and Chromium's own "Refused to …" console errors.
 */
export async function recordCspViolations(page: Page, violations: string[] = []): Promise<string[]> {
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const where = event.sourceFile ? ` in ${event.sourceFile}:${event.lineNumber}` : "";
      console.error(
        `CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}${where}`,
      );
    });
  });
  page.on("console", (message) => {
    const text = message.text();
    if (/^CSP violation:|^Refused to|Content Security Policy/.test(text)) violations.push(text);
  });
  return violations;
}
