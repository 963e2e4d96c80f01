import {
  type Baseline,
  diffServed,
  digestOf,
  type FieldChange,
  pinReference,
  type PublishedCatalog,
  type PublishedImage,
  readyServed,
  type Served,
  type ServedField,
  servedOf,
} from "../../catalog/index.js";
import { formatImageReference } from "../../grammars/image-ref.js";
import type { Catalog, CatalogConfig, ImageDefinition } from "../../model.js";
import { RegistryError, type Registry, type Platform } from "../../registry/types.js";
import { isRootUser, renderRecipe } from "../render/index.js";
import { CATALOG_BASE_PREFIX } from "../validate/index.js";
import { buildOrder, parentName } from "./graph.js";
import {
  builtReference,
  catalogBase,
  ImagePlanError,
  mirroredBase,
  parsePlatform,
  parseReference,
  planRecipe,
  registryBaseFrom,
  type ResolvedBase,
  stripDigest,
} from "./recipe.js";

export { builtReference } from "./recipe.js";

export type PlanAction = "build" | "skip" | "register" | "update" | "remove";
export const PLAN_ACTIONS: readonly PlanAction[] = [
  "build",
  "skip",
  "register",
  "update",
  "remove",
];

/** One image's decision, with what it rests on. */
export interface PlannedImage {
  name: string;
  action: PlanAction;
  /**
   * Why. build: new, recipe-changed, contracts-changed, base-moved, parent-rebuilt, forced,
   * missing. register: new,
   * digest-changed. update: access-changed, digest-changed (a recipe already built is served
   * again), pull-secret-changed, status-changed, metadata-changed, new. skip: unchanged,
   * in-registry. remove: deleted.
   */
  reasons: string[];
  /** Built images: the reference the recipe is pushed to; existing images: their url. */
  ref: string;
  /** Built images only (null for existing images). */
  recipeHash: string | null;
  /** `sha256:...`: the resolved digest of an existing image, or of a built image already pushed. */
  digest?: string;
  /** The catalog images this one builds on. */
  dependsOn: string[];
  file?: string;
  /** Existing universal images: the GPU reference and its digest. */
  gpuRef?: string;
  gpuDigest?: string;
  /** Built images: the base as resolved, and the Dockerfile to build. */
  base?: { image: string; from: string; digest: string; user?: string };
  dockerfile?: string;
  /** The recipe of the build served now, rendered with today's template: what reviewers diff against. */
  previousDockerfile?: string;
  /**
   * Built images whose contracts differ from the served build's (`cuda`, `test: <command>`):
   * before and after. They are not in the Dockerfile, so the recipe diff alone would show nothing.
   */
  contracts?: { before: string[]; after: string[] };
  /**
   * What publishing this plan changes in the image's catalog entry, field by field, access first:
   * before (published) and after. A build's url after is the recipe's reference, to be pinned to
   * the digest the build pushes.
   */
  changes: FieldChange[];
}

export type AccessChangeKind =
  "became-global" | "no-longer-global" | "group-added" | "group-removed";

/** A change in who may use an image: what a reviewer must not miss. */
export interface AccessChange {
  image: string;
  change: AccessChangeKind;
  /** group-added, group-removed: the group. */
  group?: string;
  /**
   * became-global: the groups of imagesmith.yaml that gain the image by it. no-longer-global: the
   * groups that lose it (those of imagesmith.yaml and those it named, but not the ones it keeps).
   * Absent when imagesmith.yaml lists no groups and none can be named.
   */
  groups?: string[];
  /** no-longer-global: the groups that still may use it. */
  keeps?: string[];
}

/** An image the plan could not decide on: a missing existing image, an unreachable registry. */
export interface PlanError {
  image: string;
  file?: string;
  message: string;
}

/** The plan: an artefact (`plan --format json`, `schemas/plan.schema.json`) a build job can execute. */
export interface Plan {
  apiVersion: "imagesmith/v1";
  kind: "Plan";
  /** Where the definitions planned came from: a plan file is only good at this commit. */
  source: { repo?: string; commit?: string };
  /** The published catalog this plan is a diff against. */
  baseline: Baseline;
  images: PlannedImage[];
  accessChanges: AccessChange[];
  summary: Record<PlanAction, number>;
  errors: PlanError[];
}

/** Base image configs by digest: content-addressed, so they can be kept forever. */
export interface BaseConfigCache {
  get(digest: string): { user?: string } | undefined;
  set(digest: string, value: { user?: string }): void;
}

