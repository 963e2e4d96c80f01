/**
 * What the platform serves of one image: the fields of its catalog entry that decide who may run
 * what. A plan is a diff of these between the published catalog and the one it would publish.
 */
import { parseImageReference, repositoryOf } from "../grammars/image-ref.js";
import type { CatalogConfig, ImageDefinition } from "../model.js";
import { PublishError } from "./errors.js";
import type { ImageStatus, PublishedImage } from "./types.js";

/** Access first: what a reviewer must not miss. */
export const SERVED_FIELDS = [
  "global",
  "groups",
  "url",
  "urlForGpu",
  "pullSecret",
  "status",
  "type",
  "displayName",
  "description",
  "system",
  "groupName",
] as const;
export type ServedField = (typeof SERVED_FIELDS)[number];
export type ServedValue = string | boolean | string[];

/** One field of what is served, before (published) and after (to be published); absent: unset. */
export interface FieldChange {
  field: ServedField;
  before?: ServedValue;
  after?: ServedValue;
}

export type Served = Pick<PublishedImage, ServedField>;

/** The served fields of a catalog entry. */
export function servedOf(image: PublishedImage): Served {
  const served: Partial<Served> = {};
  for (const field of SERVED_FIELDS) {
    const value = image[field];
    if (value !== undefined) (served as Record<string, unknown>)[field] = value;
  }
  return served as Served;
}

/** What the platform serves of a definition, once `serving` says what it runs and how it is doing. */
export function definitionServed(
  definition: ImageDefinition,
  serving: { url?: string; urlForGpu?: string; pullSecret?: string; status: ImageStatus },
): Served {
  const served: Partial<Served> = {
    global: definition.global,
    groups: [...new Set(definition.groups)].sort(),
  };
  if (serving.url !== undefined) served.url = serving.url;
  if (serving.urlForGpu !== undefined) served.urlForGpu = serving.urlForGpu;
  if (serving.pullSecret !== undefined) served.pullSecret = serving.pullSecret;
  served.status = serving.status;
  served.type = definition.type;
  served.displayName = definition.displayName;
  if (definition.description !== undefined) served.description = definition.description;
  served.system = definition.system;
  if (!definition.system && definition.groupName !== undefined)
    served.groupName = definition.groupName;
  return served as Served;
}

/**
 * What a definition serves once `url` is its image: ready, with the pull secret that goes with it
 * (the catalog's, for what it builds; the definition's own, for an existing image) and `urlForGpu`
 * equal to `url` unless an existing universal image names its own.
 */
export function readyServed(
  definition: ImageDefinition,
  config: Pick<CatalogConfig, "pullSecret">,
  url: string,
  urlForGpu?: string,
): Served {
  const pullSecret = definition.build ? config.pullSecret : definition.pullSecret;
  return definitionServed(definition, {
    url,
    urlForGpu: definition.type === "universal" && urlForGpu !== undefined ? urlForGpu : url,
    ...(pullSecret === undefined ? {} : { pullSecret }),
    status: "ready",
  });
}

/** Every served field that differs, in SERVED_FIELDS order; `undefined` is an image not served. */
export function diffServed(
  before: Partial<Served> | undefined,
  after: Partial<Served> | undefined,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of SERVED_FIELDS) {
    const was = before?.[field];
    const will = after?.[field];
    if (same(was, will)) continue;
    const change: FieldChange = { field };
    if (was !== undefined) change.before = copy(was);
    if (will !== undefined) change.after = copy(will);
    changes.push(change);
  }
  return changes;
}

function same(a: ServedValue | undefined, b: ServedValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");
  return a === b;
}

function copy(value: ServedValue): ServedValue {
  return Array.isArray(value) ? [...value].sort() : value;
}

/**
 * The one pinned form of the catalog: the reference fully qualified as docker normalises it
 * (`python:3.11` → `docker.io/library/python`), its tag dropped, the digest appended:
 * `docker.io/library/python@sha256:...`. Fully qualified because CRI-O refuses short names by
 * default; tagless because a tag next to a digest is ignored by every runtime and only misleads
 * once it has moved.
 */
export function pinReference(reference: string, digest: string): string {
  const parsed = parseImageReference(reference);
  if (!parsed.ok) {
    throw new PublishError(
      `${JSON.stringify(reference)} is not an image reference: ${parsed.error.message}`,
      "inconsistent-input",
    );
  }
  return `${repositoryOf(parsed.value)}@${digest}`;
}

/** The digest a pinned reference (`...@sha256:...`) carries. */
export function digestOf(pinned: string | undefined): string | undefined {
  const at = pinned?.lastIndexOf("@") ?? -1;
  return pinned !== undefined && at >= 0 ? pinned.slice(at + 1) : undefined;
}
