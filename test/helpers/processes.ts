/** What runs on this machine and inside built images, for tests that check what a build left. */
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { promisify } from "node:util";

const exec = promisify(execFile);

export interface LiveProcess {
  pid: number;
  ppid: number;
  startTime: string;
  cmdline: string;
}

/** Every process that is not a zombie, with its command line. */
export async function liveProcesses(): Promise<LiveProcess[]> {
  const found: LiveProcess[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") continue;
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, "utf8")).split("\0").join(" ");
      found.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        startTime: fields[19] ?? "",
        cmdline: cmdline.trim(),
      });
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}

/** Runs a command inside a pushed image with buildah; resolves to its standard output. */
export async function runIn(ref: string, command: string[]): Promise<string> {
  const { stdout } = await exec("buildah", [
    "from",
    "--tls-verify=false",
    "--quiet",
    `docker://${ref}`,
  ]);
  const container = stdout.trim();
  try {
    return (await exec("buildah", ["run", "--isolation", "chroot", container, "--", ...command]))
      .stdout;
  } finally {
    await exec("buildah", ["rm", container]).catch(() => undefined);
  }
}
