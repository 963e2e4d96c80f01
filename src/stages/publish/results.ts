/**
 * Build results: what one build job (a matrix unit on its own runner) reports, and how the publish
 * job merges many of them into one catalog. A result file is plain JSON, small, and names the
 * recipe each outcome belongs to, so a result left over from another commit is never mistaken for
 * this one's.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { InputError } from "../../errors.js";
import type { Plan, PlannedImage } from "../plan/index.js";
import { type WriteOptions, writeFileAtomic } from "../../workdir.js";
import type { BuildFacts } from "../../catalog/index.js";
import type { ImageOutcome, OutcomeState } from "./index.js";

export interface BuildResult {
  apiVersion: "imagesmith/v1";
  kind: "BuildResult";
  /** The matrix unit that wrote it, when it was one. */
  unit?: string;
  source: { repo?: string; commit?: string };
  images: ResultImage[];
}

export interface ResultImage {
  name: string;
  /** The recipe that was built: an outcome only counts for the same recipe. */
  recipeHash: string;
  state: OutcomeState;
  digest?: string;
  finishedAt?: string;
  /** failed: one line saying why; skipped or cancelled before starting: the reason. */
  error?: string;
  /** The build log, relative to the catalog root (on the runner that built it). */
  log?: string;
  /** Where the log can be read: the CI run that built it. */
  logUrl?: string;
  /** done: its size, package counts and SBOM. */
  facts?: BuildFacts;
}

const STATES: readonly OutcomeState[] = ["done", "failed", "cancelled", "skipped"];

/** One outcome as the build stage reports it (BuildOutcome fits this shape). */
export interface ReportedOutcome {
  name: string;
  state: OutcomeState;
  digest?: string;
  error?: string;
  reason?: string;
  logFile?: string;
  finishedAt?: string;
  facts?: BuildFacts;
}

/** The result file of one build job: an entry for every image it was asked to build. */
export function buildResult(input: {
  plan: Plan;
  outcomes: readonly ReportedOutcome[];
  root: string;
  source: { repo?: string; commit?: string };
  unit?: string;
  logUrl?: string;
}): BuildResult {
  const recipes = new Map(input.plan.images.map((entry) => [entry.name, entry.recipeHash]));
  const images: ResultImage[] = [];
  for (const outcome of input.outcomes) {
    const recipeHash = recipes.get(outcome.name);
    if (!recipeHash) continue;
    const image: ResultImage = { name: outcome.name, recipeHash, state: outcome.state };
    if (outcome.digest !== undefined) image.digest = outcome.digest;
    if (outcome.finishedAt !== undefined) image.finishedAt = outcome.finishedAt;
    if (outcome.facts !== undefined) image.facts = outcome.facts;
    const log = outcome.logFile ? relative(input.root, outcome.logFile) : undefined;
    let error = outcome.error ?? outcome.reason;
    // The build stage ends its error with the absolute log path, which means nothing elsewhere.
    if (error && outcome.logFile && error.endsWith(`; see ${outcome.logFile}`))
      error = error.slice(0, -`; see ${outcome.logFile}`.length);
    if (error) image.error = error;
    if (log && !log.startsWith("..")) image.log = log.split("\\").join("/");
    if (input.logUrl) image.logUrl = input.logUrl;
    images.push(image);
  }
  const source: BuildResult["source"] = {};
  if (input.source.repo) source.repo = input.source.repo;
  if (input.source.commit) source.commit = input.source.commit;
  return {
    apiVersion: "imagesmith/v1",
    kind: "BuildResult",
    ...(input.unit ? { unit: input.unit } : {}),
    source,
    images,
  };
}

export async function writeResultFile(
  path: string,
  result: BuildResult,
  options: WriteOptions = {},
): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(result, null, 2) + "\n", options);
}

/**
 * Every result file under `dir`, subfolders included (a downloaded artifact is a folder of its
 * own). An unreadable or malformed file is an InputError naming it: a result must not be lost
 * quietly, or its images would be published as never built.
 */
export async function readResults(dir: string): Promise<{ file: string; result: BuildResult }[]> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new InputError(`cannot read the build results in ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const results: { file: string; result: BuildResult }[] = [];
  for (const file of entries) {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      throw new InputError(`the build result ${file} is not JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const problem = resultProblem(data);
    if (problem !== undefined)
      throw new InputError(`the build result ${file} cannot be used: ${problem}`);
    results.push({ file, result: data as BuildResult });
  }
  return results;
}

