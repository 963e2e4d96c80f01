#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  MAX_FILE_BYTES,
  parseYamlFile,
  validateCatalog,
  validateCatalogWatched
} from "./chunk-B6HO2RR2.js";
import {
  require_dist
} from "./chunk-IBEICT4M.js";
import {
  InputError,
  UsageError,
  prepareOwnFile,
  writeFileAtomic
} from "./chunk-TQMSZ7SH.js";
import {
  CONTROL_CHARACTER
} from "./chunk-PRF7RUCG.js";
import {
  NETRC_SECRET,
  netrc
} from "./chunk-GDD2ELJJ.js";
import {
  __toESM
} from "./chunk-XML4HPHG.js";

// src/pipeline.ts
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join as join3, relative } from "node:path";

// src/paths.ts
import { join } from "node:path";
var WORK_DIR = ".imagesmith";
var PUBLISHED_CATALOG = `${WORK_DIR}/catalog.json`;
var LOG_DIR = `${WORK_DIR}/logs`;
var RESULTS_DIR = `${WORK_DIR}/results`;
function resultFileFor(root, results, unit = "build") {
  return join(results ?? join(root, RESULTS_DIR), `${unit}.json`);
}
var PACKAGE_CACHE_DIR = "packages";

// src/stages/load.ts
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { join as join2, sep } from "node:path";
var CONFIG_FILE = "imagesmith.yaml";
var IMAGES_DIR = "images";
var GROUPS_DIR = "groups";
async function loadCatalog(root) {
  const problems = [];
  const found = [];
  const place = { root, images: "", problems };
  await walkImages(place, found);
  const config = await readConfig(place);
  const definitions = [];
  for (const entry of found) {
    const bytes = readRegularFile(join2(root, entry.file), entry.file, problems);
    if (bytes === void 0) continue;
    definitions.push({
      file: entry.file,
      bytes,
      system: entry.system,
      ...entry.groupName === void 0 ? {} : { groupName: entry.groupName }
    });
  }
  const sources = { root, definitions, problems };
  if (config) sources.config = config;
  return sources;
}
async function readConfig(place) {
  const { root, problems } = place;
  const kind = await kindOf(join2(root, CONFIG_FILE));
  if (kind === "missing") {
    if (await kindOf(join2(root, "imagesmith.yml")) !== "missing")
      problems.push(
        wholeFile(
          "imagesmith.yml",
          "file-extension",
          `rename imagesmith.yml to ${CONFIG_FILE}; it is read under that name only`
        )
      );
    return void 0;
  }
  if (kind !== "file") {
    problems.push(
      wholeFile(
        CONFIG_FILE,
        "file-type",
        `not read: ${CONFIG_FILE} is ${describeKind(kind)}; make it a regular file`
      )
    );
    return void 0;
  }
  const bytes = readRegularFile(join2(root, CONFIG_FILE), CONFIG_FILE, problems);
  if (bytes === void 0) return void 0;
  const config = parseYamlFile(CONFIG_FILE, bytes);
  problems.push(...config.problems);
  return config;
}
async function walkImages(place, found) {
  const { root, problems } = place;
  const imagesKind = await kindOf(join2(root, IMAGES_DIR));
  if (imagesKind !== "directory") {
    problems.push(
      wholeFile(
        IMAGES_DIR,
        "catalog-layout",
        imagesKind === "missing" ? `no ${IMAGES_DIR}/ folder in ${root}: definitions live in images/<name>.yaml and images/groups/<group>/<name>.yaml` : `not read: ${IMAGES_DIR}/ is ${describeKind(imagesKind)}; make it a folder of the catalog`
      )
    );
    return;
  }
  place.images = await realpath(join2(root, IMAGES_DIR));
  for (const entry of await listDir(place, IMAGES_DIR)) {
    const file = `${IMAGES_DIR}/${entry.name}`;
    if (entry.kind === "directory") {
      if (isYaml(entry.name)) problems.push(namedLikeADefinition(file));
      if (entry.name === GROUPS_DIR) await walkGroups(place, found);
      else await reportStray(place, file);
    } else if (entry.kind === "symlink-folder") {
      problems.push(notFollowed(file));
    } else if (isDefinitionFile(entry.name, file, entry.kind, problems)) {
      found.push({ file, system: true });
    }
  }
}
async function walkGroups(place, found) {
  const { problems } = place;
  const groupsDir = `${IMAGES_DIR}/${GROUPS_DIR}`;
  for (const group of await listDir(place, groupsDir)) {
    const folder = `${groupsDir}/${group.name}`;
    if (group.kind === "symlink-folder") {
      problems.push(notFollowed(folder));
      continue;
    }
    if (group.kind !== "directory") {
      if (isYaml(group.name)) {
        problems.push(
          wholeFile(
            folder,
            "catalog-layout",
            `not loaded: a group image lives in ${groupsDir}/<group>/<name>.yaml; move this file into its group's folder`
          )
        );
      }
      continue;
    }
    for (const entry of await listDir(place, folder)) {
      const file = `${folder}/${entry.name}`;
      if (entry.kind === "directory") {
        if (isYaml(entry.name)) problems.push(namedLikeADefinition(file));
        await reportStray(place, file);
      } else if (entry.kind === "symlink-folder") problems.push(notFollowed(file));
      else if (isDefinitionFile(entry.name, file, entry.kind, problems))
        found.push({ file, system: false, groupName: group.name });
    }
  }
}
async function reportStray(place, folder) {
  for (const entry of await listDir(place, folder)) {
    const file = `${folder}/${entry.name}`;
    if (entry.kind === "directory") await reportStray(place, file);
    else if (entry.kind === "symlink-folder") place.problems.push(notFollowed(file));
    else if (isYaml(entry.name)) {
      place.problems.push(
        wholeFile(
          file,
          "catalog-layout",
          `not loaded: definitions live in ${IMAGES_DIR}/<name>.yaml (system images) or ${IMAGES_DIR}/${GROUPS_DIR}/<group>/<name>.yaml (group images)`
        )
      );
    }
  }
}
function describeKind(kind) {
  switch (kind) {
    case "directory":
      return "a folder";
    case "symlink-folder":
      return "a symlinked folder, which is never followed; move its files here";
    case "symlink-outside":
      return "a symlink to a place outside the catalog's images/ folder";
    case "symlink-dangling":
      return "a symlink to nothing";
    case "special":
      return "not a regular file (a FIFO, a socket or a device)";
    case "file":
    case "missing":
      return "a file";
  }
}
async function kindOf(path, within) {
  let link;
  try {
    link = await lstat(path);
  } catch (error) {
    if (isMissing(error)) return "missing";
    throw error;
  }
  if (link.isFile()) return "file";
  if (link.isDirectory()) return "directory";
  if (!link.isSymbolicLink()) return "special";
  let target;
  try {
    target = await realpath(path);
  } catch {
    return "symlink-dangling";
  }
  const resolved = await stat(target);
  if (resolved.isDirectory()) return "symlink-folder";
  if (within === void 0 || !target.startsWith(within + sep)) return "symlink-outside";
  return resolved.isFile() ? "file" : "special";
}
async function listDir(place, folder) {
  let dirents;
  try {
    dirents = await readdir(join2(place.root, folder), { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  dirents.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const entries = [];
  for (const dirent of dirents) {
    const { name } = dirent;
    if (UNSAFE_NAME.test(name)) {
      place.problems.push(
        wholeFile(
          `${folder}/${escapeName(name)}`,
          "file-name",
          "not read: the name holds a line break or another control character; rename it"
        )
      );
      continue;
    }
    entries.push({ name, kind: await direntKind(dirent, join2(place.root, folder, name), place) });
  }
  return entries;
}
function direntKind(dirent, path, place) {
  if (dirent.isFile()) return "file";
  if (dirent.isDirectory()) return "directory";
  return kindOf(path, place.images);
}
var UNSAFE_NAME = CONTROL_CHARACTER;
function escapeName(name) {
  return JSON.stringify(name).slice(1, -1);
}
function isDefinitionFile(name, file, kind, problems) {
  if (name.startsWith(".")) return false;
  if (!isYaml(name)) return false;
  if (kind !== "file") {
    problems.push(
      wholeFile(
        file,
        "file-type",
        `not read: it is ${describeKind(kind)}; a definition is a regular file`
      )
    );
    return false;
  }
  if (name.endsWith(".yaml")) return true;
  problems.push(
    wholeFile(
      file,
      "file-extension",
      `not loaded: rename it to ${name.slice(0, -4)}.yaml; definitions are read from .yaml files`
    )
  );
  return false;
}
function isYaml(name) {
  return !name.startsWith(".") && /\.ya?ml$/.test(name);
}
function readRegularFile(path, file, problems) {
  let fd;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    problems.push(wholeFile(file, "file-read", `cannot read the file: ${reason(error)}`));
    return void 0;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      problems.push(wholeFile(file, "file-type", `not read: it is ${describeKind("special")}`));
      return void 0;
    }
    if (info.size > MAX_FILE_BYTES) {
      problems.push(
        wholeFile(
          file,
          "file-size",
          `file is ${info.size} bytes; a definition may be at most ${MAX_FILE_BYTES} bytes. Is this really an image definition?`
        )
      );
      return void 0;
    }
    const buffer = Buffer.alloc(Math.min(info.size, MAX_FILE_BYTES) + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length);
  } catch (error) {
    problems.push(wholeFile(file, "file-read", `cannot read the file: ${reason(error)}`));
    return void 0;
  } finally {
    closeSync(fd);
  }
}
var REASONS = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ELOOP: "too many levels of symlinks",
  EISDIR: "it is a folder"
};
function reason(error) {
  const code = error.code;
  if (!code) return error instanceof Error ? error.message : String(error);
  return REASONS[code] ? `${REASONS[code]} (${code})` : code;
}
function namedLikeADefinition(folder) {
  return wholeFile(folder, "file-type", "not read: it is a folder, not a definition file");
}
function notFollowed(folder) {
  return wholeFile(folder, "file-type", `not read: it is ${describeKind("symlink-folder")}`);
}
function wholeFile(file, rule, message) {
  return { file, line: 1, column: 1, rule, message, severity: "error", pointer: "" };
}
function isMissing(error) {
  const code = error?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

// src/stages/scaffold.ts
var import_yaml = __toESM(require_dist(), 1);
function definitionFile(name, group) {
  return group === void 0 ? `${IMAGES_DIR}/${name}.yaml` : `${IMAGES_DIR}/${GROUPS_DIR}/${group}/${name}.yaml`;
}
var IMAGE_SCHEMA_URL = "https://imagesmith.dev/schemas/image.schema.json";
var IMAGE_SCHEMA_MODELINE = `# yaml-language-server: $schema=${IMAGE_SCHEMA_URL}`;
function renderDefinition(request) {
  const data = { displayName: request.displayName };
  if (request.description !== void 0) data.description = request.description;
  data.type = request.type ?? (request.urlForGpu === void 0 ? "cpu" : "universal");
  if (request.url !== void 0) {
    data.url = request.url;
    if (request.urlForGpu !== void 0) data.urlForGpu = request.urlForGpu;
    if (request.pullSecret !== void 0) data.pullSecret = request.pullSecret;
  } else if (request.urlForGpu !== void 0) {
    data.urlForGpu = request.urlForGpu;
  }
  if (request.group === void 0) {
    if (request.global) data.global = true;
    if (request.groups.length > 0) data.groups = request.groups;
  } else if (request.global) {
    data.global = true;
  }
  if (request.baseImage !== void 0) {
    const build = { baseImage: request.baseImage };
    const packages = Object.fromEntries(
      Object.entries(request.packages).filter(([, list]) => list.length > 0)
    );
    if (Object.keys(packages).length > 0) build.packages = packages;
    data.build = build;
  }
  return `${IMAGE_SCHEMA_MODELINE}
${new import_yaml.Document(data).toString({ lineWidth: 0 })}`;
}

// src/pipeline.ts
var stages = {
  catalog: () => import("./catalog-7ZW7IJJU.js"),
  git: () => import("./git-37SG56ZD.js"),
  plan: () => import("./plan-2QI666GB.js"),
  planFile: () => import("./plan-file-AN4KGVEG.js"),
  render: () => import("./render-JN7QZUGY.js"),
  baseCache: () => import("./base-cache-G2QDPAQB.js"),
  build: () => import("./build-H6MNB7AW.js"),
  builders: () => import("./builders-Z7S5M5M5.js"),
  publish: () => import("./publish-YN4BGGFZ.js"),
  results: () => import("./results-DGASOOGO.js"),
  verify: () => import("./verify-LM6JJOW2.js"),
  facts: () => import("./facts-FLSNFL3H.js")
};
async function validate(options) {
  return validateCatalog(withPushTarget(await loadCatalog(options.root), options));
}
function withPushTarget(sources, options) {
  return options.pushTarget ? { ...sources, pushTarget: options.pushTarget } : sources;
}
async function newImage(options) {
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
    system: groupName === void 0,
    ...groupName === void 0 ? {} : { groupName }
  });
  sources.problems = sources.problems.filter((p) => p.file === file);
  const result = validateCatalog(sources);
  const problems = result.problems.filter((p) => p.file === file);
  if (problems.some((p) => p.severity === "error") || options.dryRun) {
    return { file, text, written: false, problems };
  }
  const path = join3(options.root, file);
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, text, { flag: "wx" });
  } catch (error) {
    if (error.code === "EEXIST")
      return { file, text, written: false, exists: true, problems };
    throw error;
  }
  return { file, text, written: true, problems };
}
async function plan(options) {
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
      ...published.catalog ? { previous: published.catalog } : {},
      source
    };
  } finally {
    ahead.settle();
  }
}
function planAhead(options) {
  const callOff = new AbortController();
  let planned = false;
  let started;
  let loading;
  let planner;
  const early = [];
  function start(config) {
    if (started) return started;
    const starting = startPlanning(options, config, callOff.signal);
    loading = starting.loaded.then(() => {
      loading = void 0;
    });
    started = starting.started.then((begun) => {
      planner = begun.planner;
      for (const image of early.splice(0)) planner.add(image);
      return begun;
    });
    started.catch(() => void 0);
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
      if (history !== void 0) begun.published.baseline.history = history;
      await begun.baseConfigs.save().catch(() => void 0);
      planned = true;
      return { plan: result, published: begun.published, source: begun.source };
    },
    settle() {
      if (!planned) callOff.abort();
    }
  };
}
function startPlanning(options, config, callOff) {
  const registryReady = (async () => options.registry(config, callOff))();
  const catalogStage = stages.catalog();
  const planStage = Promise.all([stages.plan(), openBaseConfigs(options)]);
  const sourceReady = Promise.resolve(options.source);
  for (const pending of [registryReady, catalogStage, planStage, sourceReady])
    pending.catch(() => void 0);
  const loaded = Promise.allSettled([registryReady, catalogStage, planStage]);
  const started = (async () => {
    const registry = await registryReady;
    if (callOff.aborted) throw new Error("the plan was called off");
    const published = await readBaselineOf(options, config, registry);
    const [{ startPlan }, baseConfigs] = await planStage;
    const source = await sourceReady ?? {};
    if (callOff.aborted) throw new Error("the plan was called off");
    const planner = startPlan({
      config,
      registry,
      ...published.catalog ? { previous: published.catalog } : {},
      baseline: published.baseline,
      force: options.force ?? [],
      source,
      baseConfigs,
      ...options.trustPublished ? { trustPublished: true } : {}
    });
    const history = historyOf(options, published, source);
    history.catch(() => void 0);
    return { planner, published, history, source, baseConfigs };
  })();
  return { loaded, started };
}
async function readPublished(options, config, registry, source) {
  const read = await readBaselineOf(options, config, registry);
  const history = await historyOf(options, read, source);
  if (history !== void 0) read.baseline.history = history;
  return read;
}
async function readBaselineOf(options, config, registry) {
  const { readBaseline, readBaselineFile } = await stages.catalog();
  return options.previous === void 0 ? readBaseline(registry, config) : readBaselineFile(options.previous);
}
async function historyOf(options, read, source) {
  const { commit } = read.baseline;
  if (commit === void 0 || source.commit === void 0) return void 0;
  const { commitHistory } = await stages.git();
  return commitHistory(options.root, commit, source.commit);
}
async function openBaseConfigs(options) {
  const { FileBaseConfigCache } = await stages.baseCache();
  return FileBaseConfigCache.open(
    options.cacheDir === void 0 ? void 0 : join3(options.cacheDir, "base-configs.json")
  );
}
async function render(options) {
  const result = await plan(options);
  const files = [];
  if (!result.plan) return { ...result, files };
  const out = options.out ?? join3(options.root, WORK_DIR, "render");
  if (options.out !== void 0) await mkdir(out, { recursive: true });
  for (const entry of result.plan.images) {
    if (!entry.dockerfile) continue;
    const file = join3(out, entry.name, "Dockerfile");
    await writeFileAtomic(file, entry.dockerfile, {
      within: options.out === void 0 ? options.root : out
    });
    files.push(file);
  }
  return { ...result, files };
}
async function runAll(options) {
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
  const inspections = /* @__PURE__ */ new Map();
  const built = await buildImages(toBuild, catalog, options, { push: true, inspections });
  const outcomes = await recordFacts(built, toBuild, catalog.config, inspections, options);
  const cancelled = options.signal.aborted;
  const result = { ...planned, outcomes, cancelled };
  if (options.resultFile) result.resultFile = await writeBuildResult(planned, outcomes, options);
  if (!publishing || cancelled) return result;
  const next = await composeCatalog(planned, options, outcomeMap(outcomes, options.logUrl));
  return { ...result, ...await publishCatalog(planned, next, options) };
}
async function verify(options) {
  const planned = await plan(options);
  if (!planned.plan || planned.plan.errors.length > 0) return planned;
  const { catalog } = planned.validation;
  const toBuild = selectBuilds(planned.plan, void 0);
  options.planned?.(planned.plan, toBuild);
  if (toBuild.length === 0) return { ...planned, outcomes: [], verified: [] };
  const [registry, { servedInventories }, { verifiedImages }] = await Promise.all([
    options.registry(catalog.config),
    stages.facts(),
    stages.verify()
  ]);
  const served = servedInventories(
    registry,
    planned.previous,
    toBuild.map((entry) => entry.name)
  );
  const inspections = /* @__PURE__ */ new Map();
  const outcomes = await buildImages(toBuild, catalog, options, { push: false, inspections });
  const cancelled = options.signal.aborted;
  const verified = await verifiedImages({ entries: toBuild, outcomes, inspections, served });
  return { ...planned, outcomes, verified, cancelled };
}
function requireImages(images, wanted, what) {
  const names = new Set(images.map((image) => image.name));
  const unknown = wanted.filter((name) => !names.has(name));
  if (unknown.length > 0)
    throw new UsageError(`${what} ${unknown.join(", ")}: no such image in the catalog`);
}
function cancelledAll(entries) {
  return entries.map((entry) => ({
    name: entry.name,
    state: "cancelled",
    reason: "cancelled before it started",
    logFile: ""
  }));
}
function selectBuilds(planned, only) {
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
async function buildImages(entries, catalog, options, mode) {
  if (entries.length === 0) return [];
  const { config } = catalog;
  const definitions = new Map(catalog.images.map((image) => [image.name, image]));
  const credentials = options.pushCredentials?.(config);
  const { urlCredentials } = await stages.render();
  const indexes = urlCredentials(config);
  const files = await privateBuildFiles(credentials, indexes);
  const building = new Set(entries.map((entry) => entry.name));
  try {
    const jobs = entries.map((entry) => ({
      name: entry.name,
      dependsOn: entry.dependsOn,
      // One log per recipe: a failed attempt never overwrites the log of the build being served.
      logName: `${entry.name}/${entry.recipeHash ?? "build"}.log`,
      request: {
        name: entry.name,
        dockerfile: entry.dockerfile ?? "",
        ref: entry.ref,
        extraRefs: movingRefs(config, entry.name),
        ...config.layerCache ? { cacheRepo: cacheRepository(config) } : {},
        // Rebuild means reinstall: a forced image runs its package steps again; its children
        // follow because their parent is new.
        ...entry.reasons.includes("forced") ? { noCache: true } : {},
        ...entry.dependsOn.some((parent) => !building.has(parent)) ? { refreshBase: true } : {},
        ...options.cacheDir ? { packageCache: join3(options.cacheDir, PACKAGE_CACHE_DIR) } : {},
        insecureRegistries: config.insecureRegistries,
        platform: config.platform,
        // A verification build pushes nothing, the layer cache included: it reads it only.
        ...mode.push ? {} : { push: false, cacheReadOnly: true },
        inspect: inspector(definitions.get(entry.name), entry, config, mode.inspections),
        ...files.auth ? { authFile: files.auth } : {},
        ...files.netrc ? { secrets: [{ id: NETRC_SECRET, file: files.netrc }] } : {}
      }
    }));
    for (const job of jobs)
      await prepareOwnFile(options.root, join3(options.root, LOG_DIR, job.logName ?? ""));
    const [{ runBuilds }, { createBuilder }] = await Promise.all([
      stages.build(),
      stages.builders()
    ]);
    const outcomes = await runBuilds(jobs, {
      builder: createBuilder(config.builder),
      jobs: options.jobs ?? 2,
      logDir: join3(options.root, LOG_DIR),
      signal: options.signal,
      secrets: [
        ...credentials ? [credentials.password] : [],
        ...indexes.map((entry) => entry.password)
      ],
      ...options.output ? { output: options.output } : {},
      onProgress: options.buildProgress ?? ((name, state, seconds) => options.progress?.(`${name}: ${state} (${seconds.toFixed(1)}s)`))
    });
    return outcomes.length > 0 || !options.signal.aborted ? outcomes : cancelledAll(entries);
  } finally {
    await files.remove();
  }
}
function inspector(definition, entry, config, inspections) {
  return async (image, log) => {
    if (!definition) return;
    const { inspectBuiltImage, ContractFailure } = await stages.verify();
    const inspection = await inspectBuiltImage(
      image,
      {
        definition,
        ...entry.base?.user === void 0 ? {} : { baseUser: entry.base.user },
        timeoutMs: config.testTimeout * 1e3
      },
      log
    );
    inspections.set(entry.name, inspection);
    const failed = inspection.contracts.filter((result) => !result.ok);
    if (failed.length > 0) throw new ContractFailure(failed);
  };
}
async function recordFacts(outcomes, entries, config, inspections, options) {
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
        now: (options.now ?? (() => /* @__PURE__ */ new Date()))()
      });
      for (const warning of warnings) options.progress?.(`${outcome.name}: warning: ${warning}`);
      const all = [...outcome.warnings ?? [], ...warnings];
      return { ...outcome, facts, ...all.length > 0 ? { warnings: all } : {} };
    })
  );
}
function outcomeMap(outcomes, logUrl) {
  return new Map(
    outcomes.map((outcome) => [outcome.name, logUrl ? { ...outcome, logUrl } : outcome])
  );
}
async function writeBuildResult(planned, outcomes, options) {
  const file = options.resultFile ?? "";
  const { buildResult, writeResultFile } = await stages.results();
  const inside = !relative(options.root, file).startsWith("..");
  await writeResultFile(
    file,
    buildResult({
      plan: planned.plan,
      outcomes,
      root: options.root,
      source: planned.source ?? {},
      ...options.unit ? { unit: options.unit } : {},
      ...options.logUrl ? { logUrl: options.logUrl } : {}
    }),
    inside ? { within: options.root } : {}
  );
  return file;
}
function movingRefs(config, name) {
  if (!config.registry || !config.movingTag) return [];
  return [
    config.singleRepository ? `${config.registry}:${name}-${config.movingTag}` : `${config.registry}/${name}:${config.movingTag}`
  ];
}
function cacheRepository(config) {
  return config.singleRepository ? `${config.registry}-cache` : `${config.registry}/imagesmith-cache`;
}
async function privateBuildFiles(credentials, indexes) {
  if (!credentials && indexes.length === 0) return { remove: async () => void 0 };
  const dir = await mkdtemp(join3(tmpdir(), "imagesmith-auth-"));
  const files = {
    remove: () => rm(dir, { recursive: true, force: true })
  };
  if (credentials) {
    files.auth = join3(dir, "auth.json");
    const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
    await writeFile(files.auth, JSON.stringify({ auths: { [credentials.host]: { auth } } }), {
      mode: 384
    });
  }
  if (indexes.length > 0) {
    files.netrc = join3(dir, "netrc");
    await writeFile(files.netrc, netrc(indexes), { mode: 384 });
  }
  return files;
}
async function executePlanFile(options) {
  const validation = await validate(options);
  const path = options.planFile;
  if (!validation.valid || path === void 0) return { validation };
  const config = validation.catalog.config;
  const [registry, source, { verifyPlan }, baseConfigs] = await Promise.all([
    options.registry(config),
    options.source,
    stages.planFile(),
    openBaseConfigs(options)
  ]);
  let planned;
  try {
    const data = JSON.parse(await readFile(path, "utf8"));
    planned = await verifyPlan(data, {
      catalog: validation.catalog,
      source: source ?? {},
      registry,
      baseConfigs
    });
  } catch (error) {
    throw new InputError(`the plan ${path} cannot be used: ${error.message}`, {
      cause: error
    });
  }
  await baseConfigs.save().catch(() => void 0);
  const result = { validation, plan: planned, source: source ?? {} };
  if (options.publish === false) return result;
  const published = await readPublished(options, config, registry, source ?? {});
  if (published.baseline.digest !== planned.baseline.digest && !options.forcePublish) {
    const { PublishError } = await stages.catalog();
    throw new PublishError(
      `not publishing the plan ${path}: the published catalog moved since it was made (it compared with ${planned.baseline.digest ?? "nothing published"}, the registry now holds ${published.baseline.digest ?? "nothing"}${published.baseline.commit ? ` from commit ${published.baseline.commit}` : ""}); plan again (or publish with --force-publish)`,
      "catalog-moved"
    );
  }
  return {
    ...result,
    plan: { ...planned, baseline: published.baseline },
    ...published.catalog ? { previous: published.catalog } : {}
  };
}
async function publish(options) {
  const planned = await plan(options);
  if (!planned.plan || planned.plan.errors.length > 0) return planned;
  await refuseUnsafePublish(planned, options);
  let merged = { plan: planned.plan };
  if (options.results !== void 0) {
    const { mergeResults, readResults } = await stages.results();
    const results = mergeResults(planned.plan, await readResults(options.results));
    for (const note of results.notes) options.progress?.(note);
    merged = results;
  }
  const next = await composeCatalog({ ...planned, plan: merged.plan }, options, merged.outcomes);
  if (options.dryRun) return { ...planned, catalog: next };
  return { ...planned, ...await publishCatalog(planned, next, options) };
}
async function composeCatalog(planned, options, outcomes) {
  const { buildCatalog } = await stages.publish();
  const { catalog } = planned.validation;
  return buildCatalog({
    root: options.root,
    images: catalog.images,
    plan: planned.plan,
    ...outcomes ? { outcomes } : {},
    ...planned.previous ? { previous: planned.previous } : {},
    config: catalog.config,
    source: planned.source ?? {},
    now: (options.now ?? (() => /* @__PURE__ */ new Date()))()
  });
}
async function refuseUnsafePublish(planned, options) {
  const { publishRefusal, PublishError } = await stages.catalog();
  const reason2 = publishRefusal(planned.plan.baseline, planned.source ?? {});
  if (reason2 === void 0) return;
  if (options.forcePublish) {
    options.progress?.(`publishing anyway (--force-publish), although ${reason2}`);
    return;
  }
  throw new PublishError(`not publishing: ${reason2}`, "refused");
}
async function publishCatalog(planned, catalog, options) {
  const config = planned.validation.catalog.config;
  const {
    catalogArtifactRepository,
    catalogTags,
    pushCatalogArtifact,
    sameImages,
    writeCatalogFile
  } = await stages.catalog();
  const { baseline } = planned.plan;
  const result = { catalog };
  result.catalogFile = join3(options.root, PUBLISHED_CATALOG);
  if (config.registry && planned.previous && baseline.digest && sameImages(catalog, planned.previous)) {
    await writeCatalogFile(result.catalogFile, planned.previous, { within: options.root });
    return {
      ...result,
      catalog: planned.previous,
      artifactDigest: baseline.digest,
      unchanged: true
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
        ...options.signal ? { signal: options.signal } : {}
      }
    );
  }
  await writeCatalogFile(result.catalogFile, catalog, { within: options.root });
  return result;
}
async function readPublishedCatalog(options) {
  const { catalogArtifactRepository, pullCatalogArtifact, readCatalogFile } = await stages.catalog();
  if (options.catalogFile !== void 0) {
    const catalog = await readCatalogFile(options.catalogFile);
    if (!catalog) throw new InputError(`there is no catalog file ${options.catalogFile}`);
    return { catalog, from: options.catalogFile };
  }
  const config = await catalogConfig(options.root);
  if (!config.registry) {
    const file = join3(options.root, PUBLISHED_CATALOG);
    const catalog = await readCatalogFile(file);
    return { ...catalog ? { catalog } : {}, from: file };
  }
  const ref = `${catalogArtifactRepository(config)}:${options.tag ?? "latest"}`;
  try {
    return {
      catalog: (await pullCatalogArtifact(await options.registry(config), ref)).catalog,
      from: ref
    };
  } catch (error) {
    if (error.code === "not-found") return { from: ref };
    throw error;
  }
}
async function servedCatalog(options) {
  const { catalog, from } = await readPublishedCatalog(options);
  if (!catalog)
    throw new InputError(
      `nothing is published at ${from} yet: publish the catalog first (imagesmith run, or publish)`
    );
  return { catalog, from };
}
async function pullCatalog(options) {
  if (options.catalogFile === void 0 && !(await catalogConfig(options.root)).registry)
    throw new UsageError("set registry in imagesmith.yaml: the catalog artifact lives there");
  return servedCatalog(options);
}
async function imageLog(options) {
  const { catalog, from } = await readPublishedCatalog(options);
  const { name } = options;
  const image = catalog?.images.find((entry) => entry.name === name);
  if (!image) throw new InputError(`${name} is not in the published catalog (${from})`);
  const record = options.attempt ? image.attempt : image.build;
  if (!record)
    throw new InputError(
      options.attempt ? `${name} has no attempt beside the build it serves (its status is ${image.status})` : image.attempt ? `${name} serves no build of its own yet; its latest attempt is ${image.attempt.status}: imagesmith logs ${name} --attempt` : `${name} is not built by imagesmith (it is an existing image)`
    );
  const text = record.log ? await readFile(join3(options.root, record.log), "utf8").catch(() => void 0) : void 0;
  if (text !== void 0) return { text };
  if (record.logUrl) return { url: record.logUrl };
  throw new InputError(
    `no build log for ${name} in this checkout${record.log ? ` (${record.log})` : ""}: it was built elsewhere`
  );
}
var SITE_MARKER = ".imagesmith-site";
async function site(options) {
  const { catalog, from } = await servedCatalog(options);
  const [{ renderSite }, { servedRecipe }] = await Promise.all([
    import("./site-44N46KTX.js"),
    import("./recipe-B6VCZIYB.js")
  ]);
  const config = await catalogConfig(options.root);
  const recipes = /* @__PURE__ */ new Map();
  for (const image of catalog.images) {
    const recipe = servedRecipe(image, config);
    if (recipe !== void 0) recipes.set(image.name, recipe);
  }
  const fromRegistry = options.catalogFile === void 0 && config.registry !== void 0;
  const installed = options.installed ?? fromRegistry ? await servedPackages(catalog, await options.registry(config)) : /* @__PURE__ */ new Map();
  const files = renderSite({
    catalog,
    ...config.groups ? { groups: config.groups } : {},
    recipes,
    installed,
    from,
    now: (options.now ?? (() => /* @__PURE__ */ new Date()))()
  });
  await replaceSiteFolder(options.out);
  const written = [];
  for (const [path, content] of files) {
    const file = join3(options.out, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
    written.push(file);
  }
  await writeFile(join3(options.out, SITE_MARKER), "made by imagesmith site\n");
  return { out: options.out, files: written, from, images: catalog.images.length };
}
async function catalogBuilder(root) {
  return (await catalogConfig(root)).builder;
}
async function catalogConfig(root) {
  const sources = await loadCatalog(root).catch(() => void 0);
  if (!sources) return validateCatalog({ root, definitions: [], problems: [] }).catalog.config;
  return validateCatalog({ ...sources, definitions: [] }).catalog.config;
}
async function replaceSiteFolder(out) {
  const { readdir: readdir2, stat: stat2 } = await import("node:fs/promises");
  const entries = await readdir2(out).catch((error) => {
    if (error.code === "ENOENT") return void 0;
    throw error;
  });
  if (entries === void 0 || entries.length === 0) {
    await mkdir(out, { recursive: true });
    return;
  }
  const marked = await stat2(join3(out, SITE_MARKER)).then(
    () => true,
    () => false
  );
  if (!marked)
    throw new UsageError(
      `${out} holds files imagesmith did not write: give site --out an empty or new folder`
    );
  for (const entry of entries) await rm(join3(out, entry), { recursive: true, force: true });
}
async function servedPackages(catalog, registry) {
  const [{ findSbom }, { parseImageReference }] = await Promise.all([
    import("./referrers-THYQ3B4W.js"),
    import("./image-ref-ZXJ7YNYU.js")
  ]);
  const found = /* @__PURE__ */ new Map();
  const queue = catalog.images.filter((image) => image.build?.sbom && image.url);
  const worker = async () => {
    for (let image = queue.shift(); image; image = queue.shift()) {
      const ref = parseImageReference(image.url ?? "");
      if (!ref.ok || ref.value.digest === void 0) continue;
      const sbom = await findSbom(registry, ref.value, ref.value.digest).catch(() => void 0);
      if (sbom) found.set(image.name, sbom.packages);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return found;
}
async function syncPrimeHub(options) {
  const { catalog } = await servedCatalog(options);
  const [sync, config] = await Promise.all([
    import("./sync-JHXJGW6V.js"),
    catalogConfig(options.root)
  ]);
  let ledger;
  if (options.ledgerFile === void 0 && config.registry) {
    const [{ catalogArtifactRepository }, { parseImageReference }] = await Promise.all([
      stages.catalog(),
      import("./image-ref-ZXJ7YNYU.js")
    ]);
    const parsed = parseImageReference(catalogArtifactRepository(config));
    if (!parsed.ok) throw new InputError(`registry in imagesmith.yaml: ${parsed.error.message}`);
    ledger = sync.registryLedger(await options.registry(config), parsed.value, options.endpoint);
  } else {
    ledger = sync.fileLedger(
      options.ledgerFile ?? join3(options.root, WORK_DIR, `${sync.ledgerTag(options.endpoint)}.json`),
      options.endpoint
    );
  }
  return sync.syncCatalog({
    catalog,
    port: sync.primeHubClient({
      endpoint: options.endpoint,
      token: options.token,
      ...options.signal ? { signal: options.signal } : {}
    }),
    ledger,
    ...options.adopt ? { adopt: options.adopt } : {},
    ...options.dryRun ? { dryRun: true } : {}
  });
}
async function exportCatalog(options) {
  const { catalog } = await servedCatalog(options);
  const { toPrimeHubImages } = await import("./primehub-4CWYF6OO.js");
  return toPrimeHubImages(
    catalog,
    options.namespace === void 0 ? {} : { namespace: options.namespace }
  );
}
async function doctor(options) {
  const [validation, source, { createBuilder }] = await Promise.all([
    validate(options),
    stages.git().then(({ gitSource }) => gitSource(options.root)),
    stages.builders()
  ]);
  const { config } = validation.catalog;
  const checks = [];
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const recentNode = major > 20 || major === 20 && minor >= 5;
  checks.push({
    name: "node",
    status: recentNode ? "ok" : "fail",
    detail: `node ${process.versions.node}${recentNode ? "" : ": imagesmith needs 20.5 or newer"}`
  });
  const errors = validation.problems.filter((p) => p.severity === "error").length;
  const warnings = validation.problems.length - errors;
  checks.push({
    name: "catalog",
    status: errors > 0 ? "fail" : warnings > 0 ? "warn" : "ok",
    detail: errors > 0 ? `${errors} error${errors === 1 ? "" : "s"} in the definitions: imagesmith validate lists them` : `${validation.catalog.images.length} image${validation.catalog.images.length === 1 ? "" : "s"} valid${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"} (imagesmith validate)` : ""}`
  });
  checks.push(
    source.commit ? {
      name: "git",
      status: "ok",
      detail: `commit ${source.commit.slice(0, 12)}${source.repo ? ` of ${source.repo}` : ""}: the catalog records it`
    } : {
      name: "git",
      status: "warn",
      detail: `${options.root} is not a git checkout with a commit: the catalog records no source, and publish cannot tell a stale checkout`
    }
  );
  const builder = (() => {
    try {
      return createBuilder(config.builder);
    } catch (error) {
      return error;
    }
  })();
  if (builder instanceof Error)
    checks.push({ name: "builder", status: "fail", detail: builder.message });
  else {
    const version = await builder.version?.().then(
      (line) => ({ ok: true, line: line.split("\n")[0] ?? line }),
      (error) => ({ ok: false, line: error.message })
    );
    checks.push({
      name: "builder",
      status: version === void 0 || version.ok ? "ok" : "fail",
      detail: version === void 0 ? builder.name : version.line
    });
    if (builder.name === "buildah" && process.getuid?.() !== 0 && version?.ok) {
      const { rootlessProblem } = await import("./rootless-FYGN3NTP.js");
      const problem = options.env._CONTAINERS_USERNS_CONFIGURED ? void 0 : await rootlessProblem(options.env);
      checks.push(
        problem ? { name: "rootless", status: "fail", detail: problem } : {
          name: "rootless",
          status: "ok",
          detail: "not root: run, build and verify run themselves inside buildah unshare"
        }
      );
    }
  }
  if (!config.registry) {
    checks.push({
      name: "registry",
      status: "warn",
      detail: `imagesmith.yaml names no registry: images cannot be pushed, and the catalog is only ${PUBLISHED_CATALOG}`
    });
  } else {
    const read = await readPublishedCatalog(options).then(
      (found) => ({ found }),
      (error) => ({ error })
    );
    checks.push(
      "error" in read ? { name: "registry", status: "fail", detail: read.error.message } : read.found.catalog ? {
        name: "registry",
        status: "ok",
        detail: `${read.found.from} serves ${read.found.catalog.images.length} images`
      } : {
        name: "registry",
        status: "ok",
        detail: `${config.registry} answers; nothing is published at ${read.found.from} yet`
      }
    );
    if (!("error" in read)) checks.push(await pushCheck(config, options.registry));
    const push = options.pushCredentials?.(config);
    checks.push(
      push ? {
        name: "credentials",
        status: "ok",
        detail: `IMAGESMITH_REGISTRY_USERNAME (${push.username}) is sent to ${push.host} only`
      } : {
        name: "credentials",
        status: "ok",
        detail: `no IMAGESMITH_REGISTRY_USERNAME / _PASSWORD: ${config.registry.split("/")[0]} gets what buildah login, podman login or docker login stored, if anything`
      }
    );
  }
  return checks;
}
async function pushCheck(config, registry) {
  const [{ catalogArtifactRepository }, { parseImageReference }] = await Promise.all([
    stages.catalog(),
    import("./image-ref-ZXJ7YNYU.js")
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
      detail: `${repository} takes a push (an upload was started and cancelled)`
    };
  } catch (error) {
    return {
      name: "push",
      status: "fail",
      detail: `${repository} refuses a push with these credentials, so builds and publish would fail: ${error.message}`
    };
  }
}

export {
  WORK_DIR,
  PUBLISHED_CATALOG,
  LOG_DIR,
  RESULTS_DIR,
  resultFileFor,
  CONFIG_FILE,
  validate,
  newImage,
  plan,
  render,
  runAll,
  verify,
  publish,
  readPublishedCatalog,
  servedCatalog,
  pullCatalog,
  imageLog,
  SITE_MARKER,
  site,
  catalogBuilder,
  syncPrimeHub,
  exportCatalog,
  doctor
};
