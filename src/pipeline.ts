import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import type { BaselineRead, History, PublishedCatalog } from "./catalog/index.js";
import { InputError, UsageError } from "./errors.js";
import type { SourceInfo } from "./git.js";
import type { Catalog, CatalogConfig, ImageDefinition, Problem } from "./model.js";
import type { InstalledPackage } from "./inventory/index.js";
import type { SyncResult } from "./sync/index.js";
import type { Registry } from "./registry/types.js";
import type { BuiltImage } from "./builders/types.js";
import type { BuildJob, BuildOutcome, BuildState } from "./stages/build/index.js";
import type { Inspection, VerifiedImage } from "./verify/index.js";
import type { ImageOutcome } from "./stages/publish/index.js";
import type { Plan, PlannedImage, Planner } from "./stages/plan/index.js";
import { LOG_DIR, PACKAGE_CACHE_DIR, PUBLISHED_CATALOG, WORK_DIR } from "./paths.js";
import { prepareOwnFile, writeFileAtomic } from "./workdir.js";
import { NETRC_SECRET, netrc, type UrlCredential } from "./url-credentials.js";
import { loadCatalog } from "./stages/load.js";
import { definitionFile, type NewImageRequest, renderDefinition } from "./stages/scaffold.js";
import {
  type CatalogSources,
  type PushTarget,
  validateCatalog,
  validateCatalogWatched,
  type ValidationResult,
  type ValidationWatcher,
} from "./stages/validate/index.js";

/**
 * The stages beyond validation are loaded when a job first needs them: `validate`, `list` and `new`
 * start without the registry client, the renderer, the builders or the publisher.
 */
const stages = {
  catalog: () => import("./catalog/index.js"),
  git: () => import("./git.js"),
  plan: () => import("./stages/plan/index.js"),
  planFile: () => import("./stages/plan/plan-file.js"),
  render: () => import("./stages/render/index.js"),
  baseCache: () => import("./stages/plan/base-cache.js"),
  build: () => import("./stages/build/index.js"),
  builders: () => import("./builders/index.js"),
  publish: () => import("./stages/publish/index.js"),
  results: () => import("./stages/publish/results.js"),
  verify: () => import("./verify/index.js"),
  facts: () => import("./verify/facts.js"),
};

/**
 * The core both doors call. Each exported function is one user-visible job, and reads as the list
 * of stages it runs.
 */

export interface CatalogOptions {
  /** The catalog folder: holds imagesmith.yaml (optional) and images/. */
  root: string;
  /** Where the trusted side says images are pushed (and credentials go); see PushTarget. */
  pushTarget?: PushTarget;
  /**
   * The run's cancel (SIGINT / SIGTERM). The door hands the same signal to the registry port, so
   * it reaches every request; the pipeline stops between stages and never publishes after it.
   */
  signal?: AbortSignal;
}

/** load → validate. */
export async function validate(options: CatalogOptions): Promise<ValidationResult> {
  return validateCatalog(withPushTarget(await loadCatalog(options.root), options));
}

function withPushTarget(sources: CatalogSources, options: CatalogOptions): CatalogSources {
  return options.pushTarget ? { ...sources, pushTarget: options.pushTarget } : sources;
}

export interface NewImageResult {
  /** The file written (or that would have been), relative to the root. */
  file: string;
  written: boolean;
  /** Problems of the new definition (errors mean nothing was written). */
  problems: Problem[];
  /** Set when the file exists already; nothing was written. */
  exists?: boolean;
}

/** render definition → validate it together with the catalog → write it, never over a file. */
export async function newImage(
  options: CatalogOptions & { request: NewImageRequest; dryRun?: boolean },
): Promise<NewImageResult & { text: string }> {
  const { request } = options;
  const file = definitionFile(request.displayName, request.group);
  const text = renderDefinition(request);

  const sources = await loadCatalog(options.root);
  if (sources.definitions.some((d) => d.file === file)) {
    return { file, text, written: false, exists: true, problems: [] };
  }
  const groupName = request.group;
  sources.definitions.push({
    file,
    bytes: Buffer.from(text),
    system: groupName === undefined,
    ...(groupName === undefined ? {} : { groupName }),
  });
  // The catalog's own problems elsewhere are not this command's to report; the new file's are.
  sources.problems = sources.problems.filter((p) => p.file === file);
  const result = validateCatalog(sources);
  const problems = result.problems.filter((p) => p.file === file);
  if (problems.some((p) => p.severity === "error") || options.dryRun) {
    return { file, text, written: false, problems };
  }

  const path = join(options.root, file);
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, text, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return { file, text, written: false, exists: true, problems };
    throw error;
  }
  return { file, text, written: true, problems };
}

export { LOG_DIR, PUBLISHED_CATALOG, RESULTS_DIR, resultFileFor, WORK_DIR } from "./paths.js";
export type { SyncResult };
export type { Plan, PlannedImage };
export { CONFIG_FILE } from "./stages/load.js";
export type { ValidationResult };

export interface PlanOptions extends CatalogOptions {
  /**
   * The registry port, made once the catalog's config is known. A plan makes it before every
   * definition is validated, and aborts `callOff` to stop what it sent when one is invalid.
   */
  registry: (config: CatalogConfig, callOff?: AbortSignal) => Registry | Promise<Registry>;
  /**
   * A catalog file to compare with instead of the published catalog (`plan --previous`): a review
   * against a file, which is never published from.
   */
  previous?: string;
  force?: readonly string[];
  /** Where the definitions come from; a promise so reading git can overlap validation. */
  source?: SourceInfo | Promise<SourceInfo>;
  /** Take what the published catalog serves as still in the registry (see PlanInput.trustPublished). */
  trustPublished?: boolean;
  /** A folder outside the checkout where base image configs are cached; none: not kept. */
  cacheDir?: string;
}

export interface PlanResult {
  validation: ValidationResult;
  /** Absent when the catalog is invalid. */
  plan?: Plan;
  /** The published catalog the plan compared against (its baseline is `plan.baseline`). */
  previous?: PublishedCatalog;
  /** Where the definitions came from. */
  source?: SourceInfo;
}

/**
 * load → validate → the published catalog (the baseline) → plan (registry diff, render, recipe
 * hashes). The registry side runs ahead: it starts once imagesmith.yaml is checked and plans each
 * image as soon as its file is, while the rest are still validated; a plan is only made of a valid
 * catalog, and an invalid one calls off what was sent.
 */
