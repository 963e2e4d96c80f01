// A CNCF distribution registry (Debian's docker-registry) on a free loopback port, for the demo and
// the benchmarks. Its log goes to a file, never a pipe: a caller blocked in a synchronous call would
// otherwise fill the pipe and stop the registry answering.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * Starts a registry storing under `dir/data` (kept between runs unless `fresh`), with its access log
 * in `dir/registry.log` when `accessLog` is set. Resolves once `/v2/` answers.
 */
export async function startLocalRegistry({ dir, fresh = false, accessLog = false }) {
  if (fresh) rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "data"), { recursive: true });
  const port = await freePort();
  const configPath = join(dir, "config.yml");
  writeFileSync(
    configPath,
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: ${!accessLog}\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, "data")}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  // A registry an interrupted earlier run left on the same storage would fight this one.
  spawnSync("pkill", ["-f", `docker-registry serve ${configPath}`]);
  const logPath = join(dir, "registry.log");
  const log = openSync(logPath, "w");
  const child = spawn("docker-registry", ["serve", configPath], { stdio: ["ignore", log, log] });
  const host = `127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`http://${host}/v2/`)).ok)
        return { host, logPath, stop: () => child.kill("SIGTERM") };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`the registry did not start; see ${logPath}`);
}
