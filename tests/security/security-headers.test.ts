/**
 * Clickjacking and injected scripts: every page refuses to be framed by any site and runs only the
 * scripts carrying this response's nonce; every answer, pages and API, forbids MIME sniffing. Against
 * the production build of server.ts in its own process (proxy.ts and server.ts set the headers).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhookBody } from "@/lib/whatsapp/signature";
import { freePort, startParley, APP_SECRET, type Parley } from "../faults/support";
import { sessionCookie } from "../support/auth";

let parley: Parley;
let dataDir: string;
let adminCookie: string;

beforeAll(async () => {
  // The admin is created with the command line before the server opens the same PGlite directory.
  dataDir = mkdtempSync(path.join(tmpdir(), "parley-headers-"));
  const created = spawnSync(
    process.execPath,
    ["--import", "tsx", "cli/parley.ts", "user:create", "--email", "framing@parley.test"].concat([
      "--name",
      "Framing Admin",
      "--role",
      "admin",
      "--with-2fa",
    ]),
    { env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "error" }, encoding: "utf8" },
  );
  if (created.status !== 0) throw new Error(`user:create failed: ${created.stderr}`);
  const admin = JSON.parse(created.stdout) as { id: string };
  adminCookie = await sessionCookie(admin);
  parley = await startParley({ port: await freePort(), env: { DATA_DIR: dataDir } });
}, 180_000);

afterAll(async () => {
  await parley?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function page(pathname: string, cookie?: string) {
  const response = await fetch(`${parley.url}${pathname}`, {
    headers: cookie ? { cookie } : {},
    redirect: "manual",
  });
  return { response, html: await response.text() };
}

/** The policy's directives by name, each with its list of sources. */
function directives(policy: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (policy ?? "").split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources);
  }
  return map;
}

function expectUnframeable(response: Response) {
  expect(directives(response.headers.get("content-security-policy")).get("frame-ancestors")).toEqual([
    "'none'",
  ]);
  expect(response.headers.get("x-frame-options")).toBe("DENY");
}

describe("framing by a foreign site", () => {
  it("is refused for the inbox page", async () => {
    const { response, html } = await page("/", adminCookie);
    expect(response.status).toBe(200);
    expect(html).toContain("Inbox");
    expectUnframeable(response);
  });

  it.each(["/admin/users", "/admin/access-review", "/admin/privacy", "/admin/audit-log"])(
    "is refused for the admin page %s",
    async (pathname) => {
      const { response } = await page(pathname, adminCookie);
      expect(response.status).toBe(200);
      expectUnframeable(response);
    },
  );

  it("is refused for the sign-in page", async () => {
    const { response, html } = await page("/sign-in");
    expect(response.status).toBe(200);
    expect(html).toContain("Sign in to Parley");
    expectUnframeable(response);
  });
});

describe("scripts injected into a page", () => {
  it("find no 'unsafe-inline' for scripts, and a nonce that is new on every request and on every script", async () => {
    const nonces: string[] = [];
    for (const pathname of ["/", "/", "/admin/users"]) {
      const { response, html } = await page(pathname, adminCookie);
      const policy = directives(response.headers.get("content-security-policy"));
      const scriptSrc = policy.get("script-src") ?? [];
      expect(scriptSrc).not.toContain("'unsafe-inline'");
      expect(scriptSrc).not.toContain("'unsafe-eval'");
      expect(scriptSrc).toContain("'strict-dynamic'");
      expect(policy.get("object-src")).toEqual(["'none'"]);
      expect(policy.get("base-uri")).toEqual(["'self'"]);
      const nonce = /^'nonce-([A-Za-z0-9+/=]{22,})'$/.exec(
        scriptSrc.find((source) => source.startsWith("'nonce-")) ?? "",
      )?.[1];
      expect(nonce, "script-src has a nonce of at least 128 bits").toBeDefined();
      nonces.push(nonce ?? "");
      // Next.js put this response's nonce on every script it rendered, inline or not.
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual([]);
    }
    expect(new Set(nonces).size).toBe(nonces.length);
  });
});

describe("MIME sniffing and referrers", () => {
  it("are refused on pages, the JSON API and the webhook answered by server.ts", async () => {
    const body = JSON.stringify({ object: "whatsapp_business_account", entry: [] });
    const answers = [
      (await page("/sign-in")).response,
      (await page("/api/v1/me", adminCookie)).response,
      (await page("/api/health")).response,
      await fetch(`${parley.url}/api/webhooks/whatsapp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": signWebhookBody(body, APP_SECRET),
        },
        body,
      }),
    ];
    for (const response of answers) {
      expect(response.status, response.url).toBeLessThan(300);
      expect(response.headers.get("x-content-type-options"), response.url).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), response.url).toBe("same-origin");
      expect(response.headers.get("x-frame-options"), response.url).toBe("DENY");
    }
  });
});
