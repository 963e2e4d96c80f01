#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PublishError,
  canonicalFacts,
  canonicalImage,
  definitionServed,
  pinReference,
  readyServed
} from "./chunk-EESE7KYM.js";
import "./chunk-5A2P77KC.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-MV6IGXHU.js";
import "./chunk-T4E4HH4Z.js";
import "./chunk-TQMSZ7SH.js";
import "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import {
  isRootUser
} from "./chunk-V4OKTXNJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";

// src/stages/publish/index.ts
import { isAbsolute, relative, sep } from "node:path";
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
  if (definition.build === void 0) return publishExisting(definition, entry, input.config);
  const recipe = publishedRecipe(definition, entry);
  if (entry.action !== "build") {
    const url = pinReference(entry.ref, requireDigest(entry));
    const served = before?.build?.recipeHash === recipe.recipeHash ? before.build : void 0;
    if (served?.builtAt !== void 0) recipe.builtAt = served.builtAt;
    if (served?.log !== void 0) recipe.log = served.log;
    if (served?.logUrl !== void 0) recipe.logUrl = served.logUrl;
    if (served) Object.assign(recipe, canonicalFacts(served));
    return describe(definition.name, readyServed(definition, input.config, url), { build: recipe });
  }
  const at = input.now.toISOString();
  if (input.outcomes === void 0)
    return lastGood(definition, before, { status: "building", recipeHash: recipe.recipeHash, at });
  const outcome = input.outcomes.get(definition.name);
  if (outcome === void 0) return before && notAttempted(definition, before);
  const log = relativeLog(outcome.logFile, input.root);
  const attempt = (status, error) => ({
    status,
    recipeHash: recipe.recipeHash,
    at: timestamp(outcome.finishedAt, input.now),
    ...error === void 0 ? {} : { error },
    ...log === void 0 ? {} : { log },
    ...outcome.logUrl === void 0 ? {} : { logUrl: outcome.logUrl }
  });
  switch (outcome.state) {
    case "done": {
      if (outcome.digest === void 0)
        return lastGood(
          definition,
          before,
          attempt("failed", "the build reported no digest"),
          "the build reported no digest"
        );
      recipe.builtAt = timestamp(outcome.finishedAt, input.now);
      if (log !== void 0) recipe.log = log;
      if (outcome.logUrl !== void 0) recipe.logUrl = outcome.logUrl;
      if (outcome.facts) Object.assign(recipe, canonicalFacts(outcome.facts));
      const url = pinReference(entry.ref, outcome.digest);
      return describe(definition.name, readyServed(definition, input.config, url), {
        build: recipe
      });
    }
    case "failed": {
      const cause = firstLine(outcome.error, outcome.logFile);
      return lastGood(
        definition,
        before,
        attempt("failed", cause || void 0),
        failureMessage(before, cause, log)
      );
    }
    case "cancelled":
      return lastGood(
        definition,
        before,
        attempt("cancelled", "the build was cancelled"),
        "the build was cancelled"
      );
    case "skipped": {
      const blocker = blockingAncestor(entry, planned, input.outcomes);
      const status = blocker?.state === "cancelled" ? "cancelled" : "failed";
      const message = blocker ? `not built: its base image:${blocker.name} ${blocker.state === "cancelled" ? "was cancelled" : "failed to build"}` : "not built: an image it builds on did not build";
      return lastGood(definition, before, attempt(status, message), message);
    }
  }
}
function publishExisting(definition, entry, config) {
  const url = pinReference(entry.ref, requireDigest(entry));
  const gpu = entry.gpuRef !== void 0 && entry.gpuDigest !== void 0 ? pinReference(entry.gpuRef, entry.gpuDigest) : void 0;
  return describe(definition.name, readyServed(definition, config, url, gpu), {
    from: {
      url: entry.ref,
      ...entry.gpuRef === void 0 ? {} : { urlForGpu: entry.gpuRef }
    }
  });
}
function lastGood(definition, before, attempt, message) {
  const kept = before?.url === void 0 ? void 0 : before;
  const urlForGpu = definition.type === "universal" ? kept?.urlForGpu ?? kept?.url : kept?.url;
  return describe(
    definition.name,
    definitionServed(definition, {
      ...kept?.url === void 0 ? {} : { url: kept.url },
      ...urlForGpu === void 0 ? {} : { urlForGpu },
      ...kept?.pullSecret === void 0 ? {} : { pullSecret: kept.pullSecret },
      status: attempt.status
    }),
    {
      ...message === void 0 ? {} : { message },
      ...kept?.from === void 0 ? {} : { from: kept.from },
      ...kept?.build === void 0 ? {} : { build: kept.build },
      attempt
    }
  );
}
function notAttempted(definition, before) {
  return describe(
    definition.name,
    definitionServed(definition, {
      ...before.url === void 0 ? {} : { url: before.url },
      ...before.urlForGpu === void 0 ? {} : { urlForGpu: before.urlForGpu },
      ...before.pullSecret === void 0 ? {} : { pullSecret: before.pullSecret },
      status: before.status
    }),
    {
      ...before.message === void 0 ? {} : { message: before.message },
      ...before.from === void 0 ? {} : { from: before.from },
      ...before.build === void 0 ? {} : { build: before.build },
      ...before.attempt === void 0 ? {} : { attempt: before.attempt }
    }
  );
}
function describe(name, served, extra) {
  return canonicalImage({ name, ...served, ...extra });
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
    ...isRootUser(entry.base?.user) ? {} : { baseUser: entry.base?.user },
    ...build.tests?.length ? { tests: [...build.tests] } : {},
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
function firstLine(error, logFile) {
  let cause = (error ?? "").trim().split("\n")[0]?.trim() ?? "";
  if (logFile && cause.endsWith(`; see ${logFile}`))
    cause = cause.slice(0, -`; see ${logFile}`.length);
  return cause.length > MAX_CAUSE ? `${cause.slice(0, MAX_CAUSE - 1)}\u2026` : cause;
}
function failureMessage(before, cause, log) {
  const what = before?.url === void 0 ? "the build failed" : "the rebuild failed";
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
  buildCatalog
};
