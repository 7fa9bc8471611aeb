import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** `npm run test:security`: the attack suite. Each test tries an attack and asserts it fails. */
export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL("./", import.meta.url)) },
  },
  test: {
    include: ["tests/security/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", "./tests/security/attack-reporter.ts"],
    // security-headers runs the production build of server.ts, built here when stale.
    globalSetup: ["tests/security/global-setup.ts"],
    env: {
      NODE_ENV: "test",
      LOG_LEVEL: "error",
      AUTH_SECRET: "test-only-auth-secret-0123456789abcdef0123456789",
      PARLEY_ENCRYPTION_KEY: "test-only-encryption-key-0123456789abcdef01234567",
    },
  },
});
