#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PLAN_ACTIONS,
  baseUser,
  buildOrder,
  parentName
} from "./chunk-X4LKITOK.js";
import "./chunk-B6HO2RR2.js";
import "./chunk-IBEICT4M.js";
import "./chunk-SCQLJQHS.js";
import "./chunk-EESE7KYM.js";
import "./chunk-5A2P77KC.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-MV6IGXHU.js";
import {
  compileSchema
} from "./chunk-T4E4HH4Z.js";
import "./chunk-TQMSZ7SH.js";
import {
  catalogBase,
  parsePlatform,
  parseReference,
  planRecipe,
  registryBaseFrom,
  stripDigest
} from "./chunk-WSEJIW4R.js";
import "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import {
  isRootUser
} from "./chunk-V4OKTXNJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";

// schemas/plan.schema.json
var plan_schema_default = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://imagesmith.dev/schemas/plan.schema.json",
  title: "imagesmith plan",
  description: "What publishing the definitions at one commit changes against the published catalog (imagesmith plan --format json, the Action's plan-file): one decision per image with its reasons and field-by-field changes. A build job executes it only after re-rendering every recipe from the definitions and finding the same hashes, references and Dockerfiles.",
  type: "object",
  additionalProperties: false,
  required: [
    "apiVersion",
    "kind",
    "source",
    "baseline",
    "images",
    "accessChanges",
    "summary",
    "errors"
  ],
  properties: {
    apiVersion: { const: "imagesmith/v1" },
    kind: { const: "Plan" },
    source: {
      description: "The definitions planned: the repository and the commit they were read at.",
      type: "object",
      additionalProperties: false,
      properties: {
        repo: { type: "string", minLength: 1 },
        commit: { type: "string", pattern: "^[0-9a-f]{7,64}$" }
      }
    },
    baseline: {
      description: "The published catalog the plan is a diff against.",
      type: "object",
      additionalProperties: false,
      required: ["from"],
      properties: {
        from: {
          description: "registry: the catalog artifact; file: a file given with --previous (review only); none: no registry, nothing is published.",
          enum: ["registry", "file", "none"]
        },
        ref: { type: "string", minLength: 1 },
        digest: { $ref: "#/$defs/digest" },
        commit: { type: "string", pattern: "^[0-9a-f]{7,64}$" },
        repo: { type: "string", minLength: 1 },
        generatedAt: { type: "string" },
        images: { type: "integer", minimum: 0 },
        error: {
          description: "Why the published catalog could not be read; a publish from this plan is refused.",
          type: "string"
        },
        history: {
          description: "How HEAD relates to the published catalog's commit.",
          enum: ["same", "ancestor", "not-ancestor", "unknown"]
        }
      }
    },
    images: {
      type: "array",
      items: { $ref: "#/$defs/image" }
    },
    accessChanges: {
      description: "Who gains or loses which image, for the reviewer.",
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["image", "change"],
        properties: {
          image: { $ref: "#/$defs/name" },
          change: {
            enum: ["became-global", "no-longer-global", "group-added", "group-removed"]
          },
          group: { type: "string", minLength: 1 },
          groups: { type: "array", items: { type: "string", minLength: 1 } },
          keeps: { type: "array", items: { type: "string", minLength: 1 } }
        }
      }
    },
    summary: {
      type: "object",
      additionalProperties: false,
      required: ["build", "skip", "register", "update", "remove"],
      properties: {
        build: { type: "integer", minimum: 0 },
        skip: { type: "integer", minimum: 0 },
        register: { type: "integer", minimum: 0 },
        update: { type: "integer", minimum: 0 },
        remove: { type: "integer", minimum: 0 }
      }
    },
    errors: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["image", "message"],
        properties: {
          image: { type: "string" },
          file: { type: "string" },
          message: { type: "string" }
        }
      }
    }
  },
  $defs: {
    name: {
      type: "string",
      minLength: 1,
      maxLength: 63,
      pattern: "^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"
    },
    digest: {
      type: "string",
      pattern: "^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$"
    },
    value: {
      anyOf: [
        { type: "string" },
        { type: "boolean" },
        { type: "array", items: { type: "string" } }
      ]
    },
    image: {
      type: "object",
      additionalProperties: false,
      required: ["name", "action", "reasons", "ref", "recipeHash", "dependsOn", "changes"],
      properties: {
        name: { $ref: "#/$defs/name" },
        action: { enum: ["build", "skip", "register", "update", "remove"] },
        reasons: { type: "array", items: { type: "string", minLength: 1 } },
        ref: {
          description: "Built images: where the recipe is pushed; existing images: their url.",
          type: "string"
        },
        recipeHash: {
          anyOf: [{ type: "string", pattern: "^[0-9a-f]{8,64}$" }, { type: "null" }]
        },
        digest: { $ref: "#/$defs/digest" },
        dependsOn: { type: "array", items: { $ref: "#/$defs/name" } },
        file: { type: "string", minLength: 1 },
        gpuRef: { type: "string", minLength: 1 },
        gpuDigest: { $ref: "#/$defs/digest" },
        base: {
          type: "object",
          additionalProperties: false,
          required: ["image", "from", "digest"],
          properties: {
            image: { type: "string", minLength: 1 },
            from: { type: "string", minLength: 1 },
            digest: {
              type: "string",
              pattern: "^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128}|recipe:[0-9a-f]{8,64})$"
            },
            user: { type: "string", minLength: 1 }
          }
        },
        dockerfile: { type: "string" },
        previousDockerfile: { type: "string" },
        contracts: {
          description: "Built images whose contracts (cuda, test: <command>) differ from the served build's: before and after.",
          type: "object",
          additionalProperties: false,
          required: ["before", "after"],
          properties: {
            before: { type: "array", items: { type: "string" } },
            after: { type: "array", items: { type: "string" } }
          }
        },
        changes: {
          description: "What publishing changes in the image's catalog entry: before (published) and after.",
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["field"],
            properties: {
              field: {
                enum: [
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
                ]
              },
              before: { $ref: "#/$defs/value" },
              after: { $ref: "#/$defs/value" }
            }
          }
        }
      }
    }
  }
};