export interface PlanInput {
  catalog: Catalog;
  registry: Registry;
  /** The published catalog (undefined: nothing is published) and where it was read. */
  previous?: PublishedCatalog;
  baseline: Baseline;
  /** Images to rebuild whatever the registry holds (the Rebuild button). */
  force?: readonly string[];
  source?: { repo?: string; commit?: string };
  baseConfigs?: BaseConfigCache;
  /**
   * Take what the published catalog serves as still in the registry, without asking it: a built
   * recipe it serves, an existing image pinned from the very reference the definition names. For
   * previews (a pull request's plan): the default branch's plan checks the registry before it
   * builds or publishes anything.
   */
  trustPublished?: boolean;
}

/** Everything a plan is made from but the images: what a planner is started with. */
export interface PlannerInput extends Omit<PlanInput, "catalog"> {
  config: CatalogConfig;
}

/**
 * A plan under way: each image added is planned at once (its registry requests sent), so the
 * requests can start while the rest of the catalog is still read and validated. Nothing is decided
 * until `finish`, which is only ever given a valid catalog; a planner whose catalog turns out
 * invalid is never finished, and the requests it sent are for the caller to call off (through the
 * registry port it was given).
 */
export interface Planner {
  /** Starts planning an image of the catalog to come (the very object `finish` will be given). */
  add(image: ImageDefinition): void;
  /**
   * The plan of `catalog`, which has the planner's config: every image of it planned (each added
   * one once, any other now), the published images it lacks removed.
   */
  finish(catalog: Catalog): Promise<Plan>;
}

/**
 * Decides, for every image of the catalog, one action and its reasons, by comparing the
 * definitions and the registry with the published catalog, field by field. Registry requests run
 * concurrently (the registry port limits them); each distinct base is resolved once. Digests the
 * published catalog already serves are confirmed with a HEAD; any other comes from manifest bytes.
 */
export async function planCatalog(input: PlanInput): Promise<Plan> {
  const { catalog, ...rest } = input;
  return startPlan({ ...rest, config: catalog.config }).finish(catalog);
}

/**
 * planCatalog, started before the catalog is known: the same plan, whatever order the images are
 * added in and however many are added before `finish`.
 */
