import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { InputError, UsageError } from "./errors.js";
import type { SourceInfo } from "./git.js";
import type { CatalogConfig, Problem } from "./model.js";
import type { PublishedCatalog } from "./published.js";
import type { Registry } from "./registry/types.js";
import type { BuildJob, BuildOutcome } from "./stages/build/index.js";
import type { ImageOutcome } from "./stages/publish/index.js";
import type { Plan, PlannedImage } from "./stages/plan/index.js";
import { LOG_DIR, PUBLISHED_CATALOG, WORK_DIR } from "./paths.js";
import { loadCatalog } from "./stages/load.js";
import { definitionFile, type NewImageRequest, renderDefinition } from "./stages/scaffold.js";
import { validateCatalog, type ValidationResult } from "./stages/validate/index.js";

/**
 * The stages beyond validation are loaded when a job first needs them: `validate`, `list` and `new`
 * start without the registry client, the renderer, the builders or the publisher.
 */
const stages = {
  plan: () => import("./stages/plan/index.js"),
  baseCache: () => import("./stages/plan/base-cache.js"),
  build: () => import("./stages/build/index.js"),
  builders: () => import("./builders/index.js"),
  publish: () => import("./stages/publish/index.js"),
  results: () => import("./stages/publish/results.js"),
};

/**
 * The core both doors call. Each exported function is one user-visible job, and reads as the list
 * of stages it runs.
 */

export interface CatalogOptions {
  /** The catalog folder: holds imagesmith.yaml (optional) and images/. */
  root: string;
}

