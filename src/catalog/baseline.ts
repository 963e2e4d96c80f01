/**
 * The baseline: the published catalog a plan is a diff against, and what a publish must find still
 * in place. It is read from the registry (the artifact the platform syncs), never from the
 * checkout: a local `.imagesmith/catalog.json` may be stale, or written by a pull request.
 */
import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";
import type { CatalogConfig } from "../model.js";
import { type Registry, RegistryError } from "../registry/types.js";
import { catalogArtifactRepository, LATEST_TAG, pullCatalogArtifact } from "./artifact.js";
import { validateCatalogDocument } from "./document.js";
import type { PublishedCatalog } from "./types.js";

/**
 * How HEAD relates to the commit the published catalog was made from: the same commit, a newer
 * one (`ancestor`: HEAD contains it), one that does not contain it (a stale or diverged checkout),
 * or `unknown` (the commit is not in this checkout: a shallow clone, or another repository).
 */
export type History = "same" | "ancestor" | "not-ancestor" | "unknown";

export interface Baseline {
  /**
   * registry: the catalog artifact (the truth); file: a catalog given with `--previous` (a review
   * against a file, never published from); none: no registry is configured, so nothing is
   * published anywhere and every image is new.
   */
  from: "registry" | "file" | "none";
  /** registry: `<registry>/imagesmith-catalog:latest`; file: the path. */
  ref?: string;
  /** registry: the digest of the artifact manifest read; absent when nothing is published yet. */
  digest?: string;
  /** What the published catalog says of itself. */
  commit?: string;
  repo?: string;
  generatedAt?: string;
  /** How many images it serves. */
  images?: number;
  /** Why the published catalog could not be read: the plan then compares with nothing. */
  error?: string;
  /** Filled in by the pipeline from git, when both commits are known. */
  history?: History;
}

export interface BaselineRead {
  baseline: Baseline;
  /** The published catalog; undefined when nothing is published or it could not be read. */
  catalog?: PublishedCatalog;
}

/**
 * The published catalog of `config`: `<registry>/imagesmith-catalog:latest` read and checked
 * against the schema. Nothing published yet (404) is a baseline with no digest; any other failure
 * (unreachable, denied, not a catalog) is a baseline with an `error`, which the plan shows and a
 * publish refuses.
 */
export async function readBaseline(
  registry: Registry,
  config: CatalogConfig,
): Promise<BaselineRead> {
  if (!config.registry) return { baseline: { from: "none" } };
  const ref = `${catalogArtifactRepository(config)}:${LATEST_TAG}`;
  try {
    const pulled = await pullCatalogArtifact(registry, ref);
    return {
      baseline: describe({ from: "registry", ref, digest: pulled.digest }, pulled.catalog),
      catalog: pulled.catalog,
    };
  } catch (error) {
    if (error instanceof RegistryError && error.code === "not-found")
      return { baseline: { from: "registry", ref } };
    return {
      baseline: { from: "registry", ref, error: (error as Error).message ?? String(error) },
    };
  }
}

/** A catalog file given in place of the published one (`plan --previous FILE`): for review only. */
export async function readBaselineFile(path: string): Promise<BaselineRead> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InputError(`cannot read the previous catalog ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`the previous catalog ${path} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const problems = validateCatalogDocument(data);
  if (problems.length > 0)
    throw new InputError(
      `the previous catalog ${path} does not match schemas/catalog.schema.json:\n  ${problems.join("\n  ")}`,
    );
  const catalog = data as PublishedCatalog;
  return { baseline: describe({ from: "file", ref: path }, catalog), catalog };
}

function describe(baseline: Baseline, catalog: PublishedCatalog): Baseline {
  const described: Baseline = { ...baseline, images: catalog.images.length };
  if (catalog.source.commit) described.commit = catalog.source.commit;
  if (catalog.source.repo) described.repo = catalog.source.repo;
  if (catalog.generatedAt) described.generatedAt = catalog.generatedAt;
  return described;
}

/**
 * Why publishing over `baseline` from definitions read at `source` could lose what the platform
 * serves, in words that say what to do; undefined when it is safe. `--force-publish` overrides.
 */
export function publishRefusal(
  baseline: Baseline,
  source: { repo?: string; commit?: string },
): string | undefined {
  const force = "(or publish with --force-publish to replace it anyway)";
  if (baseline.from === "file")
    return `the plan was compared with the file ${baseline.ref}, not with the published catalog: plan again without --previous`;
  if (baseline.error !== undefined)
    return `the published catalog ${baseline.ref} could not be read (${baseline.error}), so this publish cannot keep what it serves: fix the registry access and plan again; if nothing has ever been published there and the registry refuses to say so, publish once with --force-publish`;
  if (baseline.commit === undefined) return undefined;
  const published = `the published catalog was made from commit ${baseline.commit}`;
  if (baseline.repo && source.repo && normalRepo(baseline.repo) !== normalRepo(source.repo))
    return `${published} of ${baseline.repo}, not of this repository (${source.repo}): two catalogs share the registry prefix ${baseline.ref ?? ""}; give each catalog its own registry in imagesmith.yaml ${force}`;
  if (source.commit === undefined)
    return `${published}, and this folder is not a git checkout, so nothing shows that it is newer: publish from a clone of the catalog repository ${force}`;
  switch (baseline.history) {
    case "same":
    case "ancestor":
    case undefined:
      return undefined;
    case "not-ancestor":
      return `${published}, which HEAD (${source.commit}) does not contain: this checkout is stale or has diverged, and publishing from it would undo what was published since; update it and plan again ${force}`;
    case "unknown":
      return `${published}, which this checkout does not have, so nothing shows that HEAD (${source.commit}) is newer: fetch and update the checkout (a CI checkout needs the history: fetch-depth: 0) and plan again ${force}`;
  }
}

/** Repository URLs compare without case, a trailing `.git` or `/`. */
function normalRepo(url: string): string {
  return url
    .toLowerCase()
    .replace(/\.git$/, "")
    .replace(/\/+$/, "");
}
