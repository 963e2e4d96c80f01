import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Problem } from "./model.js";
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