/** load → validate. */
export async function validate(options: CatalogOptions): Promise<ValidationResult> {
  const sources = await loadCatalog(options.root);
  return validateCatalog(sources);
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

export { LOG_DIR, PUBLISHED_CATALOG, WORK_DIR } from "./paths.js";

export interface PlanOptions extends CatalogOptions {
  /** The registry port, made once the catalog's config is known. */
  registry: (config: CatalogConfig) => Registry | Promise<Registry>;
  /** The previously published catalog; default `<root>/.imagesmith/catalog.json` when it exists. */
  previous?: string;
  force?: readonly string[];
  /** Where the definitions come from; a promise so reading git can overlap validation. */
  source?: SourceInfo | Promise<SourceInfo>;
  /**
   * With no catalog file on disk (a fresh CI runner), read the previous catalog from the
   * registry's catalog artifact (`latest`) instead.
   */
  previousFromRegistry?: boolean;
  /** Trust the previous catalog for recipes it records as ready (see PlanInput.trustPublished). */
  trustPublished?: boolean;
}

export interface PlanResult {
  validation: ValidationResult;
  /** Absent when the catalog is invalid. */
  plan?: Plan;
  /** The catalog published last, which the plan compared against. */
  previous?: PublishedCatalog;
}

/** load → validate → plan (registry diff, render, recipe hashes). */
export async function plan(options: PlanOptions): Promise<PlanResult> {
  const validation = await validate(options);
  if (!validation.valid) return { validation };
  const { catalog } = validation;
  requireImages(catalog.images, options.force ?? [], "cannot rebuild (--force, rebuild)");
  const [{ planCatalog }, { FileBaseConfigCache }] = await Promise.all([
    stages.plan(),
    stages.baseCache(),
  ]);
  const registry = await options.registry(catalog.config);
  const previous = await readPrevious(options, catalog.config, registry);
  const baseConfigs = await FileBaseConfigCache.open(
    join(options.root, WORK_DIR, "cache", "base-configs.json"),
  );
  const result = await planCatalog({
    catalog,
    registry,
    ...(previous ? { previous } : {}),
    force: options.force ?? [],
    source: (await options.source) ?? {},
    baseConfigs,
    ...(options.trustPublished ? { trustPublished: true } : {}),
  });
  await baseConfigs.save().catch(() => undefined);
  return { validation, plan: result, ...(previous ? { previous } : {}) };
}

/**
 * The catalog published last: `--previous` when given; else `.imagesmith/catalog.json`, checked
 * against the catalog schema; else, when asked, the registry's `latest` catalog artifact.
 */
async function readPrevious(
  options: PlanOptions,
  config: CatalogConfig,
  registry: Registry,
): Promise<PublishedCatalog | undefined> {
  if (options.previous === undefined) {
    const { readCatalogFile, pullCatalogArtifact } = await stages.publish();
    const local = await readCatalogFile(join(options.root, PUBLISHED_CATALOG));
    if (local || !options.previousFromRegistry || !config.registry) return local;
    const ref = `${catalogArtifactRepository(config)}:latest`;
    try {
      return await pullCatalogArtifact(registry, ref);
    } catch (error) {
      // Nothing published yet: every image is new.
      if ((error as { code?: string }).code === "not-found") return undefined;
      throw error;
    }
  }
  const path = options.previous;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InputError(`cannot read the previous catalog ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const data = JSON.parse(text) as PublishedCatalog;
    if (data?.kind !== "ImageCatalog" || !Array.isArray(data.images)) {
      throw new Error('it is not an imagesmith catalog (kind "ImageCatalog" with images)');
    }
    return data;
  } catch (error) {
    throw new InputError(
      `the previous catalog ${path} cannot be used: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** plan → write `<out>/<name>/Dockerfile` for every built image. Returns the files written. */
export async function render(
  options: PlanOptions & { out?: string },
): Promise<PlanResult & { files: string[] }> {
  const result = await plan(options);
  const files: string[] = [];
  if (!result.plan) return { ...result, files };
  const out = options.out ?? join(options.root, WORK_DIR, "render");
  for (const entry of result.plan.images) {
    if (!entry.dockerfile) continue;
    const file = join(out, entry.name, "Dockerfile");
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, entry.dockerfile);
    files.push(file);
  }
  return { ...result, files };
}

export interface RunOptions extends PlanOptions {
  /** Builds at once (default 2). */
  jobs?: number;
  /** Print nothing to the registry, build nothing, write nothing: show what would happen. */
  dryRun?: boolean;
  /** A plan written earlier by `plan --format json` to execute instead of planning again. */
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
  /** Push the catalog artifact to the registry after writing it. */
  pushArtifact?: boolean;
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
  catalog?: PublishedCatalog;
  outcomes?: BuildOutcome[];
  catalogFile?: string;
  artifactDigest?: string;
  /** True when the run stopped because it was cancelled. */
  cancelled?: boolean;
}

/**
 * The main job: validate → plan → publish "building" → build and push → publish the result
 * (file, then registry artifact). Every image ends ready, failed or cancelled; failed and cancelled
 * ones keep their last good url.
 */
export async function runAll(options: RunOptions): Promise<RunResult> {
  const planned = options.planFile ? await readPlanFile(options) : await plan(options);
  if (!planned.plan || planned.plan.errors.length > 0) return planned;
  const { catalog } = planned.validation;
  requireImages(catalog.images, options.only ?? [], "cannot build only (--only, only)");
  const config = catalog.config;
  const now = options.now ?? (() => new Date());
  const source = (await options.source) ?? {};
  const { buildCatalog, pushCatalogArtifact, writeCatalogFile } = await stages.publish();
  const { previous } = planned;
  const catalogFile = join(options.root, PUBLISHED_CATALOG);
  const toBuild = selectBuilds(planned.plan, options.only);

  const before = buildCatalog({
    root: options.root,
    images: catalog.images,
    plan: planned.plan,
    previous,
    config,
    source,
    phase: "before-build",
    now: now(),
  });
  if (options.dryRun) return { ...planned, catalog: before };
  await writeCatalogFile(catalogFile, before);

  const outcomes = await buildImages(toBuild, config, options, options.pushCredentials?.(config));
  const after = buildCatalog({
    root: options.root,
    images: catalog.images,
    plan: planned.plan,
    outcomes: new Map(
      outcomes.map((outcome) => [
        outcome.name,
        options.logUrl ? { ...outcome, logUrl: options.logUrl } : outcome,
      ]),
    ),
    previous,
    config,
    source,
    phase: "after-build",
    now: now(),
  });
  await writeCatalogFile(catalogFile, after);
  if (options.resultFile) {
    const { buildResult, writeResultFile } = await stages.results();
    await writeResultFile(
      options.resultFile,
      buildResult({
        plan: planned.plan,
        outcomes: outcomes.length > 0 || !options.signal.aborted ? outcomes : cancelledAll(toBuild),
        root: options.root,
        source,
        ...(options.unit ? { unit: options.unit } : {}),
        ...(options.logUrl ? { logUrl: options.logUrl } : {}),
      }),
    );
  }
  const result: RunResult = {
    ...planned,
    catalog: after,
    outcomes,
    catalogFile,
    cancelled: options.signal.aborted,
  };
  if (options.pushArtifact !== false && config.registry && !options.signal.aborted) {
    const registry = await options.registry(config);
    result.artifactDigest = await pushCatalogArtifact(
      registry,
      catalogArtifactRepository(config),
      catalogTags(source),
      after,
    );
  }
  return result;
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

async function buildImages(
  entries: PlannedImage[],
  config: CatalogConfig,
  options: RunOptions,
  credentials: PushCredentials | undefined,
): Promise<BuildOutcome[]> {
  if (entries.length === 0) return [];
  const auth = await privateAuthFile(credentials);
  try {
    const jobs: BuildJob[] = entries.map((entry) => ({
      name: entry.name,
      dependsOn: entry.dependsOn,
      request: {
        name: entry.name,
        dockerfile: entry.dockerfile ?? "",
        ref: entry.ref,
        extraRefs: movingRefs(config, entry.name),
        ...(config.layerCache ? { cacheRepo: cacheRepository(config) } : {}),
        insecureRegistries: config.insecureRegistries,
        platform: config.platform,
        ...(auth ? { authFile: auth.file } : {}),
      },
    }));
    const [{ runBuilds }, { createBuilder }] = await Promise.all([
      stages.build(),
      stages.builders(),
    ]);
    return await runBuilds(jobs, {
      builder: createBuilder(config.builder),
      jobs: options.jobs ?? 2,
      logDir: join(options.root, LOG_DIR),
      signal: options.signal,
      secrets: credentials ? [credentials.password] : [],
      ...(options.output ? { output: options.output } : {}),
      onProgress: (name, state, seconds) =>
        options.progress?.(`${name}: ${state} (${seconds.toFixed(1)}s)`),
    });
  } finally {
    await auth?.remove();
  }
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

/** Where the catalog artifact is pushed: `<registry>/imagesmith-catalog`. */
export function catalogArtifactRepository(config: CatalogConfig): string {
  return config.singleRepository
    ? `${config.registry}-catalog`
    : `${config.registry}/imagesmith-catalog`;
}

function catalogTags(source: SourceInfo): string[] {
  return source.commit ? ["latest", source.commit] : ["latest"];
}

/** Credentials for the builder, in a 0600 file in a private directory: never on a command line. */
async function privateAuthFile(
  credentials: PushCredentials | undefined,
): Promise<{ file: string; remove(): Promise<void> } | undefined> {
  if (!credentials) return undefined;
  const dir = await mkdtemp(join(tmpdir(), "imagesmith-auth-"));
  const file = join(dir, "auth.json");
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
  await writeFile(file, JSON.stringify({ auths: { [credentials.host]: { auth } } }), {
    mode: 0o600,
  });
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

async function readPlanFile(options: RunOptions): Promise<PlanResult> {
  const validation = await validate(options);
  if (!validation.valid || !options.planFile) return { validation };
  try {
    const data = JSON.parse(await readFile(options.planFile, "utf8")) as Plan;
    if (!Array.isArray(data.images) || typeof data.summary !== "object")
      throw new Error("it has no images and summary");
    const names = new Set(validation.catalog.images.map((image) => image.name));
    for (const entry of data.images) {
      if (entry.action !== "build") continue;
      if (!names.has(entry.name))
        throw new Error(
          `it builds ${entry.name}, which the catalog here does not define: it was planned from other definitions`,
        );
      if (typeof entry.dockerfile !== "string" || entry.dockerfile === "")
        throw new Error(
          `it builds ${entry.name} but holds no Dockerfile for it (the Action's plan output leaves them out of a large plan; plan-file keeps them)`,
        );
    }
    return { validation, plan: { ...data, errors: data.errors ?? [] } };
  } catch (error) {
    throw new InputError(
      `the plan ${options.planFile} cannot be used: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export interface PublishOptions extends PlanOptions {
  dryRun?: boolean;
  /**
   * A folder of build results (`build --result-file`, one per matrix unit): their outcomes decide
   * the status of what the plan builds; a build with no result is failed and keeps its last good url.
   */
  results?: string;
  /** Told about results that were not used (another commit's, an unknown image). */
  progress?(line: string): void;
  now?: () => Date;
}

/** publish: plan (what the registry holds now) → merge build results → catalog file → registry artifact. */
export async function publish(options: PublishOptions): Promise<RunResult> {
  const planned = await plan(options);
  if (!planned.plan || planned.plan.errors.length > 0) return planned;
  const { catalog } = planned.validation;
  const source = (await options.source) ?? {};
  const catalogFile = join(options.root, PUBLISHED_CATALOG);
  const { buildCatalog, pushCatalogArtifact, writeCatalogFile } = await stages.publish();
  let merged: { plan: Plan; outcomes?: Map<string, ImageOutcome> } = { plan: planned.plan };
  if (options.results !== undefined) {
    const { mergeResults, readResults } = await stages.results();
    const results = mergeResults(planned.plan, await readResults(options.results));
    for (const note of results.notes) options.progress?.(note);
    merged = results;
  }
  const published = buildCatalog({
    root: options.root,
    images: catalog.images,
    plan: merged.plan,
    previous: planned.previous,
    config: catalog.config,
    source,
    phase: merged.outcomes ? "after-build" : "before-build",
    ...(merged.outcomes ? { outcomes: merged.outcomes } : {}),
    now: (options.now ?? (() => new Date()))(),
  });
  if (options.dryRun) return { ...planned, catalog: published };
  await writeCatalogFile(catalogFile, published);
  const result: RunResult = { ...planned, catalog: published, catalogFile };
  if (catalog.config.registry) {
    result.artifactDigest = await pushCatalogArtifact(
      await options.registry(catalog.config),
      catalogArtifactRepository(catalog.config),
      catalogTags(source),
      published,
    );
  }
  return result;
}
