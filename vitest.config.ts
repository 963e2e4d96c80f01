import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/unit/**/*.test.ts"],
          // @actions/workflow-parser imports its JSON schemas without `with { type: "json" }`, which
          // Node refuses; inlined, Vite loads them (test/unit/workflows.test.ts).
          server: { deps: { inline: ["@actions/workflow-parser"] } },
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
