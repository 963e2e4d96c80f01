/**
 * One-layer OCI artifacts, as image-spec 1.1 describes them: the empty config `{}`, one layer, an
 * `artifactType`, and optionally a subject (a referrer) and annotations. The catalog, the SBOMs
 * and the PrimeHub ledger are all such artifacts. The manifest bytes are deterministic: the same
 * artifact always has the same digest, so pushing one that did not change moves no tag.
 */
import { createHash } from "node:crypto";
import type { ImageReference } from "../grammars/image-ref.js";
import type { Registry } from "./types.js";

export const OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
export const OCI_EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
export const TITLE_ANNOTATION = "org.opencontainers.image.title";
/** The empty config's bytes. */
export const EMPTY_CONFIG = new TextEncoder().encode("{}");

export interface ArtifactManifest {
  artifactType: string;
  layer: { mediaType: string; digest: string; size: number; title?: string };
  /** A referrer's subject: the manifest it is about. */
  subject?: { mediaType: string; digest: string; size: number };
  annotations?: Record<string, string>;
}

/** The artifact's manifest bytes, with the empty config inline (`data`), as the spec suggests. */
export function artifactManifest(artifact: ArtifactManifest): Uint8Array {
  const { layer, subject, annotations } = artifact;
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: artifact.artifactType,
    config: {
      mediaType: OCI_EMPTY_MEDIA_TYPE,
      digest: sha256(EMPTY_CONFIG),
      size: EMPTY_CONFIG.length,
      data: Buffer.from(EMPTY_CONFIG).toString("base64"),
    },
    layers: [
      {
        mediaType: layer.mediaType,
        digest: layer.digest,
        size: layer.size,
        ...(layer.title === undefined ? {} : { annotations: { [TITLE_ANNOTATION]: layer.title } }),
      },
    ],
    ...(subject === undefined
      ? {}
      : { subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } }),
    ...(annotations !== undefined && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  return new TextEncoder().encode(JSON.stringify(manifest));
}

/** Uploads an artifact's blobs (the empty config, then the layer); resolves to the layer's. */
export async function pushArtifactBlobs(
  registry: Registry,
  repository: ImageReference,
  layer: Uint8Array,
): Promise<{ digest: string; size: number }> {
  await registry.pushBlob(repository, EMPTY_CONFIG);
  return registry.pushBlob(repository, layer);
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