export async function plan(options: PlanOptions): Promise<PlanResult> {
  const sources = await loadCatalog(options.root);
  const ahead = planAhead(options);
  try {
    const validation = await validateCatalogWatched(withPushTarget(sources, options), ahead);
    if (!validation.valid) return { validation };
    const { catalog } = validation;
    requireImages(catalog.images, options.force ?? [], "cannot rebuild (--force, rebuild)");
    const { plan: result, published, source } = await ahead.finish(catalog);
    return {
      validation,
      plan: result,
      ...(published.catalog ? { previous: published.catalog } : {}),
      source,
    };
  } finally {
    ahead.settle();
  }
}

/** A plan made while its catalog is validated; see planAhead. */
interface PlanAhead extends ValidationWatcher {
  /** The plan of the catalog, once it is known to be valid. */
  finish(catalog: Catalog): Promise<{ plan: Plan; published: BaselineRead; source: SourceInfo }>;
  /** Called once planning is over: unless a plan was finished, what was sent is called off. */
  settle(): void;
}

/**
 * The registry side of a plan, told about the catalog as validation goes (a ValidationWatcher):
 * once imagesmith.yaml is checked, the registry port, the source and the published catalog; then
 * a planner, to which every image is added as soon as its file is checked. All of it is
 * speculative: the same requests a plan of the valid catalog sends, sent sooner; a catalog found
 * invalid is never planned, and its requests are aborted.
 */
function planAhead(options: PlanOptions): PlanAhead {
  const callOff = new AbortController();
  let planned = false;
  let started: Promise<PlanStart> | undefined;
  // Until the modules are loaded and the registry port is made, validation waits: that start is
  // all CPU, which the definitions would only slow down, and they are not needed before it.
  let loading: Promise<unknown> | undefined;
  let planner: Planner | undefined;
  // Images checked before the published catalog was read: the planner needs it to start.
  const early: ImageDefinition[] = [];

  function start(config: CatalogConfig): Promise<PlanStart> {
    if (started) return started;
    const starting = startPlanning(options, config, callOff.signal);
    loading = starting.loaded.then(() => {
      loading = undefined;
    });
    started = starting.started.then((begun) => {
      planner = begun.planner;
      for (const image of early.splice(0)) planner.add(image);
      return begun;
    });
    // An invalid catalog never asks for it, so its failure must not go unhandled; finish rethrows it.
    started.catch(() => undefined);
    return started;
  }

  return {
    config(config) {
      void start(config);
    },
    image(image) {
      if (planner) planner.add(image);
      else early.push(image);
    },
    invalid() {
      callOff.abort();
    },
    pace() {
      return loading;
    },
    async finish(catalog) {
      const begun = await start(catalog.config);
      const result = await begun.planner.finish(catalog);
      const history = await begun.history;
      if (history !== undefined) begun.published.baseline.history = history;
      await begun.baseConfigs.save().catch(() => undefined);
      planned = true;
      return { plan: result, published: begun.published, source: begun.source };
    },
    settle() {
      if (!planned) callOff.abort();
    },
  };
}

interface PlanStart {
  planner: Planner;
  published: BaselineRead;
  /** How HEAD relates to the published catalog's commit, read from git beside the plan. */
  history: Promise<History | undefined>;
  source: SourceInfo;
  baseConfigs: Awaited<ReturnType<typeof openBaseConfigs>>;
}

/**
 * Everything a planner needs but the images: the registry port, the published catalog (its read
 * sent as soon as the port is made, while the plan stage loads), the plan stage and the base config
 * cache, the source. `loaded` settles once what is local (the modules, the port) is ready; nothing
 * is sent once `callOff` has aborted.
 */
function startPlanning(
  options: PlanOptions,
  config: CatalogConfig,
  callOff: AbortSignal,
): { loaded: Promise<unknown>; started: Promise<PlanStart> } {
  const registryReady = (async () => options.registry(config, callOff))();
  const catalogStage = stages.catalog();
  const planStage = Promise.all([stages.plan(), openBaseConfigs(options)]);
  const sourceReady = Promise.resolve(options.source);
  // Awaited one after the other below: one failing while an earlier one is awaited is not unhandled.
  for (const pending of [registryReady, catalogStage, planStage, sourceReady])
    pending.catch(() => undefined);
  const loaded = Promise.allSettled([registryReady, catalogStage, planStage]);
  const started = (async (): Promise<PlanStart> => {
    const registry = await registryReady;
    if (callOff.aborted) throw new Error("the plan was called off");
    const published = await readBaselineOf(options, config, registry);
    const [{ startPlan }, baseConfigs] = await planStage;
    const source = (await sourceReady) ?? {};
    if (callOff.aborted) throw new Error("the plan was called off");
    const planner = startPlan({
      config,
      registry,
      ...(published.catalog ? { previous: published.catalog } : {}),
      baseline: published.baseline,
      force: options.force ?? [],
      source,
      baseConfigs,
      ...(options.trustPublished ? { trustPublished: true } : {}),
    });
    const history = historyOf(options, published, source);
    history.catch(() => undefined);
    return { planner, published, history, source, baseConfigs };
  })();
  return { loaded, started };
}

/**
 * The baseline: the published catalog in the registry (or the file given with `--previous`), with
 * how HEAD relates to the commit it was made from. Read once per run, checked against the schema.
 */
async function readPublished(
  options: PlanOptions,
  config: CatalogConfig,
  registry: Registry,
  source: SourceInfo,
): Promise<BaselineRead> {
  const read = await readBaselineOf(options, config, registry);
  const history = await historyOf(options, read, source);
  if (history !== undefined) read.baseline.history = history;
  return read;
}

async function readBaselineOf(
  options: PlanOptions,
  config: CatalogConfig,
  registry: Registry,
): Promise<BaselineRead> {
  const { readBaseline, readBaselineFile } = await stages.catalog();
  return options.previous === undefined
    ? readBaseline(registry, config)
    : readBaselineFile(options.previous);
}

/** How HEAD relates to the commit the published catalog was made from, when both are known. */
async function historyOf(
  options: PlanOptions,
  read: BaselineRead,
  source: SourceInfo,
): Promise<History | undefined> {
  const { commit } = read.baseline;
  if (commit === undefined || source.commit === undefined) return undefined;
  const { commitHistory } = await stages.git();
  return commitHistory(options.root, commit, source.commit);
}

async function openBaseConfigs(options: PlanOptions) {
  const { FileBaseConfigCache } = await stages.baseCache();
  return FileBaseConfigCache.open(
    options.cacheDir === undefined ? undefined : join(options.cacheDir, "base-configs.json"),
  );
}

