#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  CATALOG_MEDIA_TYPE,
  IMAGE_STATUSES,
  LATEST_TAG,
  PublishError,
  SERVED_FIELDS,
  SETTLE_MS,
  canonicalCatalog,
  canonicalFacts,
  canonicalImage,
  catalogArtifactRepository,
  catalogManifest,
  catalogTags,
  catalog_schema_default,
  definitionServed,
  diffServed,
  digestOf,
  pinReference,
  publishRefusal,
  publishedDigest,
  pullCatalogArtifact,
  pushCatalogArtifact,
  readBaseline,
  readBaselineFile,
  readCatalogFile,
  readyServed,
  sameImages,
  serializeCatalog,
  servedOf,
  validateCatalogDocument,
  writeCatalogFile
} from "./chunk-EESE7KYM.js";
import "./chunk-5A2P77KC.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-MV6IGXHU.js";
import "./chunk-T4E4HH4Z.js";
import "./chunk-TQMSZ7SH.js";
import "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-XML4HPHG.js";
export {
  CATALOG_MEDIA_TYPE,
  IMAGE_STATUSES,
  LATEST_TAG,
  PublishError,
  SERVED_FIELDS,
  SETTLE_MS,
  canonicalCatalog,
  canonicalFacts,
  canonicalImage,
  catalogArtifactRepository,
  catalogManifest,
  catalog_schema_default as catalogSchema,
  catalogTags,
  definitionServed,
  diffServed,
  digestOf,
  pinReference,
  publishRefusal,
  publishedDigest,
  pullCatalogArtifact,
  pushCatalogArtifact,
  readBaseline,
  readBaselineFile,
  readCatalogFile,
  readyServed,
  sameImages,
  serializeCatalog,
  servedOf,
  validateCatalogDocument,
  writeCatalogFile
};
