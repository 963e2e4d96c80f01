#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  OCI_MANIFEST_MEDIA_TYPE,
  artifactManifest,
  pushArtifactBlobs
} from "./chunk-5A2P77KC.js";
import {
  writeFileAtomic
} from "./chunk-TQMSZ7SH.js";
import {
  redact
} from "./chunk-LIJCRL7V.js";
import "./chunk-XML4HPHG.js";

// src/sync/primehub.ts
var FIELD_NAMES = [
  "displayName",
  "description",
  "type",
  "url",
  "urlForGpu",
  "useImagePullSecret",
  "groupName"
];
function planSync(input) {
  const owned = new Set(input.owned);
  const adopt = new Set(input.adopt ?? []);
  const present = new Map(input.state.images.map((image) => [image.name, image]));
  const groupIds = new Map(input.state.groups.map((group) => [group.name, group.id]));
  const plan = {
    actions: [],
    access: [],
    conflicts: [],
    errors: [],
    skipped: [],
    ledger: [],
    claims: [],
    releases: [],
    unchanged: 0
  };
  const wanted = /* @__PURE__ */ new Set();
  for (const image of input.catalog.images) {
    if (image.url === void 0) {
      plan.skipped.push({ name: image.name, reason: notOffered(image) });
      continue;
    }
    wanted.add(image.name);
    const there = present.get(image.name);
    const ours = owned.has(image.name) || adopt.has(image.name);
    if (there && !ours) {
      plan.conflicts.push({
        name: image.name,
        reason: `PrimeHub has an image ${image.name} that imagesmith did not create; it is left as it is (sync --adopt ${image.name} to manage it from the catalog)`
      });
      continue;
    }
    if (!owned.has(image.name)) plan.claims.push(image.name);
    const fields = fieldsOf(image, image.url);
    const groups = resolveGroups(image, groupIds, plan);
    if (!there) {
      plan.actions.push({ kind: "create", name: image.name, fields, global: image.global, groups });
      plan.access.push({
        image: image.name,
        change: "new",
        groups: groups.map((g) => g.name),
        global: image.global
      });
      continue;
    }
    const changes = fieldChanges(there, fields);
    const before = new Map((there.groups ?? []).map((group) => [group.name, group.id]));
    const after = new Set(groups.map((group) => group.name));
    const connect = groups.filter((group) => !before.has(group.name));
    const disconnect = [...before].filter(([name]) => !after.has(name)).map(([name, id]) => ({ name, id }));
    const globalBefore = there.global === true;
    if (changes.length === 0 && connect.length === 0 && disconnect.length === 0) {
      if (globalBefore === image.global) {
        plan.unchanged++;
        continue;
      }
    }
    plan.actions.push({
      kind: "update",
      name: image.name,
      id: there.id,
      fields,
      changes,
      global: image.global,
      globalBefore,
      connect,
      disconnect
    });
    if (globalBefore !== image.global)
      plan.access.push({
        image: image.name,
        change: image.global ? "became-global" : "no-longer-global",
        groups: []
      });
    if (connect.length > 0)
      plan.access.push({
        image: image.name,
        change: "group-added",
        groups: connect.map((g) => g.name)
      });
    if (disconnect.length > 0)
      plan.access.push({
        image: image.name,
        change: "group-removed",
        groups: disconnect.map((g) => g.name)
      });
  }
  for (const name of owned) {
    if (wanted.has(name)) continue;
    const there = present.get(name);
    if (there && input.catalog.images.some((image) => image.name === name)) continue;
    plan.releases.push(name);
    if (!there) continue;
    plan.actions.push({ kind: "delete", name, id: there.id });
    plan.access.push({
      image: name,
      change: "removed",
      groups: (there.groups ?? []).map((group) => group.name),
      global: there.global === true
    });
  }
  plan.ledger = [.../* @__PURE__ */ new Set([...owned, ...plan.claims])].filter((name) => !plan.releases.includes(name)).sort();
  plan.access.sort((a, b) => accessRank(a) - accessRank(b) || a.image.localeCompare(b.image));
  return plan;
}
function accessRank(change) {
  return [
    "removed",
    "no-longer-global",
    "group-removed",
    "became-global",
    "group-added",
    "new"
  ].indexOf(change.change);
}
function notOffered(image) {
  return image.status === "building" ? "its first build is under way: nothing to pull yet" : `it has never built successfully (its last attempt ${image.status === "cancelled" ? "was cancelled" : "failed"}): nothing to pull yet`;
}
function fieldsOf(image, url) {
  return {
    displayName: image.displayName,
    description: image.description ?? "",
    type: image.type === "universal" ? "both" : image.type,
    url,
    urlForGpu: image.urlForGpu ?? url,
    useImagePullSecret: image.pullSecret ?? null,
    groupName: image.system ? null : image.groupName ?? null
  };
}
function resolveGroups(image, ids, plan) {
  const names = new Set(image.groups);
  if (!image.system && image.groupName) names.add(image.groupName);
  const resolved = [];
  for (const name of [...names].sort()) {
    const id = ids.get(name);
    if (id !== void 0) resolved.push({ name, id });
    else
      plan.errors.push({
        name: image.name,
        message: `the catalog gives ${image.name} to group ${name}, which PrimeHub does not have: create the group in PrimeHub (or remove it from the definition); ${image.name} is synced without it`
      });
  }
  return resolved;
}
function fieldChanges(there, fields) {
  const changes = [];
  for (const field of FIELD_NAMES) {
    const before = normalise(field, there[field]);
    const after = fields[field];
    if (before !== after) changes.push({ field, before, after });
  }
  return changes;
}
function normalise(field, value) {
  if (field === "description" || field === "displayName") return value ?? "";
  if (field === "useImagePullSecret" || field === "groupName") return value ? value : null;
  return value ?? null;
}

