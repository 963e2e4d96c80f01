// Bundles the two doors into dist/: the CLI (bin `imagesmith`) and the GitHub Action (index.js).
// Everything they import is inlined, so dist/ runs with no node_modules, as an Action must.
import { chmod, readFile, rm } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
import { build } from "esbuild";

/** `import text from "./file?raw"` as vite reads it: the file's text, inlined. */
const rawText = {
  name: "raw-text",
  setup(plugin) {
    // Paths relative to the project, so the bundle is the same whatever folder it is built in.
    plugin.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: relative(ROOT, resolve(args.resolveDir, args.path.slice(0, -"?raw".length))),
      namespace: "raw-text",
    }));
    plugin.onLoad({ filter: /.*/, namespace: "raw-text" }, async (args) => ({
      contents: await readFile(resolve(ROOT, args.path), "utf8"),
      loader: "text",
    }));
  },
};

const shared = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  legalComments: "none",
  plugins: [rawText],
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __imagesmithCreateRequire } from 'node:module';\nconst require = __imagesmithCreateRequire(import.meta.url);",
  },
};

await rm("dist", { recursive: true, force: true });
await build({
  ...shared,
  entryPoints: { cli: "src/cli.ts", index: "src/action.ts" },
  outdir: "dist",
  // Commands load what they need on first use (dynamic import), so each command starts with its
  // own chunks only: validate does not parse the registry client, the builders or the renderer.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  banner: { js: "#!/usr/bin/env node\n" + shared.banner.js },
});
await chmod("dist/cli.js", 0o755);
