/**
 * publish: from the definitions, the plan and the build results to the catalog the platform syncs.
 *
 * The rule every status follows: a user never loses a working image. An image being rebuilt keeps
 * serving its last good url (status `building`); a rebuild that fails or is cancelled leaves that
 * url in place (status `failed` / `cancelled`); only a finished build moves it.
 */
import { isAbsolute, relative, sep } from "node:path";
import { parseImageReference, repositoryOf } from "../../grammars/image-ref.js";
import type { CatalogConfig, ImageDefinition } from "../../model.js";
import type {
  ImageStatus,
  PublishedBuild,
  PublishedCatalog,
  PublishedImage,
} from "../../published.js";
import type { Plan, PlannedImage } from "../plan/index.js";
import { canonicalImage } from "./catalog-file.js";
import { PublishError } from "./errors.js";

export {
  CATALOG_MEDIA_TYPE,
  catalogManifest,
  pullCatalogArtifact,
  pushCatalogArtifact,
} from "./artifact.js";
export {
  canonicalCatalog,
  catalogSchema,
  readCatalogFile,
  serializeCatalog,
  validateCatalogDocument,
  writeCatalogFile,
} from "./catalog-file.js";
export { PublishError, type PublishErrorCode } from "./errors.js";

export type OutcomeState = "done" | "failed" | "cancelled" | "skipped";

/** What the build stage reports for one image (its BuildOutcome fits this shape). */
export interface ImageOutcome {
  /** skipped: not attempted because an image it builds on failed or was cancelled. */
  state: OutcomeState;
  /** done: the digest of the pushed manifest. */
  digest?: string;
  /** RFC 3339. */
  finishedAt?: string;
  /** The build log; made relative to `root` in the catalog. */
  logFile?: string;
  /** failed: one line saying why (it may end with "; see <logFile>"). */
  error?: string;
  /** Where the build's log can be read, when it ran elsewhere (a CI run). */
  logUrl?: string;
}

export type PublishPhase = "before-build" | "after-build";

export interface BuildCatalogInput {
  /** Every definition of the catalog. */
  images: ImageDefinition[];
  plan: Plan;
  /** after-build: by image name. An image the plan builds without an outcome was not attempted. */
  outcomes?: Map<string, ImageOutcome>;
  /** The catalog published last: where the last good urls come from. */
  previous?: PublishedCatalog;
  config: CatalogConfig;
  source: { repo?: string; commit?: string };
  phase: PublishPhase;
  now: Date;
  /** The catalog root: log paths are written relative to it. */
  root?: string;
}

/**
 * The catalog to publish. `before-build`: what the plan builds is `building` (still serving its
 * last good url, if it had one), the rest `ready`. `after-build`: each build's outcome decides.
 * An image the plan could not decide on (a plan error) keeps its previous entry unchanged; a
 * removed one is gone. Sorted by name; the same input gives the same catalog.
 */
export function buildCatalog(input: BuildCatalogInput): PublishedCatalog {
  const planned = new Map(input.plan.images.map((entry) => [entry.name, entry]));
  const previous = new Map((input.previous?.images ?? []).map((image) => [image.name, image]));
  const images: PublishedImage[] = [];
  for (const definition of input.images) {
    const entry = planned.get(definition.name);
    const before = previous.get(definition.name);
    const image =
      entry === undefined || entry.action === "remove"
        ? before && canonicalImage(before)
        : publishImage(definition, entry, before, input, planned);
    if (image !== undefined) images.push(image);
  }
  images.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const source: PublishedCatalog["source"] = {};
  if (input.source.repo) source.repo = input.source.repo;
  if (input.source.commit) source.commit = input.source.commit;
  return {
    apiVersion: "imagesmith/v1",
    kind: "ImageCatalog",
    source,
    generatedAt: input.now.toISOString(),
    images,
  };
}

