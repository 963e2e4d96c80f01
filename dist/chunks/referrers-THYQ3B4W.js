#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  CREATED_ANNOTATION,
  MAX_SBOM_BYTES,
  OCI_INDEX_MEDIA_TYPE,
  SBOM_ARTIFACT_TYPE,
  findReferrers,
  findSbom,
  pushReferrer,
  pushSbom,
  referrerManifest,
  referrersTag
} from "./chunk-WMG42F3S.js";
import "./chunk-UZLBU4PL.js";
import {
  OCI_EMPTY_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE
} from "./chunk-5A2P77KC.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-XML4HPHG.js";
export {
  CREATED_ANNOTATION,
  MAX_SBOM_BYTES,
  OCI_EMPTY_MEDIA_TYPE,
  OCI_INDEX_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  SBOM_ARTIFACT_TYPE,
  findReferrers,
  findSbom,
  pushReferrer,
  pushSbom,
  referrerManifest,
  referrersTag
};