/** plan → write `<out>/<name>/Dockerfile` for every built image. Returns the files written. */
export async function render(
  options: PlanOptions & { out?: string },
): Promise<PlanResult & { files: string[] }> {
  const result = await plan(options);
  const files: string[] = [];
  if (!result.plan) return { ...result, files };
  const out = options.out ?? join(options.root, WORK_DIR, "render");
  // A folder the user names is theirs to have made; the checkout's own is checked folder by folder.
  if (options.out !== undefined) await mkdir(out, { recursive: true });
  for (const entry of result.plan.images) {
    if (!entry.dockerfile) continue;
    const file = join(out, entry.name, "Dockerfile");
    await writeFileAtomic(file, entry.dockerfile, {
      within: options.out === undefined ? options.root : out,
    });
    files.push(file);
  }
  return { ...result, files };
}

export interface RunOptions extends PlanOptions {
  /** Builds at once (default 2). */
  jobs?: number;
  /** Build nothing, push nothing, write nothing: show what would happen. */
  dryRun?: boolean;
  /** A plan written earlier by `plan --format json` to execute (once verified) instead of planning again. */
  planFile?: string;
  /** Only these images (and what they need rebuilt) are built; default: everything the plan says. */
  only?: readonly string[];
  /** Credentials the builder needs to push, from the door (written to a private auth file). */
  pushCredentials?(config: CatalogConfig): PushCredentials | undefined;
  /** Cancels the builds (SIGINT / SIGTERM). */
  signal: AbortSignal;
  /** Live build output, prefixed by image name. */
  output?(line: string): void;
  /** Progress lines. */
  progress?(line: string): void;
  /** Each build's state changes (queued, pulling, apt, pip, pushing, done); default: progress lines. */
  buildProgress?(name: string, state: BuildState, seconds: number): void;
  /** The plan, once it is made and before anything is built: what this run will do. */
  planned?(plan: Plan, builds: readonly PlannedImage[]): void;
  /** Publish the catalog after building (default true); false: build only (`build`, a matrix unit). */
  publish?: boolean;
  /**
   * Publish even when that could replace what the platform serves with less: the published
   * catalog moved since the plan, could not be read, or was made from a commit HEAD does not contain.
   */
  forcePublish?: boolean;
  /** Also write how each build ended to this file (a build job's result, for `publish --results`). */
  resultFile?: string;
  /** The matrix unit this job builds, recorded in the result file. */
  unit?: string;
  /** Where this run's build logs can be read (a CI run's page), recorded in the catalog. */
  logUrl?: string;
  now?: () => Date;
}

export interface PushCredentials {
  host: string;
  username: string;
  password: string;
}

export interface RunResult extends PlanResult {
  /** The catalog published (or, on a dry run, the one that would be). */
  catalog?: PublishedCatalog;
  outcomes?: BuildOutcome[];
  /** The copy of the published catalog written in the checkout. */
  catalogFile?: string;
  /** The digest of the catalog artifact pushed. */
  artifactDigest?: string;
  /** The build result written (resultFile). */
  resultFile?: string;
  /** True when the run stopped because it was cancelled: then nothing is published. */
  cancelled?: boolean;
  /** True when publishing would have changed nothing served, so nothing was pushed. */
  unchanged?: boolean;
}

/**
 * The main job: plan (or a verified plan file) → check that publishing is safe → build and push →
 * publish (compare-and-swap on the published catalog). Failed and cancelled images keep the build
 * they serve; a cancelled run publishes nothing.
 */
export async function runAll(options: RunOptions): Promise<RunResult> {
  const planned = options.planFile ? await executePlanFile(options) : await plan(options);
  if (!planned.plan || planned.plan.errors.length > 0) return planned;
  const { catalog } = planned.validation;
  requireImages(catalog.images, options.only ?? [], "cannot build only (--only, only)");
  const publishing = options.publish !== false;
  if (publishing) await refuseUnsafePublish(planned, options);
  const toBuild = selectBuilds(planned.plan, options.only);
  options.planned?.(planned.plan, toBuild);
  if (options.dryRun)
    return publishing ? { ...planned, catalog: await composeCatalog(planned, options) } : planned;

  const inspections = new Map<string, Inspection>();
  const built = await buildImages(toBuild, catalog, options, { push: true, inspections });
  const outcomes = await recordFacts(built, toBuild, catalog.config, inspections, options);
  const cancelled = options.signal.aborted;
  const result: RunResult = { ...planned, outcomes, cancelled };
  if (options.resultFile) result.resultFile = await writeBuildResult(planned, outcomes, options);
  if (!publishing || cancelled) return result;
  const next = await composeCatalog(planned, options, outcomeMap(outcomes, options.logUrl));
  return { ...result, ...(await publishCatalog(planned, next, options)) };
}

export interface VerifyOptions
  extends
    PlanOptions,
    Pick<
      RunOptions,
      "jobs" | "output" | "progress" | "buildProgress" | "planned" | "pushCredentials"
    > {
  /** Cancels the builds (SIGINT / SIGTERM). */
  signal: AbortSignal;
}

export interface VerifyResult extends PlanResult {
  outcomes?: BuildOutcome[];
  /** Every image the plan builds, verified (or why not). */
  verified?: VerifiedImage[];
  cancelled?: boolean;
}

/**
 * A verification (a pull request's): plan → build every image the plan would build, with the same
 * Dockerfiles and caches, into the local store only (no push, no push credentials, the layer cache
 * only read) → run each one's contracts and read its inventory → compare it with the image the
 * platform serves now. Nothing is pushed and nothing is published.
 */
export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const planned = await plan(options);
  if (!planned.plan || planned.plan.errors.length > 0) return planned;
  const { catalog } = planned.validation;
  const toBuild = selectBuilds(planned.plan, undefined);
  options.planned?.(planned.plan, toBuild);
  if (toBuild.length === 0) return { ...planned, outcomes: [], verified: [] };
  const [registry, { servedInventories }, { verifiedImages }] = await Promise.all([
    options.registry(catalog.config),
    stages.facts(),
    stages.verify(),
  ]);
  // The served images' SBOMs are read while the builds run.
  const served = servedInventories(
    registry,
    planned.previous,
    toBuild.map((entry) => entry.name),
  );
  const inspections = new Map<string, Inspection>();
  const outcomes = await buildImages(toBuild, catalog, options, { push: false, inspections });
  const cancelled = options.signal.aborted;
  const verified = await verifiedImages({ entries: toBuild, outcomes, inspections, served });
  return { ...planned, outcomes, verified, cancelled };
}

