import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** `npm run test:faults`: the product's own server process, crashed and starved on purpose. */
export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL("./", import.meta.url)) },
  },
  test: {
    include: ["tests/faults/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    // One at a time: each test owns a server process and loads the machine on purpose.
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 180_000,
    globalSetup: ["tests/faults/global-setup.ts"],
    env: {
      NODE_ENV: "test",
      LOG_LEVEL: "error",
      AUTH_SECRET: "test-only-auth-secret-0123456789abcdef0123456789",
      PARLEY_ENCRYPTION_KEY: "test-only-encryption-key-0123456789abcdef01234567",
    },
  },
});
