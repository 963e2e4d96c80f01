#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  RegistryError
} from "./chunk-BQA5KWHH.js";
import {
  parseImageReference,
  repositoryOf
} from "./chunk-4U5Q23ZP.js";
import {
  PublishError,
  canonicalCatalog,
  canonicalImage,
  catalog_schema_default,
  readCatalogFile,
  serializeCatalog,
  validateCatalogDocument,
  writeCatalogFile
} from "./chunk-3PMAC2JW.js";
import "./chunk-D6O63MFF.js";
import "./chunk-U2AYVG4A.js";
import "./chunk-XML4HPHG.js";

// src/stages/publish/index.ts
import { isAbsolute, relative, sep } from "node:path";

// src/stages/publish/artifact.ts
import { createHash } from "node:crypto";
var CATALOG_MEDIA_TYPE = "application/vnd.imagesmith.catalog.v1+json";
var OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
var OCI_EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
var EMPTY_CONFIG = new TextEncoder().encode("{}");
async function pushCatalogArtifact(registry, repositoryRef, tags, catalog) {
  const repository = parseReference(repositoryRef);
  const shown = `${repository.domain}/${repository.path}`;
  const layerBytes = new TextEncoder().encode(serializeCatalog(catalog));
  const problems = validateCatalogDocument(JSON.parse(new TextDecoder().decode(layerBytes)));
  if (problems.length > 0) {
    throw new PublishError(
      `not pushing the catalog to ${shown}: it does not match schemas/catalog.schema.json:
  ${problems.join("\n  ")}`,
      "invalid-catalog"
    );
  }
  const manifest = catalogManifest(catalog, layerBytes);
  const target = { ...repository, tag: void 0, digest: void 0 };
  return withContext(`pushing the catalog to ${shown}`, async () => {
    await registry.pushBlob(target, EMPTY_CONFIG);
    await registry.pushBlob(target, layerBytes);
    const digest = await registry.pushManifest(
      { ...target, digest: sha256(manifest) },
      manifest,
      OCI_MANIFEST_MEDIA_TYPE
    );
    for (const tag of tags) {
      await registry.pushManifest({ ...target, tag }, manifest, OCI_MANIFEST_MEDIA_TYPE);
    }
    return digest;
  });
}
function catalogManifest(catalog, layerBytes) {
  const config = {
    mediaType: OCI_EMPTY_MEDIA_TYPE,
    digest: sha256(EMPTY_CONFIG),
    size: EMPTY_CONFIG.length,
    data: Buffer.from(EMPTY_CONFIG).toString("base64")
  };
  const layer = {
    mediaType: CATALOG_MEDIA_TYPE,
    digest: sha256(layerBytes),
    size: layerBytes.length,
    annotations: { "org.opencontainers.image.title": "catalog.json" }
  };
  const annotations = {};
  if (catalog.generatedAt !== void 0)
    annotations["org.opencontainers.image.created"] = catalog.generatedAt;
  if (catalog.source.commit !== void 0)
    annotations["org.opencontainers.image.revision"] = catalog.source.commit;
  if (catalog.source.repo !== void 0)
    annotations["org.opencontainers.image.source"] = catalog.source.repo;
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: CATALOG_MEDIA_TYPE,
    config,
    layers: [layer],
    ...Object.keys(annotations).length > 0 ? { annotations } : {}
  };
  return new TextEncoder().encode(JSON.stringify(manifest));
}
async function pullCatalogArtifact(registry, ref) {
  const reference = parseReference(ref);
  const what = `pulling the catalog ${ref}`;
  const manifest = await withContext(what, () => registry.getManifest(reference));
  const layer = catalogLayer(manifest.body, manifest.mediaType, what);
  const bytes = await withContext(what, () => registry.getBlob(reference, layer.digest));
  if (bytes.length !== layer.size) {
    throw new PublishError(
      `${what}: the catalog layer has ${bytes.length} bytes, its manifest says ${layer.size}`,
      "invalid-artifact"
    );
  }
  let data;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new PublishError(`${what}: the catalog layer is not JSON`, "invalid-artifact", {
      cause: error
    });
  }
  const problems = validateCatalogDocument(data);
  if (problems.length > 0) {
    throw new PublishError(
      `${what}: it does not match schemas/catalog.schema.json:
  ${problems.join("\n  ")}`,
      "invalid-artifact"
    );
  }
  return data;
}
function catalogLayer(body, mediaType, what) {
  if (mediaType !== OCI_MANIFEST_MEDIA_TYPE) {
    throw new PublishError(
      `${what}: it is a ${mediaType || "manifest of unknown type"}, not a catalog artifact (an OCI image manifest)`,
      "invalid-artifact"
    );
  }
  let manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(body));
  } catch (error) {
    throw new PublishError(`${what}: the manifest is not JSON`, "invalid-artifact", {
      cause: error
    });
  }
  const layers = isRecord(manifest) && Array.isArray(manifest.layers) ? manifest.layers : [];
  for (const layer of layers) {
    if (isRecord(layer) && layer.mediaType === CATALOG_MEDIA_TYPE && typeof layer.digest === "string" && typeof layer.size === "number") {
      return { mediaType: CATALOG_MEDIA_TYPE, digest: layer.digest, size: layer.size };
    }
  }
  const artifactType = isRecord(manifest) && typeof manifest.artifactType === "string" ? ` (its artifactType is ${manifest.artifactType})` : "";
  throw new PublishError(
    `${what}: the manifest has no layer of type ${CATALOG_MEDIA_TYPE}${artifactType}; is this an image rather than the catalog?`,
    "invalid-artifact"
  );
}
async function withContext(what, action) {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    throw new RegistryError(`${what}: ${error.message}`, error.code, error.status, {
      cause: error
    });
  }
}
function parseReference(text) {
  const parsed = parseImageReference(text);
  if (!parsed.ok) {
    throw new PublishError(
      `${JSON.stringify(text)} is not a repository reference: ${parsed.error.message}`,
      "inconsistent-input"
    );
  }
  return parsed.value;
}
function sha256(bytes) {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/stages/publish/index.ts
function buildCatalog(input) {
  const planned = new Map(input.plan.images.map((entry) => [entry.name, entry]));
  const previous = new Map((input.previous?.images ?? []).map((image) => [image.name, image]));
  const images = [];
  for (const definition of input.images) {
    const entry = planned.get(definition.name);
    const before = previous.get(definition.name);
    const image = entry === void 0 || entry.action === "remove" ? before && canonicalImage(before) : publishImage(definition, entry, before, input, planned);
    if (image !== void 0) images.push(image);
  }
  images.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const source = {};
  if (input.source.repo) source.repo = input.source.repo;
  if (input.source.commit) source.commit = input.source.commit;
  return {
    apiVersion: "imagesmith/v1",
    kind: "ImageCatalog",
    source,
    generatedAt: input.now.toISOString(),
    images
  };
}
function publishImage(definition, entry, before, input, planned) {
  if (definition.build === void 0) return publishExisting(definition, entry);
  const recipe = publishedRecipe(definition, entry);
  if (entry.action !== "build") {
    const url = pinReference(entry.ref, requireDigest(entry));
    const same = before?.build?.recipeHash === recipe.recipeHash ? before.build : void 0;
    if (same?.builtAt !== void 0) recipe.builtAt = same.builtAt;
    if (same?.log !== void 0) recipe.log = same.log;
    if (same?.logUrl !== void 0) recipe.logUrl = same.logUrl;
    return describe(definition, {
      url,
      urlForGpu: url,
      pullSecret: input.config.pullSecret,
      status: "ready",
      build: recipe
    });
  }
  if (input.phase === "before-build") return lastGood(definition, before, "building", recipe);
  const outcome = input.outcomes?.get(definition.name);
  if (outcome === void 0) return before && canonicalImage(before);
  const log = relativeLog(outcome.logFile, input.root);
  if (log !== void 0) recipe.log = log;
  if (outcome.logUrl !== void 0) recipe.logUrl = outcome.logUrl;
  switch (outcome.state) {
    case "done": {
      if (outcome.digest === void 0) {
        return lastGood(definition, before, "failed", recipe, "the build reported no digest");
      }
      recipe.builtAt = timestamp(outcome.finishedAt, input.now);
      const url = pinReference(entry.ref, outcome.digest);
      return describe(definition, {
        url,
        urlForGpu: url,
        pullSecret: input.config.pullSecret,
        status: "ready",
        build: recipe
      });
    }
    case "failed":
      return lastGood(definition, before, "failed", recipe, failureMessage(before, outcome, log));
    case "cancelled":
      return lastGood(definition, before, "cancelled", recipe, "the build was cancelled");
    case "skipped": {
      const blocker = blockingAncestor(entry, planned, input.outcomes);
      const status = blocker?.state === "cancelled" ? "cancelled" : "failed";
      const message = blocker ? `not built: its base image:${blocker.name} ${blocker.state === "cancelled" ? "was cancelled" : "failed to build"}` : "not built: an image it builds on did not build";
      return lastGood(definition, before, status, recipe, message);
    }
  }
}
function publishExisting(definition, entry) {
  const url = pinReference(entry.ref, requireDigest(entry));
  const urlForGpu = definition.type === "universal" && entry.gpuRef !== void 0 && entry.gpuDigest !== void 0 ? pinReference(entry.gpuRef, entry.gpuDigest) : url;
  return describe(definition, {
    url,
    urlForGpu,
    pullSecret: definition.pullSecret,
    status: "ready",
    from: {
      url: entry.ref,
      ...entry.gpuRef === void 0 ? {} : { urlForGpu: entry.gpuRef }
    }
  });
}
function lastGood(definition, before, status, build, message) {
  const kept = before?.url === void 0 ? void 0 : before;
  const urlForGpu = definition.type === "universal" ? kept?.urlForGpu ?? kept?.url : kept?.url;
  return describe(definition, {
    url: kept?.url,
    urlForGpu,
    pullSecret: kept?.pullSecret,
    status,
    message,
    build
  });
}
function describe(definition, served) {
  return canonicalImage({
    name: definition.name,
    displayName: definition.displayName,
    ...definition.description === void 0 ? {} : { description: definition.description },
    type: definition.type,
    ...served.url === void 0 ? {} : { url: served.url },
    ...served.urlForGpu === void 0 ? {} : { urlForGpu: served.urlForGpu },
    ...served.pullSecret === void 0 ? {} : { pullSecret: served.pullSecret },
    global: definition.global,
    groups: [...new Set(definition.groups)].sort(),
    system: definition.system,
    ...definition.system || definition.groupName === void 0 ? {} : { groupName: definition.groupName },
    status: served.status,
    ...served.message === void 0 ? {} : { message: served.message },
    ...served.from === void 0 ? {} : { from: served.from },
    ...served.build === void 0 ? {} : { build: served.build }
  });
}
function publishedRecipe(definition, entry) {
  const build = definition.build;
  if (build === void 0 || entry.recipeHash === null) {
    throw new PublishError(
      `the plan treats ${definition.name} as ${build ? "an existing image" : "a built image"}, but its definition ${build ? "builds it" : "does not"}; plan again`,
      "inconsistent-input"
    );
  }
  return {
    baseImage: build.baseImage,
    ...entry.base?.digest === void 0 ? {} : { baseDigest: entry.base.digest },
    packages: {
      apt: [...build.packages.apt],
      conda: [...build.packages.conda],
      pip: [...build.packages.pip]
    },
    recipeHash: entry.recipeHash
  };
}
function blockingAncestor(entry, planned, outcomes) {
  const seen = /* @__PURE__ */ new Set();
  let frontier = [...entry.dependsOn];
  while (frontier.length > 0) {
    const next = [];
    for (const name of frontier) {
      if (seen.has(name)) continue;
      seen.add(name);
      const state = outcomes?.get(name)?.state;
      if (state === "failed" || state === "cancelled") return { name, state };
      next.push(...planned.get(name)?.dependsOn ?? []);
    }
    frontier = next;
  }
  return void 0;
}
var MAX_CAUSE = 300;
function failureMessage(before, outcome, log) {
  const what = before?.url === void 0 ? "the build failed" : "the rebuild failed";
  let cause = outcome.error?.trim() ?? "";
  if (outcome.logFile && cause.endsWith(`; see ${outcome.logFile}`))
    cause = cause.slice(0, -`; see ${outcome.logFile}`.length);
  if (cause.length > MAX_CAUSE) cause = `${cause.slice(0, MAX_CAUSE - 1)}\u2026`;
  return `${what}${cause === "" ? "" : `: ${cause}`}${log === void 0 ? "" : `; see ${log}`}`;
}
function requireDigest(entry) {
  if (entry.digest === void 0) {
    throw new PublishError(
      `the plan has no digest for ${entry.name} (${entry.action} ${entry.ref}); plan again`,
      "inconsistent-input"
    );
  }
  return entry.digest;
}
function pinReference(reference, digest) {
  const parsed = parseImageReference(reference);
  if (!parsed.ok) {
    throw new PublishError(
      `${JSON.stringify(reference)} is not an image reference: ${parsed.error.message}`,
      "inconsistent-input"
    );
  }
  return `${repositoryOf(parsed.value)}@${digest}`;
}
function relativeLog(file, root) {
  if (file === void 0 || file === "") return void 0;
  let path = file;
  if (isAbsolute(path)) {
    const inside = root === void 0 ? void 0 : relative(root, path);
    if (inside !== void 0 && !inside.startsWith("..") && !isAbsolute(inside)) path = inside;
    else {
      const marker = `${sep}.imagesmith${sep}`;
      const at = path.lastIndexOf(marker);
      path = at >= 0 ? path.slice(at + 1) : path.split(sep).pop() ?? path;
    }
  }
  return path.split(sep).join("/");
}
function timestamp(text, now) {
  const parsed = text === void 0 ? Number.NaN : Date.parse(text);
  return new Date(Number.isNaN(parsed) ? now.getTime() : parsed).toISOString();
}
export {
  CATALOG_MEDIA_TYPE,
  PublishError,
  buildCatalog,
  canonicalCatalog,
  catalogManifest,
  catalog_schema_default as catalogSchema,
  pinReference,
  pullCatalogArtifact,
  pushCatalogArtifact,
  readCatalogFile,
  serializeCatalog,
  validateCatalogDocument,
  writeCatalogFile
};
