#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  OCI_MANIFEST_MEDIA_TYPE,
  artifactManifest,
  pushArtifactBlobs,
  sha256
} from "./chunk-5A2P77KC.js";
import {
  RegistryError
} from "./chunk-BQA5KWHH.js";
import {
  CancelledError,
  sleep
} from "./chunk-MV6IGXHU.js";
import {
  compileSchema
} from "./chunk-T4E4HH4Z.js";
import {
  InputError,
  writeFileAtomic
} from "./chunk-TQMSZ7SH.js";
import {
  parseImageReference,
  repositoryOf
} from "./chunk-54TCZN6E.js";

// src/catalog/document.ts
import { readFile } from "node:fs/promises";

// schemas/catalog.schema.json
var catalog_schema_default = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://imagesmith.dev/schemas/catalog.schema.json",
  title: "imagesmith published catalog",
  description: "The image catalog imagesmith publishes (.imagesmith/catalog.json, and the OCI artifact <registry>/imagesmith-catalog with media type application/vnd.imagesmith.catalog.v1+json): every image with what to pull, who may use it, and its build status. Platforms sync it; the next plan reads it to know what changed.",
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "kind", "source", "images"],
  properties: {
    apiVersion: { const: "imagesmith/v1" },
    kind: { const: "ImageCatalog" },
    source: {
      description: "Where the definitions came from.",
      type: "object",
      additionalProperties: false,
      properties: {
        repo: {
          description: "The repository URL, without credentials.",
          type: "string",
          minLength: 1
        },
        commit: {
          description: "The commit the definitions were read at.",
          type: "string",
          pattern: "^[0-9a-f]{7,64}$"
        }
      }
    },
    generatedAt: {
      $ref: "#/$defs/timestamp",
      description: "When this catalog was made."
    },
    images: {
      description: "Every image, sorted by name; names are unique.",
      type: "array",
      items: { $ref: "#/$defs/image" }
    }
  },
  $defs: {
    image: {
      type: "object",
      additionalProperties: false,
      required: ["name", "displayName", "type", "global", "groups", "system", "status"],
      properties: {
        name: {
          description: "The image name (generated from displayName): the key platforms use.",
          type: "string",
          minLength: 1,
          maxLength: 63,
          pattern: "^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"
        },
        displayName: { type: "string", minLength: 1 },
        description: { type: "string" },
        type: {
          description: "cpu, gpu, or universal (both; PrimeHub calls it 'both').",
          enum: ["cpu", "gpu", "universal"]
        },
        url: {
          $ref: "#/$defs/pinnedReference",
          description: "The image to run, pinned by digest. Absent while the image has never been built successfully; while building, or after a failed or cancelled rebuild, the last image that worked."
        },
        urlForGpu: {
          $ref: "#/$defs/pinnedReference",
          description: "The image for GPU instance types: url, unless an existing universal image names its own."
        },
        pullSecret: {
          description: "The name of the Kubernetes secret the platform pulls url with; never the secret itself.",
          type: "string",
          maxLength: 253,
          pattern: "^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"
        },
        global: {
          description: "true: every group may use the image.",
          type: "boolean"
        },
        groups: {
          description: "The groups that may use the image (besides everyone, when global), sorted.",
          type: "array",
          uniqueItems: true,
          items: { $ref: "#/$defs/groupName" }
        },
        system: {
          description: "true for images/<name>.yaml (admin-owned), false for group images.",
          type: "boolean"
        },
        groupName: {
          $ref: "#/$defs/groupName",
          description: "Group images only: the group that owns the image."
        },
        status: {
          description: "ready: url is the current definition's image; building / failed / cancelled: the latest attempt at the current definition (attempt) has not made an image, url (if any) is the last image that worked.",
          enum: ["building", "ready", "failed", "cancelled"]
        },
        message: {
          description: "Why the image is not ready, for the platform to show.",
          type: "string"
        },
        from: {
          description: "Existing images: the references as the definition writes them, which url and urlForGpu pin.",
          type: "object",
          properties: {
            url: { type: "string", minLength: 1 },
            urlForGpu: { type: "string", minLength: 1 }
          },
          required: ["url"],
          additionalProperties: false
        },
        build: {
          description: "Built images: the build url serves. A failed or cancelled attempt never changes it.",
          type: "object",
          additionalProperties: false,
          required: ["baseImage", "packages", "recipeHash"],
          properties: {
            baseImage: {
              description: "As the definition writes it: a reference, or image:<name>.",
              type: "string",
              minLength: 1
            },
            baseDigest: {
              description: "What the base resolved to: a digest, or recipe:<hash> for a base that is another image of this catalog.",
              type: "string",
              pattern: "^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128}|recipe:[0-9a-f]{8,64})$"
            },
            packages: {
              type: "object",
              additionalProperties: false,
              required: ["apt", "conda", "pip"],
              properties: {
                apt: { $ref: "#/$defs/packageList" },
                conda: { $ref: "#/$defs/packageList" },
                pip: { $ref: "#/$defs/packageList" }
              }
            },
            baseUser: {
              description: "The user the base runs as, which the build restores after installing; absent for root.",
              type: "string",
              minLength: 1
            },
            tests: {
              description: "The tests commands the image passed before it was published.",
              type: "array",
              items: { type: "string", minLength: 1 }
            },
            recipeHash: {
              description: "The hash of everything that determines the image; the tag it was pushed with.",
              type: "string",
              pattern: "^[0-9a-f]{8,64}$"
            },
            builtAt: {
              $ref: "#/$defs/timestamp",
              description: "When the image of this recipe was built."
            },
            log: {
              $ref: "#/$defs/logPath",
              description: "The served build's log, relative to the catalog root."
            },
            logUrl: {
              $ref: "#/$defs/logUrl",
              description: "Where the served build's log can be read: the CI run that built it."
            },
            size: {
              description: "The image's size in bytes: its layers as pushed (compressed) and unpacked.",
              type: "object",
              additionalProperties: false,
              properties: {
                compressed: { type: "integer", minimum: 0 },
                unpacked: { type: "integer", minimum: 0 }
              }
            },
            installed: {
              description: "How many packages the image has installed, per manager, read from its package databases.",
              type: "object",
              additionalProperties: false,
              required: ["apt", "conda", "pip"],
              properties: {
                apt: { type: "integer", minimum: 0 },
                conda: { type: "integer", minimum: 0 },
                pip: { type: "integer", minimum: 0 }
              }
            },
            sbom: {
              description: "The digest of the image's CycloneDX SBOM, an OCI artifact whose subject is the image (found through the registry's referrers API, or its sha256-<hex> referrers tag).",
              type: "string",
              pattern: "^sha256:[0-9a-f]{64}$"
            }
          }
        },
        attempt: {
          description: "The latest attempt that did not become the served build: still building, failed, or cancelled.",
          type: "object",
          additionalProperties: false,
          required: ["status", "recipeHash", "at"],
          properties: {
            status: { enum: ["building", "failed", "cancelled"] },
            recipeHash: {
              description: "The recipe the attempt built.",
              type: "string",
              pattern: "^[0-9a-f]{8,64}$"
            },
            at: {
              $ref: "#/$defs/timestamp",
              description: "When it started (building) or ended (failed, cancelled)."
            },
            error: {
              description: "Failed and cancelled: the first line of why.",
              type: "string"
            },
            log: { $ref: "#/$defs/logPath", description: "The attempt's own log." },
            logUrl: {
              $ref: "#/$defs/logUrl",
              description: "Where the attempt's log can be read."
            }
          }
        }
      },
      dependentRequired: {
        url: ["urlForGpu"],
        urlForGpu: ["url"]
      },
      allOf: [
        {
          description: "A ready image has something to pull.",
          if: { properties: { status: { const: "ready" } } },
          then: { properties: { url: true }, required: ["url"] }
        },
        {
          description: "Group images name their group; system images have none.",
          if: { properties: { system: { const: true } } },
          then: { not: { properties: { groupName: true }, required: ["groupName"] } },
          else: { properties: { groupName: true }, required: ["groupName"] }
        }
      ]
    },
    pinnedReference: {
      description: "A fully qualified image reference pinned by digest, without a tag: registry/repository@sha256:<hex>.",
      type: "string",
      pattern: "^(\\[[0-9A-Fa-f:.]+\\]|[^\\s@:/\\[\\]]+)(:[0-9]+)?/[^\\s@:]+@(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$"
    },
    groupName: {
      description: "A group name (Kubernetes DNS-1123 label).",
      type: "string",
      maxLength: 63,
      pattern: "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"
    },
    packageList: {
      type: "array",
      items: { type: "string", minLength: 1 }
    },
    logPath: {
      description: "A log file relative to the catalog root, with / separators.",
      type: "string",
      minLength: 1,
      pattern: "^(?!/)(?![A-Za-z]:)(?!.*(^|/)\\.\\.(/|$))[^\\\\]+$"
    },
    logUrl: {
      description: "An http(s) URL.",
      type: "string",
      pattern: "^https?://[^\\s]+$"
    },
    timestamp: {
      description: "An RFC 3339 date and time.",
      type: "string",
      pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"
    }
  }
};