/** A UsageError naming the images that are not in the catalog: a typo must not select nothing. */
function requireImages(
  images: readonly { name: string }[],
  wanted: readonly string[],
  what: string,
): void {
  const names = new Set(images.map((image) => image.name));
  const unknown = wanted.filter((name) => !names.has(name));
  if (unknown.length > 0)
    throw new UsageError(`${what} ${unknown.join(", ")}: no such image in the catalog`);
}

/** Every planned build, cancelled before it started. */
function cancelledAll(entries: PlannedImage[]): BuildOutcome[] {
  return entries.map((entry) => ({
    name: entry.name,
    state: "cancelled",
    reason: "cancelled before it started",
    logFile: "",
  }));
}

/** The plan's build entries, or (the Rebuild button) the named ones and their descendants. */
function selectBuilds(planned: Plan, only: readonly string[] | undefined): PlannedImage[] {
  const builds = planned.images.filter((entry) => entry.action === "build");
  if (!only || only.length === 0) return builds;
  const wanted = new Set(only);
  let grew = true;
  while (grew) {
    grew = false;
    for (const entry of builds) {
      if (!wanted.has(entry.name) && entry.dependsOn.some((parent) => wanted.has(parent))) {
        wanted.add(entry.name);
        grew = true;
      }
    }
  }
  return builds.filter((entry) => wanted.has(entry.name));
}

/** What buildImages reads of a run's or a verification's options. */
type BuildImagesOptions = Pick<
  RunOptions,
  | "root"
  | "pushCredentials"
  | "cacheDir"
  | "jobs"
  | "signal"
  | "output"
  | "buildProgress"
  | "progress"
>;

/**
 * How builds are checked and where they go: `push` false builds into the local store only (a
 * verification build); every build's contracts are run before anything is pushed, and what the
 * inspection found is kept in `inspections` by image name.
 */
interface BuildMode {
  push: boolean;
  inspections: Map<string, Inspection>;
}

async function buildImages(
  entries: PlannedImage[],
  catalog: Catalog,
  options: BuildImagesOptions,
  mode: BuildMode,
): Promise<BuildOutcome[]> {
  if (entries.length === 0) return [];
  const { config } = catalog;
  const definitions = new Map(catalog.images.map((image) => [image.name, image]));
  const credentials = options.pushCredentials?.(config);
  const { urlCredentials } = await stages.render();
  const indexes = urlCredentials(config);
  const files = await privateBuildFiles(credentials, indexes);
  const building = new Set(entries.map((entry) => entry.name));
  try {
    const jobs: BuildJob[] = entries.map((entry) => ({
      name: entry.name,
      dependsOn: entry.dependsOn,
      // One log per recipe: a failed attempt never overwrites the log of the build being served.
      logName: `${entry.name}/${entry.recipeHash ?? "build"}.log`,
      request: {
        name: entry.name,
        dockerfile: entry.dockerfile ?? "",
        ref: entry.ref,
        extraRefs: movingRefs(config, entry.name),
        ...(config.layerCache ? { cacheRepo: cacheRepository(config) } : {}),
        // Rebuild means reinstall: a forced image runs its package steps again; its children
        // follow because their parent is new.
        ...(entry.reasons.includes("forced") ? { noCache: true } : {}),
        ...(entry.dependsOn.some((parent) => !building.has(parent)) ? { refreshBase: true } : {}),
        ...(options.cacheDir ? { packageCache: join(options.cacheDir, PACKAGE_CACHE_DIR) } : {}),
        insecureRegistries: config.insecureRegistries,
        platform: config.platform,
        // A verification build pushes nothing, the layer cache included: it reads it only.
        ...(mode.push ? {} : { push: false, cacheReadOnly: true }),
        inspect: inspector(definitions.get(entry.name), entry, config, mode.inspections),
        ...(files.auth ? { authFile: files.auth } : {}),
        ...(files.netrc ? { secrets: [{ id: NETRC_SECRET, file: files.netrc }] } : {}),
      },
    }));
    // The log folders are imagesmith's own: nothing a checkout committed there is written through.
    for (const job of jobs)
      await prepareOwnFile(options.root, join(options.root, LOG_DIR, job.logName ?? ""));
    const [{ runBuilds }, { createBuilder }] = await Promise.all([
      stages.build(),
      stages.builders(),
    ]);
    const outcomes = await runBuilds(jobs, {
      builder: createBuilder(config.builder),
      jobs: options.jobs ?? 2,
      logDir: join(options.root, LOG_DIR),
      signal: options.signal,
      secrets: [
        ...(credentials ? [credentials.password] : []),
        ...indexes.map((entry) => entry.password),
      ],
      ...(options.output ? { output: options.output } : {}),
      onProgress:
        options.buildProgress ??
        ((name, state, seconds) =>
          options.progress?.(`${name}: ${state} (${seconds.toFixed(1)}s)`)),
    });
    return outcomes.length > 0 || !options.signal.aborted ? outcomes : cancelledAll(entries);
  } finally {
    await files.remove();
  }
}

/**
 * The inspect step of one build: reads the built image and runs its contracts; a failed contract
 * fails the build before anything is pushed (a ContractFailure), so what is served stays.
 */
function inspector(
  definition: ImageDefinition | undefined,
  entry: PlannedImage,
  config: CatalogConfig,
  inspections: Map<string, Inspection>,
): (image: BuiltImage, log: (line: string) => void) => Promise<void> {
  return async (image, log) => {
    if (!definition) return;
    const { inspectBuiltImage, ContractFailure } = await stages.verify();
    const inspection = await inspectBuiltImage(
      image,
      {
        definition,
        ...(entry.base?.user === undefined ? {} : { baseUser: entry.base.user }),
        timeoutMs: config.testTimeout * 1000,
      },
      log,
    );
    inspections.set(entry.name, inspection);
    const failed = inspection.contracts.filter((result) => !result.ok);
    if (failed.length > 0) throw new ContractFailure(failed);
  };
}

/**
 * After the pushes: each pushed image's compressed size (its manifest's layers) and its SBOM,
 * attached to it in the registry, become the facts the catalog records with the build. What
 * cannot be read or pushed is a warning of that image, never a failed build.
 */
