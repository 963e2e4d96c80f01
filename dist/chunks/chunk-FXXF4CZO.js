#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  backoffDelay,
  sleep
} from "./chunk-MV6IGXHU.js";

// src/builders/types.ts
function phaseOfStep(instruction) {
  if (/^FROM\b/i.test(instruction)) return "pulling";
  if (!/^RUN\b/i.test(instruction)) return void 0;
  if (/\bapt-get\b/.test(instruction)) return "apt";
  if (/\bconda install\b/.test(instruction)) return "conda";
  if (/\bpip install\b/.test(instruction)) return "pip";
  return "building";
}
function isTransientFailure(output) {
  return TRANSIENT.test(output) || /sealing memfd copy: Device or resource busy/.test(output);
}
var KILL_GRACE_MS = 600;
var DEFAULT_RETRIES = 3;
var DEFAULT_RETRY_BASE_MS = 1e3;
var RETRY_MAX_MS = 8e3;
async function retryTransient(attempt, options) {
  const retries = Math.max(0, options.retries ?? DEFAULT_RETRIES);
  const { request } = options;
  for (let tries = 0; ; tries++) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (!(error instanceof BuildError) || error.cancelled || tries >= retries || !isTransientFailure(error.output))
        throw error;
      const wait = backoffDelay(tries, options.baseMs ?? DEFAULT_RETRY_BASE_MS, RETRY_MAX_MS);
      request.log(
        `imagesmith: ${error.message}; trying again in ${(wait / 1e3).toFixed(1)} s (attempt ${tries + 2} of ${retries + 1})`
      );
      try {
        await sleep(wait, request.signal);
      } catch {
        throw new BuildError(`${error.message.replace(/ failed\b.*/, "")} cancelled`, true);
      }
    }
  }
}
var TRANSIENT = /\b(?:500|502|503|504|429)\b|Service Unavailable|Bad Gateway|Gateway Time-?out|Internal Server Error|Too Many Requests|connection reset|broken pipe|unexpected EOF|: EOF\b|i\/o timeout|TLS handshake timeout|connection refused|Client\.Timeout|timeout awaiting|temporary failure in name resolution/i;
var BuildError = class extends Error {
  constructor(message, cancelled, options) {
    super(message, options);
    this.cancelled = cancelled;
    this.name = "BuildError";
    this.output = options?.output ?? "";
  }
  cancelled;
  stage = "build";
  /** The last lines the tool printed (secrets blanked), for telling a transient failure. */
  output;
};
var WRAP_UP_LINES = [
  /^subprocess exited/i,
  /^(?:Error: )?(?:error )?building at STEP/i,
  /^ERROR: failed to solve/i,
  /^ERROR: process .* did not complete successfully/i,
  /^-{4,}$/
];
var ERROR_LINE = /^(?:E:|ERROR\b|Error\b|error\b|fatal\b|FATAL\b|[A-Za-z]*(?:Error|Exception)\b|Unable to|Could not|No matching distribution)/;
var BUILDKIT_PREFIX = /^(?:#\d+\s+)?(?:\d+\.\d+\s+)?/;
var MAX_LINE = 300;
function failureLine(output) {
  const lines = output.split("\n").map((line2) => line2.replace(BUILDKIT_PREFIX, "").trim()).filter((line2) => line2 !== "");
  const wrapUp = (line2) => WRAP_UP_LINES.some((pattern) => pattern.test(line2));
  const found = lines.findLast((line2) => ERROR_LINE.test(line2) && !wrapUp(line2)) ?? lines.findLast((line2) => /error/i.test(line2)) ?? lines[lines.length - 1] ?? "";
  const line = found.replace(/^Error:\s*/, "");
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}\u2026` : line;
}
function buildErrorFrom(error, doing, details) {
  if (details.cancelled) return new BuildError(`${doing} cancelled`, true, { cause: error });
  const output = details.output ?? "";
  const line = output ? failureLine(output) : "";
  if (details.exitCode === void 0) {
    const why = error instanceof Error ? error.message : String(error);
    return new BuildError(`${doing} failed: ${line || why}`, false, { cause: error, output });
  }
  return new BuildError(
    `${doing} failed (exit ${details.exitCode})${line ? `: ${line}` : ""}`,
    false,
    { cause: error, output }
  );
}

export {
  phaseOfStep,
  KILL_GRACE_MS,
  retryTransient,
  BuildError,
  failureLine,
  buildErrorFrom
};
