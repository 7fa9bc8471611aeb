import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL("./", import.meta.url)) },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    // The fault suite runs the production server and kills it: `npm run test:faults`; the attack
    // suite has its own run too: `npm run test:security`.
    exclude: ["tests/faults/**", "tests/security/**", "node_modules/**"],
    environment: "node",
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: "test",
      LOG_LEVEL: "error",
      // Fixed test-only secrets: parallel test processes must not race to generate DATA_DIR/secrets.json.
      AUTH_SECRET: "test-only-auth-secret-0123456789abcdef0123456789",
      PARLEY_ENCRYPTION_KEY: "test-only-encryption-key-0123456789abcdef01234567",
    },
  },
});
