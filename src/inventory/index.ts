/**
 * What is installed in an image, read from its filesystem (an unpacked or mounted root), never by
 * running a package manager inside it: Debian packages from the dpkg status database, Python
 * distributions from `*.dist-info/METADATA` and `*.egg-info/PKG-INFO`, conda packages from
 * `conda-meta/*.json`.
 *
 * The image is untrusted input: every file is read with a size cap, without following a symlink
 * out of the root, and a database that is too large or malformed is reported as a problem of the
 * inventory, never a crash. Issue 13 builds verify, the SBOM and the plan's package delta on this;
 * the caller that mounts an image's filesystem comes with them.
 */
import type { Dirent } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { readRegularFile } from "./rootfs.js";

export type PackageManagerName = "apt" | "pip" | "conda";

export interface InstalledPackage {
  manager: PackageManagerName;
  name: string;
  version: string;
  /** apt: the architecture; conda: the build string. */
  detail?: string;
  /** conda: the channel it came from. */
  channel?: string;
}

export interface Inventory {
  packages: InstalledPackage[];
  /** What could not be read, one line each: "var/lib/dpkg/status: larger than 64 MiB, not read". */
  problems: string[];
}

/** Larger files are not read: a real dpkg status of a big image is a few MB. */
export const MAX_DATABASE_BYTES = 64 * 1024 * 1024;
const MAX_METADATA_BYTES = 1024 * 1024;
/** Where Python distributions and conda environments are looked for, below the root. */
const PYTHON_LIBS = ["usr/lib", "usr/local/lib", "opt/conda/lib"];
const CONDA_PREFIXES = ["opt/conda", "usr/local", "root/miniconda3", "opt/miniconda3"];
const MAX_ENTRIES = 100_000;

/** Reads every package database under `root`. */
export async function readInventory(root: string): Promise<Inventory> {
  const inventory: Inventory = { packages: [], problems: [] };
  const status = await readCapped(root, "var/lib/dpkg/status", MAX_DATABASE_BYTES, inventory);
  if (status !== undefined) {
    const parsed = parseDpkgStatus(status);
    inventory.packages.push(...parsed.packages);
    inventory.problems.push(...parsed.problems.map((p) => `var/lib/dpkg/status: ${p}`));
  }
  for (const lib of PYTHON_LIBS) {
    for (const python of await listDirs(root, lib, /^python3(?:\.\d+)?$/)) {
      for (const folder of ["site-packages", "dist-packages"]) {
        const site = `${lib}/${python}/${folder}`;
        for (const entry of await listDirs(root, site, /\.(?:dist|egg)-info$/)) {
          const file = `${site}/${entry}/${entry.endsWith(".dist-info") ? "METADATA" : "PKG-INFO"}`;
          const text = await readCapped(root, file, MAX_METADATA_BYTES, inventory);
          if (text === undefined) continue;
          const found = parsePythonMetadata(text);
          if (found) inventory.packages.push({ manager: "pip", ...found });
          else inventory.problems.push(`${file}: no Name and Version`);
        }
      }
    }
  }
  for (const prefix of CONDA_PREFIXES) {
    const meta = `${prefix}/conda-meta`;
    for (const entry of await listFiles(root, meta, /\.json$/)) {
      const text = await readCapped(root, `${meta}/${entry}`, MAX_METADATA_BYTES, inventory);
      if (text === undefined) continue;
      const found = parseCondaMeta(text);
      if (found) inventory.packages.push(found);
      else inventory.problems.push(`${meta}/${entry}: not a conda package record`);
    }
  }
  inventory.packages.sort(
    (a, b) =>
      a.manager.localeCompare(b.manager) ||
      a.name.localeCompare(b.name) ||
      a.version.localeCompare(b.version),
  );
  return inventory;
}

/**
 * The installed packages of a dpkg status file: stanzas separated by blank lines, fields `Name:
 * value` with continuation lines starting with a space. Only stanzas whose Status says
 * "installed" count (not config-files, half-installed or not-installed ones).
 */