function resultProblem(data: unknown): string | undefined {
  if (!isRecord(data) || data.kind !== "BuildResult" || data.apiVersion !== "imagesmith/v1")
    return 'it is not an imagesmith build result (apiVersion "imagesmith/v1", kind "BuildResult")';
  if (!Array.isArray(data.images)) return "it has no images list";
  for (const [index, image] of data.images.entries()) {
    if (!isRecord(image)) return `/images/${index} is not an object`;
    if (typeof image.name !== "string" || image.name === "")
      return `/images/${index}/name is missing`;
    if (typeof image.recipeHash !== "string") return `/images/${index}/recipeHash is missing`;
    if (!STATES.includes(image.state as OutcomeState))
      return `/images/${index}/state is ${JSON.stringify(image.state)}, not one of ${STATES.join(", ")}`;
    if (image.state === "done" && !/^sha256:[0-9a-f]{64}$/.test(String(image.digest)))
      return `/images/${index}/digest: a done build needs its sha256 digest`;
  }
  return undefined;
}

export interface MergedResults {
  /** The plan with every image a result speaks for (or should have) marked as a build. */
  plan: Plan;
  outcomes: Map<string, ImageOutcome>;
  /** Results that were not used, and why, for the log. */
  notes: string[];
}

/**
 * Joins the publish job's plan with the build jobs' results. The plan, made after the builds,
 * sees what reached the registry; the results say how each build ended and when. An image the
 * plan still has to build with no result for its recipe is failed ("left no result"), so it keeps
 * its last good url; a result for another recipe (another commit's) is ignored.
 */
export function mergeResults(
  plan: Plan,
  results: readonly { file: string; result: BuildResult }[],
): MergedResults {
  const notes: string[] = [];
  const planned = new Map(plan.images.map((entry) => [entry.name, entry]));
  const chosen = new Map<string, { image: ResultImage; file: string }>();
  for (const { file, result } of results) {
    for (const image of result.images) {
      const entry = planned.get(image.name);
      if (entry === undefined || entry.recipeHash === null || entry.action === "remove") {
        notes.push(`${file}: ${image.name} is not an image this catalog builds; ignored`);
        continue;
      }
      if (image.recipeHash !== entry.recipeHash) {
        notes.push(
          `${file}: ${image.name} was built from recipe ${image.recipeHash}, the catalog's is ${entry.recipeHash} (a result of another commit); ignored`,
        );
        continue;
      }
      const other = chosen.get(image.name);
      // Two results for one recipe (a re-run job): a finished build wins, then the later one.
      if (other === undefined || rank(image) > rank(other.image))
        chosen.set(image.name, { image, file });
    }
  }

  const outcomes = new Map<string, ImageOutcome>();
  const images: PlannedImage[] = plan.images.map((entry) => {
    const found = chosen.get(entry.name)?.image;
    if (found !== undefined && (entry.action === "build" || found.state === "done")) {
      outcomes.set(entry.name, toOutcome(found));
      if (entry.action === "build") return entry;
      // Built by a job, so now in the registry: publish it from its result (digest, time, log).
      return { ...entry, action: "build" as const };
    }
    if (entry.action === "build") {
      outcomes.set(entry.name, {
        state: "failed",
        error: "its build job left no result (it failed before building, or was cancelled)",
      });
    }
    return entry;
  });
  return { plan: { ...plan, images }, outcomes, notes };
}

function rank(image: ResultImage): number {
  return (image.state === "done" ? 2e13 : 0) + (Date.parse(image.finishedAt ?? "") || 0);
}

function toOutcome(image: ResultImage): ImageOutcome {
  const outcome: ImageOutcome = { state: image.state };
  if (image.digest !== undefined) outcome.digest = image.digest;
  if (image.finishedAt !== undefined) outcome.finishedAt = image.finishedAt;
  if (image.log !== undefined) outcome.logFile = image.log;
  if (image.error !== undefined) outcome.error = image.error;
  if (image.logUrl !== undefined) outcome.logUrl = image.logUrl;
  const facts = readFacts(image.facts);
  if (facts !== undefined) outcome.facts = facts;
  return outcome;
}

/**
 * The facts of a result, keeping only what the catalog schema takes (counts and sizes that are
 * whole numbers, an sha256 digest): a result file is another job's output, and a malformed fact
 * must not stop the catalog from being published.
 */
function readFacts(value: unknown): BuildFacts | undefined {
  if (!isRecord(value)) return undefined;
  const count = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  const facts: BuildFacts = {};
  if (isRecord(value.size)) {
    const size: NonNullable<BuildFacts["size"]> = {};
    if (count(value.size.compressed)) size.compressed = value.size.compressed;
    if (count(value.size.unpacked)) size.unpacked = value.size.unpacked;
    facts.size = size;
  }
  const installed = value.installed;
  if (isRecord(installed) && count(installed.apt) && count(installed.conda) && count(installed.pip))
    facts.installed = { apt: installed.apt, conda: installed.conda, pip: installed.pip };
  if (typeof value.sbom === "string" && /^sha256:[0-9a-f]{64}$/.test(value.sbom))
    facts.sbom = value.sbom;
  return Object.keys(facts).length > 0 ? facts : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
