// Builds Next.js for production unless .next is newer than every source it is built from.
// Shared by the Playwright server (scripts/e2e-server.mjs) and the fault suite's global setup.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build` in `root` when the production build is missing or stale; exits on failure. */
export function ensureProductionBuild(root = process.cwd()) {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const sources = ["app", "components", "lib"]
    .filter((dir) => existsSync(path.join(root, dir)))
    .map((dir) => newestMtime(path.join(root, dir)));
  // Root files the build compiles: proxy.ts sets every page's Content-Security-Policy.
  const files = ["auth.ts", "proxy.ts", "next.config.ts"]
    .map((file) => path.join(root, file))
    .filter((file) => existsSync(file))
    .map((file) => statSync(file).mtimeMs);
  const stale = !existsSync(buildId) || Math.max(...sources, ...files) > statSync(buildId).mtimeMs;
  if (!stale) return;
  const build = spawnSync("npm", ["run", "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