// src/stages/plan/plan-file.ts
async function verifyPlan(data, context) {
  const validate = compileSchema(plan_schema_default);
  if (!validate(data)) {
    const first = (validate.errors ?? [])[0];
    throw new Error(`it does not match schemas/plan.schema.json: ${describe(first)}`);
  }
  const plan = data;
  const { catalog, source } = context;
  if (plan.source.commit && source.commit && plan.source.commit !== source.commit)
    throw new Error(
      `it was made at commit ${plan.source.commit}, and this checkout is at ${source.commit}: plan again here, or check out that commit`
    );
  if (plan.errors.length > 0)
    throw new Error(
      `it has errors (${plan.errors.map((e) => e.image).join(", ")}): it cannot be executed`
    );
  const entries = /* @__PURE__ */ new Map();
  for (const entry of plan.images) {
    if (entries.has(entry.name)) throw new Error(`it lists ${entry.name} twice`);
    entries.set(entry.name, entry);
  }
  const definitions = new Map(catalog.images.map((image) => [image.name, image]));
  for (const entry of plan.images) {
    if (definitions.has(entry.name) === (entry.action === "remove"))
      throw new Error(
        entry.action === "remove" ? `it removes ${entry.name}, which the catalog here still defines` : `it ${entry.action === "build" ? "builds" : "plans"} ${entry.name}, which the catalog here does not define: it was planned from other definitions`
      );
  }
  const platform = parsePlatform(catalog.config.platform);
  const verified = /* @__PURE__ */ new Map();
  for (const image of buildOrder(catalog.images)) {
    const entry = entries.get(image.name);
    if (!entry)
      throw new Error(`it has no entry for ${image.name}: it was planned from other definitions`);
    if (image.build) await verifyBuilt(image, entry, verified, context, platform);
    else verifyExisting(image, entry);
    verified.set(image.name, entry);
  }
  const summary = Object.fromEntries(PLAN_ACTIONS.map((action) => [action, 0]));
  for (const entry of plan.images) summary[entry.action] += 1;
  return { ...plan, summary };
}
function verifyExisting(image, entry) {
  const mismatch = (what) => new Error(`${image.name}: ${what} is not what its definition (${image.file}) says`);
  if (entry.action === "build" || entry.recipeHash !== null || entry.dockerfile !== void 0)
    throw mismatch("a build");
  if (entry.ref !== image.url) throw mismatch(`the reference ${entry.ref}`);
  const gpu = image.type === "universal" && image.urlForGpu !== void 0 && image.urlForGpu !== image.url ? image.urlForGpu : void 0;
  if (entry.gpuRef !== gpu) throw mismatch(`the GPU reference ${entry.gpuRef ?? "(none)"}`);
  if (entry.digest === void 0) throw mismatch("an entry without a digest");
}
async function verifyBuilt(image, entry, verified, context, platform) {
  const build = image.build;
  if (!build) return;
  const { catalog, source } = context;
  const config = catalog.config;
  const fail = (what) => new Error(`${image.name}: ${what}, which is not what ${image.file} at this commit renders`);
  if (entry.recipeHash === null || !entry.base) throw fail("it has no recipe");
  if (entry.base.image !== build.baseImage) throw fail(`its base is ${entry.base.image}`);
  const parent = parentName(image);
  let expected;
  if (parent !== void 0) {
    const parentEntry = verified.get(parent);
    if (!parentEntry) throw fail(`its base image:${parent} has no verified entry`);
    if (parentEntry.recipeHash !== null) {
      expected = catalogBase(parentEntry.ref, parentEntry.recipeHash, parentEntry.base?.user);
    } else {
      const pinned = `${stripDigest(parentEntry.ref)}@${parentEntry.digest ?? ""}`;
      expected = await registryBase(pinned, parentEntry.digest ?? "", context, platform);
    }
    if (entry.dependsOn.length !== 1 || entry.dependsOn[0] !== parent)
      throw fail(`it depends on ${entry.dependsOn.join(", ") || "nothing"}`);
  } else {
    const pinned = parseReference(build.baseImage).digest;
    if (pinned !== void 0 && entry.base.digest !== pinned)
      throw fail(`its base digest is ${entry.base.digest}`);
    if (entry.base.digest.startsWith("recipe:"))
      throw fail(`its base is the recipe ${entry.base.digest}`);
    expected = await registryBase(build.baseImage, entry.base.digest, context, platform);
    if (entry.dependsOn.length !== 0) throw fail(`it depends on ${entry.dependsOn.join(", ")}`);
  }
  if (entry.base.from !== expected.from) throw fail(`it builds FROM ${entry.base.from}`);
  if (entry.base.digest !== expected.digest) throw fail(`its base digest is ${entry.base.digest}`);
  if ((entry.base.user ?? void 0) !== expected.user)
    throw fail(`it restores the user ${entry.base.user ?? "root"}`);
  const recipe = planRecipe(image, expected, config, source);
  if (entry.recipeHash !== recipe.hash) throw fail(`its recipe hash is ${entry.recipeHash}`);
  if (entry.ref !== recipe.ref) throw fail(`it pushes to ${entry.ref}`);
  if (entry.action === "build" && entry.dockerfile === void 0)
    throw new Error(
      `it builds ${image.name} but holds no Dockerfile for it (the Action's plan output leaves them out of a large plan; plan-file keeps them)`
    );
  if (entry.dockerfile !== void 0 && entry.dockerfile !== recipe.dockerfile)
    throw fail(
      `its Dockerfile differs at line ${firstDifference(entry.dockerfile, recipe.dockerfile)}`
    );
}
async function registryBase(reference, digest, context, platform) {
  const config = context.catalog.config;
  const user = await baseUser(
    reference,
    digest,
    config,
    context.registry,
    platform,
    context.baseConfigs
  );
  return {
    from: registryBaseFrom(reference, digest, config),
    digest,
    ...isRootUser(user) || user === void 0 ? {} : { user }
  };
}
function firstDifference(planned, rendered) {
  const a = planned.split("\n");
  const b = rendered.split("\n");
  for (let line = 0; line < Math.max(a.length, b.length); line++) {
    if (a[line] !== b[line])
      return `${line + 1} (${JSON.stringify((a[line] ?? "").slice(0, 120))})`;
  }
  return "?";
}
function describe(error) {
  if (!error) return "it is invalid";
  const at = error.instancePath === "" ? "/" : error.instancePath;
  if (error.keyword === "additionalProperties")
    return `${at}: unknown field ${JSON.stringify(error.params.additionalProperty)}`;
  return `${at}: ${error.message ?? "is invalid"}`;
}
export {
  plan_schema_default as planSchema,
  verifyPlan
};