export function startPlan(input: PlannerInput): Planner {
  const { config, registry } = input;
  const source = input.source ?? {};
  const force = new Set(input.force ?? []);
  const previous = new Map((input.previous?.images ?? []).map((image) => [image.name, image]));
  const platform = parsePlatform(config.platform);

  // What each base reference resolved to when the served builds were planned: a HEAD confirms it.
  const publishedBases = new Map<string, string>();
  for (const image of previous.values()) {
    const digest = image.build?.baseDigest;
    if (digest !== undefined && !digest.startsWith("recipe:"))
      publishedBases.set(image.build?.baseImage ?? "", digest);
  }

  const bases = new Map<string, Promise<ResolvedBase>>();
  const planned = new Map<string, Promise<PlannedImage>>();
  const added = new Map<string, ImageDefinition>();
  // Parents asked for (image:<name>) before they were added; finish settles those never added.
  const awaited = new Map<string, (image: ImageDefinition | undefined) => void>();
  const arrivals = new Map<string, Promise<ImageDefinition | undefined>>();
  let finished = false;

  /** The catalog image of that name: now, once it is added, or undefined once finish knows it is not. */
  function definition(
    name: string,
  ): ImageDefinition | undefined | Promise<ImageDefinition | undefined> {
    const image = added.get(name);
    if (image !== undefined || finished) return image;
    let arrival = arrivals.get(name);
    if (!arrival) {
      arrival = new Promise((resolve) => awaited.set(name, resolve));
      arrivals.set(name, arrival);
    }
    return arrival;
  }

  function resolveRegistryBase(reference: string): Promise<ResolvedBase> {
    let promise = bases.get(reference);
    if (!promise) {
      promise = resolveBase(reference, config, registry, platform, {
        cache: input.baseConfigs,
        expect: publishedBases.get(reference),
      });
      bases.set(reference, promise);
    }
    return promise;
  }

  // One repository for every built image: one paginated tag list answers "already built?" for
  // all of them, instead of a request each.
  let singleRepositoryTags: Promise<Set<string>> | undefined;

  /**
   * The digest of the recipe's image when it is in the registry, undefined when it is not. The
   * published catalog pins every image by digest, so a tag list alone is not enough: a listed tag
   * takes its digest from the published catalog when that serves this very recipe, else the
   * manifest's bytes.
   */
  async function pushedDigest(
    ref: string,
    before: PublishedImage | undefined,
    hash: string,
  ): Promise<string | undefined> {
    const parsed = parseReference(ref);
    const served = before?.build?.recipeHash === hash ? digestOf(before.url) : undefined;
    if (input.trustPublished && served) return served;
    if (config.singleRepository) {
      singleRepositoryTags ??= registry.tags(parsed).then(
        (tags) => new Set(tags),
        (error: unknown) => {
          if (error instanceof RegistryError && error.code === "not-found")
            return new Set<string>();
          throw new ImagePlanError(`listing the tags of ${config.registry}: ${messageOf(error)}`);
        },
      );
      if (!(await singleRepositoryTags).has(parsed.tag ?? "")) return undefined;
      if (served) return served;
    }
    const info = await registry
      .resolve(parsed, served === undefined ? {} : { expect: served })
      .catch((error: unknown) => {
        throw new ImagePlanError(`checking ${ref}: ${messageOf(error)}`);
      });
    return info?.digest;
  }

  function plan(image: ImageDefinition): Promise<PlannedImage> {
    let promise = planned.get(image.name);
    if (!promise) {
      promise = image.build ? planBuilt(image) : planExisting(image);
      // Kept for finish, which may never come (an invalid catalog): a failure is never unhandled.
      promise.catch(() => undefined);
      planned.set(image.name, promise);
    }
    return promise;
  }

  function add(image: ImageDefinition): void {
    // A name is planned once (validation refuses a catalog where two images share one).
    if (added.has(image.name)) return;
    added.set(image.name, image);
    awaited.get(image.name)?.(image);
    awaited.delete(image.name);
    void plan(image);
  }

  /**
   * The digest the published catalog pinned `reference` at, when it served the very reference the
   * definition names (`from`): with trustPublished taken as is, else confirmed with a HEAD.
   */
  function publishedPin(
    before: PublishedImage | undefined,
    reference: string,
    gpu: boolean,
  ): string | undefined {
    if (before?.from === undefined) return undefined;
    const from = gpu ? before.from.urlForGpu : before.from.url;
    return from === reference ? digestOf(gpu ? before.urlForGpu : before.url) : undefined;
  }

  async function resolvePinned(
    reference: string,
    before: PublishedImage | undefined,
    gpu: boolean,
  ): Promise<string> {
    const pinned = publishedPin(before, reference, gpu);
    if (input.trustPublished && pinned !== undefined) return pinned;
    return resolveExisting(reference, registry, pinned);
  }

  async function planExisting(image: ImageDefinition): Promise<PlannedImage> {
    const url = image.url ?? "";
    const gpuUrl =
      image.type === "universal" && image.urlForGpu !== undefined && image.urlForGpu !== url
        ? image.urlForGpu
        : undefined;
    const before = previous.get(image.name);
    const entry: PlannedImage = {
      name: image.name,
      action: "register",
      reasons: [],
      ref: url,
      recipeHash: null,
      digest: await resolvePinned(url, before, false),
      dependsOn: [],
      file: image.file,
      changes: [],
    };
    if (gpuUrl !== undefined) {
      entry.gpuRef = gpuUrl;
      entry.gpuDigest = await resolvePinned(gpuUrl, before, true);
    }
    const pinnedGpu =
      gpuUrl === undefined ? undefined : pinReference(gpuUrl, entry.gpuDigest ?? "");
    decide(
      entry,
      before,
      readyServed(image, config, pinReference(url, entry.digest ?? ""), pinnedGpu),
    );
    return entry;
  }

  async function planBuilt(image: ImageDefinition): Promise<PlannedImage> {
    if (!image.build) throw new Error("unreachable: planBuilt on an existing image");
    const parent = parentName(image);
    let base: ResolvedBase;
    let parentPlan: PlannedImage | undefined;
    if (parent !== undefined) {
      const parentImage = await definition(parent);
      if (!parentImage) throw new ImagePlanError(`its base image:${parent} is not in the catalog`);
      parentPlan = await plan(parentImage).catch((error: unknown) => {
        throw new ImagePlanError(
          `its base image:${parent} could not be planned: ${messageOf(error)}`,
        );
      });
      base =
        parentPlan.recipeHash === null
          ? await resolveRegistryBase(
              parentPlan.digest
                ? `${stripDigest(parentPlan.ref)}@${parentPlan.digest}`
                : parentPlan.ref,
            )
          : catalogBase(parentPlan.ref, parentPlan.recipeHash, parentPlan.base?.user);
    } else {
      base = await resolveRegistryBase(image.build.baseImage);
    }

    const recipe = planRecipe(image, base, config, source);
    const entry: PlannedImage = {
      name: image.name,
      action: "build",
      reasons: [],
      ref: recipe.ref,
      recipeHash: recipe.hash,
      dependsOn: parent === undefined ? [] : [parent],
      file: image.file,
      base: {
        image: image.build.baseImage,
        from: base.from,
        digest: base.digest,
        ...(base.user === undefined ? {} : { user: base.user }),
      },
      dockerfile: recipe.dockerfile,
      changes: [],
    };
    const before = previous.get(image.name);
    const previousDockerfile =
      before?.build && before.build.recipeHash !== recipe.hash
        ? renderServed(image, before, base, config)
        : undefined;
    if (previousDockerfile !== undefined) entry.previousDockerfile = previousDockerfile;

    if (force.has(image.name)) entry.reasons.push("forced");
    if (parentPlan?.action === "build") entry.reasons.push("parent-rebuilt");
    if (entry.reasons.length === 0) {
      const pushed = await pushedDigest(recipe.ref, before, recipe.hash);
      if (pushed) {
        entry.digest = pushed;
        decide(entry, before, readyServed(image, config, pinReference(recipe.ref, pushed)));
        return entry;
      }
      entry.reasons.push(...changeReasons(image, base, recipe.hash, before));
    }
    const contracts = contractsChange(image, before);
    if (contracts) entry.contracts = contracts;
    // What the catalog will say once this build is pushed: its url is then pinned by digest.
    entry.changes = diffServed(before && servedOf(before), readyServed(image, config, recipe.ref));
    return entry;
  }

  async function finish(catalog: Catalog): Promise<Plan> {
    if (catalog.config !== config)
      throw new Error("unreachable: a plan finished with another config than it was started with");
    const ordered = buildOrder(catalog.images);
    for (const image of ordered) add(image);
    finished = true;
    for (const [name, resolve] of awaited) resolve(added.get(name));
    awaited.clear();
    return assemble(catalog, ordered);
  }

  async function assemble(catalog: Catalog, ordered: ImageDefinition[]): Promise<Plan> {
    const names = new Set(catalog.images.map((image) => image.name));
    const errors: PlanError[] = [];
    const settled = await Promise.all(
      ordered.map((image) =>
        plan(image).then(
          (entry) => entry,
          (error: unknown) => {
            errors.push({ image: image.name, file: image.file, message: messageOf(error) });
            return undefined;
          },
        ),
      ),
    );
    const images = settled.filter((entry): entry is PlannedImage => entry !== undefined);
    for (const [name, before] of previous) {
      if (names.has(name)) continue;
      images.push({
        name,
        action: "remove",
        reasons: ["deleted"],
        ref: before.url ?? "",
        recipeHash: before.build?.recipeHash ?? null,
        dependsOn: [],
        changes: diffServed(servedOf(before), undefined),
      });
    }

    const summary = Object.fromEntries(PLAN_ACTIONS.map((action) => [action, 0])) as Record<
      PlanAction,
      number
    >;
    for (const entry of images) summary[entry.action] += 1;
    errors.sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
    const planSource: Plan["source"] = {};
    if (source.repo) planSource.repo = source.repo;
    if (source.commit) planSource.commit = source.commit;
    return {
      apiVersion: "imagesmith/v1",
      kind: "Plan",
      source: planSource,
      baseline: input.baseline,
      images,
      accessChanges: accessChanges(catalog.images, previous, config.groups),
      summary,
      errors,
    };
  }

  return { add, finish };
}