export function parseDpkgStatus(text: string): {
  packages: InstalledPackage[];
  problems: string[];
} {
  const packages: InstalledPackage[] = [];
  const problems: string[] = [];
  let line = 1;
  for (const stanza of text.split(/\n[ \t]*\n/)) {
    const startLine = line;
    line += stanza.split("\n").length + 1;
    if (stanza.trim() === "") continue;
    const fields = new Map<string, string>();
    for (const raw of stanza.split("\n")) {
      if (raw.startsWith(" ") || raw.startsWith("\t")) continue;
      const colon = raw.indexOf(":");
      if (colon <= 0) continue;
      fields.set(raw.slice(0, colon).toLowerCase(), raw.slice(colon + 1).trim());
    }
    const name = fields.get("package");
    // "install ok installed": want, flag, status; only the last word "installed" is installed.
    if ((fields.get("status") ?? "").split(/\s+/)[2] !== "installed") continue;
    const version = fields.get("version");
    if (!name || !version) {
      if (problems.length < 10)
        problems.push(`line ${startLine}: an installed entry without Package or Version`);
      continue;
    }
    const arch = fields.get("architecture");
    packages.push({ manager: "apt", name, version, ...(arch ? { detail: arch } : {}) });
    if (packages.length >= MAX_ENTRIES) {
      problems.push(`more than ${MAX_ENTRIES} packages: the rest is not read`);
      break;
    }
  }
  return { packages, problems };
}

/** Name and Version from a distribution's METADATA or PKG-INFO (RFC 822 style headers). */
export function parsePythonMetadata(text: string): { name: string; version: string } | undefined {
  let name: string | undefined;
  let version: string | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line === "") break; // the headers end; the description follows
    const match = /^(Name|Version):\s*(.*)$/i.exec(line);
    if (!match) continue;
    if (match[1]?.toLowerCase() === "name") name ??= match[2]?.trim();
    else version ??= match[2]?.trim();
  }
  return name && version ? { name, version } : undefined;
}

/** A conda-meta record: name, version, build, channel. */
export function parseCondaMeta(text: string): InstalledPackage | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null) return undefined;
  const record = data as Record<string, unknown>;
  if (typeof record.name !== "string" || typeof record.version !== "string") return undefined;
  return {
    manager: "conda",
    name: record.name,
    version: record.version,
    ...(typeof record.build === "string" ? { detail: record.build } : {}),
    ...(typeof record.channel === "string" ? { channel: record.channel } : {}),
  };
}

/**
 * A file below `root`, read only when it is a regular file of at most `max` bytes and no symlink
 * stands on its path (the image could point one at the host's files). Undefined when it is not
 * there; a problem when it is there but not readable so.
 */
async function readCapped(
  root: string,
  file: string,
  max: number,
  inventory: Inventory,
): Promise<string | undefined> {
  if (!(await insideRoot(root, file))) return undefined;
  const path = join(root, file);
  const info = await lstat(path).catch(() => undefined);
  if (!info) return undefined;
  const text = await readRegularFile(path, max);
  if (text === undefined) inventory.problems.push(`${file}: not a regular file, not read`);
  if (text === "too-large")
    inventory.problems.push(`${file}: larger than ${Math.round(max / 1024 / 1024)} MiB, not read`);
  return text === "too-large" ? undefined : text;
}

/** Whether every folder on the way to `file` is a real folder (no symlink) below root. */
async function insideRoot(root: string, file: string): Promise<boolean> {
  const parts = file.split("/").slice(0, -1);
  let path = root;
  for (const part of parts) {
    path = join(path, part);
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isDirectory()) return false;
  }
  return !relative(root, join(root, file)).startsWith("..");
}

async function listDirs(root: string, folder: string, pattern: RegExp): Promise<string[]> {
  return list(root, folder, pattern, (entry) => entry.isDirectory());
}

async function listFiles(root: string, folder: string, pattern: RegExp): Promise<string[]> {
  return list(root, folder, pattern, (entry) => entry.isFile());
}

async function list(
  root: string,
  folder: string,
  pattern: RegExp,
  keep: (entry: Dirent) => boolean,
): Promise<string[]> {
  if (!(await insideRoot(root, `${folder}/x`))) return [];
  const entries = await readdir(join(root, folder), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => keep(entry) && pattern.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .slice(0, MAX_ENTRIES);
}
