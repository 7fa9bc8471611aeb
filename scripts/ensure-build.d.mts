/** Runs `npm run build` in `root` when the production build is missing or stale; exits on failure. */
export function ensureProductionBuild(root?: string): void;
