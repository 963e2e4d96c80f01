#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  CATALOG_BASE_PREFIX
} from "./chunk-B6HO2RR2.js";
import {
  diffServed,
  digestOf,
  pinReference,
  readyServed,
  servedOf
} from "./chunk-EESE7KYM.js";
import {
  RegistryError
} from "./chunk-BQA5KWHH.js";
import {
  ImagePlanError,
  builtReference,
  catalogBase,
  mirroredBase,
  parsePlatform,
  parseReference,
  planRecipe,
  registryBaseFrom,
  stripDigest
} from "./chunk-WSEJIW4R.js";
import {
  formatImageReference
} from "./chunk-54TCZN6E.js";
import {
  isRootUser,
  renderRecipe
} from "./chunk-V4OKTXNJ.js";

// src/stages/plan/graph.ts
function parentName(image) {
  const base = image.build?.baseImage;
  return base?.startsWith(CATALOG_BASE_PREFIX) ? base.slice(CATALOG_BASE_PREFIX.length) : void 0;
}
function buildOrder(images) {
  const byName = new Map(images.map((image) => [image.name, image]));
  const children = /* @__PURE__ */ new Map();
  const roots = [];
  for (const image of images) {
    const parent = parentName(image);
    if (parent !== void 0 && byName.has(parent)) {
      children.set(parent, [...children.get(parent) ?? [], image]);
    } else {
      roots.push(image);
    }
  }
  const ordered = [];
  const byNameOrder = (a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  let layer = [...roots].sort(byNameOrder);
  while (layer.length > 0) {
    ordered.push(...layer);
    layer = layer.flatMap((image) => children.get(image.name) ?? []).sort(byNameOrder);
  }
  return ordered;
}

// src/stages/plan/index.ts
var PLAN_ACTIONS = [
  "build",
  "skip",
  "register",
  "update",
  "remove"
];
async function planCatalog(input) {
  const { catalog, ...rest } = input;
  return startPlan({ ...rest, config: catalog.config }).finish(catalog);
}
function startPlan(input) {
  const { config, registry } = input;
  const source = input.source ?? {};
  const force = new Set(input.force ?? []);
  const previous = new Map((input.previous?.images ?? []).map((image) => [image.name, image]));
  const platform = parsePlatform(config.platform);
  const publishedBases = /* @__PURE__ */ new Map();
  for (const image of previous.values()) {
    const digest = image.build?.baseDigest;
    if (digest !== void 0 && !digest.startsWith("recipe:"))
      publishedBases.set(image.build?.baseImage ?? "", digest);
  }
  const bases = /* @__PURE__ */ new Map();
  const planned = /* @__PURE__ */ new Map();
  const added = /* @__PURE__ */ new Map();
  const awaited = /* @__PURE__ */ new Map();
  const arrivals = /* @__PURE__ */ new Map();
  let finished = false;
  function definition(name) {
    const image = added.get(name);
    if (image !== void 0 || finished) return image;
    let arrival = arrivals.get(name);
    if (!arrival) {
      arrival = new Promise((resolve) => awaited.set(name, resolve));
      arrivals.set(name, arrival);
    }
    return arrival;
  }
  function resolveRegistryBase(reference) {
    let promise = bases.get(reference);
    if (!promise) {
      promise = resolveBase(reference, config, registry, platform, {
        cache: input.baseConfigs,
        expect: publishedBases.get(reference)
      });
      bases.set(reference, promise);
    }
    return promise;
  }
  let singleRepositoryTags;
  async function pushedDigest(ref, before, hash) {
    const parsed = parseReference(ref);
    const served = before?.build?.recipeHash === hash ? digestOf(before.url) : void 0;
    if (input.trustPublished && served) return served;
    if (config.singleRepository) {
      singleRepositoryTags ??= registry.tags(parsed).then(
        (tags) => new Set(tags),
        (error) => {
          if (error instanceof RegistryError && error.code === "not-found")
            return /* @__PURE__ */ new Set();
          throw new ImagePlanError(`listing the tags of ${config.registry}: ${messageOf(error)}`);
        }
      );
      if (!(await singleRepositoryTags).has(parsed.tag ?? "")) return void 0;
      if (served) return served;
    }
    const info = await registry.resolve(parsed, served === void 0 ? {} : { expect: served }).catch((error) => {
      throw new ImagePlanError(`checking ${ref}: ${messageOf(error)}`);
    });
    return info?.digest;
  }
  function plan(image) {
    let promise = planned.get(image.name);
    if (!promise) {
      promise = image.build ? planBuilt(image) : planExisting(image);
      promise.catch(() => void 0);
      planned.set(image.name, promise);
    }
    return promise;
  }
  function add(image) {
    if (added.has(image.name)) return;
    added.set(image.name, image);
    awaited.get(image.name)?.(image);
    awaited.delete(image.name);
    void plan(image);
  }
  function publishedPin(before, reference, gpu) {
    if (before?.from === void 0) return void 0;
    const from = gpu ? before.from.urlForGpu : before.from.url;
    return from === reference ? digestOf(gpu ? before.urlForGpu : before.url) : void 0;
  }
  async function resolvePinned(reference, before, gpu) {
    const pinned = publishedPin(before, reference, gpu);
    if (input.trustPublished && pinned !== void 0) return pinned;
    return resolveExisting(reference, registry, pinned);
  }
  async function planExisting(image) {
    const url = image.url ?? "";
    const gpuUrl = image.type === "universal" && image.urlForGpu !== void 0 && image.urlForGpu !== url ? image.urlForGpu : void 0;
    const before = previous.get(image.name);
    const entry = {
      name: image.name,
      action: "register",
      reasons: [],
      ref: url,
      recipeHash: null,
      digest: await resolvePinned(url, before, false),
      dependsOn: [],
      file: image.file,
      changes: []
    };
    if (gpuUrl !== void 0) {
      entry.gpuRef = gpuUrl;
      entry.gpuDigest = await resolvePinned(gpuUrl, before, true);
    }
    const pinnedGpu = gpuUrl === void 0 ? void 0 : pinReference(gpuUrl, entry.gpuDigest ?? "");
    decide(
      entry,
      before,
      readyServed(image, config, pinReference(url, entry.digest ?? ""), pinnedGpu)
    );
    return entry;
  }
  async function planBuilt(image) {
    if (!image.build) throw new Error("unreachable: planBuilt on an existing image");
    const parent = parentName(image);
    let base;
    let parentPlan;
    if (parent !== void 0) {
      const parentImage = await definition(parent);
      if (!parentImage) throw new ImagePlanError(`its base image:${parent} is not in the catalog`);
      parentPlan = await plan(parentImage).catch((error) => {
        throw new ImagePlanError(
          `its base image:${parent} could not be planned: ${messageOf(error)}`
        );
      });
      base = parentPlan.recipeHash === null ? await resolveRegistryBase(
        parentPlan.digest ? `${stripDigest(parentPlan.ref)}@${parentPlan.digest}` : parentPlan.ref
      ) : catalogBase(parentPlan.ref, parentPlan.recipeHash, parentPlan.base?.user);
    } else {
      base = await resolveRegistryBase(image.build.baseImage);
    }
    const recipe = planRecipe(image, base, config, source);
    const entry = {
      name: image.name,
      action: "build",
      reasons: [],
      ref: recipe.ref,
      recipeHash: recipe.hash,
      dependsOn: parent === void 0 ? [] : [parent],
      file: image.file,
      base: {
        image: image.build.baseImage,
        from: base.from,
        digest: base.digest,
        ...base.user === void 0 ? {} : { user: base.user }
      },
      dockerfile: recipe.dockerfile,
      changes: []
    };
    const before = previous.get(image.name);
    const previousDockerfile = before?.build && before.build.recipeHash !== recipe.hash ? renderServed(image, before, base, config) : void 0;
    if (previousDockerfile !== void 0) entry.previousDockerfile = previousDockerfile;
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
    entry.changes = diffServed(before && servedOf(before), readyServed(image, config, recipe.ref));
    return entry;
  }
  async function finish(catalog) {
    if (catalog.config !== config)
      throw new Error("unreachable: a plan finished with another config than it was started with");
    const ordered = buildOrder(catalog.images);
    for (const image of ordered) add(image);
    finished = true;
    for (const [name, resolve] of awaited) resolve(added.get(name));
    awaited.clear();
    return assemble(catalog, ordered);
  }
  async function assemble(catalog, ordered) {
    const names = new Set(catalog.images.map((image) => image.name));
    const errors = [];
    const settled = await Promise.all(
      ordered.map(
        (image) => plan(image).then(
          (entry) => entry,
          (error) => {
            errors.push({ image: image.name, file: image.file, message: messageOf(error) });
            return void 0;
          }
        )
      )
    );
    const images = settled.filter((entry) => entry !== void 0);
    for (const [name, before] of previous) {
      if (names.has(name)) continue;
      images.push({
        name,
        action: "remove",
        reasons: ["deleted"],
        ref: before.url ?? "",
        recipeHash: before.build?.recipeHash ?? null,
        dependsOn: [],
        changes: diffServed(servedOf(before), void 0)
      });
    }
    const summary = Object.fromEntries(PLAN_ACTIONS.map((action) => [action, 0]));
    for (const entry of images) summary[entry.action] += 1;
    errors.sort((a, b) => a.image < b.image ? -1 : a.image > b.image ? 1 : 0);
    const planSource = {};
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
      errors
    };
  }
  return { add, finish };
}
var FIELD_REASONS = [
  ["access-changed", ["global", "groups"]],
  ["digest-changed", ["url", "urlForGpu"]],
  ["pull-secret-changed", ["pullSecret"]],
  ["status-changed", ["status"]],
  ["metadata-changed", ["type", "displayName", "description", "system", "groupName"]]
];
function decide(entry, before, after) {
  entry.changes = diffServed(before && servedOf(before), after);
  const existing = entry.recipeHash === null;
  if (before === void 0) {
    entry.action = existing ? "register" : "update";
    entry.reasons = existing ? ["new"] : ["new", "in-registry"];
    return;
  }
  const fields = new Set(entry.changes.map((change) => change.field));
  const reasons = FIELD_REASONS.filter(([, names]) => names.some((name) => fields.has(name))).map(
    ([reason]) => reason
  );
  if (reasons.length === 0) {
    entry.action = "skip";
    entry.reasons = ["unchanged"];
    return;
  }
  entry.action = existing && reasons.includes("digest-changed") ? "register" : "update";
  entry.reasons = reasons;
}
function changeReasons(image, base, hash, before) {
  const served = before?.build;
  if (!served) return ["new"];
  if (served.recipeHash === hash) return ["missing"];
  const reasons = [];
  const build = image.build;
  const sameDefinition = build !== void 0 && served.baseImage === build.baseImage && JSON.stringify(served.packages) === JSON.stringify(build.packages);
  if (served.baseDigest !== void 0 && served.baseDigest !== base.digest)
    reasons.push("base-moved");
  if (!sameDefinition) reasons.push("recipe-changed");
  if (contractsChange(image, before)) reasons.push("contracts-changed");
  if (reasons.length === 0) reasons.push("recipe-changed");
  return reasons;
}
function contractNames(type, tests) {
  return [...type === "cpu" ? [] : ["cuda"], ...(tests ?? []).map((test) => `test: ${test}`)];
}
function contractsChange(image, before) {
  if (!before?.build || !image.build) return void 0;
  const was = contractNames(before.type, before.build.tests);
  const will = contractNames(image.type, image.build.tests);
  return JSON.stringify(was) === JSON.stringify(will) ? void 0 : { before: was, after: will };
}
function renderServed(image, before, base, config) {
  const served = before.build;
  if (!served) return void 0;
  try {
    return renderRecipe({
      image: { ...image, build: { baseImage: served.baseImage, packages: served.packages } },
      from: servedFrom(served.baseImage, served.baseDigest, base, config),
      ...base.user === void 0 ? {} : { baseUser: base.user },
      config
    });
  } catch {
    return void 0;
  }
}
function servedFrom(baseImage, baseDigest, base, config) {
  if (baseDigest === void 0) return base.from;
  if (baseImage.startsWith(CATALOG_BASE_PREFIX)) {
    const parent = baseImage.slice(CATALOG_BASE_PREFIX.length);
    return baseDigest.startsWith("recipe:") ? builtReference(config, parent, baseDigest.slice("recipe:".length)) : `${stripDigest(base.from)}@${baseDigest}`;
  }
  return registryBaseFrom(baseImage, baseDigest, config);
}
function accessChanges(images, previous, known) {
  const changes = [];
  const current = /* @__PURE__ */ new Set();
  const nobody = { global: false, groups: [] };
  const sorted = [...images].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const image of sorted) {
    current.add(image.name);
    changes.push(...diffAccess(image.name, previous.get(image.name) ?? nobody, image, known));
  }
  for (const [name, before] of [...previous].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    if (!current.has(name)) changes.push(...diffAccess(name, before, nobody, known));
  }
  return changes;
}
function diffAccess(image, before, after, known) {
  if (before.global && after.global) return [];
  if (after.global) {
    return [
      {
        image,
        change: "became-global",
        ...known ? { groups: known.filter((g) => !before.groups.includes(g)).sort() } : {}
      }
    ];
  }
  if (before.global) {
    const everyone = [.../* @__PURE__ */ new Set([...known ?? [], ...before.groups])];
    const change = {
      image,
      change: "no-longer-global",
      groups: everyone.filter((g) => !after.groups.includes(g)).sort()
    };
    if (after.groups.length > 0) change.keeps = [...after.groups].sort();
    if (!known && change.groups?.length === 0) delete change.groups;
    return [change];
  }
  const changes = [];
  for (const group of [...after.groups].sort()) {
    if (!before.groups.includes(group)) changes.push({ image, change: "group-added", group });
  }
  for (const group of [...before.groups].sort()) {
    if (!after.groups.includes(group)) changes.push({ image, change: "group-removed", group });
  }
  return changes;
}
async function resolveBase(reference, config, registry, platform, options) {
  const ref = mirroredBase(reference, config);
  const via = mirrorNote(reference, config);
  let digest = ref.digest;
  if (!digest) {
    const info = await registry.resolve(ref, options.expect === void 0 ? {} : { expect: options.expect }).catch((error) => {
      throw new ImagePlanError(
        `resolving the base image ${reference}${via}: ${messageOf(error)}`
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
    ...isRootUser(user) ? {} : { user }
  };
}
async function baseUser(reference, digest, config, registry, platform, cache) {
  const cached = cache?.get(digest);
  if (cached) return cached.user;
  const ref = mirroredBase(reference, config);
  const imageConfig = await registry.imageConfig({ ...ref, digest }, platform).catch((error) => {
    throw new ImagePlanError(
      `reading the config of the base image ${reference}${mirrorNote(reference, config)}: ${messageOf(error)}`
    );
  });
  const user = imageConfig.user || void 0;
  cache?.set(digest, user === void 0 ? {} : { user });
  return user;
}
function mirrorNote(reference, config) {
  const shown = formatImageReference(mirroredBase(reference, config));
  return shown === formatImageReference(parseReference(reference)) ? "" : ` (through the mirror, as ${shown})`;
}
async function resolveExisting(url, registry, expect) {
  const info = await registry.resolve(parseReference(url), expect === void 0 ? {} : { expect }).catch((error) => {
    throw new ImagePlanError(`checking ${url}: ${messageOf(error)}`);
  });
  if (!info)
    throw new ImagePlanError(
      `${url} does not exist in its registry (manifest unknown); fix url, or push the image first`
    );
  return info.digest;
}
function messageOf(error) {
  if (error instanceof ImagePlanError || error instanceof RegistryError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export {
  parentName,
  buildOrder,
  PLAN_ACTIONS,
  planCatalog,
  startPlan,
  baseUser
};
