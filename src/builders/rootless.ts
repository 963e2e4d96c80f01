/**
 * Whether rootless buildah can build here: the user needs subordinate ids (/etc/subuid and
 * /etc/subgid) to unpack any image, and buildah must be allowed its user namespace. Checked before a
 * door runs itself again inside `buildah unshare`, and by `doctor`.
 */
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { ExecError, run } from "../exec.js";

/** Ubuntu 24.04's switch: unconfined programs may not make user namespaces when it reads 1. */
const APPARMOR_USERNS = "/proc/sys/kernel/apparmor_restrict_unprivileged_userns";

/**
 * Makes buildah's namespace once (`buildah unshare true`, about 0.1 s): a kernel or an AppArmor
 * policy that refuses it is a line saying so, before anything else is done.
 */
async function namespaceProblem(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    await run("buildah", ["unshare", "true"], { env });
    return undefined;
  } catch (error) {
    if (!(error instanceof ExecError) || error.exitCode === undefined)
      return `${(error as Error).message}: buildah builds the images (apt-get install buildah)`;
    const why =
      error.stderrTail
        .split("\n")
        .map((line) => line.trim())
        .findLast((line) => line !== "" && !/level=warning/.test(line)) ?? `exit ${error.exitCode}`;
    const restricted = readOrEmpty(APPARMOR_USERNS).trim() === "1";
    return `buildah cannot make the user namespace it needs without root (${why})${
      restricted
        ? `: ${APPARMOR_USERNS} is 1, so AppArmor refuses user namespaces to programs without a profile that allows them; on a throwaway runner, run sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 first`
        : ""
    }; or build as root`;
  }
}

/** What keeps rootless buildah from building for this user, in one line with its fix; else undefined. */
export async function rootlessProblem(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { username, uid } = userInfo();
  const missing = missingSubordinateIds(
    { name: username, uid },
    { "/etc/subuid": readOrEmpty("/etc/subuid"), "/etc/subgid": readOrEmpty("/etc/subgid") },
  );
  if (missing.length > 0)
    return `${missing.join(" and ")} give the user ${username} no subordinate ids, which rootless buildah needs to unpack any image: sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${username} (GitHub's hosted runners have them), or build as root`;
  return namespaceProblem(env);
}

/**
 * Which of /etc/subuid and /etc/subgid (their text in `files`) hold no range for `user`: lines are
 * `name-or-uid:first:count`.
 */
export function missingSubordinateIds(
  user: { name: string; uid: number },
  files: Record<string, string>,
): string[] {
  return Object.entries(files)
    .filter(
      ([, text]) =>
        !text.split("\n").some((line) => {
          const [owner, , count] = line.trim().split(":");
          return (owner === user.name || owner === String(user.uid)) && Number(count) > 0;
        }),
    )
    .map(([file]) => file);
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
