/**
 * The catalog as an OCI artifact, so that a platform can pull it from the registry it already
 * pulls images from (`oras pull <registry>/imagesmith-catalog:latest` works too): an OCI image
 * manifest whose `artifactType` names the catalog, with the empty config and one layer holding
 * `catalog.json`, byte for byte the file `writeCatalogFile` writes.
 */
import { CancelledError, sleep } from "../backoff.js";
import { type ImageReference, parseImageReference } from "../grammars/image-ref.js";
import type { CatalogConfig } from "../model.js";
import {
  artifactManifest,
  OCI_MANIFEST_MEDIA_TYPE,
  pushArtifactBlobs,
  sha256,
} from "../registry/artifact.js";
import { type Registry, RegistryError } from "../registry/types.js";
import { serializeCatalog, validateCatalogDocument } from "./document.js";
import { PublishError } from "./errors.js";
import type { PublishedCatalog } from "./types.js";

/** The media type of the catalog: the artifact's `artifactType` and its layer's `mediaType`. */
export const CATALOG_MEDIA_TYPE = "application/vnd.imagesmith.catalog.v1+json";
export { OCI_EMPTY_MEDIA_TYPE, OCI_MANIFEST_MEDIA_TYPE } from "../registry/artifact.js";

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/** The tag platforms pull, and the one every publish compares and swaps. */
export const LATEST_TAG = "latest";

/** Where a catalog's artifact lives: `<registry>/imagesmith-catalog` (`<registry>-catalog` in one repository). */
export function catalogArtifactRepository(config: CatalogConfig): string {
  return config.singleRepository
    ? `${config.registry}-catalog`
    : `${config.registry}/imagesmith-catalog`;
}

/** The tags a publish moves: `latest`, and the commit the definitions were read at. */
export function catalogTags(source: { commit?: string }): string[] {
  return source.commit ? [LATEST_TAG, source.commit] : [LATEST_TAG];
}

/**
 * Compare-and-swap for `pushCatalogArtifact`: the digest `latest` must still have when the tag is
 * moved (undefined: nothing may be published yet).
 */
export interface CatalogSwap {
  expected: string | undefined;
  /** Move `latest` whatever it holds (`--force-publish`). */
  force?: boolean;
  /**
   * How long to wait after moving `latest` before reading it back (default SETTLE_MS): long enough
   * for a publish that checked just before this one moved the tag to have landed its own move, so
   * that of two overlapping publishes exactly one succeeds and the other says it was replaced.
   */
  settleMs?: number;
  /**
   * The run's cancel. Before `latest` moves, a cancel stops the publish (nothing is served from
   * it); once it has moved the publish has committed, and a cancel only cuts the read-back short.
   */
  signal?: AbortSignal;
}

/** See CatalogSwap.settleMs: far more than one tag PUT takes, short next to a build. */
export const SETTLE_MS = 1000;

/**
 * Pushes the catalog to `repositoryRef` (`<registry>/imagesmith-catalog`; a tag or digest in it is
 * ignored): both blobs once (skipped when the registry has them), the manifest by digest, then the
 * manifest under each tag (`latest` first, then the commit). Resolves to the manifest digest.
 *
 * With `swap`, `latest` is compared and swapped: just before it moves, the registry is asked what
 * it holds, and when that is not `swap.expected` nothing is tagged (a PublishError "catalog-moved"
 * says who published since). The OCI distribution API has no conditional PUT, so two publishes
 * that check at the same moment both move the tag; after a settle time each reads it back, and the
 * one whose catalog is not there fails saying it was replaced. A publish that succeeds is the one
 * served; one that was overwritten never claims otherwise.
 */
