import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { InputError, UsageError } from "./errors.js";
import type { SourceInfo } from "./git.js";
import type { CatalogConfig, Problem } from "./model.js";
import type { PublishedCatalog } from "./published.js";
import type { Registry } from "./registry/types.js";
import { FileBaseConfigCache } from "./stages/plan/base-cache.js";
import { type Plan, planCatalog } from "./stages/plan/index.js";
import { loadCatalog } from "./stages/load.js";
import { definitionFile, type NewImageRequest, renderDefinition } from "./stages/scaffold.js";
import { validateCatalog, type ValidationResult } from "./stages/validate/index.js";

/**
 * The core both doors call. Each exported function is one user-visible job, and reads as the list
 * of stages it runs.
 */

export interface CatalogOptions {
  /** The catalog folder: holds imagesmith.yaml (optional) and images/. */
  root: string;
}

/** load → validate. */
export async function validate(options: CatalogOptions): Promise<ValidationResult> {
  const sources = await loadCatalog(options.root);
  return validateCatalog(sources);
}

export interface NewImageResult {
  /** The file written (or that would have been), relative to the root. */
  file: string;
  written: boolean;
  /** Problems of the new definition (errors mean nothing was written). */
  problems: Problem[];
  /** Set when the file exists already; nothing was written. */
  exists?: boolean;
}

/** render definition → validate it together with the catalog → write it, never over a file. */
export async function newImage(
  options: CatalogOptions & { request: NewImageRequest; dryRun?: boolean },
): Promise<NewImageResult & { text: string }> {
  const { request } = options;
  const file = definitionFile(request.displayName, request.group);
  const text = renderDefinition(request);

  const sources = await loadCatalog(options.root);
  if (sources.definitions.some((d) => d.file === file)) {
    return { file, text, written: false, exists: true, problems: [] };
  }
  const groupName = request.group;
  sources.definitions.push({
    file,
    bytes: Buffer.from(text),
    system: groupName === undefined,
    ...(groupName === undefined ? {} : { groupName }),
  });
  // The catalog's own problems elsewhere are not this command's to report; the new file's are.
  sources.problems = sources.problems.filter((p) => p.file === file);
  const result = validateCatalog(sources);
  const problems = result.problems.filter((p) => p.file === file);
  if (problems.some((p) => p.severity === "error") || options.dryRun) {
    return { file, text, written: false, problems };
  }

  const path = join(options.root, file);
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, text, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return { file, text, written: false, exists: true, problems };
    throw error;
  }
  return { file, text, written: true, problems };
}

/** Where a catalog's working files live: the published catalog, caches, rendered Dockerfiles, logs. */
export const WORK_DIR = ".imagesmith";
export const PUBLISHED_CATALOG = `${WORK_DIR}/catalog.json`;

export interface PlanOptions extends CatalogOptions {
  /** The registry port, made once the catalog's config is known. */
  registry: (config: CatalogConfig) => Registry | Promise<Registry>;
  /** The previously published catalog; default `<root>/.imagesmith/catalog.json` when it exists. */
  previous?: string;
  force?: readonly string[];
  /** Where the definitions come from; a promise so reading git can overlap validation. */
  source?: SourceInfo | Promise<SourceInfo>;
}

export interface PlanResult {
  validation: ValidationResult;
  /** Absent when the catalog is invalid. */
  plan?: Plan;
}

/** load → validate → plan (registry diff, render, recipe hashes). */
export async function plan(options: PlanOptions): Promise<PlanResult> {
  const validation = await validate(options);
  if (!validation.valid) return { validation };
  const { catalog } = validation;
  const names = new Set(catalog.images.map((image) => image.name));
  const unknown = (options.force ?? []).filter((name) => !names.has(name));
  if (unknown.length > 0) {
    throw new UsageError(`--force ${unknown.join(", ")}: no such image in the catalog`);
  }
  const previous = await readPrevious(options);
  const baseConfigs = await FileBaseConfigCache.open(
    join(options.root, WORK_DIR, "cache", "base-configs.json"),
  );
  const result = await planCatalog({
    catalog,
    registry: await options.registry(catalog.config),
    ...(previous ? { previous } : {}),
    force: options.force ?? [],
    source: (await options.source) ?? {},
    baseConfigs,
  });
  await baseConfigs.save().catch(() => undefined);
  return { validation, plan: result };
}

async function readPrevious(options: PlanOptions): Promise<PublishedCatalog | undefined> {
  const path = options.previous ?? join(options.root, PUBLISHED_CATALOG);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (options.previous === undefined && (error as NodeJS.ErrnoException).code === "ENOENT")
      return undefined;
    throw new InputError(`cannot read the previous catalog ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const data = JSON.parse(text) as PublishedCatalog;
    if (data?.kind !== "ImageCatalog" || !Array.isArray(data.images)) {
      throw new Error('it is not an imagesmith catalog (kind "ImageCatalog" with images)');
    }
    return data;
  } catch (error) {
    throw new InputError(
      `the previous catalog ${path} cannot be used: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** plan → write `<out>/<name>/Dockerfile` for every built image. Returns the files written. */
export async function render(
  options: PlanOptions & { out?: string },
): Promise<PlanResult & { files: string[] }> {
  const result = await plan(options);
  const files: string[] = [];
  if (!result.plan) return { ...result, files };
  const out = options.out ?? join(options.root, WORK_DIR, "render");
  for (const entry of result.plan.images) {
    if (!entry.dockerfile) continue;
    const file = join(out, entry.name, "Dockerfile");
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, entry.dockerfile);
    files.push(file);
  }
  return { ...result, files };
}
