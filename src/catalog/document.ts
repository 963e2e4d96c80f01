/**
 * The catalog as a document: its schema check, its one serialisation (the bytes of the file and of
 * the registry artifact are the same), and reading and writing `catalog.json` safely.
 */
import { readFile } from "node:fs/promises";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { compileSchema } from "../schemas.js";
import catalogSchema from "../../schemas/catalog.schema.json" with { type: "json" };
import { InputError } from "../errors.js";
import { type WriteOptions, writeFileAtomic } from "../workdir.js";
import { PublishError } from "./errors.js";
import type {
  BuildFacts,
  PublishedAttempt,
  PublishedBuild,
  PublishedCatalog,
  PublishedImage,
} from "./types.js";

export { catalogSchema };

function compiled(): ValidateFunction {
  return compileSchema(catalogSchema);
}

/**
 * Checks a catalog document against `schemas/catalog.schema.json`, plus what a schema cannot say
 * (unique names; `urlForGpu` equal to `url` except for universal images). Returns one message per
 * problem, each starting with the JSON pointer of the offending value; empty when it is valid.
 */
export function validateCatalogDocument(data: unknown): string[] {
  const validate = compiled();
  const messages: string[] = [];
  if (!validate(data)) {
    for (const error of validate.errors ?? []) {
      const message = describeError(error);
      if (message !== undefined && !messages.includes(message)) messages.push(message);
    }
    return messages;
  }
  const catalog = data as PublishedCatalog;
  const seen = new Set<string>();
  catalog.images.forEach((image, index) => {
    if (seen.has(image.name))
      messages.push(`/images/${index}/name: ${JSON.stringify(image.name)} appears twice`);
    seen.add(image.name);
    if (image.type !== "universal" && image.urlForGpu !== image.url) {
      messages.push(
        `/images/${index}/urlForGpu: a ${image.type} image serves one image: urlForGpu must equal url`,
      );
    }
    if (image.attempt !== undefined && image.attempt.status !== image.status) {
      messages.push(
        `/images/${index}/attempt/status: the image is ${image.status}, so its latest attempt cannot be ${image.attempt.status}`,
      );
    }
  });
  return messages;
}

