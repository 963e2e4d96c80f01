#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  InputError
} from "./chunk-D6O63MFF.js";
import {
  compileSchema
} from "./chunk-U2AYVG4A.js";

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
          description: "building: a build is under way; ready: url is the current definition's image; failed / cancelled: the latest build did not finish, url (if any) is the last image that worked.",
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
          description: "Built images: the current recipe and its latest build.",
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
              description: "The latest build's log, relative to the catalog root.",
              type: "string",
              minLength: 1,
              pattern: "^(?!/)(?![A-Za-z]:)(?!.*(^|/)\\.\\.(/|$))[^\\\\]+$"
            },
            logUrl: {
              description: "Where the latest build's log can be read: the CI run that built it.",
              type: "string",
              pattern: "^https?://[^\\s]+$"
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
    timestamp: {
      description: "An RFC 3339 date and time.",
      type: "string",
      pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"
    }
  }
};

// src/stages/publish/errors.ts
var PublishError = class extends Error {
  constructor(message, code, options) {
    super(message, options);
    this.code = code;
    this.name = "PublishError";
  }
  code;
  stage = "publish";
};

// src/stages/publish/catalog-file.ts
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
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
  result.recipeHash = build.recipeHash;
  if (build.builtAt !== void 0) result.builtAt = build.builtAt;
  if (build.log !== void 0) result.log = build.log;
  if (build.logUrl !== void 0) result.logUrl = build.logUrl;
  return result;
}
async function writeCatalogFile(path, catalog) {
  const text = serializeCatalog(catalog);
  const problems = validateCatalogDocument(JSON.parse(text));
  if (problems.length > 0) {
    throw new PublishError(
      `not writing ${path}: the catalog does not match schemas/catalog.schema.json:
  ${problems.join("\n  ")}`,
      "invalid-catalog"
    );
  }
  await writeFileAtomic(path, text);
}
async function writeFileAtomic(path, text) {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temp = join(
    folder,
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`
  );
  try {
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(folder);
}
async function syncFolder(folder) {
  let handle;
  try {
    handle = await open(folder, "r");
    await handle.sync();
  } catch {
  } finally {
    await handle?.close();
  }
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

export {
  catalog_schema_default,
  PublishError,
  validateCatalogDocument,
  serializeCatalog,
  canonicalCatalog,
  canonicalImage,
  writeCatalogFile,
  writeFileAtomic,
  readCatalogFile
};
