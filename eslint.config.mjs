import nextVitals from "eslint-config-next/core-web-vitals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      ".e2e-data/**",
      "drizzle/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "bench/results/**",
    ],
  },
  ...nextVitals,
  {
    files: ["**/*.ts", "**/*.tsx"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // We do not run the React Compiler; this rule only reports what it would skip (TanStack Virtual).
      "react-hooks/incompatible-library": "off",
    },
  },
  {
    // Customer media comes through the authenticated media proxy; Next's image optimizer would
    // fetch it without the agent's session, so these stay plain <img> elements.
    files: ["components/inbox/message-content.tsx"],
    rules: { "@next/next/no-img-element": "off" },
  },
  {
    // Adapters stay thin: routes, pages and socket handlers reach the database through domain verbs.
    files: ["app/**/*.ts", "app/**/*.tsx", "components/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["drizzle-orm", "drizzle-orm/*"],
              message: "Call a domain verb from lib/domain instead.",
            },
            {
              group: ["@/lib/db/schema", "@/lib/db/schema/*"],
              message: "Call a domain verb from lib/domain instead.",
            },
          ],
        },
      ],
    },
  },
);
