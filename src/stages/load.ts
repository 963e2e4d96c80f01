import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Problem } from "../model.js";
import { parseYamlFile } from "../source/yaml-file.js";
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
 * Reads a catalog folder: `imagesmith.yaml` and every definition under `images/`. Files in places
 * where a definition is never looked for become problems, so nothing a person wrote is silently
 * ignored.
 */
export async function loadCatalog(root: string): Promise<CatalogSources> {
  const problems: Problem[] = [];
  const found: Found[] = [];
  await walkImages(root, problems, found);

  const configBytes = await readOptional(join(root, CONFIG_FILE));
  if (
    configBytes === undefined &&
    (await readOptional(join(root, "imagesmith.yml"))) !== undefined
  ) {
    problems.push(
      wholeFile(
        "imagesmith.yml",
        "file-extension",
        `rename imagesmith.yml to ${CONFIG_FILE}; it is read under that name only`,
      ),
    );
  }
  const config = configBytes === undefined ? undefined : parseYamlFile(CONFIG_FILE, configBytes);
  if (config) problems.push(...config.problems);

  // Synchronous reads: definitions are small, and for thousands of small files one thread reading
  // in a loop beats a round trip through the libuv pool per file several times over.
  const definitions: DefinitionFile[] = [];
  for (const entry of found) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(root, entry.file));
    } catch (error) {
      problems.push(
        wholeFile(entry.file, "file-read", `cannot read the file: ${(error as Error).message}`),
      );
      continue;
    }
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

async function walkImages(root: string, problems: Problem[], found: Found[]): Promise<void> {
  const top = await listDir(join(root, IMAGES_DIR));
  if (top === undefined) {
    problems.push(
      wholeFile(
        IMAGES_DIR,
        "catalog-layout",
        `no ${IMAGES_DIR}/ folder in ${root}: definitions live in images/<name>.yaml and images/groups/<group>/<name>.yaml`,
      ),
    );
    return;
  }
  for (const entry of top) {
    const file = `${IMAGES_DIR}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name === GROUPS_DIR) await walkGroups(root, problems, found);
      else await reportStray(root, file, problems);
    } else if (isDefinitionFile(entry.name, file, problems)) {
      found.push({ file, system: true });
    }
  }
}

async function walkGroups(root: string, problems: Problem[], found: Found[]): Promise<void> {
  const groupsDir = `${IMAGES_DIR}/${GROUPS_DIR}`;
  for (const group of (await listDir(join(root, groupsDir))) ?? []) {
    const folder = `${groupsDir}/${group.name}`;
    if (!group.isDirectory()) {
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
    for (const entry of (await listDir(join(root, folder))) ?? []) {
      const file = `${folder}/${entry.name}`;
      if (entry.isDirectory()) await reportStray(root, file, problems);
      else if (isDefinitionFile(entry.name, file, problems))
        found.push({ file, system: false, groupName: group.name });
    }
  }
}

/** YAML files in folders no definition is read from are reported, never silently skipped. */
async function reportStray(root: string, folder: string, problems: Problem[]): Promise<void> {
  for (const entry of (await listDir(join(root, folder))) ?? []) {
    const file = `${folder}/${entry.name}`;
    if (entry.isDirectory()) await reportStray(root, file, problems);
    else if (isYaml(entry.name)) {
      problems.push(
        wholeFile(
          file,
          "catalog-layout",
          `not loaded: definitions live in ${IMAGES_DIR}/<name>.yaml (system images) or ${IMAGES_DIR}/${GROUPS_DIR}/<group>/<name>.yaml (group images)`,
        ),
      );
    }
  }
}

function isDefinitionFile(name: string, file: string, problems: Problem[]): boolean {
  if (name.startsWith(".")) return false;
  if (name.endsWith(".yaml")) return true;
  if (name.endsWith(".yml")) {
    problems.push(
      wholeFile(
        file,
        "file-extension",
        `not loaded: rename it to ${name.slice(0, -4)}.yaml; definitions are read from .yaml files`,
      ),
    );
  }
  return false;
}

function isYaml(name: string): boolean {
  return !name.startsWith(".") && /\.ya?ml$/.test(name);
}

function wholeFile(file: string, rule: string, message: string): Problem {
  return { file, line: 1, column: 1, rule, message, severity: "error", pointer: "" };
}

async function listDir(path: string) {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
