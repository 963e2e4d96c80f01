import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { BaseConfigCache } from "./index.js";

/**
 * Base image configs by digest, kept in one JSON file between runs, outside the checkout (a pull
 * request must not be able to hand the planner a base's user). A digest names its content, so an
 * entry never goes stale; the file only saves the two requests per base that reading a config
 * costs.
 */
export class FileBaseConfigCache implements BaseConfigCache {
  private entries = new Map<string, { user?: string }>();
  private dirty = false;

  private constructor(private readonly path: string | undefined) {}

  /** The cache kept in `path`; with no path, one that lives as long as the process. */
  static async open(path: string | undefined): Promise<FileBaseConfigCache> {
    const cache = new FileBaseConfigCache(path);
    if (path === undefined) return cache;
    try {
      const data = JSON.parse(await readFile(path, "utf8")) as Record<string, { user?: string }>;
      for (const [digest, value] of Object.entries(data)) {
        if (/^sha256:[0-9a-f]{64}$/.test(digest) && value && typeof value === "object")
          cache.entries.set(digest, value);
      }
    } catch {
      // No cache yet, or an unreadable one: start empty; it is only a cache.
    }
    return cache;
  }

  get(digest: string): { user?: string } | undefined {
    return this.entries.get(digest);
  }

  set(digest: string, value: { user?: string }): void {
    this.entries.set(digest, value);
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty || this.path === undefined) return;
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(Object.fromEntries(this.entries)));
    await rename(temporary, this.path);
    this.dirty = false;
  }
}
