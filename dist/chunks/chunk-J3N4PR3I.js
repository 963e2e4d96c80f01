#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

// src/report/run.ts
function formatRunJson(result, published) {
  const json = {
    valid: result.validation.valid,
    builds: (result.outcomes ?? []).map((outcome) => ({
      name: outcome.name,
      state: outcome.state,
      ...outcome.digest ? { digest: outcome.digest } : {},
      ...outcome.error ? { error: outcome.error } : {},
      ...outcome.reason ? { reason: outcome.reason } : {},
      ...outcome.warnings?.length ? { warnings: outcome.warnings } : {},
      ...outcome.seconds === void 0 ? {} : { seconds: outcome.seconds },
      log: outcome.logFile
    })),
    cancelled: result.cancelled === true
  };
  if (!result.validation.valid)
    json.problems = result.validation.problems.map((p) => ({
      file: p.file,
      line: p.line,
      column: p.column,
      rule: p.rule,
      message: p.message
    }));
  if (result.plan) {
    json.summary = { ...result.plan.summary };
    if (result.plan.errors.length > 0) json.planErrors = result.plan.errors;
  }
  if (published && (result.catalogFile || result.artifactDigest))
    json.published = {
      ...result.catalogFile ? { catalogFile: result.catalogFile } : {},
      ...result.artifactDigest ? { artifactDigest: result.artifactDigest } : {},
      unchanged: result.unchanged === true
    };
  return JSON.stringify(json, null, 2);
}
function publishedLine(result) {
  if (result.unchanged)
    return `nothing to publish: the published catalog ${result.artifactDigest ?? ""} already serves all of it`;
  return `published ${result.catalogFile ?? "the catalog"}${result.artifactDigest ? ` and the catalog artifact ${result.artifactDigest}` : ""}`;
}

export {
  formatRunJson,
  publishedLine
};
