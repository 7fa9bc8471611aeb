// Two Parley instances (production build) on two ports sharing one PostgreSQL and one Redis — the
// scale-out shape, on one machine, with demo data.
// Usage: npm run dev:cluster   (DATABASE_URL, REDIS_URL and CLUSTER_PORTS override the defaults)
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const databaseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const ports = (process.env.CLUSTER_PORTS || "3000,3001").split(",").map((p) => p.trim());
// Two `next dev` servers cannot share one project directory; both instances serve the same build.
const script = "start";
if (!existsSync(".next/BUILD_ID")) {
  const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

console.log(
  `Starting ${ports.length} instances (${script}) on ${ports.join(", ")} — PostgreSQL and Redis shared.`,
);
const children = ports.map((port) =>
  spawn("npm", ["run", script], {
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      PARLEY_SEED: process.env.PARLEY_SEED || "demo",
      // Fixed development-only secrets so both instances accept each other's sessions.
      AUTH_SECRET: process.env.AUTH_SECRET || "dev-cluster-only-auth-secret-not-for-production",
      PARLEY_ENCRYPTION_KEY:
        process.env.PARLEY_ENCRYPTION_KEY || "dev-cluster-only-encryption-key-not-for-production",
      PORT: port,
      APP_URL: process.env.APP_URL || `http://localhost:${port}`,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
    },
  }),
);

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill(signal);
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
let exited = 0;
for (const child of children) {
  child.on("exit", (code) => {
    exited += 1;
    if (!stopping && code !== 0) stop("SIGTERM");
    if (exited === children.length) process.exit(code ?? 0);
  });
}
