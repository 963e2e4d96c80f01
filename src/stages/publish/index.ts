/**
 * publish: from the definitions, the plan and the build results to the catalog the platform syncs.
 *
 * The rule every status follows: a user never loses a working image. Each image keeps the build it
 * serves (`build`: url, recipe, builtAt, log) apart from its latest attempt (`attempt`): an image
 * being rebuilt keeps serving its last good url (status `building`); a rebuild that fails or is
 * cancelled leaves the served build untouched and records the attempt beside it; only a finished
 * build replaces the served one.
 */
import { isAbsolute, relative, sep } from "node:path";
import {
  type BuildFacts,
  canonicalFacts,
  canonicalImage,
  definitionServed,
  type ImageStatus,
  pinReference,
  type PublishedAttempt,
  type PublishedBuild,
  type PublishedCatalog,
  type PublishedImage,
  PublishError,
  readyServed,
  type Served,
} from "../../catalog/index.js";
import type { CatalogConfig, ImageDefinition } from "../../model.js";
import type { Plan, PlannedImage } from "../plan/index.js";
import { isRootUser } from "../render/index.js";

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
  /** done: its size, package counts and SBOM, recorded with the build. */
  facts?: BuildFacts;
}

export interface BuildCatalogInput {
  /** Every definition of the catalog. */
  images: ImageDefinition[];
  plan: Plan;
  /**
   * How each attempted build ended, by image name; an image the plan builds without an outcome
   * was not attempted. Undefined: nothing has been built yet, so the plan's builds are `building`.
   */
  outcomes?: Map<string, ImageOutcome>;
  /** The published catalog: the served builds and last good urls come from it. */
  previous?: PublishedCatalog;
  config: CatalogConfig;
  source: { repo?: string; commit?: string };
  now: Date;
  /** The catalog root: log paths are written relative to it. */
  root?: string;
}

/**
 * The catalog to publish. An image the plan could not decide on (a plan error) keeps its published
 * entry unchanged; a removed one is gone. Sorted by name; the same input gives the same catalog.
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
  if (definition.build === undefined) return publishExisting(definition, entry, input.config);
  const recipe = publishedRecipe(definition, entry);
  if (entry.action !== "build") {
    // Already in the registry: served as it is, with the record of how it was built when it was.
    const url = pinReference(entry.ref, requireDigest(entry));
    const served = before?.build?.recipeHash === recipe.recipeHash ? before.build : undefined;
    if (served?.builtAt !== undefined) recipe.builtAt = served.builtAt;
    if (served?.log !== undefined) recipe.log = served.log;
    if (served?.logUrl !== undefined) recipe.logUrl = served.logUrl;
    if (served) Object.assign(recipe, canonicalFacts(served));
    return describe(definition.name, readyServed(definition, input.config, url), { build: recipe });
  }
  const at = input.now.toISOString();
  if (input.outcomes === undefined)
    return lastGood(definition, before, { status: "building", recipeHash: recipe.recipeHash, at });

  const outcome = input.outcomes.get(definition.name);
  // Planned but not attempted (a build of selected images only): what is served stays as it is.
  if (outcome === undefined) return before && notAttempted(definition, before);
  const log = relativeLog(outcome.logFile, input.root);
  const attempt = (status: PublishedAttempt["status"], error?: string): PublishedAttempt => ({
    status,
    recipeHash: recipe.recipeHash,
    at: timestamp(outcome.finishedAt, input.now),
    ...(error === undefined ? {} : { error }),
    ...(log === undefined ? {} : { log }),
    ...(outcome.logUrl === undefined ? {} : { logUrl: outcome.logUrl }),
  });
  switch (outcome.state) {
    case "done": {
      if (outcome.digest === undefined)
        return lastGood(
          definition,
          before,
          attempt("failed", "the build reported no digest"),
          "the build reported no digest",
        );
      recipe.builtAt = timestamp(outcome.finishedAt, input.now);
      if (log !== undefined) recipe.log = log;
      if (outcome.logUrl !== undefined) recipe.logUrl = outcome.logUrl;
      if (outcome.facts) Object.assign(recipe, canonicalFacts(outcome.facts));
      const url = pinReference(entry.ref, outcome.digest);
      return describe(definition.name, readyServed(definition, input.config, url), {
        build: recipe,
      });
    }
    case "failed": {
      const cause = firstLine(outcome.error, outcome.logFile);
      return lastGood(
        definition,
        before,
        attempt("failed", cause || undefined),
        failureMessage(before, cause, log),
      );
    }
    case "cancelled":
      return lastGood(
        definition,
        before,
        attempt("cancelled", "the build was cancelled"),
        "the build was cancelled",
      );
    case "skipped": {
      const blocker = blockingAncestor(entry, planned, input.outcomes);
      const status = blocker?.state === "cancelled" ? "cancelled" : "failed";
      const message = blocker
        ? `not built: its base image:${blocker.name} ${blocker.state === "cancelled" ? "was cancelled" : "failed to build"}`
        : "not built: an image it builds on did not build";
      return lastGood(definition, before, attempt(status, message), message);
    }
  }
}

/** An existing image: ready, pinned to the digest the plan resolved, with its own pull secret. */
function publishExisting(
  definition: ImageDefinition,
  entry: PlannedImage,
  config: CatalogConfig,
): PublishedImage {
  const url = pinReference(entry.ref, requireDigest(entry));
  const gpu =
    entry.gpuRef !== undefined && entry.gpuDigest !== undefined
      ? pinReference(entry.gpuRef, entry.gpuDigest)
      : undefined;
  return describe(definition.name, readyServed(definition, config, url, gpu), {
    from: {
      url: entry.ref,
      ...(entry.gpuRef === undefined ? {} : { urlForGpu: entry.gpuRef }),
    },
  });
}