// src/catalog/errors.ts
var PublishError = class extends Error {
  constructor(message, code, options) {
    super(message, options);
    this.code = code;
    this.name = "PublishError";
  }
  code;
  stage = "publish";
};

// src/catalog/document.ts
function compiled() {
  return compileSchema(catalog_schema_default);
}
function validateCatalogDocument(data) {
  const validate = compiled();
  const messages = [];
  if (!validate(data)) {
    for (const error of validate.errors ?? []) {
      const message = describeError(error);
      if (message !== void 0 && !messages.includes(message)) messages.push(message);
    }
    return messages;
  }
  const catalog = data;
  const seen = /* @__PURE__ */ new Set();
  catalog.images.forEach((image, index) => {
    if (seen.has(image.name))
      messages.push(`/images/${index}/name: ${JSON.stringify(image.name)} appears twice`);
    seen.add(image.name);
    if (image.type !== "universal" && image.urlForGpu !== image.url) {
      messages.push(
        `/images/${index}/urlForGpu: a ${image.type} image serves one image: urlForGpu must equal url`
      );
    }
    if (image.attempt !== void 0 && image.attempt.status !== image.status) {
      messages.push(
        `/images/${index}/attempt/status: the image is ${image.status}, so its latest attempt cannot be ${image.attempt.status}`
      );
    }
  });
  return messages;
}
function describeError(error) {
  const at = error.instancePath === "" ? "/" : error.instancePath;
  const params = error.params;
  switch (error.keyword) {
    case "if":
      return void 0;
    case "additionalProperties":
      return `${at}: unknown field ${JSON.stringify(params.additionalProperty)}`;
    case "required":
      if (error.schemaPath.includes("/allOf/0/"))
        return `${at}: a ready image needs url (the image to pull)`;
      if (error.schemaPath.includes("/allOf/1/"))
        return `${at}: a group image (system: false) needs groupName`;
      return `${at}: ${String(params.missingProperty)} is required`;
    case "not":
      return `${at}: a system image has no groupName`;
    case "dependentRequired":
      return `${at}: url and urlForGpu go together: ${String(params.property)} needs ${String(params.missingProperty)}`;
    case "enum":
      return `${at}: ${JSON.stringify(error.data)} is not one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(", ")}`;
    case "const":
      return `${at}: must be ${JSON.stringify(params.allowedValue)}`;
    case "pattern": {
      const schema = error.parentSchema;
      const expected = schema?.description ?? `a value matching ${String(params.pattern)}`;
      return `${at}: ${JSON.stringify(error.data)} is not ${lowerFirst(expected.replace(/\.$/, ""))}`;
    }
    default:
      return `${at}: ${error.message ?? "is invalid"}`;
  }
}
function lowerFirst(text) {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
function serializeCatalog(catalog) {
  return `${JSON.stringify(canonicalCatalog(catalog), null, 2)}
`;
}
function sameImages(a, b) {
  return JSON.stringify(canonicalCatalog(a).images) === JSON.stringify(canonicalCatalog(b).images);
}
function canonicalCatalog(catalog) {
  const source = {};
  if (catalog.source.repo !== void 0) source.repo = catalog.source.repo;
  if (catalog.source.commit !== void 0) source.commit = catalog.source.commit;
  return {
    apiVersion: catalog.apiVersion,
    kind: catalog.kind,
    source,
    ...catalog.generatedAt === void 0 ? {} : { generatedAt: catalog.generatedAt },
    images: catalog.images.map(canonicalImage)
  };
}
function canonicalImage(image) {
  const result = {
    name: image.name,
    displayName: image.displayName
  };
  if (image.description !== void 0) result.description = image.description;
  result.type = image.type;
  if (image.url !== void 0) result.url = image.url;
  if (image.urlForGpu !== void 0) result.urlForGpu = image.urlForGpu;
  if (image.pullSecret !== void 0) result.pullSecret = image.pullSecret;
  result.global = image.global;
  result.groups = [...image.groups];
  result.system = image.system;
  if (image.groupName !== void 0) result.groupName = image.groupName;
  result.status = image.status;
  if (image.message !== void 0) result.message = image.message;
  if (image.from !== void 0)
    result.from = {
      url: image.from.url,
      ...image.from.urlForGpu === void 0 ? {} : { urlForGpu: image.from.urlForGpu }
    };
  if (image.build !== void 0) result.build = canonicalBuild(image.build);
  if (image.attempt !== void 0) result.attempt = canonicalAttempt(image.attempt);
  return result;
}
function canonicalAttempt(attempt) {
  const result = {
    status: attempt.status,
    recipeHash: attempt.recipeHash,
    at: attempt.at
  };
  if (attempt.error !== void 0) result.error = attempt.error;
  if (attempt.log !== void 0) result.log = attempt.log;
  if (attempt.logUrl !== void 0) result.logUrl = attempt.logUrl;
  return result;
}
function canonicalBuild(build) {
  const result = { baseImage: build.baseImage };
  if (build.baseDigest !== void 0) result.baseDigest = build.baseDigest;
  result.packages = {
    apt: [...build.packages.apt],
    conda: [...build.packages.conda],
    pip: [...build.packages.pip]
  };
  if (build.baseUser !== void 0) result.baseUser = build.baseUser;
  if (build.tests !== void 0) result.tests = [...build.tests];
  result.recipeHash = build.recipeHash;
  if (build.builtAt !== void 0) result.builtAt = build.builtAt;
  if (build.log !== void 0) result.log = build.log;
  if (build.logUrl !== void 0) result.logUrl = build.logUrl;
  Object.assign(result, canonicalFacts(build));
  return result;
}
function canonicalFacts(facts) {
  const result = {};
  if (facts.size !== void 0) {
    result.size = {};
    if (facts.size.compressed !== void 0) result.size.compressed = facts.size.compressed;
    if (facts.size.unpacked !== void 0) result.size.unpacked = facts.size.unpacked;
  }
  if (facts.installed !== void 0)
    result.installed = {
      apt: facts.installed.apt,
      conda: facts.installed.conda,
      pip: facts.installed.pip
    };
  if (facts.sbom !== void 0) result.sbom = facts.sbom;
  return result;
}
async function writeCatalogFile(path, catalog, options = {}) {
  const text = serializeCatalog(catalog);
  const problems = validateCatalogDocument(JSON.parse(text));
  if (problems.length > 0) {
    throw new PublishError(
      `not writing ${path}: the catalog does not match schemas/catalog.schema.json:
  ${problems.join("\n  ")}`,
      "invalid-catalog"
    );
  }
  await writeFileAtomic(path, text, options);
}
async function readCatalogFile(path) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw new InputError(`cannot read the catalog ${path}: ${error.message}`, {
      cause: error
    });
  }
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`the catalog ${path} is not JSON: ${error.message}`, {
      cause: error
    });
  }
  const problems = validateCatalogDocument(data);
  if (problems.length > 0) {
    throw new InputError(
      `the catalog ${path} does not match schemas/catalog.schema.json (fix it, or delete it to publish afresh):
  ${problems.join("\n  ")}`
    );
  }
  return data;
}

