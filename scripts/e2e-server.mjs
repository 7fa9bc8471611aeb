// Starts Parley for the Playwright suite: a production build (reused when up to date) served by
// server.ts on a fresh embedded database with demo data, plus e2e accounts created with the admin
// command line before the server starts (PGlite admits one process per directory).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureProductionBuild } from "./ensure-build.mjs";

const root = process.cwd();
const e2eDir = path.join(root, ".e2e-data");
const dataDir = path.join(e2eDir, "db");
const accountsFile = path.join(e2eDir, "accounts.json");

ensureProductionBuild(root);

// Production refuses to start without its secrets; these are throwaway ones for this run.
const env = {
  ...process.env,
  NODE_ENV: "production",
  DATA_DIR: dataDir,
  PARLEY_SEED: "demo",
  NEXT_TELEMETRY_DISABLED: "1",
  AUTH_SECRET: process.env.AUTH_SECRET || randomBytes(32).toString("base64url"),
  PARLEY_ENCRYPTION_KEY: process.env.PARLEY_ENCRYPTION_KEY || randomBytes(32).toString("base64url"),
  // The simulator is on; the journeys play the customer on /simulator without an admin session.
  WHATSAPP_MODE: "simulator",
  WHATSAPP_APP_SECRET: process.env.WHATSAPP_APP_SECRET || randomBytes(32).toString("base64url"),
  WHATSAPP_VERIFY_TOKEN: process.env.WHATSAPP_VERIFY_TOKEN || randomBytes(32).toString("base64url"),
  WHATSAPP_SIMULATOR_ACCESS: "anyone",
};

rmSync(e2eDir, { recursive: true, force: true });
mkdirSync(e2eDir, { recursive: true });

/** One admin per spec file, enrolled in 2FA, so specs never compete for the same TOTP step. */
const accounts = {};
for (const key of [
  "shell",
  "enrolment",
  "deactivation",
  "inbox",
  "presenceA",
  "presenceB",
  "live",
  "replies",
  "rights",
  "sla",
  "consent",
  "xss",
]) {
  const email = `e2e-admin-${key}@parley.test`;
  const run = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "cli/parley.ts",
      "user:create",
      "--email",
      email,
      "--name",
      `E2E Admin ${key[0].toUpperCase()}${key.slice(1)}`,
      "--role",
      "admin",
      "--inbox",
      // The SLA journey changes Sales' response targets; the others work in Support.
      key === "sla" ? "Sales" : "Support",
      "--with-2fa",
    ],
    { env, encoding: "utf8" },
  );
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    process.exit(run.status ?? 1);
  }
  accounts[key] = JSON.parse(run.stdout);
}
writeFileSync(accountsFile, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
// This run's throwaway app secret, so journeys can post signed webhooks of any shape (e2e/xss.spec.ts).
writeFileSync(
  path.join(e2eDir, "whatsapp.json"),
  `${JSON.stringify({ appSecret: env.WHATSAPP_APP_SECRET }, null, 2)}\n`,
  { mode: 0o600 },
);

const server = spawn("npm", ["start"], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
