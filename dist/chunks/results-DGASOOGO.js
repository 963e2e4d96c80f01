#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  InputError,
  writeFileAtomic
} from "./chunk-TQMSZ7SH.js";
import "./chunk-XML4HPHG.js";

// src/stages/publish/results.ts
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
var STATES = ["done", "failed", "cancelled", "skipped"];
function buildResult(input) {
  const recipes = new Map(input.plan.images.map((entry) => [entry.name, entry.recipeHash]));
  const images = [];
  for (const outcome of input.outcomes) {
    const recipeHash = recipes.get(outcome.name);
    if (!recipeHash) continue;
    const image = { name: outcome.name, recipeHash, state: outcome.state };
    if (outcome.digest !== void 0) image.digest = outcome.digest;
    if (outcome.finishedAt !== void 0) image.finishedAt = outcome.finishedAt;
    if (outcome.facts !== void 0) image.facts = outcome.facts;
    const log = outcome.logFile ? relative(input.root, outcome.logFile) : void 0;
    let error = outcome.error ?? outcome.reason;
    if (error && outcome.logFile && error.endsWith(`; see ${outcome.logFile}`))
      error = error.slice(0, -`; see ${outcome.logFile}`.length);
    if (error) image.error = error;
    if (log && !log.startsWith("..")) image.log = log.split("\\").join("/");
    if (input.logUrl) image.logUrl = input.logUrl;
    images.push(image);
  }
  const source = {};
  if (input.source.repo) source.repo = input.source.repo;
  if (input.source.commit) source.commit = input.source.commit;
  return {
    apiVersion: "imagesmith/v1",
    kind: "BuildResult",
    ...input.unit ? { unit: input.unit } : {},
    source,
    images
  };
}
async function writeResultFile(path, result, options = {}) {
  await writeFileAtomic(path, JSON.stringify(result, null, 2) + "\n", options);
}
async function readResults(dir) {
  let entries;
  try {
    entries = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile() && entry.name.endsWith(".json")).map((entry) => join(entry.parentPath, entry.name)).sort();
  } catch (error) {
    if (error.code === "ENOENT") return [];
    throw new InputError(`cannot read the build results in ${dir}: ${error.message}`, {
      cause: error
    });
  }
  const results = [];
  for (const file of entries) {
    let data;
    try {
      data = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      throw new InputError(`the build result ${file} is not JSON: ${error.message}`, {
        cause: error
      });
    }
    const problem = resultProblem(data);
    if (problem !== void 0)
      throw new InputError(`the build result ${file} cannot be used: ${problem}`);
    results.push({ file, result: data });
  }
  return results;
}
function resultProblem(data) {
  if (!isRecord(data) || data.kind !== "BuildResult" || data.apiVersion !== "imagesmith/v1")
    return 'it is not an imagesmith build result (apiVersion "imagesmith/v1", kind "BuildResult")';
  if (!Array.isArray(data.images)) return "it has no images list";
  for (const [index, image] of data.images.entries()) {
    if (!isRecord(image)) return `/images/${index} is not an object`;
    if (typeof image.name !== "string" || image.name === "")
      return `/images/${index}/name is missing`;
    if (typeof image.recipeHash !== "string") return `/images/${index}/recipeHash is missing`;
    if (!STATES.includes(image.state))
      return `/images/${index}/state is ${JSON.stringify(image.state)}, not one of ${STATES.join(", ")}`;
    if (image.state === "done" && !/^sha256:[0-9a-f]{64}$/.test(String(image.digest)))
      return `/images/${index}/digest: a done build needs its sha256 digest`;
  }
  return void 0;
}
function mergeResults(plan, results) {
  const notes = [];
  const planned = new Map(plan.images.map((entry) => [entry.name, entry]));
  const chosen = /* @__PURE__ */ new Map();
  for (const { file, result } of results) {
    for (const image of result.images) {
      const entry = planned.get(image.name);
      if (entry === void 0 || entry.recipeHash === null || entry.action === "remove") {
        notes.push(`${file}: ${image.name} is not an image this catalog builds; ignored`);
        continue;
      }
      if (image.recipeHash !== entry.recipeHash) {
        notes.push(
          `${file}: ${image.name} was built from recipe ${image.recipeHash}, the catalog's is ${entry.recipeHash} (a result of another commit); ignored`
        );
        continue;
      }
      const other = chosen.get(image.name);
      if (other === void 0 || rank(image) > rank(other.image))
        chosen.set(image.name, { image, file });
    }
  }
  const outcomes = /* @__PURE__ */ new Map();
  const images = plan.images.map((entry) => {
    const found = chosen.get(entry.name)?.image;
    if (found !== void 0 && (entry.action === "build" || found.state === "done")) {
      outcomes.set(entry.name, toOutcome(found));
      if (entry.action === "build") return entry;
      return { ...entry, action: "build" };
    }
    if (entry.action === "build") {
      outcomes.set(entry.name, {
        state: "failed",
        error: "its build job left no result (it failed before building, or was cancelled)"
      });
    }
    return entry;
  });
  return { plan: { ...plan, images }, outcomes, notes };
}
function rank(image) {
  return (image.state === "done" ? 2e13 : 0) + (Date.parse(image.finishedAt ?? "") || 0);
}
function toOutcome(image) {
  const outcome = { state: image.state };
  if (image.digest !== void 0) outcome.digest = image.digest;
  if (image.finishedAt !== void 0) outcome.finishedAt = image.finishedAt;
  if (image.log !== void 0) outcome.logFile = image.log;
  if (image.error !== void 0) outcome.error = image.error;
  if (image.logUrl !== void 0) outcome.logUrl = image.logUrl;
  const facts = readFacts(image.facts);
  if (facts !== void 0) outcome.facts = facts;
  return outcome;
}
function readFacts(value) {
  if (!isRecord(value)) return void 0;
  const count = (n) => Number.isSafeInteger(n) && n >= 0;
  const facts = {};
  if (isRecord(value.size)) {
    const size = {};
    if (count(value.size.compressed)) size.compressed = value.size.compressed;
    if (count(value.size.unpacked)) size.unpacked = value.size.unpacked;
    facts.size = size;
  }
  const installed = value.installed;
  if (isRecord(installed) && count(installed.apt) && count(installed.conda) && count(installed.pip))
    facts.installed = { apt: installed.apt, conda: installed.conda, pip: installed.pip };
  if (typeof value.sbom === "string" && /^sha256:[0-9a-f]{64}$/.test(value.sbom))
    facts.sbom = value.sbom;
  return Object.keys(facts).length > 0 ? facts : void 0;
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
export {
  buildResult,
  mergeResults,
  readResults,
  writeResultFile
};
