import { closeSync, constants, type Dirent, fstatSync, openSync, readSync } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { CONTROL_CHARACTER } from "../grammars/scanner.js";
import type { Problem } from "../model.js";
import { MAX_FILE_BYTES, parseYamlFile } from "../source/yaml-file.js";
import type { CatalogSources, DefinitionFile } from "./validate/index.js";

export const CONFIG_FILE = "imagesmith.yaml";
export const IMAGES_DIR = "images";
export const GROUPS_DIR = "groups";

interface Found {
  file: string;
  system: boolean;
  groupName?: string;
}

/**
 * Everything in a checkout may be hostile (a pull request writes it), so the loader reads only
 * regular files inside the catalog: a definition that is a symlink must resolve to a regular file
 * under `images/`, `imagesmith.yaml` must be a regular file, and FIFOs, devices, sockets and
 * folders named like definitions are reported, never opened. What is refused is named (with any
 * control character in its name escaped) but its content is never read or shown, so a symlink to
 * `.git/config` or `/etc/shadow` leaks nothing, and a read stops at the size limit.
 */
interface Place {
  root: string;
  /** The real path of `<root>/images`, under which every definition must resolve. */
  images: string;
  problems: Problem[];
}

/**
 * Reads a catalog folder: `imagesmith.yaml` and every definition under `images/`. Files in places
 * where a definition is never looked for become problems, so nothing a person wrote is silently
 * ignored.
 */
export async function loadCatalog(root: string): Promise<CatalogSources> {
  const problems: Problem[] = [];
  const found: Found[] = [];
  const place: Place = { root, images: "", problems };
  await walkImages(place, found);

  const config = await readConfig(place);

  // Synchronous reads: definitions are small, and for thousands of small files one thread reading
  // in a loop beats a round trip through the libuv pool per file several times over.
  const definitions: DefinitionFile[] = [];
  for (const entry of found) {
    const bytes = readRegularFile(join(root, entry.file), entry.file, problems);
    if (bytes === undefined) continue;
    definitions.push({
      file: entry.file,
      bytes,
      system: entry.system,
      ...(entry.groupName === undefined ? {} : { groupName: entry.groupName }),
    });
  }

  const sources: CatalogSources = { root, definitions, problems };
  if (config) sources.config = config;
  return sources;
}

async function readConfig(place: Place): Promise<CatalogSources["config"]> {
  const { root, problems } = place;
  const kind = await kindOf(join(root, CONFIG_FILE));
  if (kind === "missing") {
    if ((await kindOf(join(root, "imagesmith.yml"))) !== "missing")
      problems.push(
        wholeFile(
          "imagesmith.yml",
          "file-extension",
          `rename imagesmith.yml to ${CONFIG_FILE}; it is read under that name only`,
        ),
      );
    return undefined;
  }
  if (kind !== "file") {
    problems.push(
      wholeFile(
        CONFIG_FILE,
        "file-type",
        `not read: ${CONFIG_FILE} is ${describeKind(kind)}; make it a regular file`,
      ),
    );
    return undefined;
  }
  const bytes = readRegularFile(join(root, CONFIG_FILE), CONFIG_FILE, problems);
  if (bytes === undefined) return undefined;
  const config = parseYamlFile(CONFIG_FILE, bytes);
  problems.push(...config.problems);
  return config;
}

async function walkImages(place: Place, found: Found[]): Promise<void> {
  const { root, problems } = place;
  const imagesKind = await kindOf(join(root, IMAGES_DIR));
  if (imagesKind !== "directory") {
    problems.push(
      wholeFile(
        IMAGES_DIR,
        "catalog-layout",
        imagesKind === "missing"
          ? `no ${IMAGES_DIR}/ folder in ${root}: definitions live in images/<name>.yaml and images/groups/<group>/<name>.yaml`
          : `not read: ${IMAGES_DIR}/ is ${describeKind(imagesKind)}; make it a folder of the catalog`,
      ),
    );
    return;
  }
  place.images = await realpath(join(root, IMAGES_DIR));
  for (const entry of await listDir(place, IMAGES_DIR)) {
    const file = `${IMAGES_DIR}/${entry.name}`;
    if (entry.kind === "directory") {
      if (isYaml(entry.name)) problems.push(namedLikeADefinition(file));
      if (entry.name === GROUPS_DIR) await walkGroups(place, found);
      else await reportStray(place, file);
    } else if (entry.kind === "symlink-folder") {
      problems.push(notFollowed(file));
    } else if (isDefinitionFile(entry.name, file, entry.kind, problems)) {
      found.push({ file, system: true });
    }
  }
}

