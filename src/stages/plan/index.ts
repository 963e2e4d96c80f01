import {
  formatImageReference,
  type ImageReference,
  parseImageReference,
} from "../../grammars/image-ref.js";
import type { Catalog, CatalogConfig, ImageDefinition } from "../../model.js";
import type { PublishedCatalog, PublishedImage } from "../../published.js";
import { applyMirror } from "../../registry/mirrors.js";
import { type Platform, RegistryError, type Registry } from "../../registry/types.js";
import {
  imageLabels,
  isRootUser,
  recipeHash,
  renderDockerfile,
  renderRecipe,
} from "../render/index.js";
import { buildOrder, parentName } from "./graph.js";

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
  /** Why: for build, any of new, recipe-changed, base-moved, parent-rebuilt, forced, missing. */
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
  /** The Dockerfile of the previously published recipe, when it differs: what reviewers diff against. */
  previousDockerfile?: string;
}

export type AccessChangeKind =
  "became-global" | "no-longer-global" | "group-added" | "group-removed";

/** A change in who may use an image: what a reviewer must not miss. */
export interface AccessChange {
  image: string;
  change: AccessChangeKind;
  group?: string;
}

/** An image the plan could not decide on: a missing existing image, an unreachable registry. */
export interface PlanError {
  image: string;
  file?: string;
  message: string;
}

export interface Plan {
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
  previous?: PublishedCatalog;
  /** Images to rebuild whatever the registry holds (the Rebuild button). */
  force?: readonly string[];
  source?: { repo?: string; commit?: string };
  baseConfigs?: BaseConfigCache;
  /**
   * Take a recipe the previous catalog records as ready, pinned at a digest, as still in the
   * registry, without asking it. For previews (a pull request's plan): the registry is what the
   * default branch's plan checks before it builds or publishes anything.
   */
  trustPublished?: boolean;
}

interface ResolvedBase {
  from: string;
  /** What the recipe hash covers for the base: its digest, or the parent's recipe. */
  digest: string;
  user?: string;
}

/** Thrown inside planning to fail one image with a message; other images go on. */
class ImagePlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImagePlanError";
  }
}

/**
 * Decides, for every image of the catalog, one action and its reasons, by comparing the
 * definitions, the registry and the previously published catalog. Registry requests run
 * concurrently (the registry port limits them); each distinct base is resolved once.
 */
