/**
 * What a sync changes in PrimeHub so that its images and their access match the published
 * catalog: a pure diff of the catalog against what PrimeHub's GraphQL API says it has, given the
 * names imagesmith manages there (its ledger). Nothing here speaks to PrimeHub.
 *
 * Decisions, and why:
 * - Only images in the ledger are updated or deleted. PrimeHub's API has no field a person's edit
 *   in its admin screen leaves alone (the form sends every field back), so ownership cannot be a
 *   mark on the image: it is the ledger, kept by imagesmith. An image of the same name that the
 *   ledger does not hold is a conflict, reported and left as it is, unless `adopt` names it.
 * - An update sends every field, not only the changed ones: PrimeHub clears a field an update
 *   leaves out (a missing `useImagePullSecret` deletes the secret), and sets `urlForGpu` from `url`
 *   when only `url` is given.
 * - Access is PrimeHub's: `global` maps the image's role to the everyone group, `groups` to each
 *   group; they are independent, so an image that becomes global also drops its group mappings
 *   here, and the catalog's groups are exactly the image's groups. A group image is also used by
 *   its own group (`groupName`), which is among its groups.
 * - Only images with something to pull are offered: an image that never built is not created, and
 *   one whose rebuild failed is synced with the url the catalog still serves (its last good build).
 * - A group the catalog names that PrimeHub does not have is an error naming it; the image is
 *   synced with the groups PrimeHub has, so nobody gets more access than the catalog gives.
 */
import type { PublishedCatalog, PublishedImage } from "../catalog/types.js";

/** An image as PrimeHub's API returns it. */
export interface PrimeHubImage {
  id: string;
  name: string;
  displayName?: string | null;
  description?: string | null;
  type?: string | null;
  url?: string | null;
  urlForGpu?: string | null;
  useImagePullSecret?: string | null;
  groupName?: string | null;
  global?: boolean | null;
  groups?: { id: string; name: string }[] | null;
}

export interface PrimeHubGroup {
  id: string;
  name: string;
  displayName?: string | null;
}

export interface PrimeHubState {
  images: PrimeHubImage[];
  groups: PrimeHubGroup[];
}

/** The fields of an image a sync sets (everything PrimeHub's image form has but access). */
export interface ImageFields {
  displayName: string;
  description: string;
  type: "cpu" | "gpu" | "both";
  url: string;
  urlForGpu: string;
  useImagePullSecret: string | null;
  groupName: string | null;
}

export const FIELD_NAMES: readonly (keyof ImageFields)[] = [
  "displayName",
  "description",
  "type",
  "url",
  "urlForGpu",
  "useImagePullSecret",
  "groupName",
];

export interface FieldChange {
  field: keyof ImageFields;
  before: string | null;
  after: string | null;
}

export type SyncAction =
  | {
      kind: "create";
      name: string;
      fields: ImageFields;
      global: boolean;
      /** Group names, and the ids PrimeHub knows them by. */
      groups: { name: string; id: string }[];
    }
  | {
      kind: "update";
      name: string;
      id: string;
      fields: ImageFields;
      changes: FieldChange[];
      global: boolean;
      globalBefore: boolean;
      connect: { name: string; id: string }[];
      disconnect: { name: string; id: string }[];
    }
  | { kind: "delete"; name: string; id: string };

/** Who gains or loses an image: what a reviewer must not miss. */
export interface SyncAccessChange {
  image: string;
  change:
    "became-global" | "no-longer-global" | "group-added" | "group-removed" | "new" | "removed";
  groups: string[];
  global?: boolean;
}

export interface SyncPlan {
  actions: SyncAction[];
  access: SyncAccessChange[];
  /** Images of the catalog PrimeHub has under the same name, not made by imagesmith: left alone. */
  conflicts: { name: string; reason: string }[];
  /** Groups the catalog names that PrimeHub does not have, with the images that name them. */
  errors: { name: string; message: string }[];
  /** Catalog images not offered, and why (nothing to pull yet). */
  skipped: { name: string; reason: string }[];
  /** The ledger after this sync: the names imagesmith manages in PrimeHub. */
  ledger: string[];
  /** Names to add to the ledger before the mutations run (creates and adoptions). */
  claims: string[];
  /** Names to drop from the ledger once the mutations ran (deleted, or gone already). */
  releases: string[];
  unchanged: number;
}

