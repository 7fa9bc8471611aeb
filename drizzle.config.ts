import { defineConfig } from "drizzle-kit";

// Migrations are generated from lib/db/schema and committed; the app applies them at start-up.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema/index.ts",
  out: "./drizzle",
  casing: "snake_case",
  strict: true,
});