export async function planCatalog(input: PlanInput): Promise<Plan> {
  const { catalog, registry } = input;
  const config = catalog.config;
  const force = new Set(input.force ?? []);
  const previous = new Map((input.previous?.images ?? []).map((image) => [image.name, image]));
  const ordered = buildOrder(catalog.images);
  const byName = new Map(ordered.map((image) => [image.name, image]));
  const platform = parsePlatform(config.platform);

  const bases = new Map<string, Promise<ResolvedBase>>();
  const planned = new Map<string, Promise<PlannedImage>>();

  function resolveRegistryBase(reference: string): Promise<ResolvedBase> {
    let promise = bases.get(reference);
    if (!promise) {
      promise = resolveBase(reference, config, registry, platform, input.baseConfigs);
      bases.set(reference, promise);
    }
    return promise;
  }

  // One repository for every built image: one paginated tag list answers "already built?" for
  // all of them, instead of a HEAD each.
  let singleRepositoryTags: Promise<Set<string>> | undefined;

  /**
   * The digest of the recipe's image when it is in the registry, undefined when it is not. The
   * published catalog pins every image by digest, so a tag list alone is not enough: a listed tag
   * takes its digest from the previous catalog when that recorded this very recipe, else one HEAD.
   */
  async function pushedDigest(
    ref: string,
    previousBuild: PublishedImage | undefined,
    hash: string,
  ): Promise<string | undefined> {
    const parsed = parseReference(ref);
    if (
      input.trustPublished &&
      previousBuild?.status === "ready" &&
      previousBuild.build?.recipeHash === hash
    ) {
      const recorded = digestOf(previousBuild.url);
      if (recorded) return recorded;
    }
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
      const recorded =
        previousBuild?.build?.recipeHash === hash ? digestOf(previousBuild.url) : undefined;
      if (recorded) return recorded;
    }
    const info = await registry.resolve(parsed).catch((error: unknown) => {
      throw new ImagePlanError(`checking ${ref}: ${messageOf(error)}`);
    });
    return info?.digest;
  }

  function plan(image: ImageDefinition): Promise<PlannedImage> {
    let promise = planned.get(image.name);
    if (!promise) {
      promise = image.build ? planBuilt(image) : planExisting(image);
      planned.set(image.name, promise);
    }
    return promise;
  }

  /**
   * With trustPublished: the digests the previous catalog pinned these very references at, when
   * it served them; undefined means ask the registry.
   */
  function trustedExisting(
    image: ImageDefinition,
    url: string,
    gpuUrl: string | undefined,
  ): { digest: string; gpuDigest?: string } | undefined {
    const before = previous.get(image.name);
    if (!input.trustPublished || before?.status !== "ready" || before.from?.url !== url)
      return undefined;
    if (before.from.urlForGpu !== gpuUrl) return undefined;
    const digest = digestOf(before.url);
    const gpuDigest = gpuUrl === undefined ? undefined : digestOf(before.urlForGpu);
    if (digest === undefined || (gpuUrl !== undefined && gpuDigest === undefined)) return undefined;
    return { digest, ...(gpuDigest === undefined ? {} : { gpuDigest }) };
  }

  async function planExisting(image: ImageDefinition): Promise<PlannedImage> {
    const url = image.url ?? "";
    const gpuUrl =
      image.type === "universal" && image.urlForGpu !== undefined && image.urlForGpu !== url
        ? image.urlForGpu
        : undefined;
    const trusted = trustedExisting(image, url, gpuUrl);
    const digest = trusted?.digest ?? (await resolveExisting(url, registry));
    const entry: PlannedImage = {
      name: image.name,
      action: "register",
      reasons: [],
      ref: url,
      recipeHash: null,
      digest,
      dependsOn: [],
      file: image.file,
    };
    if (gpuUrl !== undefined) {
      entry.gpuRef = gpuUrl;
      entry.gpuDigest = trusted?.gpuDigest ?? (await resolveExisting(gpuUrl, registry));
    }
    const before = previous.get(image.name);
    if (!before) {
      entry.reasons.push("new");
    } else if (
      digestOf(before.url) !== digest ||
      (entry.gpuDigest !== undefined && digestOf(before.urlForGpu) !== entry.gpuDigest)
    ) {
      entry.reasons.push("digest-changed");
    } else {
      decideUnchanged(entry, image, before);
    }
    return entry;
  }

  async function planBuilt(image: ImageDefinition): Promise<PlannedImage> {
    const build = image.build;
    if (!build) throw new Error("unreachable: planBuilt on an existing image");
    if (!config.registry) {
      throw new ImagePlanError(
        "set registry in imagesmith.yaml: built images need a registry to be pushed to",
      );
    }
    const parent = parentName(image);
    let base: ResolvedBase;
    let parentPlan: PlannedImage | undefined;
    if (parent !== undefined) {
      const parentImage = byName.get(parent);
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
          : {
              from: parentPlan.ref,
              digest: `recipe:${parentPlan.recipeHash}`,
              ...(parentPlan.base?.user === undefined ? {} : { user: parentPlan.base.user }),
            };
    } else {
      base = await resolveRegistryBase(build.baseImage);
    }

    const recipe = renderRecipe({
      image,
      from: base.from,
      ...(base.user === undefined ? {} : { baseUser: base.user }),
      config,
    });
    const hash = recipeHash(recipe, base.digest, config.platform);
    const ref = builtReference(config, image.name, hash);
    const entry: PlannedImage = {
      name: image.name,
      action: "build",
      reasons: [],
      ref,
      recipeHash: hash,
      dependsOn: parent === undefined ? [] : [parent],
      file: image.file,
      base: {
        image: build.baseImage,
        from: base.from,
        digest: base.digest,
        ...(base.user === undefined ? {} : { user: base.user }),
      },
      dockerfile: renderDockerfile(recipe, imageLabels(image, hash, input.source ?? {})),
    };
    const before = previous.get(image.name);

    if (force.has(image.name)) entry.reasons.push("forced");
    if (parentPlan?.action === "build") entry.reasons.push("parent-rebuilt");
    if (entry.reasons.length === 0) {
      const pushed = await pushedDigest(ref, before, hash);
      if (pushed) {
        entry.digest = pushed;
        decideUnchanged(entry, image, before);
        return entry;
      }
      entry.reasons.push(...changeReasons(image, base, hash, before));
    }
    const previousDockerfile = before?.build
      ? renderPrevious(image, before, base, config)
      : undefined;
    if (previousDockerfile !== undefined && previousDockerfile !== recipe)
      entry.previousDockerfile = previousDockerfile;
    return entry;
  }

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
    if (byName.has(name)) continue;
    images.push({
      name,
      action: "remove",
      reasons: ["deleted"],
      ref: before.url ?? "",
      recipeHash: before.build?.recipeHash ?? null,
      dependsOn: [],
    });
  }

  const summary = Object.fromEntries(PLAN_ACTIONS.map((action) => [action, 0])) as Record<
    PlanAction,
    number
  >;
  for (const entry of images) summary[entry.action] += 1;
  errors.sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
  return { images, accessChanges: accessChanges(catalog.images, previous), summary, errors };
}

