#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  BuildError
} from "./chunk-FXXF4CZO.js";
import "./chunk-MV6IGXHU.js";
import {
  redact
} from "./chunk-LIJCRL7V.js";
import "./chunk-XML4HPHG.js";

// src/stages/build/index.ts
import { constants, createWriteStream, openSync } from "node:fs";
import { Writable } from "node:stream";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
var DEFAULT_JOBS = 2;
async function runBuilds(jobs, options) {
  const names = /* @__PURE__ */ new Set();
  for (const job of jobs) {
    if (names.has(job.name)) throw new Error(`build job "${job.name}" is listed twice`);
    names.add(job.name);
  }
  const limit = Math.max(1, Math.floor(options.jobs || DEFAULT_JOBS));
  const secrets = options.secrets ?? [];
  const { signal } = options;
  const logFiles = new Map(
    jobs.map((job) => [job.name, join(options.logDir, job.logName ?? `${job.name}.log`)])
  );
  for (const dir of /* @__PURE__ */ new Set([options.logDir, ...[...logFiles.values()].map((f) => dirname(f))]))
    await mkdir(dir, { recursive: true });
  const outcomes = /* @__PURE__ */ new Map();
  const skippedBecause = /* @__PURE__ */ new Map();
  const running = /* @__PURE__ */ new Map();
  let waiting = [...jobs];
  const logFile = (name) => logFiles.get(name) ?? join(options.logDir, `${name}.log`);
  const progress = (name, state, seconds) => options.onProgress?.(name, state, seconds);
  for (const job of jobs) progress(job.name, "queued", 0);
  function blocker(job) {
    for (const parent of job.dependsOn) {
      const outcome = outcomes.get(parent);
      if (!names.has(parent) || !outcome || outcome.state === "done") continue;
      if (outcome.state === "skipped") {
        return { parent, rootCause: skippedBecause.get(parent) ?? "", direct: false };
      }
      const did = outcome.state === "failed" ? "failed" : "was cancelled";
      return { parent, rootCause: `${parent} ${did}`, direct: true };
    }
    return void 0;
  }
  function ready(job) {
    return job.dependsOn.every(
      (parent) => !names.has(parent) || outcomes.get(parent)?.state === "done"
    );
  }
  function start(job) {
    const run = runOne(job, options, logFile(job.name), secrets, progress).then((outcome) => {
      outcomes.set(job.name, outcome);
      running.delete(job.name);
    });
    running.set(job.name, run);
  }
  async function finishEarly(job, state, reason) {
    const file = logFile(job.name);
    await writeLog(file, `imagesmith: ${job.name} ${state}: ${reason}
`);
    outcomes.set(job.name, { name: job.name, state, reason, logFile: file });
    progress(job.name, state, 0);
  }
  const aborted = new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
  while (waiting.length > 0 || running.size > 0) {
    if (signal.aborted) {
      for (const job of waiting) await finishEarly(job, "cancelled", "cancelled before it started");
      waiting = [];
    }
    let changed = true;
    while (changed && !signal.aborted) {
      changed = false;
      for (const job of [...waiting]) {
        const blocked = blocker(job);
        if (blocked) {
          const reason = blocked.direct ? `parent ${blocked.rootCause}` : `parent ${blocked.parent} was skipped (${blocked.rootCause})`;
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
      for (const job of waiting) {
        await finishEarly(
          job,
          "skipped",
          `dependency cycle among ${waiting.map((j) => j.name).join(", ")}`
        );
      }
      waiting = [];
      continue;
    }
    await Promise.race(signal.aborted ? running.values() : [...running.values(), aborted]);
  }
  return jobs.map((job) => outcomes.get(job.name));
}
async function runOne(job, options, file, secrets, progress) {
  const { name } = job;
  const log = openLog(file);
  const started = Date.now();
  const elapsed = () => Math.round((Date.now() - started) / 100) / 10;
  const line = (text) => {
    const clean = redact(text, secrets);
    log.stream.write(`${clean}
`);
    options.output?.(`[${name}] ${clean}`);
  };
  const timing = () => ({
    startedAt: new Date(started).toISOString(),
    finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
    seconds: elapsed()
  });
  progress(name, "building", 0);
  line(`imagesmith: building ${name} as ${job.request.ref} with ${options.builder.name}`);
  let phase = "building";
  let outcome;
  try {
    const result = await options.builder.build({
      ...job.request,
      log: line,
      signal: options.signal,
      onPhase: (next) => {
        if (next === phase) return;
        phase = next;
        progress(name, next, elapsed());
      }
    });
    line(
      result.digest === void 0 ? `imagesmith: built ${job.request.ref} (not pushed)` : `imagesmith: pushed ${job.request.ref}@${result.digest}`
    );
    outcome = {
      name,
      state: "done",
      ...result.digest === void 0 ? {} : { digest: result.digest },
      logFile: file,
      ...result.warnings?.length ? { warnings: result.warnings } : {},
      ...timing()
    };
  } catch (error) {
    const cancelled = options.signal.aborted || error instanceof BuildError && error.cancelled;
    const message = cancelled ? `build cancelled after ${elapsed()}s` : oneLine(redact(error instanceof Error ? error.message : String(error), secrets));
    line(`imagesmith: ${message}`);
    outcome = {
      name,
      state: cancelled ? "cancelled" : "failed",
      error: `${message}; see ${file}`,
      logFile: file,
      ...timing()
    };
  }
  await log.close();
  progress(name, outcome.state, outcome.seconds ?? elapsed());
  return outcome;
}
function openLog(file) {
  let fd;
  try {
    fd = openSync(
      file,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
      420
    );
  } catch {
  }
  const stream = fd === void 0 ? new Writable({ write: (_chunk, _encoding, done) => done() }) : createWriteStream(file, { fd });
  let failed = fd === void 0;
  stream.on("error", () => {
    failed = true;
  });
  return {
    stream,
    close: () => new Promise((resolve) => {
      if (failed || stream.destroyed) {
        resolve();
        return;
      }
      stream.end(() => resolve());
    })
  };
}
async function writeLog(file, text) {
  const log = openLog(file);
  log.stream.write(text);
  await log.close();
}
function oneLine(text) {
  return text.replace(/\s*\n\s*/g, " / ").trim();
}
export {
  runBuilds
};
