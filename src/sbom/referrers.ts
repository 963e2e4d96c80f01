/**
 * Artifacts attached to an image in its registry, as OCI distribution 1.1 attaches them: an OCI
 * image manifest whose `subject` is the image and whose `artifactType` says what it is, with the
 * empty config and the artifact as its one layer. They are found again through the referrers API
 * where the registry has it, else through the referrers tag schema: an image index under the tag
 * `<alg>-<hex>` of the image's digest, which whoever pushes a referrer keeps up to date.
 *
 * The referrers tag is read, changed and written back: two runs attaching to the same image at the
 * same moment can lose one entry, since the distribution API has no conditional PUT (the spec
 * leaves this race to clients; a registry with the referrers API has none). Images are built by
 * one job each, so attaching to the same digest at once does not happen in a run.
 */
import { type ImageReference, repositoryOf } from "../grammars/image-ref.js";
import type { InstalledPackage } from "../inventory/index.js";
import {
  indexDescriptors,
  isDigest,
  isMediaType,
  readDescriptor,
} from "../registry/descriptors.js";
import {
  artifactManifest,
  OCI_MANIFEST_MEDIA_TYPE,
  pushArtifactBlobs,
  sha256,
} from "../registry/artifact.js";
import { type Descriptor, type Manifest, type Registry, RegistryError } from "../registry/types.js";
import { sbomPackages } from "./cyclonedx.js";
import { SbomError } from "./errors.js";

/** CycloneDX JSON's registered media type: the SBOM's `artifactType` and its layer's type. */
export const SBOM_ARTIFACT_TYPE = "application/vnd.cyclonedx+json";
export { OCI_EMPTY_MEDIA_TYPE, OCI_MANIFEST_MEDIA_TYPE } from "../registry/artifact.js";
export const OCI_INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
export const CREATED_ANNOTATION = "org.opencontainers.image.created";
/** An SBOM layer larger than this is not read (a big image's BOM is a few MB). */
export const MAX_SBOM_BYTES = 32 * 1024 * 1024;

/** The manifest an artifact is attached to. */
export interface Subject {
  digest: string;
  mediaType: string;
  size: number;
}

export interface ReferrerArtifact {
  artifactType: string;
  /** The media type of the layer holding `data`. */
  mediaType: string;
  data: Uint8Array;
  /** The manifest's annotations, copied into the referrers list. */
  annotations?: Record<string, string>;
  /** The layer's `org.opencontainers.image.title`: the file `oras pull` writes it to. */
  fileName?: string;
}

/**
 * Attaches `artifact` to `subject` in `repository` (its tag and digest are ignored): pushes the
 * empty config and the data as blobs, then the artifact's manifest by digest. Unless the
 * registry answered `OCI-Subject` (it has the referrers API and lists it by itself), adds the
 * manifest to the referrers tag's index: read, keep every other referrer, add this one unless it
 * is listed already, write back. Resolves to the artifact manifest's digest.
 */
export async function pushReferrer(
  registry: Registry,
  repository: ImageReference,
  subject: Subject,
  artifact: ReferrerArtifact,
): Promise<{ digest: string }> {
  const target = repositoryOnly(repository);
  const what = `attaching ${artifact.artifactType} to ${repositoryOf(target)}@${subject.digest}`;
  checkSubject(subject, what);
  if (!isMediaType(artifact.artifactType) || !isMediaType(artifact.mediaType)) {
    throw new SbomError(
      `${what}: the artifact type and layer media type must be media types (type/subtype)`,
      "invalid-input",
    );
  }
  return withContext(what, async () => {
    const layer = await pushArtifactBlobs(registry, target, artifact.data);
    const body = referrerManifest(subject, artifact, layer);
    const digest = sha256(body);
    const pushed = await registry.pushManifest(
      { ...target, digest },
      body,
      OCI_MANIFEST_MEDIA_TYPE,
    );
    if (pushed.subject === subject.digest) return { digest };
    const descriptor: Descriptor = {
      mediaType: OCI_MANIFEST_MEDIA_TYPE,
      digest,
      size: body.length,
      artifactType: artifact.artifactType,
    };
    const annotations = sortedAnnotations(artifact.annotations);
    if (annotations !== undefined) descriptor.annotations = annotations;
    await addToReferrersTag(registry, target, subject.digest, descriptor);
    return { digest };
  });
}

