/** `run --format json` and `build --format json`: what a script needs to know about the job. */
import type { RunResult } from "../pipeline.js";

export interface RunJson {
  /** False when the catalog is invalid: then `problems` says why and nothing ran. */
  valid: boolean;
  problems?: { file: string; line: number; column: number; rule: string; message: string }[];
  /** Per action, how many images (absent when nothing was planned). */
  summary?: Record<string, number>;
  planErrors?: { image: string; file?: string; message: string }[];
  builds: {
    name: string;
    state: string;
    digest?: string;
    error?: string;
    reason?: string;
    warnings?: string[];
    seconds?: number;
    log: string;
  }[];
  cancelled: boolean;
  /** What was published: the checkout's copy, the artifact's digest, or that nothing changed. */
  published?: { catalogFile?: string; artifactDigest?: string; unchanged: boolean };
}

export function formatRunJson(result: RunResult, published: boolean): string {
  const json: RunJson = {
    valid: result.validation.valid,
    builds: (result.outcomes ?? []).map((outcome) => ({
      name: outcome.name,
      state: outcome.state,
      ...(outcome.digest ? { digest: outcome.digest } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.warnings?.length ? { warnings: outcome.warnings } : {}),
      ...(outcome.seconds === undefined ? {} : { seconds: outcome.seconds }),
      log: outcome.logFile,
    })),
    cancelled: result.cancelled === true,
  };
  if (!result.validation.valid)
    json.problems = result.validation.problems.map((p) => ({
      file: p.file,
      line: p.line,
      column: p.column,
      rule: p.rule,
      message: p.message,
    }));
  if (result.plan) {
    json.summary = { ...result.plan.summary };
    if (result.plan.errors.length > 0) json.planErrors = result.plan.errors;
  }
  if (published && (result.catalogFile || result.artifactDigest))
    json.published = {
      ...(result.catalogFile ? { catalogFile: result.catalogFile } : {}),
      ...(result.artifactDigest ? { artifactDigest: result.artifactDigest } : {}),
      unchanged: result.unchanged === true,
    };
  return JSON.stringify(json, null, 2);
}

/** What a publish did, in one line: "published <file> and the catalog artifact <digest>", or nothing. */
export function publishedLine(result: RunResult): string {
  if (result.unchanged)
    return `nothing to publish: the published catalog ${result.artifactDigest ?? ""} already serves all of it`;
  return `published ${result.catalogFile ?? "the catalog"}${result.artifactDigest ? ` and the catalog artifact ${result.artifactDigest}` : ""}`;
}