// src/catalog/artifact.ts
var CATALOG_MEDIA_TYPE = "application/vnd.imagesmith.catalog.v1+json";
var LATEST_TAG = "latest";
function catalogArtifactRepository(config) {
  return config.singleRepository ? `${config.registry}-catalog` : `${config.registry}/imagesmith-catalog`;
}
function catalogTags(source) {
  return source.commit ? [LATEST_TAG, source.commit] : [LATEST_TAG];
}
var SETTLE_MS = 1e3;
async function pushCatalogArtifact(registry, repositoryRef, tags, catalog, swap) {
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
  const moved = async () => {
    if (!swap || swap.force) return;
    const now = await publishedDigest(registry, target);
    if (now !== swap.expected && now !== sha256(manifest))
      throw await movedError(registry, target, swap.expected, now, "before");
  };
  return withContext(`pushing the catalog to ${shown}`, async () => {
    await moved();
    await pushArtifactBlobs(registry, target, layerBytes);
    const { digest } = await registry.pushManifest(
      { ...target, digest: sha256(manifest) },
      manifest,
      OCI_MANIFEST_MEDIA_TYPE
    );
    const ordered = [.../* @__PURE__ */ new Set([...swap ? [LATEST_TAG] : [], ...tags])];
    let committed = false;
    for (const tag of ordered) {
      if (tag === LATEST_TAG) {
        await moved();
        if (swap?.signal?.aborted)
          throw new CancelledError("cancelled before the catalog was tagged latest");
      }
      try {
        await registry.pushManifest({ ...target, tag }, manifest, OCI_MANIFEST_MEDIA_TYPE);
        if (swap && tag === LATEST_TAG) {
          committed = true;
          await sleep(swap.settleMs ?? SETTLE_MS, swap.signal);
          const after = await publishedDigest(registry, target);
          if (after !== digest) throw await movedError(registry, target, digest, after, "after");
        }
      } catch (error) {
        if (committed && swap?.signal?.aborted) return digest;
        throw error;
      }
    }
    return digest;
  });
}
async function publishedDigest(registry, repository) {
  try {
    return (await registry.getManifest({ ...repository, tag: LATEST_TAG, digest: void 0 })).digest;
  } catch (error) {
    if (error instanceof RegistryError && error.code === "not-found") return void 0;
    throw error;
  }
}
async function movedError(registry, repository, expected, now, phase) {
  let who = "";
  if (now !== void 0) {
    const manifest = await registry.getManifest({ ...repository, tag: void 0, digest: now }).catch(() => void 0);
    const annotations = manifest ? manifestAnnotations(manifest.body) : {};
    const commit = annotations["org.opencontainers.image.revision"];
    const created = annotations["org.opencontainers.image.created"];
    const parts = [commit ? `commit ${commit}` : "", created ? `made at ${created}` : ""].filter(
      Boolean
    );
    if (parts.length > 0) who = ` (${parts.join(", ")})`;
  }
  const is = now === void 0 ? "now nothing is published" : `it is now ${now}${who}`;
  const again = "Plan again from an up-to-date checkout (or publish with --force-publish to replace it anyway)";
  if (phase === "before") {
    const was = expected === void 0 ? "nothing was published" : `it was ${expected}`;
    return new PublishError(
      `the published catalog moved since the plan read it: ${was}, ${is}. Another run published in between, so nothing was tagged. ${again}`,
      "catalog-moved"
    );
  }
  return new PublishError(
    `the published catalog moved while this publish moved it: another run replaced this catalog (${expected ?? ""}) at once, and ${is}. This run's catalog is not served. ${again}`,
    "catalog-moved"
  );
}
function manifestAnnotations(body) {
  try {
    const data = JSON.parse(new TextDecoder().decode(body));
    if (isRecord(data) && isRecord(data.annotations)) {
      const result = {};
      for (const [key, value] of Object.entries(data.annotations))
        if (typeof value === "string") result[key] = value;
      return result;
    }
  } catch {
  }
  return {};
}
function catalogManifest(catalog, layerBytes) {
  const annotations = {};
  if (catalog.generatedAt !== void 0)
    annotations["org.opencontainers.image.created"] = catalog.generatedAt;
  if (catalog.source.commit !== void 0)
    annotations["org.opencontainers.image.revision"] = catalog.source.commit;
  if (catalog.source.repo !== void 0)
    annotations["org.opencontainers.image.source"] = catalog.source.repo;
  return artifactManifest({
    artifactType: CATALOG_MEDIA_TYPE,
    layer: {
      mediaType: CATALOG_MEDIA_TYPE,
      digest: sha256(layerBytes),
      size: layerBytes.length,
      title: "catalog.json"
    },
    annotations
  });
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
  return { catalog: data, digest: manifest.digest };
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
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/catalog/baseline.ts
import { readFile as readFile2 } from "node:fs/promises";
async function readBaseline(registry, config) {
  if (!config.registry) return { baseline: { from: "none" } };
  const ref = `${catalogArtifactRepository(config)}:${LATEST_TAG}`;
  try {
    const pulled = await pullCatalogArtifact(registry, ref);
    return {
      baseline: describe({ from: "registry", ref, digest: pulled.digest }, pulled.catalog),
      catalog: pulled.catalog
    };
  } catch (error) {
    if (error instanceof RegistryError && error.code === "not-found")
      return { baseline: { from: "registry", ref } };
    return {
      baseline: { from: "registry", ref, error: error.message ?? String(error) }
    };
  }
}
async function readBaselineFile(path) {
  let text;
  try {
    text = await readFile2(path, "utf8");
  } catch (error) {
    throw new InputError(`cannot read the previous catalog ${path}: ${error.message}`, {
      cause: error
    });
  }
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`the previous catalog ${path} is not JSON: ${error.message}`, {
      cause: error
    });
  }
  const problems = validateCatalogDocument(data);
  if (problems.length > 0)
    throw new InputError(
      `the previous catalog ${path} does not match schemas/catalog.schema.json:
  ${problems.join("\n  ")}`
    );
  const catalog = data;
  return { baseline: describe({ from: "file", ref: path }, catalog), catalog };
}
function describe(baseline, catalog) {
  const described = { ...baseline, images: catalog.images.length };
  if (catalog.source.commit) described.commit = catalog.source.commit;
  if (catalog.source.repo) described.repo = catalog.source.repo;
  if (catalog.generatedAt) described.generatedAt = catalog.generatedAt;
  return described;
}
function publishRefusal(baseline, source) {
  const force = "(or publish with --force-publish to replace it anyway)";
  if (baseline.from === "file")
    return `the plan was compared with the file ${baseline.ref}, not with the published catalog: plan again without --previous`;
  if (baseline.error !== void 0)
    return `the published catalog ${baseline.ref} could not be read (${baseline.error}), so this publish cannot keep what it serves: fix the registry access and plan again; if nothing has ever been published there and the registry refuses to say so, publish once with --force-publish`;
  if (baseline.commit === void 0) return void 0;
  const published = `the published catalog was made from commit ${baseline.commit}`;
  if (baseline.repo && source.repo && normalRepo(baseline.repo) !== normalRepo(source.repo))
    return `${published} of ${baseline.repo}, not of this repository (${source.repo}): two catalogs share the registry prefix ${baseline.ref ?? ""}; give each catalog its own registry in imagesmith.yaml ${force}`;
  if (source.commit === void 0)
    return `${published}, and this folder is not a git checkout, so nothing shows that it is newer: publish from a clone of the catalog repository ${force}`;
  switch (baseline.history) {
    case "same":
    case "ancestor":
    case void 0:
      return void 0;
    case "not-ancestor":
      return `${published}, which HEAD (${source.commit}) does not contain: this checkout is stale or has diverged, and publishing from it would undo what was published since; update it and plan again ${force}`;
    case "unknown":
      return `${published}, which this checkout does not have, so nothing shows that HEAD (${source.commit}) is newer: fetch and update the checkout (a CI checkout needs the history: fetch-depth: 0) and plan again ${force}`;
  }
}
function normalRepo(url) {
  return url.toLowerCase().replace(/\.git$/, "").replace(/\/+$/, "");
}

