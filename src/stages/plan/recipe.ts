/**
 * From a definition and its resolved base to what is built: the recipe, its hash, the reference it
 * is pushed to and the Dockerfile. The planner computes it; a plan file is checked against it, so a
 * plan can only ever build what the definitions render.
 */
import {
  formatImageReference,
  type ImageReference,
  parseImageReference,
} from "../../grammars/image-ref.js";
import type { PublishedImage } from "../../catalog/types.js";
import type { CatalogConfig, ImageDefinition } from "../../model.js";
import { applyMirror } from "../../registry/mirrors.js";
import type { Platform } from "../../registry/types.js";
import {
  imageLabels,
  recipeContracts,
  recipeHash,
  renderDockerfile,
  renderRecipe,
} from "../render/index.js";

/** A base as the recipe uses it. */
export interface ResolvedBase {
  /** The FROM reference: pinned by digest (through the mirror), or the parent's recipe tag. */
  from: string;
  /** What the recipe hash covers for the base: its digest, or `recipe:<hash>` of the parent. */
  digest: string;
  /** The base's own user, when it is not root. */
  user?: string;
}

export interface Recipe {
  /** The Dockerfile without labels: what the hash covers. */
  recipe: string;
  hash: string;
  /** Where the image of this recipe is pushed. */
  ref: string;
  /** The recipe with its labels: what is built. */
  dockerfile: string;
}

/** Thrown inside planning to fail one image with a message; other images go on. */
export class ImagePlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImagePlanError";
  }
}

/** The recipe of a built image on `base`, as the definitions at `source` render it. */
export function planRecipe(
  image: ImageDefinition,
  base: ResolvedBase,
  config: CatalogConfig,
  source: { repo?: string; commit?: string },
): Recipe {
  const recipe = renderRecipe({
    image,
    from: base.from,
    ...(base.user === undefined ? {} : { baseUser: base.user }),
    config,
  });
  const hash = recipeHash(recipe, base.digest, config.platform, recipeContracts(image));
  return {
    recipe,
    hash,
    ref: builtReference(config, image.name, hash),
    dockerfile: renderDockerfile(recipe, imageLabels(image, hash, source)),
  };
}

/** Where a built image of this recipe is pushed: one repository per image, or one for all. */
export function builtReference(config: CatalogConfig, name: string, hash: string): string {
  if (!config.registry)
    throw new ImagePlanError(
      "set registry in imagesmith.yaml: built images need a registry to be pushed to",
    );
  return config.singleRepository
    ? `${config.registry}:${name}-${hash}`
    : `${config.registry}/${name}:${hash}`;
}

/** A base reference as it is pulled: through its mirror, when one is configured. */
export function mirroredBase(reference: string, config: CatalogConfig): ImageReference {
  return applyMirror(parseReference(reference), config.mirrors);
}

/** The FROM of a registry base resolved to `digest`: its mirrored repository, pinned. */
export function registryBaseFrom(reference: string, digest: string, config: CatalogConfig): string {
  return formatImageReference({
    ...mirroredBase(reference, config),
    tag: undefined,
    digest,
  } as ImageReference);
}

/** The base a child builds on when its `image:` parent is a built image of this catalog. */
export function catalogBase(parentRef: string, parentHash: string, user?: string): ResolvedBase {
  return {
    from: parentRef,
    digest: `recipe:${parentHash}`,
    ...(user === undefined ? {} : { user }),
  };
}

export function parseReference(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if (!parsed.ok)
    throw new ImagePlanError(
      `${JSON.stringify(text)} is not an image reference: ${parsed.error.message}`,
    );
  return parsed.value;
}

export function parsePlatform(text: string): Platform {
  const [os = "linux", architecture = "amd64", variant] = text.split("/");
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

export function stripDigest(ref: string): string {
  const at = ref.indexOf("@");
  return at < 0 ? ref : ref.slice(0, at);
}

/**
 * The recipe (the Dockerfile without its labels) of the build a published image serves, rendered
 * again from its build record; undefined when that cannot reproduce it exactly (the record was
 * made by another template version, or with another imagesmith.yaml), which the recipe hash tells.
 */
export function servedRecipe(image: PublishedImage, config: CatalogConfig): string | undefined {
  const build = image.build;
  if (build?.baseDigest === undefined) return undefined;
  const definition: ImageDefinition = {
    name: image.name,
    displayName: image.displayName,
    type: image.type,
    global: image.global,
    groups: image.groups,
    system: image.system,
    ...(image.groupName === undefined ? {} : { groupName: image.groupName }),
    file: image.system
      ? `images/${image.name}.yaml`
      : `images/groups/${image.groupName ?? ""}/${image.name}.yaml`,
    build: {
      baseImage: build.baseImage,
      packages: build.packages,
      ...(build.tests ? { tests: build.tests } : {}),
    },
  };
  try {
    const parent = build.baseImage.startsWith(CATALOG_PREFIX)
      ? build.baseImage.slice(CATALOG_PREFIX.length)
      : undefined;
    const from =
      parent === undefined
        ? registryBaseFrom(build.baseImage, build.baseDigest, config)
        : builtReference(config, parent, build.baseDigest.replace(/^recipe:/, ""));
    const recipe = renderRecipe({
      image: definition,
      from,
      ...(build.baseUser === undefined ? {} : { baseUser: build.baseUser }),
      config,
    });
    const hash = recipeHash(recipe, build.baseDigest, config.platform, recipeContracts(definition));
    return hash === build.recipeHash ? recipe : undefined;
  } catch {
    return undefined;
  }
}

const CATALOG_PREFIX = "image:";
