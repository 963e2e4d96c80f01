#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import "./chunk-XML4HPHG.js";

// src/stages/plan/base-cache.ts
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
var FileBaseConfigCache = class _FileBaseConfigCache {
  constructor(path) {
    this.path = path;
  }
  path;
  entries = /* @__PURE__ */ new Map();
  dirty = false;
  /** The cache kept in `path`; with no path, one that lives as long as the process. */
  static async open(path) {
    const cache = new _FileBaseConfigCache(path);
    if (path === void 0) return cache;
    try {
      const data = JSON.parse(await readFile(path, "utf8"));
      for (const [digest, value] of Object.entries(data)) {
        if (/^sha256:[0-9a-f]{64}$/.test(digest) && value && typeof value === "object")
          cache.entries.set(digest, value);
      }
    } catch {
    }
    return cache;
  }
  get(digest) {
    return this.entries.get(digest);
  }
  set(digest, value) {
    this.entries.set(digest, value);
    this.dirty = true;
  }
  async save() {
    if (!this.dirty || this.path === void 0) return;
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(Object.fromEntries(this.entries)));
    await rename(temporary, this.path);
    this.dirty = false;
  }
};
export {
  FileBaseConfigCache
};
