import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureProductionBuild } from "../../scripts/ensure-build.mjs";

const resultsDir = path.resolve(".faults-results");

/** Builds once for every fault test (they run the production server), then prints what held. */
export default function setup() {
  rmSync(resultsDir, { recursive: true, force: true });
  ensureProductionBuild(process.cwd());
  return () => {
    let files: string[] = [];
    try {
      files = readdirSync(resultsDir).filter((name) => name.endsWith(".json"));
    } catch {
      return;
    }
    process.stdout.write("\nFault suite results\n");
    for (const file of files.sort()) {
      const result = JSON.parse(readFileSync(path.join(resultsDir, file), "utf8")) as Record<string, unknown>;
      const line = Object.entries(result)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(" ");
      process.stdout.write(`  ${file.replace(/\.json$/, "")}: ${line}\n`);
    }
  };
}
