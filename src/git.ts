import { type ExecError, run } from "./exec.js";

/** Where the catalog's definitions come from, for image labels and the published catalog. */
export interface SourceInfo {
  repo?: string;
  commit?: string;
}

/** The repository URL (credentials stripped) and HEAD commit of the catalog folder, when it is a git checkout. */
export async function gitSource(root: string): Promise<SourceInfo> {
  const info: SourceInfo = {};
  const commit = await run("git", ["-C", root, "rev-parse", "HEAD"]).catch(() => "");
  if (/^[0-9a-f]{40,64}$/.test(commit)) info.commit = commit;
  const remote = await run("git", ["-C", root, "config", "--get", "remote.origin.url"]).catch(
    () => "",
  );
  if (remote) info.repo = publicUrl(remote);
  return info;
}

/** A remote URL as it may be shown: no user or password, ssh forms turned into https. */
export function publicUrl(remote: string): string {
  const scp = /^[\w.-]+@([\w.-]+):(.+?)(\.git)?$/.exec(remote);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  try {
    const url = new URL(remote);
    url.username = "";
    url.password = "";
    return url.toString().replace(/\.git$/, "");
  } catch {
    return remote;
  }
}

/**
 * How HEAD of the checkout at `root` relates to `commit` (the one the published catalog was made
 * from): the same, a descendant (`ancestor`: HEAD contains it), not containing it, or `unknown`
 * when the checkout does not have that commit (a shallow clone, another repository).
 */
export async function commitHistory(
  root: string,
  commit: string,
  head: string,
): Promise<"same" | "ancestor" | "not-ancestor" | "unknown"> {
  if (commit === head) return "same";
  try {
    await run("git", ["-C", root, "merge-base", "--is-ancestor", commit, "HEAD"]);
    return "ancestor";
  } catch (error) {
    // 1: a commit it knows that HEAD does not contain; anything else (128): it cannot tell.
    return (error as ExecError).exitCode === 1 ? "not-ancestor" : "unknown";
  }
}
