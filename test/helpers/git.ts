/**
 * Real git repositories in temp folders: an origin that commits, and fresh clones of it, as CI
 * runners and people's checkouts are. Removed after the test file.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll } from "vitest";

const exec = promisify(execFile);
const made: string[] = [];

afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

const IDENTITY = {
  GIT_AUTHOR_NAME: "admin",
  GIT_AUTHOR_EMAIL: "admin@example.invalid",
  GIT_COMMITTER_NAME: "admin",
  GIT_COMMITTER_EMAIL: "admin@example.invalid",
};

/** Runs git in `dir`; resolves to its trimmed standard output. */
export async function git(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec("git", ["-C", dir, ...args], {
    env: { ...process.env, ...IDENTITY },
  });
  return stdout.trim();
}

/** A temp folder removed after the test file. */
export async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A new repository on branch main; `url` becomes its remote.origin.url (what the catalog records). */
export async function gitRepository(url?: string): Promise<string> {
  const dir = await temp("imagesmith-origin-");
  await git(dir, "init", "-q", "-b", "main");
  if (url) await git(dir, "remote", "add", "origin", url);
  return dir;
}

/** Writes files (null deletes one) and commits them; resolves to the new commit. */
export async function commit(
  dir: string,
  files: Record<string, string | null>,
  message = "change images",
): Promise<string> {
  for (const [file, text] of Object.entries(files)) {
    if (text === null) await rm(join(dir, file), { force: true });
    else {
      await mkdir(join(dir, file, ".."), { recursive: true });
      await writeFile(join(dir, file), text);
    }
  }
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "--allow-empty", "-m", message);
  return git(dir, "rev-parse", "HEAD");
}

/**
 * A fresh clone of `origin` (nothing from earlier runs: no .imagesmith), its remote URL set to
 * `url` when given, so two clones of one repository name the same repository.
 */
export async function clone(origin: string, url?: string): Promise<string> {
  const dir = join(await temp("imagesmith-checkout-"), "repo");
  await exec("git", ["clone", "-q", origin, dir]);
  if (url) await git(dir, "remote", "set-url", "origin", url);
  return dir;
}
