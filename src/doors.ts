/**
 * What both doors (the CLI and the Action) share around the pipeline: for now, whether the module
 * is the process's entry point (run as `node dist/cli.js`, or by the runner as `dist/index.js`) or
 * imported (by tests, by the other door).
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Whether the module at `moduleUrl` (its `import.meta.url`) is the script node was started with. */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