/** Words for one ajv error; undefined for errors that only repeat another (a failed `if`). */
function describeError(error: ErrorObject): string | undefined {
  const at = error.instancePath === "" ? "/" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "if":
      return undefined;
    case "additionalProperties":
      return `${at}: unknown field ${JSON.stringify(params.additionalProperty)}`;
    case "required":
      if (error.schemaPath.includes("/allOf/0/"))
        return `${at}: a ready image needs url (the image to pull)`;
      if (error.schemaPath.includes("/allOf/1/"))
        return `${at}: a group image (system: false) needs groupName`;
      return `${at}: ${String(params.missingProperty)} is required`;
    case "not":
      return `${at}: a system image has no groupName`;
    case "dependentRequired":
      return `${at}: url and urlForGpu go together: ${String(params.property)} needs ${String(params.missingProperty)}`;
    case "enum":
      return `${at}: ${JSON.stringify(error.data)} is not one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`;
    case "const":
      return `${at}: must be ${JSON.stringify(params.allowedValue)}`;
    case "pattern": {
      const schema = error.parentSchema as { description?: string } | undefined;
      const expected = schema?.description ?? `a value matching ${String(params.pattern)}`;
      return `${at}: ${JSON.stringify(error.data)} is not ${lowerFirst(expected.replace(/\.$/, ""))}`;
    }
    default:
      return `${at}: ${error.message ?? "is invalid"}`;
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * The catalog's bytes: 2-space JSON with keys in schema order and a final newline. The file and
 * the registry artifact are both exactly this, so equal catalogs are equal bytes.
 */
export function serializeCatalog(catalog: PublishedCatalog): string {
  return `${JSON.stringify(canonicalCatalog(catalog), null, 2)}\n`;
}

/** Whether two catalogs serve the same images, in every field: what publishing one over the other changes. */
export function sameImages(a: PublishedCatalog, b: PublishedCatalog): boolean {
  return JSON.stringify(canonicalCatalog(a).images) === JSON.stringify(canonicalCatalog(b).images);
}

/** The catalog with keys in schema order and absent fields left out (not `undefined`). */
export function canonicalCatalog(catalog: PublishedCatalog): PublishedCatalog {
  const source: PublishedCatalog["source"] = {};
  if (catalog.source.repo !== undefined) source.repo = catalog.source.repo;
  if (catalog.source.commit !== undefined) source.commit = catalog.source.commit;
  return {
    apiVersion: catalog.apiVersion,
    kind: catalog.kind,
    source,
    ...(catalog.generatedAt === undefined ? {} : { generatedAt: catalog.generatedAt }),
    images: catalog.images.map(canonicalImage),
  };
}

/** One image with keys in schema order, absent fields left out. */
export function canonicalImage(image: PublishedImage): PublishedImage {
  const result: Partial<PublishedImage> = {
    name: image.name,
    displayName: image.displayName,
  };
  if (image.description !== undefined) result.description = image.description;
  result.type = image.type;
  if (image.url !== undefined) result.url = image.url;
  if (image.urlForGpu !== undefined) result.urlForGpu = image.urlForGpu;
  if (image.pullSecret !== undefined) result.pullSecret = image.pullSecret;
  result.global = image.global;
  result.groups = [...image.groups];
  result.system = image.system;
  if (image.groupName !== undefined) result.groupName = image.groupName;
  result.status = image.status;
  if (image.message !== undefined) result.message = image.message;
  if (image.from !== undefined)
    result.from = {
      url: image.from.url,
      ...(image.from.urlForGpu === undefined ? {} : { urlForGpu: image.from.urlForGpu }),
    };
  if (image.build !== undefined) result.build = canonicalBuild(image.build);
  if (image.attempt !== undefined) result.attempt = canonicalAttempt(image.attempt);
  return result as PublishedImage;
}

function canonicalAttempt(attempt: PublishedAttempt): PublishedAttempt {
  const result: PublishedAttempt = {
    status: attempt.status,
    recipeHash: attempt.recipeHash,
    at: attempt.at,
  };
  if (attempt.error !== undefined) result.error = attempt.error;
  if (attempt.log !== undefined) result.log = attempt.log;
  if (attempt.logUrl !== undefined) result.logUrl = attempt.logUrl;
  return result;
}

function canonicalBuild(build: PublishedBuild): PublishedBuild {
  const result: Partial<PublishedBuild> = { baseImage: build.baseImage };
  if (build.baseDigest !== undefined) result.baseDigest = build.baseDigest;
  result.packages = {
    apt: [...build.packages.apt],
    conda: [...build.packages.conda],
    pip: [...build.packages.pip],
  };
  if (build.baseUser !== undefined) result.baseUser = build.baseUser;
  if (build.tests !== undefined) result.tests = [...build.tests];
  result.recipeHash = build.recipeHash;
  if (build.builtAt !== undefined) result.builtAt = build.builtAt;
  if (build.log !== undefined) result.log = build.log;
  if (build.logUrl !== undefined) result.logUrl = build.logUrl;
  Object.assign(result, canonicalFacts(build));
  return result as PublishedBuild;
}

/** A build's facts with keys in schema order, absent ones left out. */
export function canonicalFacts(facts: BuildFacts): BuildFacts {
  const result: BuildFacts = {};
  if (facts.size !== undefined) {
    result.size = {};
    if (facts.size.compressed !== undefined) result.size.compressed = facts.size.compressed;
    if (facts.size.unpacked !== undefined) result.size.unpacked = facts.size.unpacked;
  }
  if (facts.installed !== undefined)
    result.installed = {
      apt: facts.installed.apt,
      conda: facts.installed.conda,
      pip: facts.installed.pip,
    };
  if (facts.sbom !== undefined) result.sbom = facts.sbom;
  return result;
}

/**
 * Validates the catalog, then writes it to `path` atomically: a temp file in the same folder,
 * fsynced, renamed over `path`, then the folder fsynced. A platform syncing the file, or a crash
 * mid-write, sees the old catalog or the new one, never half of one.
 */
export async function writeCatalogFile(
  path: string,
  catalog: PublishedCatalog,
  options: WriteOptions = {},
): Promise<void> {
  const text = serializeCatalog(catalog);
  const problems = validateCatalogDocument(JSON.parse(text));
  if (problems.length > 0) {
    throw new PublishError(
      `not writing ${path}: the catalog does not match schemas/catalog.schema.json:\n  ${problems.join("\n  ")}`,
      "invalid-catalog",
    );
  }
  await writeFileAtomic(path, text, options);
}

/**
 * Reads a catalog file: undefined when there is none; an InputError naming the file when it
 * cannot be read, is not JSON, or does not match the schema.
 */
export async function readCatalogFile(path: string): Promise<PublishedCatalog | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new InputError(`cannot read the catalog ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`the catalog ${path} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const problems = validateCatalogDocument(data);
  if (problems.length > 0) {
    throw new InputError(
      `the catalog ${path} does not match schemas/catalog.schema.json (fix it, or delete it to publish afresh):\n  ${problems.join("\n  ")}`,
    );
  }
  return data as PublishedCatalog;
}
