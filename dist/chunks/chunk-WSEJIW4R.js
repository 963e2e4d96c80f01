#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  formatImageReference,
  parseImageReference
} from "./chunk-54TCZN6E.js";
import {
  imageLabels,
  recipeContracts,
  recipeHash,
  renderDockerfile,
  renderRecipe
} from "./chunk-V4OKTXNJ.js";

// src/registry/mirrors.ts
var DOCKER_HUB_ALIASES = /* @__PURE__ */ new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
function applyMirror(ref, mirrors) {
  const mirror = mirrorFor(ref.domain, mirrors);
  if (mirror === void 0) return ref;
  const { host, prefix } = splitMirror(ref.domain, mirror);
  const mirrored = {
    domain: host,
    path: prefix === "" ? ref.path : `${prefix}/${ref.path}`,
    implicitDomain: false
  };
  if (ref.tag !== void 0) mirrored.tag = ref.tag;
  if (ref.digest !== void 0) mirrored.digest = ref.digest;
  return mirrored;
}
function mirrorFor(domain, mirrors) {
  const exact = mirrors[domain];
  if (exact !== void 0) return exact;
  if (!DOCKER_HUB_ALIASES.has(domain)) return void 0;
  for (const alias of DOCKER_HUB_ALIASES) {
    const mirror = mirrors[alias];
    if (mirror !== void 0) return mirror;
  }
  return void 0;
}
function splitMirror(domain, mirror) {
  const trimmed = mirror.trim().replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, "");
  const slash = trimmed.indexOf("/");
  const host = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const prefix = slash === -1 ? "" : trimmed.slice(slash + 1);
  const looksLikeHost = host === "localhost" || host.includes(".") || host.includes(":");
  if (!looksLikeHost || !/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?$/.test(host)) {
    throw new Error(
      `the mirror for ${domain}, "${mirror}", must be HOST[:PORT] or HOST[:PORT]/PREFIX (e.g. "mirror.example.com/dockerhub")`
    );
  }
  if (prefix !== "" && !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(
    prefix
  )) {
    throw new Error(
      `the mirror for ${domain}, "${mirror}": "${prefix}" is not a valid repository path prefix (lowercase letters, digits, "/", ".", "_", "-")`
    );
  }
  return { host, prefix };
}

// src/stages/plan/recipe.ts
var ImagePlanError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ImagePlanError";
  }
};
function planRecipe(image, base, config, source) {
  const recipe = renderRecipe({
    image,
    from: base.from,
    ...base.user === void 0 ? {} : { baseUser: base.user },
    config
  });
  const hash = recipeHash(recipe, base.digest, config.platform, recipeContracts(image));
  return {
    recipe,
    hash,
    ref: builtReference(config, image.name, hash),
    dockerfile: renderDockerfile(recipe, imageLabels(image, hash, source))
  };
}
function builtReference(config, name, hash) {
  if (!config.registry)
    throw new ImagePlanError(
      "set registry in imagesmith.yaml: built images need a registry to be pushed to"
    );
  return config.singleRepository ? `${config.registry}:${name}-${hash}` : `${config.registry}/${name}:${hash}`;
}
function mirroredBase(reference, config) {
  return applyMirror(parseReference(reference), config.mirrors);
}
function registryBaseFrom(reference, digest, config) {
  return formatImageReference({
    ...mirroredBase(reference, config),
    tag: void 0,
    digest
  });
}
function catalogBase(parentRef, parentHash, user) {
  return {
    from: parentRef,
    digest: `recipe:${parentHash}`,
    ...user === void 0 ? {} : { user }
  };
}
function parseReference(text) {
  const parsed = parseImageReference(text);
  if (!parsed.ok)
    throw new ImagePlanError(
      `${JSON.stringify(text)} is not an image reference: ${parsed.error.message}`
    );
  return parsed.value;
}
function parsePlatform(text) {
  const [os = "linux", architecture = "amd64", variant] = text.split("/");
  return variant === void 0 ? { os, architecture } : { os, architecture, variant };
}
function stripDigest(ref) {
  const at = ref.indexOf("@");
  return at < 0 ? ref : ref.slice(0, at);
}
function servedRecipe(image, config) {
  const build = image.build;
  if (build?.baseDigest === void 0) return void 0;
  const definition = {
    name: image.name,
    displayName: image.displayName,
    type: image.type,
    global: image.global,
    groups: image.groups,
    system: image.system,
    ...image.groupName === void 0 ? {} : { groupName: image.groupName },
    file: image.system ? `images/${image.name}.yaml` : `images/groups/${image.groupName ?? ""}/${image.name}.yaml`,
    build: {
      baseImage: build.baseImage,
      packages: build.packages,
      ...build.tests ? { tests: build.tests } : {}
    }
  };
  try {
    const parent = build.baseImage.startsWith(CATALOG_PREFIX) ? build.baseImage.slice(CATALOG_PREFIX.length) : void 0;
    const from = parent === void 0 ? registryBaseFrom(build.baseImage, build.baseDigest, config) : builtReference(config, parent, build.baseDigest.replace(/^recipe:/, ""));
    const recipe = renderRecipe({
      image: definition,
      from,
      ...build.baseUser === void 0 ? {} : { baseUser: build.baseUser },
      config
    });
    const hash = recipeHash(recipe, build.baseDigest, config.platform, recipeContracts(definition));
    return hash === build.recipeHash ? recipe : void 0;
  } catch {
    return void 0;
  }
}
var CATALOG_PREFIX = "image:";

export {
  ImagePlanError,
  planRecipe,
  builtReference,
  mirroredBase,
  registryBaseFrom,
  catalogBase,
  parseReference,
  parsePlatform,
  stripDigest,
  servedRecipe
};
