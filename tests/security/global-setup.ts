import { ensureProductionBuild } from "../../scripts/ensure-build.mjs";

/** Builds once when stale: the headers attack runs the production server (security-headers). */
export default function setup() {
  ensureProductionBuild(process.cwd());
}
