// Starts Parley for the Playwright suite: a production build (reused when up to date) served by
// server.ts on a fresh embedded database with demo data.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync, statSync, readdirSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
const dataDir = path.join(root, ".e2e-data");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const buildId = path.join(root, ".next", "BUILD_ID");
const sources = ["app", "components", "lib"]
  .filter((d) => existsSync(d))
  .map((d) => newestMtime(path.join(root, d)));
const stale = !existsSync(buildId) || Math.max(...sources) > statSync(buildId).mtimeMs;
if (stale) {
  const build = spawnSync("npm", ["run", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

rmSync(dataDir, { recursive: true, force: true });
// Production requires its WhatsApp secrets: fresh random ones per run. The simulator is on, and
// open to the journeys until they can sign in as an admin.
const secret = () => randomBytes(32).toString("base64url");
const server = spawn("npm", ["start"], {
  stdio: "inherit",
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    PARLEY_SEED: "demo",
    NEXT_TELEMETRY_DISABLED: "1",
    WHATSAPP_MODE: "simulator",
    WHATSAPP_APP_SECRET: process.env.WHATSAPP_APP_SECRET || secret(),
    WHATSAPP_VERIFY_TOKEN: process.env.WHATSAPP_VERIFY_TOKEN || secret(),
    WHATSAPP_SIMULATOR_ACCESS: "anyone",
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
