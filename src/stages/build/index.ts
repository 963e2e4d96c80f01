/**
 * The build stage: runs the plan's builds through a Builder, parents before children, independent
 * images side by side, each with its own log file, and records how each one ended.
 */
import { constants, createWriteStream, openSync } from "node:fs";
import { Writable } from "node:stream";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  BuildError,
  type Builder,
  type BuildPhase,
  type BuildRequest,
} from "../../builders/types.js";
import type { BuildFacts } from "../../catalog/types.js";
import { redact } from "../../exec.js";

export interface BuildJob {
  name: string;
  /** Images this one builds on; only those in the same job list are waited for. */
  dependsOn: string[];
  request: Omit<BuildRequest, "log" | "signal" | "onPhase">;
  /** The log file under `logDir` (default `<name>.log`); the pipeline gives each recipe its own. */
  logName?: string;
}

/** Where a build is: queued, one of the builder's phases (pulling, apt, pip, pushing...), or how it ended. */
export type BuildState = "queued" | BuildPhase | "done" | "failed" | "cancelled" | "skipped";

export interface BuildOutcome {
  name: string;
  state: "done" | "failed" | "cancelled" | "skipped";
  /** done: the pushed manifest's digest (absent when the build pushed nothing). */
  digest?: string;
  /** failed (and cancelled): one line, ending with the log file to read. */
  error?: string;
  /** skipped: why, e.g. "parent nlp failed"; cancelled before it started: that. */
  reason?: string;
  /** done: what went wrong without failing the image (the layer cache not updated). */
  warnings?: string[];
  /** done: its size, package counts and SBOM, once they are known (see the pipeline). */
  facts?: BuildFacts;
  logFile: string;
  startedAt?: string;
  finishedAt?: string;
  seconds?: number;
}

export interface RunBuildsOptions {
  builder: Builder;
  /** Builds at once (default 2). */
  jobs: number;
  /** Where `<name>.log` files go; created when missing. */
  logDir: string;
  /** Aborting cancels running builds and everything still queued. */
  signal: AbortSignal;
  /** One call per state change, e.g. ("ds", "building", 12.3): seconds since the build started. */
  onProgress?(name: string, state: BuildState, elapsedSeconds: number): void;
  /** Live output, each line already prefixed "[name] ". */
  output?(line: string): void;
  /** Values blanked out of every log line, log file and error message (passwords, tokens). */
  secrets?: readonly string[];
}

const DEFAULT_JOBS = 2;

/** Why a job cannot run: a parent in this run that did not end done. */
interface Blocker {
  parent: string;
  /** What the root of the chain did: "nlp failed", "nlp was cancelled". */
  rootCause: string;
  direct: boolean;
}

/**
 * Runs the builds in dependency order, at most `jobs` at a time. A failed build does not stop the
 * others; its descendants are skipped. Aborting `signal` cancels the running builds (the builder
 * stops their processes) and the queued ones, and resolves once every process is gone: this
 * function never rejects for a build's sake. Outcomes come back in the order of `jobs`.
 */
export async function runBuilds(
  jobs: BuildJob[],
  options: RunBuildsOptions,
): Promise<BuildOutcome[]> {
  const names = new Set<string>();
  for (const job of jobs) {
    if (names.has(job.name)) throw new Error(`build job "${job.name}" is listed twice`);
    names.add(job.name);
  }
  const limit = Math.max(1, Math.floor(options.jobs || DEFAULT_JOBS));
  const secrets = options.secrets ?? [];
  const { signal } = options;
  const logFiles = new Map(
    jobs.map((job) => [job.name, join(options.logDir, job.logName ?? `${job.name}.log`)]),
  );
  for (const dir of new Set([options.logDir, ...[...logFiles.values()].map((f) => dirname(f))]))
    await mkdir(dir, { recursive: true });

  const outcomes = new Map<string, BuildOutcome>();
  /** Root causes of skipped jobs, so their children can name them. */
  const skippedBecause = new Map<string, string>();
  const running = new Map<string, Promise<void>>();
  let waiting = [...jobs];
  const logFile = (name: string): string =>
    logFiles.get(name) ?? join(options.logDir, `${name}.log`);
  const progress = (name: string, state: BuildState, seconds: number): void =>
    options.onProgress?.(name, state, seconds);

  for (const job of jobs) progress(job.name, "queued", 0);

  function blocker(job: BuildJob): Blocker | undefined {
    for (const parent of job.dependsOn) {
      const outcome = outcomes.get(parent);
      if (!names.has(parent) || !outcome || outcome.state === "done") continue;
      if (outcome.state === "skipped") {
        return { parent, rootCause: skippedBecause.get(parent) ?? "", direct: false };
      }
      const did = outcome.state === "failed" ? "failed" : "was cancelled";
      return { parent, rootCause: `${parent} ${did}`, direct: true };
    }
    return undefined;
  }

  function ready(job: BuildJob): boolean {
    return job.dependsOn.every(
      (parent) => !names.has(parent) || outcomes.get(parent)?.state === "done",
    );
  }

  function start(job: BuildJob): void {
    const run = runOne(job, options, logFile(job.name), secrets, progress).then((outcome) => {
      outcomes.set(job.name, outcome);
      running.delete(job.name);
    });
    running.set(job.name, run);
  }

  async function finishEarly(
    job: BuildJob,
    state: "skipped" | "cancelled",
    reason: string,
  ): Promise<void> {
    const file = logFile(job.name);
    // Replaces the log of an earlier run, which would otherwise pass for this one's.
    await writeLog(file, `imagesmith: ${job.name} ${state}: ${reason}\n`);
    outcomes.set(job.name, { name: job.name, state, reason, logFile: file });
    progress(job.name, state, 0);
  }

  const aborted = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });

  while (waiting.length > 0 || running.size > 0) {
    if (signal.aborted) {
      for (const job of waiting) await finishEarly(job, "cancelled", "cancelled before it started");
      waiting = [];
    }
    // Skipping one job can block the next: go round until nothing changes.
    let changed = true;
    while (changed && !signal.aborted) {
      changed = false;
      for (const job of [...waiting]) {
        const blocked = blocker(job);
        if (blocked) {
          const reason = blocked.direct
            ? `parent ${blocked.rootCause}`
            : `parent ${blocked.parent} was skipped (${blocked.rootCause})`;
          skippedBecause.set(job.name, blocked.rootCause);
          waiting = waiting.filter((other) => other !== job);
          await finishEarly(job, "skipped", reason);
          changed = true;
        } else if (running.size < limit && ready(job)) {
          waiting = waiting.filter((other) => other !== job);
          start(job);
          changed = true;
        }
      }
    }
    if (running.size === 0) {
      if (waiting.length === 0 || signal.aborted) continue;
      // Nothing runs and nothing can start: the rest wait on each other.
      for (const job of waiting) {
        await finishEarly(
          job,
          "skipped",
          `dependency cycle among ${waiting.map((j) => j.name).join(", ")}`,
        );
      }
      waiting = [];
      continue;
    }
    await Promise.race(signal.aborted ? running.values() : [...running.values(), aborted]);
  }

  return jobs.map((job) => outcomes.get(job.name) as BuildOutcome);
}

