/**
 * What both doors (the CLI and the Action) share around the pipeline:
 * - whether the module is the process's entry point (run as `node dist/cli.js`, or by the runner
 *   as `dist/index.js`) or imported (by tests, by the other door);
 * - running the door again inside buildah's user namespace when it builds without root.
 */
import { realpathSync } from "node:fs";
import { constants } from "node:os";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { signalExitCode } from "./cancel.js";
import { UsageError } from "./errors.js";

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

/** Set to `off` to keep a rootless door out of buildah's namespace (its images then go unchecked). */
export const USERNS_VARIABLE = "IMAGESMITH_USERNS";

/**
 * Whether a door about to build with `builder` must first run itself again under `buildah unshare`.
 *
 * Rootless buildah (GitHub's hosted runners run jobs as the user `runner`) builds and pushes, but
 * opens a built image (`buildah mount`, which the contracts, the inventory and the SBOM read) only
 * inside its own user namespace, where the user is root and the subordinate ids in /etc/subuid are
 * mapped. So a door that builds without root runs its whole command there: buildah marks the
 * namespace (`_CONTAINERS_USERNS_CONFIGURED`), which ends the recursion; files written there belong
 * to the user, as outside; the network is the host's.
 */
export function needsBuildahNamespace(builder: string, env: NodeJS.ProcessEnv): boolean {
  return (
    builder === "buildah" &&
    process.platform === "linux" &&
    process.getuid?.() !== 0 &&
    !env._CONTAINERS_USERNS_CONFIGURED &&
    env[USERNS_VARIABLE] !== "off"
  );
}

/**
 * Whether a door about to build the catalog at `root` must run itself again in buildah's namespace:
 * the cheap checks first, imagesmith.yaml's builder only when they hold.
 */
export async function buildsInNamespace(root: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  if (!needsBuildahNamespace("buildah", env)) return false;
  const { catalogBuilder } = await import("./pipeline.js");
  return needsBuildahNamespace(await catalogBuilder(root).catch(() => "buildah"), env);
}

/**
 * Runs this process's command line again under `buildah unshare` and resolves to its exit status.
 *
 * buildah does not pass signals on to the command it runs (a SIGTERM kills buildah and leaves the
 * command running), so the command gets a process group of its own, and a SIGINT or SIGTERM this
 * process receives goes straight to the door inside, which cancels as it would outside. This
 * process waits until everything in that group has ended, so a cancelled job leaves nothing behind.
 */
export async function rerunInBuildahNamespace(
  env: NodeJS.ProcessEnv,
  notice: (line: string) => void,
): Promise<number> {
  const script = process.argv[1];
  if (!script) throw new Error("cannot run imagesmith again: node was started without a script");
  // Loaded here: a door that does not build starts without the process module.
  const [exec, { rootlessProblem }] = await Promise.all([
    import("./exec.js"),
    import("./builders/rootless.js"),
  ]);
  const problem = await rootlessProblem(env);
  if (problem) throw new UsageError(problem);
  const command = [...process.execArgv, script, ...process.argv.slice(2)];
  const { groupEnded, groupMembers, handOver, signalProcess } = exec;
  notice(
    "imagesmith: building without root: running again under buildah unshare, where buildah can open the images it builds",
  );
  const child = handOver("buildah", ["unshare", "--", process.execPath, ...command], { env });
  let received: NodeJS.Signals | undefined;
  const door = basename(process.execPath).slice(0, 15);
  const forward = (signal: NodeJS.Signals) => {
    received ??= signal;
    if (child.group <= 0) return;
    void groupMembers(child.group).then((members) => {
      const doors = members.filter((member) => member.comm === door);
      // Before the door inside has started, the group (buildah) takes the signal.
      if (doors.length === 0) signalProcess(-child.group, signal);
      for (const member of doors) signalProcess(member.pid, signal);
    });
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  try {
    const { code, signal } = await child.exited;
    await groupEnded(child.group, 30_000);
    if (received) return signalExitCode(received);
    if (signal) return 128 + (constants.signals[signal] ?? 0);
    return code ?? 1;
  } finally {
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
  }
}
