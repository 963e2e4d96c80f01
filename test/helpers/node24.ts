/**
 * Node 24, the runtime of GitHub's runners (`runs.using: node24`), beside the Node 20 the tests run
 * on. nodejs.org is out of reach, so it comes from the npm registry (`node-<platform>-<arch>`, the
 * binaries the `node` package installs), once: it is kept in the tests' cache folder.
 */
import { execFile } from "node:child_process";
import { access, mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEBIAN_CACHE_DIR } from "./debian-base.js";

const run = promisify(execFile);
const MAJOR = 24;

/** The path of a Node 24 binary; downloads it on first use (about 50 MB). */
export async function node24(): Promise<string> {
  const dir = join(DEBIAN_CACHE_DIR, `node-${MAJOR}-${process.platform}-${process.arch}`);
  const binary = join(dir, "bin", "node");
  if (
    await access(binary).then(
      () => true,
      () => false,
    )
  )
    return binary;
  await mkdir(DEBIAN_CACHE_DIR, { recursive: true });
  const work = await mkdtemp(join(DEBIAN_CACHE_DIR, ".node-"));
  try {
    const { stdout } = await run(
      "npm",
      ["pack", "--json", `node-${process.platform}-${process.arch}@${MAJOR}`],
      { cwd: work, maxBuffer: 64 * 1024 * 1024 },
    );
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    if (!packed) throw new Error(`npm pack of node ${MAJOR} made no tarball: ${stdout}`);
    await run("tar", ["-xzf", packed.filename], { cwd: work });
    await rename(join(work, "package"), dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another run put it there first.
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return binary;
}