/** Runs one build with its log file; never rejects. */
async function runOne(
  job: BuildJob,
  options: RunBuildsOptions,
  file: string,
  secrets: readonly string[],
  progress: (name: string, state: BuildState, seconds: number) => void,
): Promise<BuildOutcome> {
  const { name } = job;
  const log = openLog(file);
  const started = Date.now();
  const elapsed = (): number => Math.round((Date.now() - started) / 100) / 10;
  const line = (text: string): void => {
    const clean = redact(text, secrets);
    log.stream.write(`${clean}\n`);
    options.output?.(`[${name}] ${clean}`);
  };
  const timing = (): Pick<BuildOutcome, "startedAt" | "finishedAt" | "seconds"> => ({
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    seconds: elapsed(),
  });

  progress(name, "building", 0);
  line(`imagesmith: building ${name} as ${job.request.ref} with ${options.builder.name}`);
  let phase: BuildState = "building";
  let outcome: BuildOutcome;
  try {
    const result = await options.builder.build({
      ...job.request,
      log: line,
      signal: options.signal,
      onPhase: (next) => {
        if (next === phase) return;
        phase = next;
        progress(name, next, elapsed());
      },
    });
    line(
      result.digest === undefined
        ? `imagesmith: built ${job.request.ref} (not pushed)`
        : `imagesmith: pushed ${job.request.ref}@${result.digest}`,
    );
    outcome = {
      name,
      state: "done",
      ...(result.digest === undefined ? {} : { digest: result.digest }),
      logFile: file,
      ...(result.warnings?.length ? { warnings: result.warnings } : {}),
      ...timing(),
    };
  } catch (error) {
    const cancelled = options.signal.aborted || (error instanceof BuildError && error.cancelled);
    const message = cancelled
      ? `build cancelled after ${elapsed()}s`
      : oneLine(redact(error instanceof Error ? error.message : String(error), secrets));
    line(`imagesmith: ${message}`);
    outcome = {
      name,
      state: cancelled ? "cancelled" : "failed",
      error: `${message}; see ${file}`,
      logFile: file,
      ...timing(),
    };
  }
  await log.close();
  progress(name, outcome.state, outcome.seconds ?? elapsed());
  return outcome;
}

interface LogFile {
  stream: Writable;
  close(): Promise<void>;
}

/**
 * A log file, truncated, written as lines come (a write stream hands each line to the OS without
 * waiting for more). A file that cannot be written never fails the build: the lines still go to
 * `output`.
 */
function openLog(file: string): LogFile {
  let fd: number | undefined;
  try {
    // Never through a symlink standing where the log goes.
    fd = openSync(
      file,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
      0o644,
    );
  } catch {
    // Unwritable: the lines still go to `output`.
  }
  const stream: Writable =
    fd === undefined
      ? new Writable({ write: (_chunk, _encoding, done) => done() })
      : createWriteStream(file, { fd });
  let failed = fd === undefined;
  stream.on("error", () => {
    failed = true;
  });
  return {
    stream,
    close: () =>
      new Promise<void>((resolve) => {
        if (failed || stream.destroyed) {
          resolve();
          return;
        }
        stream.end(() => resolve());
      }),
  };
}

async function writeLog(file: string, text: string): Promise<void> {
  const log = openLog(file);
  log.stream.write(text);
  await log.close();
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " / ").trim();
}