function publishImage(
  definition: ImageDefinition,
  entry: PlannedImage,
  before: PublishedImage | undefined,
  input: BuildCatalogInput,
  planned: Map<string, PlannedImage>,
): PublishedImage | undefined {
  if (definition.build === undefined) return publishExisting(definition, entry);
  const recipe = publishedRecipe(definition, entry);
  if (entry.action !== "build") {
    // Already in the registry: ready, with the build details of this recipe if we built it.
    const url = pinReference(entry.ref, requireDigest(entry));
    const same = before?.build?.recipeHash === recipe.recipeHash ? before.build : undefined;
    if (same?.builtAt !== undefined) recipe.builtAt = same.builtAt;
    if (same?.log !== undefined) recipe.log = same.log;
    if (same?.logUrl !== undefined) recipe.logUrl = same.logUrl;
    return describe(definition, {
      url,
      urlForGpu: url,
      pullSecret: input.config.pullSecret,
      status: "ready",
      build: recipe,
    });
  }
  if (input.phase === "before-build") return lastGood(definition, before, "building", recipe);

  const outcome = input.outcomes?.get(definition.name);
  // Planned but not attempted (a build of selected images only): nothing new to say.
  if (outcome === undefined) return before && canonicalImage(before);
  const log = relativeLog(outcome.logFile, input.root);
  if (log !== undefined) recipe.log = log;
  if (outcome.logUrl !== undefined) recipe.logUrl = outcome.logUrl;
  switch (outcome.state) {
    case "done": {
      if (outcome.digest === undefined) {
        return lastGood(definition, before, "failed", recipe, "the build reported no digest");
      }
      recipe.builtAt = timestamp(outcome.finishedAt, input.now);
      const url = pinReference(entry.ref, outcome.digest);
      return describe(definition, {
        url,
        urlForGpu: url,
        pullSecret: input.config.pullSecret,
        status: "ready",
        build: recipe,
      });
    }
    case "failed":
      return lastGood(definition, before, "failed", recipe, failureMessage(before, outcome, log));
    case "cancelled":
      return lastGood(definition, before, "cancelled", recipe, "the build was cancelled");
    case "skipped": {
      const blocker = blockingAncestor(entry, planned, input.outcomes);
      const status = blocker?.state === "cancelled" ? "cancelled" : "failed";
      const message = blocker
        ? `not built: its base image:${blocker.name} ${blocker.state === "cancelled" ? "was cancelled" : "failed to build"}`
        : "not built: an image it builds on did not build";
      return lastGood(definition, before, status, recipe, message);
    }
  }
}

/** An existing image: ready, pinned to the digest the plan resolved. */
function publishExisting(definition: ImageDefinition, entry: PlannedImage): PublishedImage {
  const url = pinReference(entry.ref, requireDigest(entry));
  // PrimeHub's rule: urlForGpu is url unless a universal image names its own.
  const urlForGpu =
    definition.type === "universal" && entry.gpuRef !== undefined && entry.gpuDigest !== undefined
      ? pinReference(entry.gpuRef, entry.gpuDigest)
      : url;
  return describe(definition, {
    url,
    urlForGpu,
    pullSecret: definition.pullSecret,
    status: "ready",
    from: {
      url: entry.ref,
      ...(entry.gpuRef === undefined ? {} : { urlForGpu: entry.gpuRef }),
    },
  });
}

/**
 * An image whose current recipe has no image (yet): the previous entry's url, urlForGpu and pull
 * secret (the secret belongs with the url it pulls), or no url when it never had one.
 */
function lastGood(
  definition: ImageDefinition,
  before: PublishedImage | undefined,
  status: ImageStatus,
  build: PublishedBuild,
  message?: string,
): PublishedImage {
  const kept = before?.url === undefined ? undefined : before;
  // A universal image that became cpu or gpu serves one image from now on: the CPU one.
  const urlForGpu = definition.type === "universal" ? (kept?.urlForGpu ?? kept?.url) : kept?.url;
  return describe(definition, {
    url: kept?.url,
    urlForGpu,
    pullSecret: kept?.pullSecret,
    status,
    message,
    build,
  });
}

interface Served {
  url: string | undefined;
  urlForGpu: string | undefined;
  pullSecret: string | undefined;
  status: ImageStatus;
  message?: string | undefined;
  from?: PublishedImage["from"];
  build?: PublishedBuild;
}