async function walkGroups(place: Place, found: Found[]): Promise<void> {
  const { problems } = place;
  const groupsDir = `${IMAGES_DIR}/${GROUPS_DIR}`;
  for (const group of await listDir(place, groupsDir)) {
    const folder = `${groupsDir}/${group.name}`;
    if (group.kind === "symlink-folder") {
      problems.push(notFollowed(folder));
      continue;
    }
    if (group.kind !== "directory") {
      if (isYaml(group.name)) {
        problems.push(
          wholeFile(
            folder,
            "catalog-layout",
            `not loaded: a group image lives in ${groupsDir}/<group>/<name>.yaml; move this file into its group's folder`,
          ),
        );
      }
      continue;
    }
    for (const entry of await listDir(place, folder)) {
      const file = `${folder}/${entry.name}`;
      if (entry.kind === "directory") {
        if (isYaml(entry.name)) problems.push(namedLikeADefinition(file));
        await reportStray(place, file);
      } else if (entry.kind === "symlink-folder") problems.push(notFollowed(file));
      else if (isDefinitionFile(entry.name, file, entry.kind, problems))
        found.push({ file, system: false, groupName: group.name });
    }
  }
}

/** YAML files in folders no definition is read from are reported, never silently skipped. */
async function reportStray(place: Place, folder: string): Promise<void> {
  for (const entry of await listDir(place, folder)) {
    const file = `${folder}/${entry.name}`;
    if (entry.kind === "directory") await reportStray(place, file);
    else if (entry.kind === "symlink-folder") place.problems.push(notFollowed(file));
    else if (isYaml(entry.name)) {
      place.problems.push(
        wholeFile(
          file,
          "catalog-layout",
          `not loaded: definitions live in ${IMAGES_DIR}/<name>.yaml (system images) or ${IMAGES_DIR}/${GROUPS_DIR}/<group>/<name>.yaml (group images)`,
        ),
      );
    }
  }
}

/** What an entry of the catalog is, as the loader will treat it. */
type Kind =
  | "file"
  | "directory"
  | "missing"
  | "symlink-folder"
  | "symlink-outside"
  | "symlink-dangling"
  | "special";

function describeKind(kind: Kind): string {
  switch (kind) {
    case "directory":
      return "a folder";
    case "symlink-folder":
      return "a symlinked folder, which is never followed; move its files here";
    case "symlink-outside":
      return "a symlink to a place outside the catalog's images/ folder";
    case "symlink-dangling":
      return "a symlink to nothing";
    case "special":
      return "not a regular file (a FIFO, a socket or a device)";
    case "file":
    case "missing":
      return "a file";
  }
}

/**
 * An entry as the loader may use it. A symlink counts as what it points to only when that is inside
 * `within` (the real path of images/); a symlinked folder is never followed (no loops, no escapes).
 */
async function kindOf(path: string, within?: string): Promise<Kind> {
  let link;
  try {
    link = await lstat(path);
  } catch (error) {
    if (isMissing(error)) return "missing";
    throw error;
  }
  if (link.isFile()) return "file";
  if (link.isDirectory()) return "directory";
  if (!link.isSymbolicLink()) return "special";
  let target: string;
  try {
    target = await realpath(path);
  } catch {
    return "symlink-dangling";
  }
  const resolved = await stat(target);
  if (resolved.isDirectory()) return "symlink-folder";
  if (within === undefined || !target.startsWith(within + sep)) return "symlink-outside";
  return resolved.isFile() ? "file" : "special";
}

interface Entry {
  name: string;
  kind: Kind;
}

