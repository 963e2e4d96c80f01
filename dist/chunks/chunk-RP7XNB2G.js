#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

// src/builders/types.ts
var BuildError = class extends Error {
  constructor(message, cancelled, options) {
    super(message, options);
    this.cancelled = cancelled;
    this.name = "BuildError";
  }
  cancelled;
  stage = "build";
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
  const line = details.output ? failureLine(details.output) : "";
  if (details.exitCode === void 0) {
    const why = error instanceof Error ? error.message : String(error);
    return new BuildError(`${doing} failed: ${line || why}`, false, { cause: error });
  }
  return new BuildError(
    `${doing} failed (exit ${details.exitCode})${line ? `: ${line}` : ""}`,
    false,
    { cause: error }
  );
}

export {
  BuildError,
  buildErrorFrom
};