/**
 * The referrers of `subjectDigest` in `repository`, of `artifactType` when given: from the
 * referrers API when the registry has it, else from the referrers tag schema; empty when there
 * are none (or the tag holds no image index, which the spec says to read as none). Entries that
 * are not descriptors are left out, each digest is listed once.
 */
export async function findReferrers(
  registry: Registry,
  repository: ImageReference,
  subjectDigest: string,
  artifactType?: string,
): Promise<Descriptor[]> {
  const target = repositoryOnly(repository);
  const what = `finding the referrers of ${repositoryOf(target)}@${subjectDigest}`;
  checkDigest(subjectDigest, what);
  return withContext(what, async () => {
    let found = await registry.referrers(target, subjectDigest, artifactType);
    if (found === undefined) {
      const index = await readReferrersTag(registry, target, subjectDigest);
      found = index?.kind === "index" ? indexDescriptors(index.json) : [];
    }
    const seen = new Set<string>();
    // Filtered here too: a registry may ignore the filter (it says so by leaving out OCI-Filters-Applied).
    return found.filter((descriptor) => {
      if (artifactType !== undefined && descriptor.artifactType !== artifactType) return false;
      if (seen.has(descriptor.digest)) return false;
      seen.add(descriptor.digest);
      return true;
    });
  });
}

/**
 * Attaches a CycloneDX BOM (`cycloneDxSbom`) to the image `subject` in the repository of
 * `imageRef`; its `metadata.timestamp` becomes the artifact's `org.opencontainers.image.created`.
 */
export async function pushSbom(
  registry: Registry,
  imageRef: ImageReference,
  subject: Subject,
  sbom: object,
): Promise<{ digest: string }> {
  const metadata = (sbom as { metadata?: unknown }).metadata;
  const timestamp = isRecord(metadata) ? metadata.timestamp : undefined;
  return pushReferrer(registry, imageRef, subject, {
    artifactType: SBOM_ARTIFACT_TYPE,
    mediaType: SBOM_ARTIFACT_TYPE,
    data: new TextEncoder().encode(JSON.stringify(sbom)),
    ...(typeof timestamp === "string" ? { annotations: { [CREATED_ANNOTATION]: timestamp } } : {}),
    fileName: "sbom.cdx.json",
  });
}

export interface FoundSbom {
  /** The digest of the SBOM artifact's manifest. */
  digest: string;
  packages: InstalledPackage[];
}

/**
 * The packages of the SBOM attached to the image `digest` in `repository`, undefined when it has
 * none. With several, the newest by `org.opencontainers.image.created` that can be read (they all
 * describe the same image, whose digest pins its content); when none can be, the newest one's
 * problem is the error (an SbomError "invalid-artifact" or "not-a-bom").
 */
export async function findSbom(
  registry: Registry,
  repository: ImageReference,
  digest: string,
): Promise<FoundSbom | undefined> {
  const target = repositoryOnly(repository);
  const candidates = await findReferrers(registry, target, digest, SBOM_ARTIFACT_TYPE);
  candidates.sort(newestFirst);
  let problem: SbomError | undefined;
  for (const candidate of candidates) {
    try {
      return {
        digest: candidate.digest,
        packages: await readSbom(registry, target, digest, candidate),
      };
    } catch (error) {
      if (!(error instanceof SbomError)) throw error;
      problem ??= error;
    }
  }
  if (problem !== undefined) throw problem;
  return undefined;
}

/**
 * The referrers tag of a digest (distribution spec, "Referrers Tag Schema"): the algorithm cut to
 * 32 characters, "-", the encoded part cut to 64, anything a tag cannot hold replaced by "-".
 */