async function recordFacts(
  outcomes: BuildOutcome[],
  entries: readonly PlannedImage[],
  config: CatalogConfig,
  inspections: ReadonlyMap<string, Inspection>,
  options: RunOptions,
): Promise<BuildOutcome[]> {
  const pushed = outcomes.filter((o) => o.state === "done" && o.digest && inspections.has(o.name));
  if (pushed.length === 0 || options.signal.aborted) return outcomes;
  const [registry, { imageFacts }] = await Promise.all([options.registry(config), stages.facts()]);
  const refs = new Map(entries.map((entry) => [entry.name, entry.ref]));
  return Promise.all(
    outcomes.map(async (outcome) => {
      const inspection = inspections.get(outcome.name);
      const ref = refs.get(outcome.name);
      if (outcome.state !== "done" || !outcome.digest || !inspection || !ref) return outcome;
      const { facts, warnings } = await imageFacts(registry, {
        name: outcome.name,
        ref,
        digest: outcome.digest,
        inspection,
        now: (options.now ?? (() => new Date()))(),
      });
      for (const warning of warnings) options.progress?.(`${outcome.name}: warning: ${warning}`);
      const all = [...(outcome.warnings ?? []), ...warnings];
      return { ...outcome, facts, ...(all.length > 0 ? { warnings: all } : {}) };
    }),
  );
}

function outcomeMap(
  outcomes: readonly BuildOutcome[],
  logUrl: string | undefined,
): Map<string, ImageOutcome> {
  return new Map(
    outcomes.map((outcome) => [outcome.name, logUrl ? { ...outcome, logUrl } : outcome]),
  );
}

/** The result file of a build job: how each image it was asked to build ended. */
async function writeBuildResult(
  planned: PlanResult,
  outcomes: BuildOutcome[],
  options: RunOptions,
): Promise<string> {
  const file = options.resultFile ?? "";
  const { buildResult, writeResultFile } = await stages.results();
  const inside = !relative(options.root, file).startsWith("..");
  await writeResultFile(
    file,
    buildResult({
      plan: planned.plan as Plan,
      outcomes,
      root: options.root,
      source: planned.source ?? {},
      ...(options.unit ? { unit: options.unit } : {}),
      ...(options.logUrl ? { logUrl: options.logUrl } : {}),
    }),
    inside ? { within: options.root } : {},
  );
  return file;
}

/** The moving tag (`latest` unless configured otherwise) next to the recipe tag. */
function movingRefs(config: CatalogConfig, name: string): string[] {
  if (!config.registry || !config.movingTag) return [];
  return [
    config.singleRepository
      ? `${config.registry}:${name}-${config.movingTag}`
      : `${config.registry}/${name}:${config.movingTag}`,
  ];
}

function cacheRepository(config: CatalogConfig): string {
  return config.singleRepository
    ? `${config.registry}-cache`
    : `${config.registry}/imagesmith-cache`;
}

/**
 * Credentials for the builder, in 0600 files in a private directory, never on a command line: the
 * push credentials as a containers auth file, and the credentials of index URLs as the netrc the
 * package tools read from a build secret (never kept in the image).
 */
async function privateBuildFiles(
  credentials: PushCredentials | undefined,
  indexes: readonly UrlCredential[],
): Promise<{ auth?: string; netrc?: string; remove(): Promise<void> }> {
  if (!credentials && indexes.length === 0) return { remove: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), "imagesmith-auth-"));
  const files: { auth?: string; netrc?: string; remove(): Promise<void> } = {
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  if (credentials) {
    files.auth = join(dir, "auth.json");
    const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
    await writeFile(files.auth, JSON.stringify({ auths: { [credentials.host]: { auth } } }), {
      mode: 0o600,
    });
  }
  if (indexes.length > 0) {
    files.netrc = join(dir, "netrc");
    await writeFile(files.netrc, netrc(indexes), { mode: 0o600 });
  }
  return files;
}

/**
 * A plan written by another job, executed only once it is verified against the definitions here
 * (see stages/plan/plan-file.ts). When this run publishes, the published catalog is read again: it
 * must still be the one the plan was made against.
 */
async function executePlanFile(options: RunOptions): Promise<PlanResult> {
  const validation = await validate(options);
  const path = options.planFile;
  if (!validation.valid || path === undefined) return { validation };
  const config = validation.catalog.config;
  const [registry, source, { verifyPlan }, baseConfigs] = await Promise.all([
    options.registry(config),
    options.source,
    stages.planFile(),
    openBaseConfigs(options),
  ]);
  let planned: Plan;
  try {
    const data: unknown = JSON.parse(await readFile(path, "utf8"));
    planned = await verifyPlan(data, {
      catalog: validation.catalog,
      source: source ?? {},
      registry,
      baseConfigs,
    });
  } catch (error) {
    throw new InputError(`the plan ${path} cannot be used: ${(error as Error).message}`, {
      cause: error,
    });
  }
  await baseConfigs.save().catch(() => undefined);
  const result: PlanResult = { validation, plan: planned, source: source ?? {} };
  if (options.publish === false) return result;
  const published = await readPublished(options, config, registry, source ?? {});
  if (published.baseline.digest !== planned.baseline.digest && !options.forcePublish) {
    const { PublishError } = await stages.catalog();
    throw new PublishError(
      `not publishing the plan ${path}: the published catalog moved since it was made (it compared with ${planned.baseline.digest ?? "nothing published"}, the registry now holds ${published.baseline.digest ?? "nothing"}${published.baseline.commit ? ` from commit ${published.baseline.commit}` : ""}); plan again (or publish with --force-publish)`,
      "catalog-moved",
    );
  }
  return {
    ...result,
    plan: { ...planned, baseline: published.baseline },
    ...(published.catalog ? { previous: published.catalog } : {}),
  };
}

export interface PublishOptions extends PlanOptions {
  dryRun?: boolean;
  /**
   * A folder of build results (`build --result-file`, one per matrix unit): their outcomes decide
   * the status of what the plan builds; a build with no result is failed and keeps what it serves.
   */
  results?: string;
  /** See RunOptions.forcePublish. */
  forcePublish?: boolean;
  /** Told about results that were not used (another commit's, an unknown image). */
  progress?(line: string): void;
  now?: () => Date;
}

/** publish: plan (what the registry holds now) → merge build results → publish (compare-and-swap). */
export async function publish(options: PublishOptions): Promise<RunResult> {
  const planned = await plan(options);
  if (!planned.plan || planned.plan.errors.length > 0) return planned;
  await refuseUnsafePublish(planned, options);
  let merged: { plan: Plan; outcomes?: Map<string, ImageOutcome> } = { plan: planned.plan };
  if (options.results !== undefined) {
    const { mergeResults, readResults } = await stages.results();
    const results = mergeResults(planned.plan, await readResults(options.results));
    for (const note of results.notes) options.progress?.(note);
    merged = results;
  }
  const next = await composeCatalog({ ...planned, plan: merged.plan }, options, merged.outcomes);
  if (options.dryRun) return { ...planned, catalog: next };
  return { ...planned, ...(await publishCatalog(planned, next, options)) };
}

