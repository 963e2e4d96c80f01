/**
 * Descriptors read from what a registry serves (a referrers answer, an image index): untrusted, so
 * each is checked for the shape the OCI image spec gives it (descriptor.md) and anything else is
 * left out, never passed on. Counts and lengths are capped: a hostile index cannot make a caller
 * hold more than a few MB of them.
 */
import type { Descriptor } from "./types.js";

/** More entries than any image's referrers list needs; the rest are not read. */
export const MAX_DESCRIPTORS = 10_000;
const MAX_ANNOTATIONS = 64;
const MAX_ANNOTATION_KEY = 256;
const MAX_ANNOTATION_VALUE = 4096;
const MAX_DIGEST = 200;

// RFC 6838 type/subtype, as the image spec requires of a descriptor's mediaType.
const MEDIA_TYPE =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
// descriptor.md: algorithm ":" encoded.
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Whether `value` has the shape of a digest (`sha256:...`), of a sane length. */
export function isDigest(value: unknown): value is string {
  return typeof value === "string" && value.length <= MAX_DIGEST && DIGEST.test(value);
}

/** Whether `value` is a media type (`type/subtype`, RFC 6838). */
export function isMediaType(value: unknown): value is string {
  return typeof value === "string" && MEDIA_TYPE.test(value);
}

/** The well-formed descriptors of an index's `manifests`, at most `MAX_DESCRIPTORS`. */
export function indexDescriptors(index: unknown): Descriptor[] {
  if (!isRecord(index) || !Array.isArray(index.manifests)) return [];
  const result: Descriptor[] = [];
  for (const entry of index.manifests.slice(0, MAX_DESCRIPTORS)) {
    const descriptor = readDescriptor(entry);
    if (descriptor !== undefined) result.push(descriptor);
  }
  return result;
}

/** One descriptor, or undefined when `entry` is not one. Unknown fields are dropped. */
export function readDescriptor(entry: unknown): Descriptor | undefined {
  if (!isRecord(entry)) return undefined;
  const { mediaType, digest, size, artifactType, annotations } = entry;
  if (!isMediaType(mediaType) || !isDigest(digest)) return undefined;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) return undefined;
  const descriptor: Descriptor = { mediaType, digest, size };
  if (isMediaType(artifactType)) descriptor.artifactType = artifactType;
  const read = readAnnotations(annotations);
  if (read !== undefined) descriptor.annotations = read;
  return descriptor;
}

/** The string annotations of `value`, capped; undefined when there are none. */
export function readAnnotations(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const result: Record<string, string> = {};
  let count = 0;
  for (const [key, text] of Object.entries(value)) {
    if (count >= MAX_ANNOTATIONS) break;
    if (typeof text !== "string" || key === "" || key.length > MAX_ANNOTATION_KEY) continue;
    if (text.length > MAX_ANNOTATION_VALUE || key === "__proto__") continue;
    result[key] = text;
    count++;
  }
  return count === 0 ? undefined : result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
