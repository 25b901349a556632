// @ts-check
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "artifacts/", "cache/", "types/", "eslint.config.js"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // An un-awaited promise is a check that can never fail, or a transaction nobody waits for.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Hardhat hook factories and handlers must be async functions even when they do not await.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // One place prints: src/ui (the Output and its views). Everything else returns values or emits events.
    files: ["src/**/*.ts", "tasks/**/*.ts", "scripts/**/*.ts", "rehearsal/**/*.ts", "hardhat.config.ts"],
    ignores: ["src/ui/**"],
    rules: {
      "no-console": "error",
      "no-restricted-properties": [
        "error",
        { object: "process", property: "stdout", message: "Only src/ui writes to stdout." },
        { object: "process", property: "stderr", message: "Only src/ui writes to stderr." },
      ],
    },
  },
  {
    // The core is Hardhat-free: it takes providers, signers and stores as parameters, so it can be
    // tested without the task runner and reused outside Hardhat.
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["hardhat", "hardhat/*", "@nomicfoundation/hardhat-*", "!@nomicfoundation/hardhat-errors"],
              message: "src/core must not depend on Hardhat; take what you need as a parameter.",
            },
            { group: ["**/ui/*", "**/plugin/*"], message: "src/core never prints and never reaches into the plugin." },
          ],
        },
      ],
      "no-console": "error",
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "src/core never reads the environment; take a parameter." },
        { object: "process", property: "stdout", message: "Only src/ui writes to stdout." },
        { object: "process", property: "stderr", message: "Only src/ui writes to stderr." },
      ],
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // chai's `expect(x).to.be.true` is an expression statement by design.
      "@typescript-eslint/no-unused-expressions": "off",
    },
  },
);
