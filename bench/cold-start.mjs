// Cold start: time from spawning `npm run dev` / `npm start` to the first 200 on `/`.
// Usage: node bench/cold-start.mjs [dev|start|both] [runs]   (`start` needs `npm run build` first)
// Each run uses a fresh DATA_DIR, so it includes migrations and the demo seed. The load average is
// printed with the result: on a busy machine the figures are not comparable.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const which = process.argv[2] ?? "both";
const runs = Number(process.argv[3] ?? 3);
const port = 3900;

async function firstOk(url, deadline) {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function measure(script) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "parley-cold-"));
  const started = performance.now();
  const child = spawn("npm", ["run", script], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      PARLEY_SEED: "demo",
      AUTH_SECRET: "bench-auth-secret-0123456789abcdef",
      PARLEY_ENCRYPTION_KEY: "bench-encryption-key-0123456789abcdef",
    },
    stdio: "ignore",
    detached: true,
  });
  const ok = await firstOk(`http://127.0.0.1:${port}/`, Date.now() + 180_000);
  const seconds = (performance.now() - started) / 1000;
  process.kill(-child.pid, "SIGTERM");
  await new Promise((resolve) => child.on("exit", resolve));
  // Wait until nothing answers on the port, so the next run cannot reach this server.
  while (await firstOk(`http://127.0.0.1:${port}/api/health`, Date.now() + 200)) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  rmSync(dataDir, { recursive: true, force: true });
  if (!ok) throw new Error(`${script}: no 200 within 180 s`);
  return seconds;
}

const results = {};
for (const script of which === "both" ? ["dev", "start"] : [which]) {
  const samples = [];
  for (let i = 0; i < runs; i += 1) samples.push(await measure(script));
  samples.sort((a, b) => a - b);
  results[script] = {
    runs,
    median_s: Number(samples[Math.floor(samples.length / 2)].toFixed(2)),
    samples_s: samples.map((s) => Number(s.toFixed(2))),
  };
}
results.loadAverage = (await import("node:os")).loadavg().map((n) => Number(n.toFixed(2)));
console.log(JSON.stringify(results, null, 2));