/** Already in the registry (or unchanged): skip, or update when only what the platform shows changed. */
function decideUnchanged(
  entry: PlannedImage,
  image: ImageDefinition,
  before: PublishedImage | undefined,
): void {
  const changed = before ? metadataChanges(image, before) : [];
  if (changed.length > 0) {
    entry.action = "update";
    entry.reasons = changed;
  } else {
    entry.action = "skip";
    entry.reasons = [before ? "unchanged" : "in-registry"];
  }
}

function metadataChanges(image: ImageDefinition, before: PublishedImage): string[] {
  const reasons: string[] = [];
  if (
    image.displayName !== before.displayName ||
    (image.description ?? "") !== (before.description ?? "") ||
    image.type !== before.type ||
    (image.build ? false : (image.pullSecret ?? "") !== (before.pullSecret ?? ""))
  ) {
    reasons.push("metadata-changed");
  }
  if (image.global !== before.global || !sameSet(image.groups, before.groups))
    reasons.push("access-changed");
  return reasons;
}

/** Why a recipe whose image is not in the registry must be built. */
function changeReasons(
  image: ImageDefinition,
  base: ResolvedBase,
  hash: string,
  before: PublishedImage | undefined,
): string[] {
  const previousBuild = before?.build;
  if (!previousBuild) return ["new"];
  if (previousBuild.recipeHash === hash) return ["missing"];
  const reasons: string[] = [];
  const build = image.build;
  const sameDefinition =
    build !== undefined &&
    previousBuild.baseImage === build.baseImage &&
    JSON.stringify(previousBuild.packages) === JSON.stringify(build.packages);
  if (previousBuild.baseDigest !== undefined && previousBuild.baseDigest !== base.digest)
    reasons.push("base-moved");
  if (!sameDefinition || reasons.length === 0) reasons.push("recipe-changed");
  return reasons;
}

/** The previous recipe rendered with today's template, so the diff shows what the definition changed. */
function renderPrevious(
  image: ImageDefinition,
  before: PublishedImage,
  base: ResolvedBase,
  config: CatalogConfig,
): string | undefined {
  const previousBuild = before.build;
  if (!previousBuild) return undefined;
  const from =
    previousBuild.baseDigest &&
    !previousBuild.baseDigest.startsWith("recipe:") &&
    previousBuild.baseImage === image.build?.baseImage
      ? `${stripDigest(base.from)}@${previousBuild.baseDigest}`
      : base.from;
  try {
    return renderRecipe({
      image: {
        ...image,
        build: { baseImage: previousBuild.baseImage, packages: previousBuild.packages },
      },
      from,
      ...(base.user === undefined ? {} : { baseUser: base.user }),
      config,
    });
  } catch {
    return undefined;
  }
}