/** Which reason each changed field gives, in the order reasons are listed. */
const FIELD_REASONS: readonly [string, readonly ServedField[]][] = [
  ["access-changed", ["global", "groups"]],
  ["digest-changed", ["url", "urlForGpu"]],
  ["pull-secret-changed", ["pullSecret"]],
  ["status-changed", ["status"]],
  ["metadata-changed", ["type", "displayName", "description", "system", "groupName"]],
];

/**
 * Nothing to build: the entry's action is what publishing changes of what is served. Nothing
 * published before: new (an existing image is registered, a recipe found built is added); a
 * different image for an existing definition: register; any other change: update; none: skip.
 */
function decide(entry: PlannedImage, before: PublishedImage | undefined, after: Served): void {
  entry.changes = diffServed(before && servedOf(before), after);
  const existing = entry.recipeHash === null;
  if (before === undefined) {
    entry.action = existing ? "register" : "update";
    entry.reasons = existing ? ["new"] : ["new", "in-registry"];
    return;
  }
  const fields = new Set(entry.changes.map((change) => change.field));
  const reasons = FIELD_REASONS.filter(([, names]) => names.some((name) => fields.has(name))).map(
    ([reason]) => reason,
  );
  if (reasons.length === 0) {
    entry.action = "skip";
    entry.reasons = ["unchanged"];
    return;
  }
  entry.action = existing && reasons.includes("digest-changed") ? "register" : "update";
  entry.reasons = reasons;
}

