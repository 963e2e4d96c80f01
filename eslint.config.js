import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".imagesmith/", ".bench/", "coverage/", "**/fixtures/**"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: { ...globals.node },
    },
    rules: {
      "@typescript-eslint/consistent-type-definitions": ["error", "interface"],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "func-style": ["error", "declaration", { allowArrowFunctions: true }],
      eqeqeq: ["error", "smart"],
    },
  },
  {
    // The catalog site's one script runs in browsers, as plain ES5-style JavaScript.
    files: ["templates/site/*.js"],
    languageOptions: { globals: { ...globals.browser }, sourceType: "script" },
    rules: { "@typescript-eslint/no-unused-vars": ["error", { caughtErrors: "none" }] },
  },
);