/**
 * The entries of a catalog folder, sorted, each classified. Names with control characters (a line
 * break would forge lines in a CI log) are reported with them escaped and left out.
 */
async function listDir(place: Place, folder: string): Promise<Entry[]> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(join(place.root, folder), { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries: Entry[] = [];
  for (const dirent of dirents) {
    const { name } = dirent;
    if (UNSAFE_NAME.test(name)) {
      place.problems.push(
        wholeFile(
          `${folder}/${escapeName(name)}`,
          "file-name",
          "not read: the name holds a line break or another control character; rename it",
        ),
      );
      continue;
    }
    entries.push({ name, kind: await direntKind(dirent, join(place.root, folder, name), place) });
  }
  return entries;
}

/**
 * The kind of a listed entry: the listing already says what a regular file or a folder is (the
 * same answer an lstat gives), so only symlinks and the rest cost a round trip each. One lstat per
 * definition, in turn, was most of the time a thousand-image catalog took to load.
 */
function direntKind(dirent: Dirent, path: string, place: Place): Kind | Promise<Kind> {
  if (dirent.isFile()) return "file";
  if (dirent.isDirectory()) return "directory";
  return kindOf(path, place.images);
}

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
const UNSAFE_NAME = CONTROL_CHARACTER;

/** A name with its control characters written as escapes (`\n`, `\u0007`), for messages. */
function escapeName(name: string): string {
  return JSON.stringify(name).slice(1, -1);
}

function isDefinitionFile(name: string, file: string, kind: Kind, problems: Problem[]): boolean {
  if (name.startsWith(".")) return false;
  if (!isYaml(name)) return false;
  if (kind !== "file") {
    problems.push(
      wholeFile(
        file,
        "file-type",
        `not read: it is ${describeKind(kind)}; a definition is a regular file`,
      ),
    );
    return false;
  }
  if (name.endsWith(".yaml")) return true;
  problems.push(
    wholeFile(
      file,
      "file-extension",
      `not loaded: rename it to ${name.slice(0, -4)}.yaml; definitions are read from .yaml files`,
    ),
  );
  return false;
}

function isYaml(name: string): boolean {
  return !name.startsWith(".") && /\.ya?ml$/.test(name);
}

/**
 * The bytes of a regular file, read at most to the size limit: opened without blocking (a FIFO
 * swapped in since it was classified cannot hang the run) and checked again once open.
 */
function readRegularFile(path: string, file: string, problems: Problem[]): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    problems.push(wholeFile(file, "file-read", `cannot read the file: ${reason(error)}`));
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      problems.push(wholeFile(file, "file-type", `not read: it is ${describeKind("special")}`));
      return undefined;
    }
    if (info.size > MAX_FILE_BYTES) {
      problems.push(
        wholeFile(
          file,
          "file-size",
          `file is ${info.size} bytes; a definition may be at most ${MAX_FILE_BYTES} bytes. Is this really an image definition?`,
        ),
      );
      return undefined;
    }
    // One byte more than allowed: a file that grew since fstat still shows as too large.
    const buffer = Buffer.alloc(Math.min(info.size, MAX_FILE_BYTES) + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length);
  } catch (error) {
    problems.push(wholeFile(file, "file-read", `cannot read the file: ${reason(error)}`));
    return undefined;
  } finally {
    closeSync(fd);
  }
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ELOOP: "too many levels of symlinks",
  EISDIR: "it is a folder",
};

/** The system's reason ("permission denied (EACCES)"), without the path it names. */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (!code) return error instanceof Error ? error.message : String(error);
  return REASONS[code] ? `${REASONS[code]} (${code})` : code;
}

function namedLikeADefinition(folder: string): Problem {
  return wholeFile(folder, "file-type", "not read: it is a folder, not a definition file");
}

function notFollowed(folder: string): Problem {
  return wholeFile(folder, "file-type", `not read: it is ${describeKind("symlink-folder")}`);
}

function wholeFile(file: string, rule: string, message: string): Problem {
  return { file, line: 1, column: 1, rule, message, severity: "error", pointer: "" };
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