function accessChanges(
  images: readonly ImageDefinition[],
  previous: Map<string, PublishedImage>,
): AccessChange[] {
  const changes: AccessChange[] = [];
  const current = new Set<string>();
  const sorted = [...images].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const image of sorted) {
    current.add(image.name);
    const before = previous.get(image.name);
    changes.push(...diffAccess(image.name, before ? before : { global: false, groups: [] }, image));
  }
  for (const [name, before] of [...previous].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!current.has(name))
      changes.push(...diffAccess(name, before, { global: false, groups: [] }));
  }
  return changes;
}

function diffAccess(
  image: string,
  before: { global: boolean; groups: string[] },
  after: { global: boolean; groups: string[] },
): AccessChange[] {
  const changes: AccessChange[] = [];
  if (after.global && !before.global) changes.push({ image, change: "became-global" });
  if (!after.global && before.global) changes.push({ image, change: "no-longer-global" });
  for (const group of [...after.groups].sort()) {
    if (!before.groups.includes(group)) changes.push({ image, change: "group-added", group });
  }
  for (const group of [...before.groups].sort()) {
    if (!after.groups.includes(group)) changes.push({ image, change: "group-removed", group });
  }
  return changes;
}

/** Where a built image of this recipe is pushed: one repository per image, or one for all. */
export function builtReference(config: CatalogConfig, name: string, hash: string): string {
  if (!config.registry) throw new ImagePlanError("set registry in imagesmith.yaml");
  return config.singleRepository
    ? `${config.registry}:${name}-${hash}`
    : `${config.registry}/${name}:${hash}`;
}

async function resolveBase(
  reference: string,
  config: CatalogConfig,
  registry: Registry,
  platform: Platform,
  cache: BaseConfigCache | undefined,
): Promise<ResolvedBase> {
  const ref = applyMirror(parseReference(reference), config.mirrors);
  const shown = formatImageReference(ref);
  const via = shown === reference ? "" : ` (through the mirror, as ${shown})`;
  let digest = ref.digest;
  if (!digest) {
    const info = await registry.resolve(ref).catch((error: unknown) => {
      throw new ImagePlanError(`resolving the base image ${reference}${via}: ${messageOf(error)}`);
    });
    if (!info)
      throw new ImagePlanError(`the base image ${reference}${via} does not exist in its registry`);
    digest = info.digest;
  }
  let user = cache?.get(digest)?.user;
  if (!cache?.get(digest)) {
    const imageConfig = await registry
      .imageConfig({ ...ref, digest }, platform)
      .catch((error: unknown) => {
        throw new ImagePlanError(
          `reading the config of the base image ${reference}${via}: ${messageOf(error)}`,
        );
      });
    user = imageConfig.user || undefined;
    cache?.set(digest, user === undefined ? {} : { user });
  }
  const from = formatImageReference({ ...ref, tag: undefined, digest } as ImageReference);
  return { from, digest, ...(isRootUser(user) ? {} : { user }) };
}

async function resolveExisting(url: string, registry: Registry): Promise<string> {
  const info = await registry.resolve(parseReference(url)).catch((error: unknown) => {
    throw new ImagePlanError(`checking ${url}: ${messageOf(error)}`);
  });
  if (!info)
    throw new ImagePlanError(
      `${url} does not exist in its registry (manifest unknown); fix url, or push the image first`,
    );
  return info.digest;
}

function parseReference(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if (!parsed.ok)
    throw new ImagePlanError(
      `${JSON.stringify(text)} is not an image reference: ${parsed.error.message}`,
    );
  return parsed.value;
}

function parsePlatform(text: string): Platform {
  const [os = "linux", architecture = "amd64", variant] = text.split("/");
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

function stripDigest(ref: string): string {
  const at = ref.indexOf("@");
  return at < 0 ? ref : ref.slice(0, at);
}

/** The digest a pinned reference (`...@sha256:...`) carries. */
export function digestOf(pinned: string | undefined): string | undefined {
  const at = pinned?.lastIndexOf("@") ?? -1;
  return pinned !== undefined && at >= 0 ? pinned.slice(at + 1) : undefined;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

function messageOf(error: unknown): string {
  if (error instanceof ImagePlanError || error instanceof RegistryError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