/** Why a recipe whose image is not in the registry must be built, against the build served now. */
function changeReasons(
  image: ImageDefinition,
  base: ResolvedBase,
  hash: string,
  before: PublishedImage | undefined,
): string[] {
  const served = before?.build;
  if (!served) return ["new"];
  if (served.recipeHash === hash) return ["missing"];
  const reasons: string[] = [];
  const build = image.build;
  const sameDefinition =
    build !== undefined &&
    served.baseImage === build.baseImage &&
    JSON.stringify(served.packages) === JSON.stringify(build.packages);
  if (served.baseDigest !== undefined && served.baseDigest !== base.digest)
    reasons.push("base-moved");
  if (!sameDefinition) reasons.push("recipe-changed");
  if (contractsChange(image, before)) reasons.push("contracts-changed");
  if (reasons.length === 0) reasons.push("recipe-changed");
  return reasons;
}

/** An image's contracts beyond its packages, as the plan names them: `cuda`, `test: <command>`. */
function contractNames(type: string, tests: readonly string[] | undefined): string[] {
  return [...(type === "cpu" ? [] : ["cuda"]), ...(tests ?? []).map((test) => `test: ${test}`)];
}

/** The contracts before (the served build's) and after, when they differ; else undefined. */
function contractsChange(
  image: ImageDefinition,
  before: PublishedImage | undefined,
): { before: string[]; after: string[] } | undefined {
  if (!before?.build || !image.build) return undefined;
  const was = contractNames(before.type, before.build.tests);
  const will = contractNames(image.type, image.build.tests);
  return JSON.stringify(was) === JSON.stringify(will) ? undefined : { before: was, after: will };
}

/**
 * The served build's recipe, rendered with today's template from what the catalog recorded: its
 * packages, and its base at the digest (or parent recipe) it was built on. The diff against the new
 * recipe then shows what changed, down to a FROM line that moved.
 */
function renderServed(
  image: ImageDefinition,
  before: PublishedImage,
  base: ResolvedBase,
  config: CatalogConfig,
): string | undefined {
  const served = before.build;
  if (!served) return undefined;
  try {
    return renderRecipe({
      image: { ...image, build: { baseImage: served.baseImage, packages: served.packages } },
      from: servedFrom(served.baseImage, served.baseDigest, base, config),
      ...(base.user === undefined ? {} : { baseUser: base.user }),
      config,
    });
  } catch {
    return undefined;
  }
}

function servedFrom(
  baseImage: string,
  baseDigest: string | undefined,
  base: ResolvedBase,
  config: CatalogConfig,
): string {
  if (baseDigest === undefined) return base.from;
  if (baseImage.startsWith(CATALOG_BASE_PREFIX)) {
    const parent = baseImage.slice(CATALOG_BASE_PREFIX.length);
    // A built parent: the recipe tag it was built on. An existing one: its image at that digest.
    return baseDigest.startsWith("recipe:")
      ? builtReference(config, parent, baseDigest.slice("recipe:".length))
      : `${stripDigest(base.from)}@${baseDigest}`;
  }
  return registryBaseFrom(baseImage, baseDigest, config);
}