/** The published entry: what the definition says, plus what is served and how it got there. */
function describe(definition: ImageDefinition, served: Served): PublishedImage {
  return canonicalImage({
    name: definition.name,
    displayName: definition.displayName,
    ...(definition.description === undefined ? {} : { description: definition.description }),
    type: definition.type,
    ...(served.url === undefined ? {} : { url: served.url }),
    ...(served.urlForGpu === undefined ? {} : { urlForGpu: served.urlForGpu }),
    ...(served.pullSecret === undefined ? {} : { pullSecret: served.pullSecret }),
    global: definition.global,
    groups: [...new Set(definition.groups)].sort(),
    system: definition.system,
    ...(definition.system || definition.groupName === undefined
      ? {}
      : { groupName: definition.groupName }),
    status: served.status,
    ...(served.message === undefined ? {} : { message: served.message }),
    ...(served.from === undefined ? {} : { from: served.from }),
    ...(served.build === undefined ? {} : { build: served.build }),
  });
}

/** The current definition's recipe, as planned. */
function publishedRecipe(definition: ImageDefinition, entry: PlannedImage): PublishedBuild {
  const build = definition.build;
  if (build === undefined || entry.recipeHash === null) {
    throw new PublishError(
      `the plan treats ${definition.name} as ${build ? "an existing image" : "a built image"}, but its definition ${build ? "builds it" : "does not"}; plan again`,
      "inconsistent-input",
    );
  }
  return {
    baseImage: build.baseImage,
    ...(entry.base?.digest === undefined ? {} : { baseDigest: entry.base.digest }),
    packages: {
      apt: [...build.packages.apt],
      conda: [...build.packages.conda],
      pip: [...build.packages.pip],
    },
    recipeHash: entry.recipeHash,
  };
}

/** The nearest image this one builds on whose build failed or was cancelled. */
function blockingAncestor(
  entry: PlannedImage,
  planned: Map<string, PlannedImage>,
  outcomes: Map<string, ImageOutcome> | undefined,
): { name: string; state: OutcomeState } | undefined {
  const seen = new Set<string>();
  let frontier = [...entry.dependsOn];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const name of frontier) {
      if (seen.has(name)) continue;
      seen.add(name);
      const state = outcomes?.get(name)?.state;
      if (state === "failed" || state === "cancelled") return { name, state };
      next.push(...(planned.get(name)?.dependsOn ?? []));
    }
    frontier = next;
  }
  return undefined;
}

/** The longest cause quoted in a message: the log has the rest. */
const MAX_CAUSE = 300;

/** "the rebuild failed: <cause>; see <log>": the platform shows it next to the image. */
function failureMessage(
  before: PublishedImage | undefined,
  outcome: ImageOutcome,
  log: string | undefined,
): string {
  const what = before?.url === undefined ? "the build failed" : "the rebuild failed";
  let cause = outcome.error?.trim() ?? "";
  // The build stage ends its error with the absolute log path; the catalog names it relative.
  if (outcome.logFile && cause.endsWith(`; see ${outcome.logFile}`))
    cause = cause.slice(0, -`; see ${outcome.logFile}`.length);
  if (cause.length > MAX_CAUSE) cause = `${cause.slice(0, MAX_CAUSE - 1)}…`;
  return `${what}${cause === "" ? "" : `: ${cause}`}${log === undefined ? "" : `; see ${log}`}`;
}

function requireDigest(entry: PlannedImage): string {
  if (entry.digest === undefined) {
    throw new PublishError(
      `the plan has no digest for ${entry.name} (${entry.action} ${entry.ref}); plan again`,
      "inconsistent-input",
    );
  }
  return entry.digest;
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

/** A log path relative to the catalog root, with `/` separators; absolute paths outside it are cut to their `.imagesmith/` part. */
function relativeLog(file: string | undefined, root: string | undefined): string | undefined {
  if (file === undefined || file === "") return undefined;
  let path = file;
  if (isAbsolute(path)) {
    const inside = root === undefined ? undefined : relative(root, path);
    if (inside !== undefined && !inside.startsWith("..") && !isAbsolute(inside)) path = inside;
    else {
      // Without the root, the pipeline's layout (<root>/.imagesmith/logs/<name>.log) still tells.
      const marker = `${sep}.imagesmith${sep}`;
      const at = path.lastIndexOf(marker);
      path = at >= 0 ? path.slice(at + 1) : (path.split(sep).pop() ?? path);
    }
  }
  return path.split(sep).join("/");
}

function timestamp(text: string | undefined, now: Date): string {
  const parsed = text === undefined ? Number.NaN : Date.parse(text);
  return new Date(Number.isNaN(parsed) ? now.getTime() : parsed).toISOString();
}
