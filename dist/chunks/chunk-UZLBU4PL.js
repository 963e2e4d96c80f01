#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

// src/registry/descriptors.ts
var MAX_DESCRIPTORS = 1e4;
var MAX_ANNOTATIONS = 64;
var MAX_ANNOTATION_KEY = 256;
var MAX_ANNOTATION_VALUE = 4096;
var MAX_DIGEST = 200;
var MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
var DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
function isDigest(value) {
  return typeof value === "string" && value.length <= MAX_DIGEST && DIGEST.test(value);
}
function isMediaType(value) {
  return typeof value === "string" && MEDIA_TYPE.test(value);
}
function indexDescriptors(index) {
  if (!isRecord(index) || !Array.isArray(index.manifests)) return [];
  const result = [];
  for (const entry of index.manifests.slice(0, MAX_DESCRIPTORS)) {
    const descriptor = readDescriptor(entry);
    if (descriptor !== void 0) result.push(descriptor);
  }
  return result;
}
function readDescriptor(entry) {
  if (!isRecord(entry)) return void 0;
  const { mediaType, digest, size, artifactType, annotations } = entry;
  if (!isMediaType(mediaType) || !isDigest(digest)) return void 0;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) return void 0;
  const descriptor = { mediaType, digest, size };
  if (isMediaType(artifactType)) descriptor.artifactType = artifactType;
  const read = readAnnotations(annotations);
  if (read !== void 0) descriptor.annotations = read;
  return descriptor;
}
function readAnnotations(value) {
  if (!isRecord(value)) return void 0;
  const result = {};
  let count = 0;
  for (const [key, text] of Object.entries(value)) {
    if (count >= MAX_ANNOTATIONS) break;
    if (typeof text !== "string" || key === "" || key.length > MAX_ANNOTATION_KEY) continue;
    if (text.length > MAX_ANNOTATION_VALUE || key === "__proto__") continue;
    result[key] = text;
    count++;
  }
  return count === 0 ? void 0 : result;
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export {
  MAX_DESCRIPTORS,
  isDigest,
  isMediaType,
  indexDescriptors,
  readDescriptor
};