/**
 * An image whose current recipe has no image (yet): what the definition says of it, serving what
 * the published entry served (url, urlForGpu, the pull secret that goes with that url, the served
 * build untouched), with the attempt beside it. No url when it never had one.
 */
function lastGood(
  definition: ImageDefinition,
  before: PublishedImage | undefined,
  attempt: PublishedAttempt,
  message?: string,
): PublishedImage {
  const kept = before?.url === undefined ? undefined : before;
  // A universal image that became cpu or gpu serves one image from now on: the CPU one.
  const urlForGpu = definition.type === "universal" ? (kept?.urlForGpu ?? kept?.url) : kept?.url;
  return describe(
    definition.name,
    definitionServed(definition, {
      ...(kept?.url === undefined ? {} : { url: kept.url }),
      ...(urlForGpu === undefined ? {} : { urlForGpu }),
      ...(kept?.pullSecret === undefined ? {} : { pullSecret: kept.pullSecret }),
      status: attempt.status,
    }),
    {
      ...(message === undefined ? {} : { message }),
      ...(kept?.from === undefined ? {} : { from: kept.from }),
      ...(kept?.build === undefined ? {} : { build: kept.build }),
      attempt,
    },
  );
}

/** A build the plan has but this run did not attempt: the definition's metadata, the rest as published. */
function notAttempted(definition: ImageDefinition, before: PublishedImage): PublishedImage {
  return describe(
    definition.name,
    definitionServed(definition, {
      ...(before.url === undefined ? {} : { url: before.url }),
      ...(before.urlForGpu === undefined ? {} : { urlForGpu: before.urlForGpu }),
      ...(before.pullSecret === undefined ? {} : { pullSecret: before.pullSecret }),
      status: before.status as ImageStatus,
    }),
    {
      ...(before.message === undefined ? {} : { message: before.message }),
      ...(before.from === undefined ? {} : { from: before.from }),
      ...(before.build === undefined ? {} : { build: before.build }),
      ...(before.attempt === undefined ? {} : { attempt: before.attempt }),
    },
  );
}

/** The published entry: what is served, plus how it got there. */
function describe(
  name: string,
  served: Served,
  extra: Pick<PublishedImage, "message" | "from" | "build" | "attempt">,
): PublishedImage {
  return canonicalImage({ name, ...served, ...extra });
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
    ...(isRootUser(entry.base?.user) ? {} : { baseUser: entry.base?.user as string }),
    ...(build.tests?.length ? { tests: [...build.tests] } : {}),
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

/** The first line of a build's error, without the log path the build stage ends it with. */
function firstLine(error: string | undefined, logFile: string | undefined): string {
  let cause = (error ?? "").trim().split("\n")[0]?.trim() ?? "";
  if (logFile && cause.endsWith(`; see ${logFile}`))
    cause = cause.slice(0, -`; see ${logFile}`.length);
  return cause.length > MAX_CAUSE ? `${cause.slice(0, MAX_CAUSE - 1)}…` : cause;
}

/** "the rebuild failed: <cause>; see <log>": the platform shows it next to the image. */
function failureMessage(
  before: PublishedImage | undefined,
  cause: string,
  log: string | undefined,
): string {
  const what = before?.url === undefined ? "the build failed" : "the rebuild failed";
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