function accessChanges(
  images: readonly ImageDefinition[],
  previous: Map<string, PublishedImage>,
  known: readonly string[] | undefined,
): AccessChange[] {
  const changes: AccessChange[] = [];
  const current = new Set<string>();
  const nobody = { global: false, groups: [] };
  const sorted = [...images].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const image of sorted) {
    current.add(image.name);
    changes.push(...diffAccess(image.name, previous.get(image.name) ?? nobody, image, known));
  }
  for (const [name, before] of [...previous].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!current.has(name)) changes.push(...diffAccess(name, before, nobody, known));
  }
  return changes;
}

/**
 * Who gains and who loses an image. Global means every group, so a group named next to it gains
 * or loses nothing; the groups of imagesmith.yaml say who "every group" is.
 */
function diffAccess(
  image: string,
  before: { global: boolean; groups: string[] },
  after: { global: boolean; groups: string[] },
  known: readonly string[] | undefined,
): AccessChange[] {
  if (before.global && after.global) return [];
  if (after.global) {
    return [
      {
        image,
        change: "became-global",
        ...(known ? { groups: known.filter((g) => !before.groups.includes(g)).sort() } : {}),
      },
    ];
  }
  if (before.global) {
    const everyone = [...new Set([...(known ?? []), ...before.groups])];
    const change: AccessChange = {
      image,
      change: "no-longer-global",
      groups: everyone.filter((g) => !after.groups.includes(g)).sort(),
    };
    if (after.groups.length > 0) change.keeps = [...after.groups].sort();
    if (!known && change.groups?.length === 0) delete change.groups;
    return [change];
  }
  const changes: AccessChange[] = [];
  for (const group of [...after.groups].sort()) {
    if (!before.groups.includes(group)) changes.push({ image, change: "group-added", group });
  }
  for (const group of [...before.groups].sort()) {
    if (!after.groups.includes(group)) changes.push({ image, change: "group-removed", group });
  }
  return changes;
}

async function resolveBase(
  reference: string,
  config: CatalogConfig,
  registry: Registry,
  platform: Platform,
  options: { cache: BaseConfigCache | undefined; expect: string | undefined },
): Promise<ResolvedBase> {
  const ref = mirroredBase(reference, config);
  const via = mirrorNote(reference, config);
  let digest = ref.digest;
  if (!digest) {
    const info = await registry
      .resolve(ref, options.expect === undefined ? {} : { expect: options.expect })
      .catch((error: unknown) => {
        throw new ImagePlanError(
          `resolving the base image ${reference}${via}: ${messageOf(error)}`,
        );
      });
    if (!info)
      throw new ImagePlanError(`the base image ${reference}${via} does not exist in its registry`);
    digest = info.digest;
  }
  const user = await baseUser(reference, digest, config, registry, platform, options.cache);
  return {
    from: registryBaseFrom(reference, digest, config),
    digest,
    ...(isRootUser(user) ? {} : { user }),
  };
}

/** The user a base image runs as, read from its config once per digest (then cached). */
export async function baseUser(
  reference: string,
  digest: string,
  config: CatalogConfig,
  registry: Registry,
  platform: Platform,
  cache: BaseConfigCache | undefined,
): Promise<string | undefined> {
  const cached = cache?.get(digest);
  if (cached) return cached.user;
  const ref = mirroredBase(reference, config);
  const imageConfig = await registry
    .imageConfig({ ...ref, digest }, platform)
    .catch((error: unknown) => {
      throw new ImagePlanError(
        `reading the config of the base image ${reference}${mirrorNote(reference, config)}: ${messageOf(error)}`,
      );
    });
  const user = imageConfig.user || undefined;
  cache?.set(digest, user === undefined ? {} : { user });
  return user;
}

/** " (through the mirror, as HOST/PATH:TAG)" when a mirror rewrites where `reference` is pulled from. */
function mirrorNote(reference: string, config: CatalogConfig): string {
  const shown = formatImageReference(mirroredBase(reference, config));
  return shown === formatImageReference(parseReference(reference))
    ? ""
    : ` (through the mirror, as ${shown})`;
}

async function resolveExisting(
  url: string,
  registry: Registry,
  expect: string | undefined,
): Promise<string> {
  const info = await registry
    .resolve(parseReference(url), expect === undefined ? {} : { expect })
    .catch((error: unknown) => {
      throw new ImagePlanError(`checking ${url}: ${messageOf(error)}`);
    });
  if (!info)
    throw new ImagePlanError(
      `${url} does not exist in its registry (manifest unknown); fix url, or push the image first`,
    );
  return info.digest;
}

function messageOf(error: unknown): string {
  if (error instanceof ImagePlanError || error instanceof RegistryError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