export function referrersTag(digest: string): string {
  const colon = digest.indexOf(":");
  const algorithm = digest.slice(0, colon).slice(0, 32);
  const encoded = digest.slice(colon + 1).slice(0, 64);
  return `${algorithm}-${encoded}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}

/** The artifact's manifest bytes: the same artifact and subject always give the same digest. */
export function referrerManifest(
  subject: Subject,
  artifact: ReferrerArtifact,
  layer: { digest: string; size: number },
): Uint8Array {
  const annotations = sortedAnnotations(artifact.annotations);
  return artifactManifest({
    artifactType: artifact.artifactType,
    layer: {
      mediaType: artifact.mediaType,
      digest: layer.digest,
      size: layer.size,
      ...(artifact.fileName ? { title: artifact.fileName } : {}),
    },
    subject,
    ...(annotations === undefined ? {} : { annotations }),
  });
}

type ReferrersTag =
  | { kind: "index"; json: Record<string, unknown>; entries: Record<string, unknown>[] }
  | { kind: "other"; mediaType: string };

/** What the referrers tag of `subjectDigest` holds; undefined when there is no such tag. */
async function readReferrersTag(
  registry: Registry,
  target: ImageReference,
  subjectDigest: string,
): Promise<ReferrersTag | undefined> {
  let manifest: Manifest;
  try {
    manifest = await registry.getManifest({ ...target, tag: referrersTag(subjectDigest) });
  } catch (error) {
    if (error instanceof RegistryError && error.code === "not-found") return undefined;
    throw error;
  }
  const json = parseJson(manifest.body);
  if (
    manifest.mediaType !== OCI_INDEX_MEDIA_TYPE ||
    !isRecord(json) ||
    !Array.isArray(json.manifests)
  )
    return { kind: "other", mediaType: manifest.mediaType };
  // Kept as they are (another client's fields included); only what is no descriptor at all goes.
  const entries = json.manifests.filter(
    (entry): entry is Record<string, unknown> => isRecord(entry) && isDigest(entry.digest),
  );
  return { kind: "index", json, entries };
}

async function addToReferrersTag(
  registry: Registry,
  target: ImageReference,
  subjectDigest: string,
  descriptor: Descriptor,
): Promise<void> {
  const tag = referrersTag(subjectDigest);
  const current = await readReferrersTag(registry, target, subjectDigest);
  if (current?.kind === "other") {
    throw new SbomError(
      `${repositoryOf(target)}:${tag} holds a ${current.mediaType || "manifest of unknown type"}, not the image index of the referrers tag schema; delete that tag (only referrers lists belong under it) and push again`,
      "not-an-index",
    );
  }
  const entries = current?.entries ?? [];
  if (entries.some((entry) => entry.digest === descriptor.digest)) return;
  const extra = current?.json.annotations;
  const write = (listed: Record<string, unknown>[]) =>
    registry.pushManifest(
      { ...target, tag },
      new TextEncoder().encode(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_INDEX_MEDIA_TYPE,
          manifests: [...listed, descriptor],
          ...(isRecord(extra) ? { annotations: extra } : {}),
        }),
      ),
      OCI_INDEX_MEDIA_TYPE,
    );
  try {
    await write(entries);
  } catch (error) {
    // Distribution refuses an index listing a manifest it does not have (400 MANIFEST_BLOB_UNKNOWN):
    // a referrer deleted since it was listed would block every later push. Those entries go.
    if (!(error instanceof RegistryError) || error.status !== 400 || entries.length === 0)
      throw error;
    const present = await Promise.all(
      entries.map(
        async (entry) =>
          (await registry.resolve({ ...target, tag: undefined, digest: String(entry.digest) })) !==
          undefined,
      ),
    );
    const kept = entries.filter((_, i) => present[i]);
    if (kept.length === entries.length) throw error;
    await write(kept);
  }
}

async function readSbom(
  registry: Registry,
  target: ImageReference,
  subjectDigest: string,
  candidate: Descriptor,
): Promise<InstalledPackage[]> {
  const what = `reading the SBOM ${repositoryOf(target)}@${candidate.digest}`;
  let manifest: Manifest;
  try {
    manifest = await withContext(what, () =>
      registry.getManifest({ ...target, digest: candidate.digest }),
    );
  } catch (error) {
    if (error instanceof RegistryError && error.code === "not-found") {
      throw new SbomError(
        `${what}: it is listed, but the registry does not have it`,
        "invalid-artifact",
        { cause: error },
      );
    }
    throw error;
  }
  const json = parseJson(manifest.body);
  if (manifest.mediaType !== OCI_MANIFEST_MEDIA_TYPE || !isRecord(json)) {
    throw new SbomError(`${what}: it is not an OCI image manifest`, "invalid-artifact");
  }
  const subject = isRecord(json.subject) ? json.subject.digest : undefined;
  if (subject !== subjectDigest) {
    throw new SbomError(
      `${what}: it is attached to ${typeof subject === "string" ? subject.slice(0, 80) : "nothing"}, not ${subjectDigest}`,
      "invalid-artifact",
    );
  }
  const layers = Array.isArray(json.layers) ? json.layers.slice(0, 16) : [];
  const layer = layers
    .map(readDescriptor)
    .find((entry) => entry !== undefined && entry.mediaType === SBOM_ARTIFACT_TYPE);
  if (layer === undefined) {
    throw new SbomError(
      `${what}: it has no layer of type ${SBOM_ARTIFACT_TYPE}`,
      "invalid-artifact",
    );
  }
  if (layer.size > MAX_SBOM_BYTES) {
    throw new SbomError(
      `${what}: its layer has ${layer.size} bytes, more than the ${MAX_SBOM_BYTES} an SBOM may have`,
      "invalid-artifact",
    );
  }
  const bytes = await withContext(what, () => registry.getBlob(target, layer.digest));
  if (bytes.length !== layer.size) {
    throw new SbomError(
      `${what}: its layer has ${bytes.length} bytes, the manifest says ${layer.size}`,
      "invalid-artifact",
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new SbomError(`${what}: its layer is not JSON`, "invalid-artifact", { cause: error });
  }
  try {
    return sbomPackages(data);
  } catch (error) {
    if (!(error instanceof SbomError)) throw error;
    throw new SbomError(`${what}: ${error.message}`, error.code, { cause: error });
  }
}

/** Newest `org.opencontainers.image.created` first (none: oldest), then by digest. */
function newestFirst(a: Descriptor, b: Descriptor): number {
  const created = (descriptor: Descriptor): number => {
    const time = Date.parse(descriptor.annotations?.[CREATED_ANNOTATION] ?? "");
    return Number.isNaN(time) ? -Infinity : time;
  };
  const byTime = created(b) - created(a);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}

function checkSubject(subject: Subject, what: string): void {
  checkDigest(subject.digest, what);
  if (!isMediaType(subject.mediaType) || !Number.isSafeInteger(subject.size) || subject.size < 0) {
    throw new SbomError(
      `${what}: the subject needs a media type and a size (its manifest's descriptor)`,
      "invalid-input",
    );
  }
}

function checkDigest(digest: string, what: string): void {
  if (!isDigest(digest))
    throw new SbomError(`${what}: ${JSON.stringify(digest)} is not a digest`, "invalid-input");
}

/** Annotations in key order, so that the manifest's bytes do not depend on the caller's order. */
function sortedAnnotations(
  annotations: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (annotations === undefined) return undefined;
  const keys = Object.keys(annotations).sort();
  if (keys.length === 0) return undefined;
  const sorted: Record<string, string> = {};
  for (const key of keys) sorted[key] = annotations[key] ?? "";
  return sorted;
}

/** Runs a registry exchange, prefixing a RegistryError's message with what was being done. */
async function withContext<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof RegistryError) || error.message.startsWith(what)) throw error;
    throw new RegistryError(`${what}: ${error.message}`, error.code, error.status, {
      cause: error,
    });
  }
}

function repositoryOnly(ref: ImageReference): ImageReference {
  return { ...ref, tag: undefined, digest: undefined };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
