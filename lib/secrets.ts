import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { EnvError, getEnv } from "./env";

/**
 * Secrets come from the environment. In development and tests a missing one is generated once and
 * kept in DATA_DIR/secrets.json (mode 0600), so `npm run dev` needs no set-up and a restart keeps
 * sessions and encrypted data readable. In production a missing secret stops start-up.
 */
export function localSecret(variable: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const env = getEnv();
  if (env.isProduction) throw new EnvError([`${variable} is required in production`]);

  const file = path.join(env.dataDir, "secrets.json");
  let stored: Record<string, string> = {};
  try {
    stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  } catch {
    stored = {};
  }
  const existing = stored[variable];
  if (typeof existing === "string" && existing.length > 0) return existing;

  const created = randomBytes(32).toString("base64url");
  mkdirSync(env.dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...stored, [variable]: created }, null, 2)}\n`, { mode: 0o600 });
  return created;
}
