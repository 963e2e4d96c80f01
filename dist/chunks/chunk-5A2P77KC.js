#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

// src/registry/artifact.ts
import { createHash } from "node:crypto";
var OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
var OCI_EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
var TITLE_ANNOTATION = "org.opencontainers.image.title";
var EMPTY_CONFIG = new TextEncoder().encode("{}");
function artifactManifest(artifact) {
  const { layer, subject, annotations } = artifact;
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: artifact.artifactType,
    config: {
      mediaType: OCI_EMPTY_MEDIA_TYPE,
      digest: sha256(EMPTY_CONFIG),
      size: EMPTY_CONFIG.length,
      data: Buffer.from(EMPTY_CONFIG).toString("base64")
    },
    layers: [
      {
        mediaType: layer.mediaType,
        digest: layer.digest,
        size: layer.size,
        ...layer.title === void 0 ? {} : { annotations: { [TITLE_ANNOTATION]: layer.title } }
      }
    ],
    ...subject === void 0 ? {} : { subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } },
    ...annotations !== void 0 && Object.keys(annotations).length > 0 ? { annotations } : {}
  };
  return new TextEncoder().encode(JSON.stringify(manifest));
}
async function pushArtifactBlobs(registry, repository, layer) {
  await registry.pushBlob(repository, EMPTY_CONFIG);
  return registry.pushBlob(repository, layer);
}
function sha256(bytes) {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

export {
  OCI_MANIFEST_MEDIA_TYPE,
  OCI_EMPTY_MEDIA_TYPE,
  artifactManifest,
  pushArtifactBlobs,
  sha256
};