export async function pushCatalogArtifact(
  registry: Registry,
  repositoryRef: string,
  tags: readonly string[],
  catalog: PublishedCatalog,
  swap?: CatalogSwap,
): Promise<string> {
  const repository = parseReference(repositoryRef);
  const shown = `${repository.domain}/${repository.path}`;
  const layerBytes = new TextEncoder().encode(serializeCatalog(catalog));
  const problems = validateCatalogDocument(JSON.parse(new TextDecoder().decode(layerBytes)));
  if (problems.length > 0) {
    throw new PublishError(
      `not pushing the catalog to ${shown}: it does not match schemas/catalog.schema.json:\n  ${problems.join("\n  ")}`,
      "invalid-catalog",
    );
  }
  const manifest = catalogManifest(catalog, layerBytes);
  const target = { ...repository, tag: undefined, digest: undefined };
  const moved = async (): Promise<void> => {
    if (!swap || swap.force) return;
    const now = await publishedDigest(registry, target);
    if (now !== swap.expected && now !== sha256(manifest))
      throw await movedError(registry, target, swap.expected, now, "before");
  };
  return withContext(`pushing the catalog to ${shown}`, async () => {
    // Checked before anything is uploaded, and again just before the tag moves.
    await moved();
    await pushArtifactBlobs(registry, target, layerBytes);
    // By digest first: the content is in place before any tag moves to it.
    const { digest } = await registry.pushManifest(
      { ...target, digest: sha256(manifest) },
      manifest,
      OCI_MANIFEST_MEDIA_TYPE,
    );
    const ordered = [...new Set([...(swap ? [LATEST_TAG] : []), ...tags])];
    let committed = false;
    for (const tag of ordered) {
      if (tag === LATEST_TAG) {
        await moved();
        if (swap?.signal?.aborted)
          throw new CancelledError("cancelled before the catalog was tagged latest");
      }
      try {
        await registry.pushManifest({ ...target, tag }, manifest, OCI_MANIFEST_MEDIA_TYPE);
        if (swap && tag === LATEST_TAG) {
          // Committed: `latest` is this catalog. A cancel from here on only cuts the rest short.
          committed = true;
          await sleep(swap.settleMs ?? SETTLE_MS, swap.signal);
          const after = await publishedDigest(registry, target);
          if (after !== digest) throw await movedError(registry, target, digest, after, "after");
        }
      } catch (error) {
        if (committed && swap?.signal?.aborted) return digest;
        throw error;
      }
    }
    return digest;
  });
}

/** The digest `<repository>:latest` has now (computed from the manifest's bytes), undefined when there is none. */
export async function publishedDigest(
  registry: Registry,
  repository: ImageReference,
): Promise<string | undefined> {
  try {
    return (await registry.getManifest({ ...repository, tag: LATEST_TAG, digest: undefined }))
      .digest;
  } catch (error) {
    if (error instanceof RegistryError && error.code === "not-found") return undefined;
    throw error;
  }
}

/**
 * Why `latest` is not what this publish needs: moved since the plan read it (`before`: nothing was
 * tagged), or replaced by another publish right after this one moved it (`after`).
 */
async function movedError(
  registry: Registry,
  repository: ImageReference,
  expected: string | undefined,
  now: string | undefined,
  phase: "before" | "after",
): Promise<PublishError> {
  let who = "";
  if (now !== undefined) {
    const manifest = await registry
      .getManifest({ ...repository, tag: undefined, digest: now })
      .catch(() => undefined);
    const annotations = manifest ? manifestAnnotations(manifest.body) : {};
    const commit = annotations["org.opencontainers.image.revision"];
    const created = annotations["org.opencontainers.image.created"];
    const parts = [commit ? `commit ${commit}` : "", created ? `made at ${created}` : ""].filter(
      Boolean,
    );
    if (parts.length > 0) who = ` (${parts.join(", ")})`;
  }
  const is = now === undefined ? "now nothing is published" : `it is now ${now}${who}`;
  const again =
    "Plan again from an up-to-date checkout (or publish with --force-publish to replace it anyway)";
  if (phase === "before") {
    const was = expected === undefined ? "nothing was published" : `it was ${expected}`;
    return new PublishError(
      `the published catalog moved since the plan read it: ${was}, ${is}. Another run published in between, so nothing was tagged. ${again}`,
      "catalog-moved",
    );
  }
  return new PublishError(
    `the published catalog moved while this publish moved it: another run replaced this catalog (${expected ?? ""}) at once, and ${is}. This run's catalog is not served. ${again}`,
    "catalog-moved",
  );
}

function manifestAnnotations(body: Uint8Array): Record<string, string> {
  try {
    const data: unknown = JSON.parse(new TextDecoder().decode(body));
    if (isRecord(data) && isRecord(data.annotations)) {
      const result: Record<string, string> = {};
      for (const [key, value] of Object.entries(data.annotations))
        if (typeof value === "string") result[key] = value;
      return result;
    }
  } catch {
    // Not JSON: no annotations to quote.
  }
  return {};
}

/**
 * The artifact's manifest bytes. Deterministic: the same catalog always gives the same manifest,
 * so pushing an unchanged catalog moves no tag to a new digest.
 */