/** The catalog to publish: the definitions, the plan and the build outcomes over the published one. */
async function composeCatalog(
  planned: PlanResult,
  options: { root: string; now?: () => Date },
  outcomes?: Map<string, ImageOutcome>,
): Promise<PublishedCatalog> {
  const { buildCatalog } = await stages.publish();
  const { catalog } = planned.validation;
  return buildCatalog({
    root: options.root,
    images: catalog.images,
    plan: planned.plan as Plan,
    ...(outcomes ? { outcomes } : {}),
    ...(planned.previous ? { previous: planned.previous } : {}),
    config: catalog.config,
    source: planned.source ?? {},
    now: (options.now ?? (() => new Date()))(),
  });
}

/** Refuses (PublishError "refused") a publish that could lose what is served, unless forced. */
async function refuseUnsafePublish(
  planned: PlanResult,
  options: { forcePublish?: boolean; progress?(line: string): void },
): Promise<void> {
  const { publishRefusal, PublishError } = await stages.catalog();
  const reason = publishRefusal((planned.plan as Plan).baseline, planned.source ?? {});
  if (reason === undefined) return;
  if (options.forcePublish) {
    options.progress?.(`publishing anyway (--force-publish), although ${reason}`);
    return;
  }
  throw new PublishError(`not publishing: ${reason}`, "refused");
}

/**
 * Pushes the catalog artifact, comparing and swapping `latest` against the baseline the plan read,
 * then writes the checkout's copy of it. With no registry, the file is the only publication.
 */