// src/sync/graphql.ts
var READ_QUERY = `query ReadPrimeHub {
  images { id name displayName description type url urlForGpu useImagePullSecret groupName global groups { id name } }
  groups { id name displayName }
}`;
var CHUNK = 25;
var PrimeHubError = class extends Error {
  constructor(message, code, options) {
    super(message, options);
    this.code = code;
    this.name = "PrimeHubError";
  }
  code;
  stage = "sync";
};
function primeHubClient(options) {
  const send = options.fetch ?? fetch;
  let requests = 0;
  const secrets = [options.token];
  async function post(operationName, query, variables) {
    requests++;
    let response;
    try {
      response = await send(options.endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          authorization: `Bearer ${options.token}`
        },
        body: JSON.stringify({ operationName, query, variables }),
        ...options.signal ? { signal: options.signal } : {}
      });
    } catch (error) {
      if (options.signal?.aborted)
        throw new PrimeHubError(`${operationName}: cancelled`, "cancelled", { cause: error });
      const why = error.cause?.message ?? error.message;
      throw new PrimeHubError(
        redact(`${operationName} to ${options.endpoint}: ${why}`, secrets),
        "unreachable",
        { cause: error }
      );
    }
    const body = await response.text();
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new PrimeHubError(
        redact(
          `${operationName} to ${options.endpoint}: HTTP ${response.status}, not a GraphQL answer: ${body.slice(0, 200)}`,
          secrets
        ),
        "protocol"
      );
    }
    const messages = (parsed.errors ?? []).map((e) => e.message ?? "").join("; ");
    if (response.status === 401 || /Context creation failed|not authorized|Invalid API Token/i.test(messages))
      throw new PrimeHubError(
        redact(
          `PrimeHub refused the token (${messages || `HTTP ${response.status}`}): set PRIMEHUB_API_TOKEN to an API token of a PrimeHub administrator`,
          secrets
        ),
        "unauthorized"
      );
    if (!response.ok && !parsed.data)
      throw new PrimeHubError(
        redact(
          `${operationName}: HTTP ${response.status}: ${messages || body.slice(0, 200)}`,
          secrets
        ),
        "graphql"
      );
    return parsed;
  }
  return {
    get requests() {
      return requests;
    },
    async read() {
      const answer = await post("ReadPrimeHub", READ_QUERY, {});
      if (answer.errors?.length || !answer.data)
        throw new PrimeHubError(
          redact(
            `reading PrimeHub's images and groups: ${(answer.errors ?? []).map((e) => e.message).join("; ") || "no data"}`,
            secrets
          ),
          "graphql"
        );
      const images = answer.data.images;
      const groups = answer.data.groups;
      if (!Array.isArray(images) || !Array.isArray(groups))
        throw new PrimeHubError("PrimeHub's answer has no images or groups list", "protocol");
      return {
        images: images.filter(isRecord),
        groups: groups.filter(isRecord)
      };
    },
    async apply(given) {
      const rank = { delete: 0, update: 1, create: 2 };
      const actions = [...given].sort((a, b) => rank[a.kind] - rank[b.kind]);
      const outcomes = [];
      for (let start = 0; start < actions.length; start += CHUNK) {
        const chunk = actions.slice(start, start + CHUNK);
        const { query, variables } = mutationOf(chunk);
        let answer;
        try {
          answer = await post("Sync", query, variables);
        } catch (error) {
          for (const action of actions.slice(start))
            outcomes.push({ action, ok: false, error: error.message });
          if (error.code === "cancelled" || error.code === "unauthorized")
            throw error;
          return outcomes;
        }
        const why = redact(
          (answer.errors ?? []).map((e) => e.message ?? "").join("; ") || "no answer for it",
          secrets
        );
        chunk.forEach((action, index) => {
          const done = isRecord(answer.data?.[`a${index}`]);
          outcomes.push(
            done ? { action, ok: true } : {
              action,
              ok: false,
              error: answer.data ? why : `not known to have run: a change in the same request failed (${why}); the next sync finishes it`
            }
          );
        });
      }
      return outcomes;
    }
  };
}
function mutationOf(actions) {
  const declarations = [];
  const fields = [];
  const variables = {};
  actions.forEach((action, index) => {
    const alias = `a${index}`;
    if (action.kind === "create") {
      declarations.push(`$${alias}: ImageCreateInput!`);
      fields.push(`${alias}: createImage(data: $${alias}) { id }`);
      variables[alias] = {
        name: action.name,
        ...action.fields,
        useImagePullSecret: action.fields.useImagePullSecret ?? "",
        groupName: action.fields.groupName ?? "",
        global: action.global,
        groups: { connect: action.groups.map((group) => ({ id: group.id })) }
      };
    } else if (action.kind === "update") {
      declarations.push(`$${alias}w: ImageWhereUniqueInput!`, `$${alias}: ImageUpdateInput!`);
      fields.push(`${alias}: updateImage(where: $${alias}w, data: $${alias}) { id }`);
      variables[`${alias}w`] = { id: action.id };
      variables[alias] = {
        ...action.fields,
        // Sent every time: PrimeHub removes one an update leaves out.
        useImagePullSecret: action.fields.useImagePullSecret ?? "",
        groupName: action.fields.groupName ?? "",
        global: action.global,
        groups: {
          connect: action.connect.map((group) => ({ id: group.id })),
          disconnect: action.disconnect.map((group) => ({ id: group.id }))
        }
      };
    } else {
      declarations.push(`$${alias}w: ImageWhereUniqueInput!`);
      fields.push(`${alias}: deleteImage(where: $${alias}w) { id }`);
      variables[`${alias}w`] = { id: action.id };
    }
  });
  return {
    query: `mutation Sync(${declarations.join(", ")}) {
  ${fields.join("\n  ")}
}`,
    variables
  };
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/sync/ledger.ts
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
var LEDGER_MEDIA_TYPE = "application/vnd.imagesmith.primehub-ledger.v1+json";
var MAX_NAMES = 1e5;
function ledgerTag(endpoint) {
  return `primehub-${createHash("sha256").update(endpoint).digest("hex").slice(0, 16)}`;
}
function encode(endpoint, names) {
  const document = {
    apiVersion: "imagesmith/v1",
    kind: "PrimeHubLedger",
    endpoint,
    names: [...new Set(names)].sort()
  };
  return new TextEncoder().encode(`${JSON.stringify(document, null, 2)}
`);
}
function decode(text, where) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`the ledger ${where} is not JSON`);
  }
  const document = data;
  if (document?.kind !== "PrimeHubLedger" || !Array.isArray(document.names))
    throw new Error(`${where} is not an imagesmith PrimeHub ledger`);
  return document.names.filter(
    (name) => typeof name === "string" && /^[a-z0-9][a-z0-9.-]{0,252}$/.test(name)
  ).slice(0, MAX_NAMES);
}
function fileLedger(path, endpoint) {
  return {
    where: path,
    async read() {
      const text = await readFile(path, "utf8").catch((error) => {
        if (error.code === "ENOENT") return void 0;
        throw error;
      });
      return text === void 0 ? [] : decode(text, path);
    },
    async write(names) {
      await writeFileAtomic(path, Buffer.from(encode(endpoint, names)).toString("utf8"));
    }
  };
}
function registryLedger(registry, repository, endpoint) {
  const tag = ledgerTag(endpoint);
  const ref = { ...repository, tag, digest: void 0 };
  const where = `${repository.domain}/${repository.path}:${tag}`;
  return {
    where,
    async read() {
      let manifest;
      try {
        manifest = await registry.getManifest(ref);
      } catch (error) {
        if (error.code === "not-found") return [];
        throw error;
      }
      const data = JSON.parse(Buffer.from(manifest.body).toString("utf8"));
      const layer = data.layers?.find((entry) => entry.mediaType === LEDGER_MEDIA_TYPE);
      if (!layer?.digest) throw new Error(`${where} is not an imagesmith PrimeHub ledger`);
      const blob = await registry.getBlob(repository, layer.digest);
      return decode(Buffer.from(blob).toString("utf8"), where);
    },
    async write(names) {
      const layer = await pushArtifactBlobs(registry, repository, encode(endpoint, names));
      await registry.pushManifest(
        ref,
        artifactManifest({
          artifactType: LEDGER_MEDIA_TYPE,
          layer: { mediaType: LEDGER_MEDIA_TYPE, digest: layer.digest, size: layer.size }
        }),
        OCI_MANIFEST_MEDIA_TYPE
      );
    }
  };
}

