// Bundles the two doors into dist/: the CLI (bin `imagesmith`) and, later, the GitHub Action.
// Everything they import is inlined, so dist/ runs with no node_modules, as an Action must.
import { chmod } from "node:fs/promises";
import { build } from "esbuild";

const shared = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  legalComments: "none",
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __imagesmithCreateRequire } from 'node:module';\nconst require = __imagesmithCreateRequire(import.meta.url);",
  },
};

await build({
  ...shared,
  entryPoints: { cli: "src/cli.ts" },
  outdir: "dist",
  banner: { js: "#!/usr/bin/env node\n" + shared.banner.js },
});
await chmod("dist/cli.js", 0o755);