/** The diff. `owned` is the ledger; `adopt` names images a person hands over to imagesmith. */
export function planSync(input: {
  catalog: PublishedCatalog;
  state: PrimeHubState;
  owned: readonly string[];
  adopt?: readonly string[];
}): SyncPlan {
  const owned = new Set(input.owned);
  const adopt = new Set(input.adopt ?? []);
  const present = new Map(input.state.images.map((image) => [image.name, image]));
  const groupIds = new Map(input.state.groups.map((group) => [group.name, group.id]));
  const plan: SyncPlan = {
    actions: [],
    access: [],
    conflicts: [],
    errors: [],
    skipped: [],
    ledger: [],
    claims: [],
    releases: [],
    unchanged: 0,
  };
  const wanted = new Set<string>();

  for (const image of input.catalog.images) {
    if (image.url === undefined) {
      plan.skipped.push({ name: image.name, reason: notOffered(image) });
      continue;
    }
    wanted.add(image.name);
    const there = present.get(image.name);
    const ours = owned.has(image.name) || adopt.has(image.name);
    if (there && !ours) {
      plan.conflicts.push({
        name: image.name,
        reason: `PrimeHub has an image ${image.name} that imagesmith did not create; it is left as it is (sync --adopt ${image.name} to manage it from the catalog)`,
      });
      continue;
    }
    if (!owned.has(image.name)) plan.claims.push(image.name);
    const fields = fieldsOf(image, image.url);
    const groups = resolveGroups(image, groupIds, plan);
    if (!there) {
      plan.actions.push({ kind: "create", name: image.name, fields, global: image.global, groups });
      plan.access.push({
        image: image.name,
        change: "new",
        groups: groups.map((g) => g.name),
        global: image.global,
      });
      continue;
    }
    const changes = fieldChanges(there, fields);
    const before = new Map((there.groups ?? []).map((group) => [group.name, group.id]));
    const after = new Set(groups.map((group) => group.name));
    const connect = groups.filter((group) => !before.has(group.name));
    const disconnect = [...before]
      .filter(([name]) => !after.has(name))
      .map(([name, id]) => ({ name, id }));
    const globalBefore = there.global === true;
    if (changes.length === 0 && connect.length === 0 && disconnect.length === 0) {
      if (globalBefore === image.global) {
        plan.unchanged++;
        continue;
      }
    }
    plan.actions.push({
      kind: "update",
      name: image.name,
      id: there.id,
      fields,
      changes,
      global: image.global,
      globalBefore,
      connect,
      disconnect,
    });
    if (globalBefore !== image.global)
      plan.access.push({
        image: image.name,
        change: image.global ? "became-global" : "no-longer-global",
        groups: [],
      });
    if (connect.length > 0)
      plan.access.push({
        image: image.name,
        change: "group-added",
        groups: connect.map((g) => g.name),
      });
    if (disconnect.length > 0)
      plan.access.push({
        image: image.name,
        change: "group-removed",
        groups: disconnect.map((g) => g.name),
      });
  }

  for (const name of owned) {
    if (wanted.has(name)) continue;
    const there = present.get(name);
    // A catalog image with nothing to pull (yet) keeps what imagesmith made of it before.
    if (there && input.catalog.images.some((image) => image.name === name)) continue;
    plan.releases.push(name);
    if (!there) continue;
    plan.actions.push({ kind: "delete", name, id: there.id });
    plan.access.push({
      image: name,
      change: "removed",
      groups: (there.groups ?? []).map((group) => group.name),
      global: there.global === true,
    });
  }
  plan.ledger = [...new Set([...owned, ...plan.claims])]
    .filter((name) => !plan.releases.includes(name))
    .sort();
  plan.access.sort((a, b) => accessRank(a) - accessRank(b) || a.image.localeCompare(b.image));
  return plan;
}

/** Losing access first: the change most likely to break someone's work. */
function accessRank(change: SyncAccessChange): number {
  return [
    "removed",
    "no-longer-global",
    "group-removed",
    "became-global",
    "group-added",
    "new",
  ].indexOf(change.change);
}

function notOffered(image: PublishedImage): string {
  return image.status === "building"
    ? "its first build is under way: nothing to pull yet"
    : `it has never built successfully (its last attempt ${image.status === "cancelled" ? "was cancelled" : "failed"}): nothing to pull yet`;
}

/** The PrimeHub fields of a catalog image, serving `url`. */
export function fieldsOf(image: PublishedImage, url: string): ImageFields {
  return {
    displayName: image.displayName,
    description: image.description ?? "",
    type: image.type === "universal" ? "both" : image.type,
    url,
    urlForGpu: image.urlForGpu ?? url,
    useImagePullSecret: image.pullSecret ?? null,
    groupName: image.system ? null : (image.groupName ?? null),
  };
}

/** The image's groups (its own group too, for a group image), by PrimeHub id; unknown ones are errors. */
function resolveGroups(
  image: PublishedImage,
  ids: ReadonlyMap<string, string>,
  plan: SyncPlan,
): { name: string; id: string }[] {
  const names = new Set(image.groups);
  if (!image.system && image.groupName) names.add(image.groupName);
  const resolved: { name: string; id: string }[] = [];
  for (const name of [...names].sort()) {
    const id = ids.get(name);
    if (id !== undefined) resolved.push({ name, id });
    else
      plan.errors.push({
        name: image.name,
        message: `the catalog gives ${image.name} to group ${name}, which PrimeHub does not have: create the group in PrimeHub (or remove it from the definition); ${image.name} is synced without it`,
      });
  }
  return resolved;
}

function fieldChanges(there: PrimeHubImage, fields: ImageFields): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of FIELD_NAMES) {
    const before = normalise(field, there[field]);
    const after = fields[field];
    if (before !== after) changes.push({ field, before, after });
  }
  return changes;
}

/** What PrimeHub reports, as a sync compares it: an absent description is "", absent secrets null. */
function normalise(field: keyof ImageFields, value: string | null | undefined): string | null {
  if (field === "description" || field === "displayName") return value ?? "";
  if (field === "useImagePullSecret" || field === "groupName") return value ? value : null;
  return value ?? null;
}
