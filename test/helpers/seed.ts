/**
 * Pushes tiny real images to a test registry with buildah. One scratch image holding a small file
 * is prepared per test file and reused: a push that changes nothing pushes it as is, one that
 * changes the config (user, labels, platform) only adds `from` + `config` + `commit` on top of it.
 * Every container, image and manifest list made here is removed again.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll } from "vitest";

const run = promisify(execFile);

export interface PushImageOptions {
  /** `config.User` of the image. */
  user?: string;
  labels?: Record<string, string>;
  /** The content of the image's one file, /hello.txt (a different content gives a different layer). */
  content?: string;
  /** Manifest format pushed: OCI image manifest (default) or Docker manifest v2 schema 2. */
  format?: "oci" | "docker";
  /** Pushed with buildah's `--creds` (throwaway test passwords only). */
  creds?: { username: string; password: string };
  os?: string;
  arch?: string;
}

export interface PushIndexOptions {
  amd64User?: string;
  arm64User?: string;
  creds?: { username: string; password: string };
}

const DEFAULT_CONTENT = "imagesmith test image\n";

let baseImage: Promise<string> | undefined;
const workDirs: string[] = [];

afterAll(async () => {
  const base = baseImage;
  baseImage = undefined;
  if (base) await buildahQuietly(["rmi", "-f", await base.catch(() => "")]);
  await Promise.all(workDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Pushes a tiny real image (buildah from scratch + one small file + config) to ref ("127.0.0.1:PORT/repo:tag"); resolves to the pushed manifest digest. */
export async function pushImage(ref: string, options: PushImageOptions = {}): Promise<string> {
  const format = options.format ?? "oci";
  const image = await buildImage(options);
  try {
    return await pushWithDigest(
      ["push", "--format", format === "oci" ? "oci" : "v2s2"],
      image.id,
      ref,
      options.creds,
    );
  } finally {
    if (image.temporary) await buildahQuietly(["rmi", "-f", image.id]);
  }
}

/** Pushes a two-platform index (linux/amd64 with user A, linux/arm64 with user B) under ref; resolves to the index digest. */
export async function pushIndex(ref: string, options: PushIndexOptions = {}): Promise<string> {
  const amd64 = await buildImage({ user: options.amd64User ?? "amd64-user", arch: "amd64" });
  const arm64 = await buildImage({ user: options.arm64User ?? "arm64-user", arch: "arm64" });
  const list = `localhost/imagesmith-seed-list-${randomBytes(6).toString("hex")}`;
  try {
    await buildah(["manifest", "create", list]);
    await buildah(["manifest", "add", list, amd64.id]);
    await buildah(["manifest", "add", list, arm64.id]);
    return await pushWithDigest(
      ["manifest", "push", "--all", "--format", "oci"],
      list,
      ref,
      options.creds,
    );
  } finally {
    await buildahQuietly(["manifest", "rm", list]);
    await buildahQuietly(["rmi", "-f", amd64.id, arm64.id]);
  }
}

interface BuiltImage {
  id: string;
  /** False for the shared base image, which must outlive this push. */
  temporary: boolean;
}

async function buildImage(options: PushImageOptions): Promise<BuiltImage> {
  const configArgs = configArguments(options);
  const customContent = options.content !== undefined && options.content !== DEFAULT_CONTENT;
  if (configArgs.length === 0 && !customContent) return { id: await base(), temporary: false };

  const container = (await buildah(["from", customContent ? "scratch" : await base()])).trim();
  try {
    if (customContent) await copyContent(container, options.content ?? DEFAULT_CONTENT);
    if (configArgs.length > 0) await buildah(["config", ...configArgs, container]);
    const id = (await buildah(["commit", "--rm", "-q", container])).trim();
    return { id, temporary: true };
  } catch (error) {
    await buildahQuietly(["rm", container]);
    throw error;
  }
}

function configArguments(options: PushImageOptions): string[] {
  const args: string[] = [];
  if (options.user !== undefined) args.push("--user", options.user);
  for (const [key, value] of Object.entries(options.labels ?? {})) {
    args.push("--label", `${key}=${value}`);
  }
  if (options.os !== undefined) args.push("--os", options.os);
  if (options.arch !== undefined) args.push("--arch", options.arch);
  return args;
}

function base(): Promise<string> {
  baseImage ??= makeBase();
  return baseImage;
}

async function makeBase(): Promise<string> {
  const container = (await buildah(["from", "scratch"])).trim();
  try {
    await copyContent(container, DEFAULT_CONTENT);
    await buildah(["config", "--os", "linux", "--arch", "amd64", container]);
    const name = `localhost/imagesmith-seed-base-${randomBytes(6).toString("hex")}`;
    return (await buildah(["commit", "--rm", "-q", container, name])).trim();
  } catch (error) {
    await buildahQuietly(["rm", container]);
    throw error;
  }
}

async function copyContent(container: string, content: string): Promise<void> {
  const dir = await workDir();
  const file = join(dir, `hello-${randomBytes(6).toString("hex")}.txt`);
  await writeFile(file, content);
  await buildah(["copy", "-q", container, file, "/hello.txt"]);
}

async function pushWithDigest(
  command: string[],
  source: string,
  ref: string,
  creds: { username: string; password: string } | undefined,
): Promise<string> {
  const digestFile = join(await workDir(), `digest-${randomBytes(6).toString("hex")}`);
  const credArgs = creds ? ["--creds", `${creds.username}:${creds.password}`] : [];
  await buildah([
    ...command,
    "--tls-verify=false",
    "--digestfile",
    digestFile,
    ...credArgs,
    source,
    `docker://${ref}`,
  ]);
  return (await readFile(digestFile, "utf8")).trim();
}

async function workDir(): Promise<string> {
  const existing = workDirs[0];
  if (existing !== undefined) return existing;
  const dir = await mkdtemp(join(tmpdir(), "imagesmith-seed-"));
  workDirs.push(dir);
  return dir;
}

async function buildah(args: string[]): Promise<string> {
  try {
    const { stdout } = await run("buildah", args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    // argv may hold --creds: name only the subcommand, and keep the execFile error (whose message
    // repeats the command line) out of the thrown one.
    throw new Error(`buildah ${args[0] ?? ""} failed: ${stderr?.trim() ?? "no stderr"}`);
  }
}

async function buildahQuietly(args: string[]): Promise<void> {
  try {
    await run("buildah", args);
  } catch {
    // Cleanup only: a leftover throwaway image must not fail the test that made it.
  }
}
