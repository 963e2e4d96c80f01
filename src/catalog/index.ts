/**
 * The published catalog, the one home of the artefact the platform syncs: its types, its document
 * (schema check, one serialisation, strict read, atomic write), its OCI artifact (push with
 * compare-and-swap, pull), the baseline every plan diffs against, and what is served of an image.
 */
export {
  CATALOG_MEDIA_TYPE,
  type CatalogSwap,
  catalogArtifactRepository,
  catalogManifest,
  catalogTags,
  LATEST_TAG,
  type PulledCatalog,
  publishedDigest,
  pullCatalogArtifact,
  pushCatalogArtifact,
  SETTLE_MS,
} from "./artifact.js";
export {
  type Baseline,
  type BaselineRead,
  type History,
  publishRefusal,
  readBaseline,
  readBaselineFile,
} from "./baseline.js";
export {
  canonicalCatalog,
  canonicalFacts,
  canonicalImage,
  catalogSchema,
  readCatalogFile,
  sameImages,
  serializeCatalog,
  validateCatalogDocument,
  writeCatalogFile,
} from "./document.js";
export { PublishError, type PublishErrorCode } from "./errors.js";
export {
  definitionServed,
  diffServed,
  digestOf,
  type FieldChange,
  pinReference,
  readyServed,
  SERVED_FIELDS,
  type Served,
  type ServedField,
  type ServedValue,
  servedOf,
} from "./served.js";
export * from "./types.js";