// src/sync/index.ts
async function syncCatalog(input) {
  const [state, owned] = await Promise.all([input.port.read(), input.ledger.read()]);
  const plan = planSync({
    catalog: input.catalog,
    state,
    owned,
    ...input.adopt ? { adopt: input.adopt } : {}
  });
  const result = (outcomes2) => ({
    plan,
    outcomes: outcomes2,
    dryRun: input.dryRun === true,
    requests: input.port.requests,
    ledger: input.ledger.where
  });
  if (input.dryRun) return result([]);
  if (plan.claims.length > 0) await input.ledger.write([...owned, ...plan.claims]);
  const outcomes = plan.actions.length > 0 ? await input.port.apply(plan.actions) : [];
  const deleted = new Set(
    outcomes.filter((o) => o.ok && o.action.kind === "delete").map((o) => o.action.name)
  );
  const present = new Set(state.images.map((image) => image.name));
  const released = plan.releases.filter((name) => deleted.has(name) || !present.has(name));
  if (released.length > 0) {
    const kept = /* @__PURE__ */ new Set([...owned, ...plan.claims]);
    for (const name of released) kept.delete(name);
    await input.ledger.write([...kept]);
  }
  return result(outcomes);
}
export {
  PrimeHubError,
  fileLedger,
  ledgerTag,
  primeHubClient,
  registryLedger,
  syncCatalog
};