// src/catalog/served.ts
var SERVED_FIELDS = [
  "global",
  "groups",
  "url",
  "urlForGpu",
  "pullSecret",
  "status",
  "type",
  "displayName",
  "description",
  "system",
  "groupName"
];
function servedOf(image) {
  const served = {};
  for (const field of SERVED_FIELDS) {
    const value = image[field];
    if (value !== void 0) served[field] = value;
  }
  return served;
}
function definitionServed(definition, serving) {
  const served = {
    global: definition.global,
    groups: [...new Set(definition.groups)].sort()
  };
  if (serving.url !== void 0) served.url = serving.url;
  if (serving.urlForGpu !== void 0) served.urlForGpu = serving.urlForGpu;
  if (serving.pullSecret !== void 0) served.pullSecret = serving.pullSecret;
  served.status = serving.status;
  served.type = definition.type;
  served.displayName = definition.displayName;
  if (definition.description !== void 0) served.description = definition.description;
  served.system = definition.system;
  if (!definition.system && definition.groupName !== void 0)
    served.groupName = definition.groupName;
  return served;
}
function readyServed(definition, config, url, urlForGpu) {
  const pullSecret = definition.build ? config.pullSecret : definition.pullSecret;
  return definitionServed(definition, {
    url,
    urlForGpu: definition.type === "universal" && urlForGpu !== void 0 ? urlForGpu : url,
    ...pullSecret === void 0 ? {} : { pullSecret },
    status: "ready"
  });
}
function diffServed(before, after) {
  const changes = [];
  for (const field of SERVED_FIELDS) {
    const was = before?.[field];
    const will = after?.[field];
    if (same(was, will)) continue;
    const change = { field };
    if (was !== void 0) change.before = copy(was);
    if (will !== void 0) change.after = copy(will);
    changes.push(change);
  }
  return changes;
}
function same(a, b) {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");
  return a === b;
}
function copy(value) {
  return Array.isArray(value) ? [...value].sort() : value;
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
function digestOf(pinned) {
  const at = pinned?.lastIndexOf("@") ?? -1;
  return pinned !== void 0 && at >= 0 ? pinned.slice(at + 1) : void 0;
}

// src/catalog/types.ts
var IMAGE_STATUSES = ["building", "ready", "failed", "cancelled"];

export {
  catalog_schema_default,
  PublishError,
  validateCatalogDocument,
  serializeCatalog,
  sameImages,
  canonicalCatalog,
  canonicalImage,
  canonicalFacts,
  writeCatalogFile,
  readCatalogFile,
  CATALOG_MEDIA_TYPE,
  LATEST_TAG,
  catalogArtifactRepository,
  catalogTags,
  SETTLE_MS,
  pushCatalogArtifact,
  publishedDigest,
  catalogManifest,
  pullCatalogArtifact,
  readBaseline,
  readBaselineFile,
  publishRefusal,
  SERVED_FIELDS,
  servedOf,
  definitionServed,
  readyServed,
  diffServed,
  pinReference,
  digestOf,
  IMAGE_STATUSES
};