async function publishCatalog(
  planned: PlanResult,
  catalog: PublishedCatalog,
  options: PlanOptions & { forcePublish?: boolean },
): Promise<Published> {
  const config = planned.validation.catalog.config;
  const {
    catalogArtifactRepository,
    catalogTags,
    pushCatalogArtifact,
    sameImages,
    writeCatalogFile,
  } = await stages.catalog();
  const { baseline } = planned.plan as Plan;
  const result: Published = { catalog };
  result.catalogFile = join(options.root, PUBLISHED_CATALOG);
  // Nothing served would change: the published catalog stays as it is (and its digest with it).
  if (
    config.registry &&
    planned.previous &&
    baseline.digest &&
    sameImages(catalog, planned.previous)
  ) {
    await writeCatalogFile(result.catalogFile, planned.previous, { within: options.root });
    return {
      ...result,
      catalog: planned.previous,
      artifactDigest: baseline.digest,
      unchanged: true,
    };
  }
  if (config.registry) {
    result.artifactDigest = await pushCatalogArtifact(
      await options.registry(config),
      catalogArtifactRepository(config),
      catalogTags(planned.source ?? {}),
      catalog,
      {
        expected: baseline.digest,
        force: options.forcePublish === true,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
  }
  await writeCatalogFile(result.catalogFile, catalog, { within: options.root });
  return result;
}

type Published = Pick<RunResult, "catalog" | "catalogFile" | "artifactDigest" | "unchanged">;

export interface PublishedOptions extends CatalogOptions {
  registry: (config: CatalogConfig) => Registry | Promise<Registry>;
  /** Read this catalog file instead. */
  catalogFile?: string;
  /** Which published catalog: `latest` (default) or a commit. */
  tag?: string;
}

/**
 * The catalog the platform serves, for status, logs and exports: the registry's artifact; with no
 * registry configured, the copy the last publish wrote here; or a file given. Undefined when
 * nothing is published.
 */
export async function readPublishedCatalog(
  options: PublishedOptions,
): Promise<{ catalog?: PublishedCatalog; from: string }> {
  const { catalogArtifactRepository, pullCatalogArtifact, readCatalogFile } =
    await stages.catalog();
  if (options.catalogFile !== undefined) {
    const catalog = await readCatalogFile(options.catalogFile);
    if (!catalog) throw new InputError(`there is no catalog file ${options.catalogFile}`);
    return { catalog, from: options.catalogFile };
  }
  // Only imagesmith.yaml is needed to know where the catalog lives, not every definition.
  const config = await catalogConfig(options.root);
  if (!config.registry) {
    const file = join(options.root, PUBLISHED_CATALOG);
    const catalog = await readCatalogFile(file);
    return { ...(catalog ? { catalog } : {}), from: file };
  }
  const ref = `${catalogArtifactRepository(config)}:${options.tag ?? "latest"}`;
  try {
    return {
      catalog: (await pullCatalogArtifact(await options.registry(config), ref)).catalog,
      from: ref,
    };
  } catch (error) {
    if ((error as { code?: string }).code === "not-found") return { from: ref };
    throw error;
  }
}

/** The published catalog (or `catalogFile`); an InputError that says how to publish when there is none. */
export async function servedCatalog(
  options: PublishedOptions,
): Promise<{ catalog: PublishedCatalog; from: string }> {
  const { catalog, from } = await readPublishedCatalog(options);
  if (!catalog)
    throw new InputError(
      `nothing is published at ${from} yet: publish the catalog first (imagesmith run, or publish)`,
    );
  return { catalog, from };
}

/** `catalog pull`: the catalog artifact in the registry; imagesmith.yaml must name the registry. */
export async function pullCatalog(
  options: PublishedOptions,
): Promise<{ catalog: PublishedCatalog; from: string }> {
  if (options.catalogFile === undefined && !(await catalogConfig(options.root)).registry)
    throw new UsageError("set registry in imagesmith.yaml: the catalog artifact lives there");
  return servedCatalog(options);
}

/**
 * The build log of an image as the published catalog records it: of the build it serves, or with
 * `attempt` of its latest attempt. The text when this checkout built it, else the URL of the CI run
 * that did; an InputError saying why when there is neither.
 */
export async function imageLog(
  options: PublishedOptions & { name: string; attempt: boolean },
): Promise<{ text?: string; url?: string }> {
  const { catalog, from } = await readPublishedCatalog(options);
  const { name } = options;
  const image = catalog?.images.find((entry) => entry.name === name);
  if (!image) throw new InputError(`${name} is not in the published catalog (${from})`);
  const record = options.attempt ? image.attempt : image.build;
  if (!record)
    throw new InputError(
      options.attempt
        ? `${name} has no attempt beside the build it serves (its status is ${image.status})`
        : image.attempt
          ? `${name} serves no build of its own yet; its latest attempt is ${image.attempt.status}: imagesmith logs ${name} --attempt`
          : `${name} is not built by imagesmith (it is an existing image)`,
    );
  const text = record.log
    ? await readFile(join(options.root, record.log), "utf8").catch(() => undefined)
    : undefined;
  if (text !== undefined) return { text };
  if (record.logUrl) return { url: record.logUrl };
  throw new InputError(
    `no build log for ${name} in this checkout${record.log ? ` (${record.log})` : ""}: it was built elsewhere`,
  );
}

export interface SiteOptions extends PublishedOptions {
  /** The folder the site is written to: made when missing; one made by `site` before is replaced. */
  out: string;
  /** Read each served image's SBOM for its installed packages (default: when the catalog is the registry's). */
  installed?: boolean;
  now?: () => Date;
}

/** The file `site` leaves in its folder, so that it replaces only a folder it made. */
export const SITE_MARKER = ".imagesmith-site";

/**
 * The published catalog as a static site (see src/site): read the catalog, render the served
 * recipes again (from the build records and imagesmith.yaml), read the SBOMs, write the pages.
 */
/** What `site` wrote: the folder, its files, which catalog it shows and how many images. */
export interface SiteResult {
  out: string;
  files: string[];
  from: string;
  images: number;
}

export async function site(options: SiteOptions): Promise<SiteResult> {
  const { catalog, from } = await servedCatalog(options);
  const [{ renderSite }, { servedRecipe }] = await Promise.all([
    import("./site/index.js"),
    import("./stages/plan/recipe.js"),
  ]);
  const config = await catalogConfig(options.root);
  const recipes = new Map<string, string>();
  for (const image of catalog.images) {
    const recipe = servedRecipe(image, config);
    if (recipe !== undefined) recipes.set(image.name, recipe);
  }
  const fromRegistry = options.catalogFile === undefined && config.registry !== undefined;
  const installed =
    (options.installed ?? fromRegistry)
      ? await servedPackages(catalog, await options.registry(config))
      : new Map();
  const files = renderSite({
    catalog,
    ...(config.groups ? { groups: config.groups } : {}),
    recipes,
    installed,
    from,
    now: (options.now ?? (() => new Date()))(),
  });
  await replaceSiteFolder(options.out);
  const written: string[] = [];
  for (const [path, content] of files) {
    const file = join(options.out, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
    written.push(file);
  }
  await writeFile(join(options.out, SITE_MARKER), "made by imagesmith site\n");
  return { out: options.out, files: written, from, images: catalog.images.length };
}

/** The builder imagesmith.yaml names (`buildah` when it names none), for the doors' set-up. */
export async function catalogBuilder(root: string): Promise<string> {
  return (await catalogConfig(root)).builder;
}

/** imagesmith.yaml as validation reads it (defaults when there is none), without the definitions. */
async function catalogConfig(root: string): Promise<CatalogConfig> {
  const sources = await loadCatalog(root).catch(() => undefined);
  if (!sources) return validateCatalog({ root, definitions: [], problems: [] }).catalog.config;
  return validateCatalog({ ...sources, definitions: [] }).catalog.config;
}

/** Empties `out` for a new site: only a folder that is missing, empty, or one `site` made. */
async function replaceSiteFolder(out: string): Promise<void> {
  const { readdir, stat } = await import("node:fs/promises");
  const entries = await readdir(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (entries === undefined || entries.length === 0) {
    await mkdir(out, { recursive: true });
    return;
  }
  const marked = await stat(join(out, SITE_MARKER)).then(
    () => true,
    () => false,
  );
  if (!marked)
    throw new UsageError(
      `${out} holds files imagesmith did not write: give site --out an empty or new folder`,
    );
  for (const entry of entries) await rm(join(out, entry), { recursive: true, force: true });
}

/** The installed packages of every served image that has an SBOM, eight reads at a time. */
async function servedPackages(
  catalog: PublishedCatalog,
  registry: Registry,
): Promise<Map<string, InstalledPackage[]>> {
  const [{ findSbom }, { parseImageReference }] = await Promise.all([
    import("./sbom/referrers.js"),
    import("./grammars/image-ref.js"),
  ]);
  const found = new Map<string, InstalledPackage[]>();
  const queue = catalog.images.filter((image) => image.build?.sbom && image.url);
  const worker = async (): Promise<void> => {
    for (let image = queue.shift(); image; image = queue.shift()) {
      const ref = parseImageReference(image.url ?? "");
      if (!ref.ok || ref.value.digest === undefined) continue;
      const sbom = await findSbom(registry, ref.value, ref.value.digest).catch(() => undefined);
      if (sbom) found.set(image.name, sbom.packages);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return found;
}

export interface SyncPrimeHubOptions extends PublishedOptions {
  /** PrimeHub's GraphQL endpoint, e.g. https://primehub.acme.dev/api/graphql. */
  endpoint: string;
  /** A PrimeHub administrator's API token (the doors read PRIMEHUB_API_TOKEN). */
  token: string;
  dryRun?: boolean;
  /** Images of the same name made by people in PrimeHub that imagesmith takes over. */
  adopt?: readonly string[];
  /** Keep the ledger in this file instead of next to the catalog in the registry. */
  ledgerFile?: string;
  signal?: AbortSignal;
}

/**
 * sync primehub: the published catalog → PrimeHub's images and their group access (see src/sync).
 * The ledger of the images imagesmith manages there is kept next to the catalog in the registry,
 * or in a file when the catalog has no registry (or `ledgerFile` says so).
 */
export async function syncPrimeHub(options: SyncPrimeHubOptions): Promise<SyncResult> {
  const { catalog } = await servedCatalog(options);
  const [sync, config] = await Promise.all([
    import("./sync/index.js"),
    catalogConfig(options.root),
  ]);
  let ledger;
  if (options.ledgerFile === undefined && config.registry) {
    const [{ catalogArtifactRepository }, { parseImageReference }] = await Promise.all([
      stages.catalog(),
      import("./grammars/image-ref.js"),
    ]);
    const parsed = parseImageReference(catalogArtifactRepository(config));
    if (!parsed.ok) throw new InputError(`registry in imagesmith.yaml: ${parsed.error.message}`);
    ledger = sync.registryLedger(await options.registry(config), parsed.value, options.endpoint);
  } else {
    ledger = sync.fileLedger(
      options.ledgerFile ??
        join(options.root, WORK_DIR, `${sync.ledgerTag(options.endpoint)}.json`),
      options.endpoint,
    );
  }
  return sync.syncCatalog({
    catalog,
    port: sync.primeHubClient({
      endpoint: options.endpoint,
      token: options.token,
      ...(options.signal ? { signal: options.signal } : {}),
    }),
    ledger,
    ...(options.adopt ? { adopt: options.adopt } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
  });
}

/** export: the published catalog (or a file) as another platform's resources; PrimeHub's `Image` YAML. */
export async function exportCatalog(
  options: PublishedOptions & { format: "primehub"; namespace?: string },
): Promise<string> {
  const { catalog } = await servedCatalog(options);
  const { toPrimeHubImages } = await import("./exports/primehub.js");
  return toPrimeHubImages(
    catalog,
    options.namespace === undefined ? {} : { namespace: options.namespace },
  );
}

/** One check of `doctor`: what was looked at, how it stands, and what to do about it. */
export interface DoctorCheck {
  name: "node" | "catalog" | "git" | "builder" | "rootless" | "registry" | "push" | "credentials";
  status: "ok" | "warn" | "fail";
  detail: string;
}

/**
 * Whether this machine and this catalog can plan, build and publish, before a job finds out: Node,
 * the catalog's validity, its git checkout, the builder (and, without root, buildah's namespace),
 * the registry and the published catalog in it, and which credentials would be sent where. Reads
 * only: it pushes nothing and prints no secret. Every check runs, whatever the others found.
 */
export async function doctor(
  options: CatalogOptions & {
    registry: (config: CatalogConfig) => Registry | Promise<Registry>;
    pushCredentials?(config: CatalogConfig): PushCredentials | undefined;
    env: NodeJS.ProcessEnv;
  },
): Promise<DoctorCheck[]> {
  const [validation, source, { createBuilder }] = await Promise.all([
    validate(options),
    stages.git().then(({ gitSource }) => gitSource(options.root)),
    stages.builders(),
  ]);
  const { config } = validation.catalog;
  const checks: DoctorCheck[] = [];
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const recentNode = major > 20 || (major === 20 && minor >= 5);
  checks.push({
    name: "node",
    status: recentNode ? "ok" : "fail",
    detail: `node ${process.versions.node}${recentNode ? "" : ": imagesmith needs 20.5 or newer"}`,
  });
  const errors = validation.problems.filter((p) => p.severity === "error").length;
  const warnings = validation.problems.length - errors;
  checks.push({
    name: "catalog",
    status: errors > 0 ? "fail" : warnings > 0 ? "warn" : "ok",
    detail:
      errors > 0
        ? `${errors} error${errors === 1 ? "" : "s"} in the definitions: imagesmith validate lists them`
        : `${validation.catalog.images.length} image${validation.catalog.images.length === 1 ? "" : "s"} valid${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"} (imagesmith validate)` : ""}`,
  });
  checks.push(
    source.commit
      ? {
          name: "git",
          status: "ok",
          detail: `commit ${source.commit.slice(0, 12)}${source.repo ? ` of ${source.repo}` : ""}: the catalog records it`,
        }
      : {
          name: "git",
          status: "warn",
          detail: `${options.root} is not a git checkout with a commit: the catalog records no source, and publish cannot tell a stale checkout`,
        },
  );
  const builder = (() => {
    try {
      return createBuilder(config.builder);
    } catch (error) {
      return error as Error;
    }
  })();
  if (builder instanceof Error)
    checks.push({ name: "builder", status: "fail", detail: builder.message });
  else {
    const version = await builder.version?.().then(
      (line) => ({ ok: true as const, line: line.split("\n")[0] ?? line }),
      (error: Error) => ({ ok: false as const, line: error.message }),
    );
    checks.push({
      name: "builder",
      status: version === undefined || version.ok ? "ok" : "fail",
      detail: version === undefined ? builder.name : version.line,
    });
    if (builder.name === "buildah" && process.getuid?.() !== 0 && version?.ok) {
      const { rootlessProblem } = await import("./builders/rootless.js");
      const problem = options.env._CONTAINERS_USERNS_CONFIGURED
        ? undefined
        : await rootlessProblem(options.env);
      checks.push(
        problem
          ? { name: "rootless", status: "fail", detail: problem }
          : {
              name: "rootless",
              status: "ok",
              detail: "not root: run, build and verify run themselves inside buildah unshare",
            },
      );
    }
  }
  if (!config.registry) {
    checks.push({
      name: "registry",
      status: "warn",
      detail: `imagesmith.yaml names no registry: images cannot be pushed, and the catalog is only ${PUBLISHED_CATALOG}`,
    });
  } else {
    const read = await readPublishedCatalog(options).then(
      (found) => ({ found }),
      (error: Error) => ({ error }),
    );
    checks.push(
      "error" in read
        ? { name: "registry", status: "fail", detail: read.error.message }
        : read.found.catalog
          ? {
              name: "registry",
              status: "ok",
              detail: `${read.found.from} serves ${read.found.catalog.images.length} images`,
            }
          : {
              name: "registry",
              status: "ok",
              detail: `${config.registry} answers; nothing is published at ${read.found.from} yet`,
            },
    );
    if (!("error" in read)) checks.push(await pushCheck(config, options.registry));
    const push = options.pushCredentials?.(config);
    checks.push(
      push
        ? {
            name: "credentials",
            status: "ok",
            detail: `IMAGESMITH_REGISTRY_USERNAME (${push.username}) is sent to ${push.host} only`,
          }
        : {
            name: "credentials",
            status: "ok",
            detail: `no IMAGESMITH_REGISTRY_USERNAME / _PASSWORD: ${config.registry.split("/")[0]} gets what buildah login, podman login or docker login stored, if anything`,
          },
    );
  }
  return checks;
}

/** Whether the catalog's repository takes a push: an upload started and cancelled, nothing pushed. */
async function pushCheck(
  config: CatalogConfig,
  registry: (config: CatalogConfig) => Registry | Promise<Registry>,
): Promise<DoctorCheck> {
  const [{ catalogArtifactRepository }, { parseImageReference }] = await Promise.all([
    stages.catalog(),
    import("./grammars/image-ref.js"),
  ]);
  const repository = catalogArtifactRepository(config);
  const ref = parseImageReference(repository);
  const client = await registry(config);
  if (!ref.ok || !client.mayPush)
    return { name: "push", status: "warn", detail: `not checked for ${repository}` };
  try {
    await client.mayPush(ref.value);
    return {
      name: "push",
      status: "ok",
      detail: `${repository} takes a push (an upload was started and cancelled)`,
    };
  } catch (error) {
    return {
      name: "push",
      status: "fail",
      detail: `${repository} refuses a push with these credentials, so builds and publish would fail: ${(error as Error).message}`,
    };
  }
}
