/**
 * Writing files when the checkout may be hostile. A pull request can commit symlinks anywhere,
 * `.imagesmith/` included, so every folder imagesmith writes into below a boundary (the catalog
 * root) is checked, component by component, to be a real folder and never a symlink; files are
 * written to a fresh temporary name and renamed into place, which replaces a symlink standing
 * there instead of writing through it.
 */
import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { InputError } from "./errors.js";

export interface WriteOptions {
  /** A folder the file is written inside: every folder between it and the file is a real one. */
  within?: string;
}

/**
 * `within/dir`, made when missing, with every folder from `within` down checked to be a real
 * folder: an InputError naming the one that is a symlink (or a file) instead.
 */
export async function ownDirectory(within: string, dir: string): Promise<string> {
  const rel = relative(within, dir);
  if (rel.startsWith("..") || isAbsolute(rel))
    throw new InputError(`refusing to write ${dir}: it is outside ${within}`);
  let current = within;
  for (const segment of rel.split(sep).filter(Boolean)) {
    current = join(current, segment);
    let info = await lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (info === undefined) {
      await mkdir(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
      info = await lstat(current);
    }
    if (info.isSymbolicLink() || !info.isDirectory())
      throw new InputError(
        `refusing to write into ${relative(within, current) || current}: it is ${info.isSymbolicLink() ? "a symlink" : "not a folder"}, and imagesmith writes only into folders of its own; remove it (a checkout never needs to hold it)`,
      );
  }
  return current;
}

/**
 * Writes a file so that a reader sees the old bytes or the new ones, never a half-written file: a
 * private temporary file in the same folder, synced, then renamed over the target (a symlink at
 * the target is replaced, never written through).
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  options: WriteOptions = {},
): Promise<void> {
  const folder = dirname(path);
  if (options.within === undefined) await mkdir(folder, { recursive: true });
  else await ownDirectory(options.within, folder);
  // Dot-prefixed and unique per writer: never mistaken for the file, never shared by two runs.
  const temp = join(
    folder,
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
  );
  try {
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/**
 * Makes a file about to be opened for writing safe to open: its folders real ones below `within`,
 * and no symlink standing where the file goes (one is removed: the folder is imagesmith's own).
 */
export async function prepareOwnFile(within: string, path: string): Promise<void> {
  await ownDirectory(within, dirname(path));
  const info = await lstat(path).catch(() => undefined);
  if (info && !info.isFile()) await rm(path, { force: true, recursive: info.isDirectory() });
}

/** Makes the rename itself durable (POSIX); platforms that cannot open a folder skip it. */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, "r");
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; the rename is as durable as it gets there.
  } finally {
    await handle?.close();
  }
}