export function catalogManifest(catalog: PublishedCatalog, layerBytes: Uint8Array): Uint8Array {
  const annotations: Record<string, string> = {};
  if (catalog.generatedAt !== undefined)
    annotations["org.opencontainers.image.created"] = catalog.generatedAt;
  if (catalog.source.commit !== undefined)
    annotations["org.opencontainers.image.revision"] = catalog.source.commit;
  if (catalog.source.repo !== undefined)
    annotations["org.opencontainers.image.source"] = catalog.source.repo;
  return artifactManifest({
    artifactType: CATALOG_MEDIA_TYPE,
    layer: {
      mediaType: CATALOG_MEDIA_TYPE,
      digest: sha256(layerBytes),
      size: layerBytes.length,
      title: "catalog.json",
    },
    annotations,
  });
}

/** A catalog read from the registry, with the digest of the manifest it was read through. */
export interface PulledCatalog {
  catalog: PublishedCatalog;
  /** `sha256:...` of the artifact's manifest bytes: what a compare-and-swap compares. */
  digest: string;
}

/**
 * Reads a catalog artifact back: resolves `ref` (`<registry>/imagesmith-catalog:latest`, a commit
 * tag, or `@sha256:...`) to its manifest, takes the layer of the catalog media type, GETs it
 * (checked against its digest and size) and validates it against the catalog schema.
 */
export async function pullCatalogArtifact(registry: Registry, ref: string): Promise<PulledCatalog> {
  const reference = parseReference(ref);
  const what = `pulling the catalog ${ref}`;
  const manifest = await withContext(what, () => registry.getManifest(reference));
  const layer = catalogLayer(manifest.body, manifest.mediaType, what);
  const bytes = await withContext(what, () => registry.getBlob(reference, layer.digest));
  if (bytes.length !== layer.size) {
    throw new PublishError(
      `${what}: the catalog layer has ${bytes.length} bytes, its manifest says ${layer.size}`,
      "invalid-artifact",
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new PublishError(`${what}: the catalog layer is not JSON`, "invalid-artifact", {
      cause: error,
    });
  }
  const problems = validateCatalogDocument(data);
  if (problems.length > 0) {
    throw new PublishError(
      `${what}: it does not match schemas/catalog.schema.json:\n  ${problems.join("\n  ")}`,
      "invalid-artifact",
    );
  }
  return { catalog: data as PublishedCatalog, digest: manifest.digest };
}

/** The descriptor of the catalog layer, or an error saying what the manifest is instead. */
function catalogLayer(body: Uint8Array, mediaType: string, what: string): Descriptor {
  if (mediaType !== OCI_MANIFEST_MEDIA_TYPE) {
    throw new PublishError(
      `${what}: it is a ${mediaType || "manifest of unknown type"}, not a catalog artifact (an OCI image manifest)`,
      "invalid-artifact",
    );
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(new TextDecoder().decode(body));
  } catch (error) {
    throw new PublishError(`${what}: the manifest is not JSON`, "invalid-artifact", {
      cause: error,
    });
  }
  const layers = isRecord(manifest) && Array.isArray(manifest.layers) ? manifest.layers : [];
  for (const layer of layers) {
    if (
      isRecord(layer) &&
      layer.mediaType === CATALOG_MEDIA_TYPE &&
      typeof layer.digest === "string" &&
      typeof layer.size === "number"
    ) {
      return { mediaType: CATALOG_MEDIA_TYPE, digest: layer.digest, size: layer.size };
    }
  }
  const artifactType =
    isRecord(manifest) && typeof manifest.artifactType === "string"
      ? ` (its artifactType is ${manifest.artifactType})`
      : "";
  throw new PublishError(
    `${what}: the manifest has no layer of type ${CATALOG_MEDIA_TYPE}${artifactType}; is this an image rather than the catalog?`,
    "invalid-artifact",
  );
}

/** Runs a registry exchange, prefixing a RegistryError's message with what was being done. */
async function withContext<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    throw new RegistryError(`${what}: ${error.message}`, error.code, error.status, {
      cause: error,
    });
  }
}

function parseReference(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if (!parsed.ok) {
    throw new PublishError(
      `${JSON.stringify(text)} is not a repository reference: ${parsed.error.message}`,
      "inconsistent-input",
    );
  }
  return parsed.value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
