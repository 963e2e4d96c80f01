#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

// src/errors.ts
var UsageError = class extends Error {
  stage = "usage";
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
};
var InputError = class extends Error {
  stage = "input";
  constructor(message, options) {
    super(message, options);
    this.name = "InputError";
  }
};

// src/workdir.ts
import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
async function ownDirectory(within, dir) {
  const rel = relative(within, dir);
  if (rel.startsWith("..") || isAbsolute(rel))
    throw new InputError(`refusing to write ${dir}: it is outside ${within}`);
  let current = within;
  for (const segment of rel.split(sep).filter(Boolean)) {
    current = join(current, segment);
    let info = await lstat(current).catch((error) => {
      if (error.code === "ENOENT") return void 0;
      throw error;
    });
    if (info === void 0) {
      await mkdir(current).catch((error) => {
        if (error.code !== "EEXIST") throw error;
      });
      info = await lstat(current);
    }
    if (info.isSymbolicLink() || !info.isDirectory())
      throw new InputError(
        `refusing to write into ${relative(within, current) || current}: it is ${info.isSymbolicLink() ? "a symlink" : "not a folder"}, and imagesmith writes only into folders of its own; remove it (a checkout never needs to hold it)`
      );
  }
  return current;
}
async function writeFileAtomic(path, text, options = {}) {
  const folder = dirname(path);
  if (options.within === void 0) await mkdir(folder, { recursive: true });
  else await ownDirectory(options.within, folder);
  const temp = join(
    folder,
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`
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
async function prepareOwnFile(within, path) {
  await ownDirectory(within, dirname(path));
  const info = await lstat(path).catch(() => void 0);
  if (info && !info.isFile()) await rm(path, { force: true, recursive: info.isDirectory() });
}
async function syncFolder(folder) {
  let handle;
  try {
    handle = await open(folder, "r");
    await handle.sync();
  } catch {
  } finally {
    await handle?.close();
  }
}

export {
  UsageError,
  InputError,
  writeFileAtomic,
  prepareOwnFile
};
