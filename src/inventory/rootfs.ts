/**
 * Reading an image's filesystem from the host as the image itself would see it: paths resolved
 * inside its root the way a chroot resolves them, so that a symlink in the image (`/usr/local/cuda
 * -> /usr/local/cuda-12.4`, `/etc/os-release -> ../usr/lib/os-release`) is followed within the
 * image and never out of it. An absolute target starts again at the image's root, and `..` stops
 * there, exactly as inside the image; a chain of links gives up after 40 hops, as Linux does.
 *
 * The image is untrusted: every read is capped, and a path that cannot be resolved is "not there".
 */
import { lstat, open, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";

/** Linux's limit on symlinks followed while resolving one path (ELOOP after it). */
const MAX_HOPS = 40;
const MAX_LISTED = 10_000;

/**
 * The host path of `path` (absolute or relative, as inside the image) with every symlink on it
 * resolved inside `root`; undefined when some part of it does not exist or the links loop.
 */
export async function resolveInRoot(root: string, path: string): Promise<string | undefined> {
  const pending = split(path);
  const resolved: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === "..") {
      resolved.pop();
      continue;
    }
    const host = join(root, ...resolved, part);
    const info = await lstat(host).catch(() => undefined);
    if (!info) return undefined;
    if (!info.isSymbolicLink()) {
      resolved.push(part);
      continue;
    }
    if (++hops > MAX_HOPS) return undefined;
    const target = await readlink(host).catch(() => undefined);
    if (target === undefined) return undefined;
    if (target.startsWith("/")) resolved.length = 0;
    pending.unshift(...split(target));
  }
  return join(root, ...resolved);
}

function split(path: string): string[] {
  return path.split("/").filter((part) => part !== "" && part !== ".");
}

/**
 * A regular file of the image, as text, when it is at most `max` bytes; undefined when it is not
 * there or not a regular file; "too-large" when it is bigger than `max` (it is not read).
 */
export async function readInRoot(
  root: string,
  path: string,
  max: number,
): Promise<string | "too-large" | undefined> {
  const host = await resolveInRoot(root, path);
  return host === undefined ? undefined : readRegularFile(host, max);
}

/**
 * A host path as text when it is a regular file (not a link, not a device) of at most `max` bytes;
 * undefined when it is not there or not a regular file, "too-large" when it is bigger.
 */
export async function readRegularFile(
  path: string,
  max: number,
): Promise<string | "too-large" | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  if (info.size > max) return "too-large";
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(buffer, 0, info.size, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

/** The names in a folder of the image (at most 10,000, sorted); empty when it is not a folder. */
export async function listInRoot(root: string, path: string): Promise<string[]> {
  const host = await resolveInRoot(root, path);
  if (host === undefined) return [];
  const names = await readdir(host).catch(() => [] as string[]);
  return names.sort().slice(0, MAX_LISTED);
}

/** Whether `path` exists in the image (any kind of file, links resolved inside it). */
export async function existsInRoot(root: string, path: string): Promise<boolean> {
  return (await resolveInRoot(root, path)) !== undefined;
}

/** The distribution of the image, from `/etc/os-release` (or `/usr/lib/os-release`). */
export async function readOsRelease(
  root: string,
): Promise<{ id: string; versionId?: string; prettyName?: string } | undefined> {
  for (const file of ["etc/os-release", "usr/lib/os-release"]) {
    const text = await readInRoot(root, file, 64 * 1024);
    if (text === undefined || text === "too-large") continue;
    const fields = new Map<string, string>();
    for (const line of text.split("\n")) {
      const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (match) fields.set(match[1] as string, unquote(match[2] as string));
    }
    const id = fields.get("ID");
    if (!id || !/^[a-z0-9._-]{1,64}$/.test(id)) continue;
    const versionId = fields.get("VERSION_ID");
    const prettyName = fields.get("PRETTY_NAME");
    return {
      id,
      ...(versionId && /^[A-Za-z0-9._~-]{1,64}$/.test(versionId) ? { versionId } : {}),
      ...(prettyName ? { prettyName: prettyName.slice(0, 200) } : {}),
    };
  }
  return undefined;
}

function unquote(value: string): string {
  const match = /^(["'])(.*)\1$/.exec(value);
  return match ? (match[2] as string) : value;
}
