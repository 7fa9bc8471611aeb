// Two Parley instances on two ports sharing one PostgreSQL and one Redis — the scale-out shape,
// on one machine. Usage: npm run dev:cluster   (DATABASE_URL and REDIS_URL override the defaults)
import { spawn } from "node:child_process";

const databaseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const ports = (process.env.CLUSTER_PORTS || "3000,3001").split(",").map((p) => p.trim());
const script = process.env.NODE_ENV === "production" ? "start" : "dev";

console.log(
  `Starting ${ports.length} instances (${script}) on ${ports.join(", ")} — PostgreSQL and Redis shared.`,
);
const children = ports.map((port) =>
  spawn("npm", ["run", script], {
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
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
