/**
 * What the Action reports on GitHub, and how: the job log (log groups, annotations, every line
 * made safe from workflow commands), step outputs, the job summary and the pull request's sticky
 * comment. The door (src/action.ts) calls the pipeline and hands the result here; the texts
 * themselves come from src/report/, as the CLI's do.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as core from "@actions/core";
import type { Inputs } from "../action.js";
import type { Problem } from "../model.js";
import { WORK_DIR } from "../paths.js";
import type {
  DoctorCheck,
  PlanResult,
  RunResult,
  SiteResult,
  SyncResult,
  ValidationResult,
  VerifyResult,
} from "../pipeline.js";
import {
  formatProblem,
  formatValidationMarkdown,
  problemCounts,
  validLine,
} from "../report/catalog.js";
import { escapeMarkdown, inlineCode } from "../report/markdown.js";
import { publishedLine } from "../report/run.js";
import { changedImages, formatMatrix, hasChanges } from "../report/matrix.js";
import { buildMarkdown, catalogMarkdown, pinnedReferences } from "../report/summary.js";
import type { BuildOutcome, BuildState } from "../stages/build/index.js";
import type { Plan, PlannedImage } from "../stages/plan/index.js";
import { writeFileAtomic } from "../workdir.js";
import { annotationsFor, cappedNotice } from "./annotations.js";
import { COMMENT_LIMIT, planMarker, upsertComment } from "./comment.js";
import type { EventPolicy } from "./event.js";
import { runnerSafe } from "./log.js";
import { commentsPort } from "./rest.js";

/** What a report needs of the step: its inputs, the event's policy, the catalog root, the environment. */
export interface ReportContext {
  inputs: Pick<Inputs, "root" | "comment" | "githubToken" | "maxUnits">;
  policy: EventPolicy;
  /** The repository's checkout, which annotation paths are relative to. */
  workspace: string;
  root: string;
  env: NodeJS.ProcessEnv;
}

/** A log line: text a pull request controls (build output, its file names) never reads as a command. */
export function info(text: string): void {
  core.info(runnerSafe(text));
}

/** Lines of a failed image's build log shown in the job log, in a group of its own. */
const LOG_TAIL_LINES = 40;

/** The end of a failed image's build log, folded in a group: what a person reads first. */
async function logTail(outcome: BuildOutcome): Promise<void> {
  const text = await readFile(outcome.logFile, "utf8").catch(() => "");
  if (!text) return;
  const lines = text.trimEnd().split("\n").slice(-LOG_TAIL_LINES);
  core.startGroup(runnerSafe(`${outcome.name}: the last ${lines.length} lines of its build log`));
  for (const line of lines) info(line);
  core.endGroup();
}

/** A GitHub job summary holds at most 1 MiB per step. */
const SUMMARY_LIMIT = 1_000_000;

/**
 * Annotations, outputs, the plan file, the job summary and (on a pull request) the comment.
 * Returns false when there is no usable plan: the step has failed.
 */
export async function reportPlan(
  result: PlanResult,
  context: ReportContext,
  report: { comment?: boolean } = {},
): Promise<boolean> {
  annotate(result.validation.problems, result.plan?.errors ?? [], context);
  if (!result.plan) {
    const markdown = formatValidationMarkdown(result.validation.problems);
    await writeSummary(markdown);
    if (report.comment !== false) await comment(markdown, context);
    core.setFailed(
      `the catalog is invalid (${problemCounts(result.validation.problems)}): nothing planned`,
    );
    return false;
  }
  const planned = result.plan;
  const { describeBaseline, fitPlanMarkdown } = await import("../report/plan.js");
  for (const warning of describeBaseline(planned.baseline).warnings)
    core.warning(warning, { title: "imagesmith: the published catalog" });
  const planFile = join(context.root, WORK_DIR, "plan.json");
  const json = JSON.stringify(planned);
  await writeFileAtomic(planFile, json + "\n", { within: context.root });
  core.setOutput("plan", planOutput(planned, json));
  core.setOutput("plan-file", planFile);
  core.setOutput("matrix", JSON.stringify(formatMatrix(planned, context.inputs.maxUnits)));
  core.setOutput("changed", changedImages(planned).join(","));
  core.setOutput("has-changes", String(hasChanges(planned)));

  if (report.comment !== false) {
    await writeSummary(fitPlanMarkdown(planned, SUMMARY_LIMIT, "a job summary"));
    const marker = planMarker(context.inputs.root);
    await comment(
      fitPlanMarkdown(planned, COMMENT_LIMIT - marker.length - 200, "a comment"),
      context,
    );
  }
  if (planned.errors.length > 0) {
    core.setFailed(
      `the plan has ${planned.errors.length} error${planned.errors.length === 1 ? "" : "s"}: ${planned.errors.map((e) => e.image).join(", ")}`,
    );
    return false;
  }
  return true;
}

/**
 * A verification: the plan's outputs and annotations, then per failed image the end of its build
 * log (folded) and an error annotation, the job summary and the pull-request comment with the plan
 * and the verification under it, and a failed step unless every build and contract passed.
 */
export async function reportVerify(result: VerifyResult, context: ReportContext): Promise<void> {
  if (!(await reportPlan(result, context, { comment: result.plan === undefined }))) return;
  const [{ fitPlanMarkdown }, report] = await Promise.all([
    import("../report/plan.js"),
    import("../report/verify.js"),
  ]);
  for (const image of result.verified ?? []) {
    if (image.logTail?.length) {
      core.startGroup(runnerSafe(`${image.name}: the end of its build log`));
      for (const line of image.logTail) info(line);
      core.endGroup();
    }
    for (const contract of image.contracts.filter((c) => !c.ok)) {
      core.startGroup(runnerSafe(`${image.name}: contract ${contract.name} failed`));
      for (const line of (contract.output ?? "").split("\n")) info(line);
      core.endGroup();
    }
    const failed = image.contracts.filter((c) => !c.ok);
    if (image.state !== "done" || failed.length > 0)
      core.error(
        runnerSafe(image.error ?? `contracts failed: ${failed.map((c) => c.name).join(", ")}`),
        {
          title: `imagesmith: ${image.name} did not verify`,
        },
      );
  }
  const planned = result.plan as Plan;
  // The verification gets at most half of each: the plan (access first) is what is reviewed.
  const summary = report.fitVerifyMarkdown(result, SUMMARY_LIMIT / 2, "a job summary");
  await writeSummary(
    `${fitPlanMarkdown(planned, SUMMARY_LIMIT - summary.length - 100, "a job summary")}\n${summary}`,
  );
  const room = COMMENT_LIMIT - planMarker(context.inputs.root).length - 300;
  const shown = report.fitVerifyMarkdown(result, room / 2, "a comment");
  await comment(`${fitPlanMarkdown(planned, room - shown.length, "a comment")}\n${shown}`, context);
  core.setOutput("verified", String(report.verifyPassed(result)));
  if (!report.verifyPassed(result)) core.setFailed(report.verifySummary(result));
}

/**
 * Log groups for the stages of a job (plan, then the builds), one open at a time as GitHub's log
 * folds them; a stage's end is the next one's start.
 */
export function stageGroups(): { start(name: string): void; end(): void } {
  let open = false;
  return {
    start(name) {
      if (open) core.endGroup();
      core.startGroup(name);
      open = true;
    },
    end() {
      if (open) core.endGroup();
      open = false;
    },
  };
}

/** A step output beyond this many characters is hard to pass on (a job output holds 1 MB). */
const OUTPUT_LIMIT = 1_000_000;

/**
 * The `plan` output: the plan JSON, or for a plan too big to pass around, the same without the
 * rendered Dockerfiles (plan-file always has them).
 */
function planOutput(planned: Plan, json: string): string {
  if (json.length <= OUTPUT_LIMIT) return json;
  const lean = JSON.stringify({
    ...planned,
    images: planned.images.map(({ dockerfile: _, previousDockerfile: __, ...entry }) => entry),
  });
  core.notice(
    `the plan JSON has ${json.length} characters: the plan output leaves out the Dockerfiles (${lean.length} characters); plan-file has all of it`,
  );
  return lean;
}

export function annotate(
  problems: readonly Problem[],
  planErrors: Plan["errors"],
  context: ReportContext,
): void {
  for (const problem of problems) info(formatProblem(problem));
  const annotations = annotationsFor(problems, planErrors, context);
  const capped = cappedNotice(annotations);
  if (capped) core.notice(capped, { title: "imagesmith: annotations" });
  for (const annotation of annotations) {
    const properties = {
      title: annotation.title,
      file: annotation.file,
      ...(annotation.startLine === undefined ? {} : { startLine: annotation.startLine }),
      ...(annotation.startColumn === undefined ? {} : { startColumn: annotation.startColumn }),
    };
    if (annotation.level === "error") core.error(annotation.message, properties);
    else core.warning(annotation.message, properties);
  }
}

/** Posts or edits the plan comment on the pull request, when there is one and comments are on. */
async function comment(text: string, context: ReportContext): Promise<void> {
  let markdown = text;
  const { policy, inputs, env } = context;
  if (!policy.pullRequest || !inputs.comment) return;
  const number = policy.pullRequest.number;
  markdown += commentFooter(policy.pullRequest.headSha, env);
  if (!inputs.githubToken) {
    core.warning(
      `no github-token: the plan is not posted on pull request #${number}; it is in the job summary`,
    );
    return;
  }
  const repository = env.GITHUB_REPOSITORY ?? "";
  try {
    const port = await commentsPort(inputs.githubToken, repository, number);
    const done = await upsertComment(port, planMarker(inputs.root), markdown);
    info(`the plan comment on pull request #${number} is ${done.action} (id ${done.id})`);
  } catch (error) {
    const status = (error as { status?: number }).status;
    const why =
      status === 403 && policy.pullRequest.fork
        ? "a pull request from a fork gets a read-only token"
        : status === 403
          ? "the token lacks pull-requests: write"
          : (error as Error).message;
    core.warning(
      `could not post the plan on pull request #${number} (${why}); it is in the job summary`,
    );
  }
}

/** Which commit the comment describes and where its run is: a reviewer sees whether it is current. */
function commentFooter(headSha: string | undefined, env: NodeJS.ProcessEnv): string {
  const parts = [];
  if (headSha) parts.push(`commit ${headSha.slice(0, 12)}`);
  const run = runUrl(env);
  if (run) parts.push(`[workflow run](${run})`);
  return parts.length === 0 ? "" : `\n---\n<sub>imagesmith plan for ${parts.join(" · ")}</sub>\n`;
}

/** The `catalog` output, and a warning for each image that is not ready. */
export function reportCatalog(result: RunResult): void {
  if (result.catalogFile) core.setOutput("catalog", result.catalogFile);
  core.setOutput("digests", JSON.stringify(pinnedReferences(result)));
  if (result.unchanged || result.artifactDigest) info(publishedLine(result));
  for (const image of result.catalog?.images ?? []) {
    if (image.status === "failed" || image.status === "cancelled")
      core.warning(`${image.name}: ${image.status}: ${image.message ?? ""}`, {
        title: `imagesmith: ${image.name} ${image.status}`,
      });
  }
}

/** This workflow run's page, where the build logs are: GITHUB_SERVER_URL/REPO/actions/runs/ID. */
export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: id } = env;
  if (!server || !repository || !id) return undefined;
  const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : "";
  return `${server}/${repository}/actions/runs/${id}${attempt}`;
}

/** Appends to the job summary; a summary that cannot be written is a warning, never a failed step. */
export async function writeSummary(markdown: string): Promise<void> {
  if (!markdown || !process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(markdown, true).write();
  } catch (error) {
    core.summary.emptyBuffer();
    core.warning(`the job summary is not written: ${(error as Error).message}`);
  }
}

/** `validate`: the problems as annotations, the summary, a failed step when the catalog is invalid. */
export async function reportValidation(
  result: ValidationResult,
  context: ReportContext,
): Promise<void> {
  annotate(result.problems, [], context);
  await writeSummary(
    result.valid
      ? `## imagesmith validate\n\n${validLine(result)}.\n`
      : formatValidationMarkdown(result.problems),
  );
  if (!result.valid) core.setFailed(`the catalog is invalid: ${problemCounts(result.problems)}`);
}

/** How a job that builds shows it in the log: one line per image and state, in log groups per stage. */
export interface JobScreen {
  /** For the pipeline's options: where build output, progress and the plan go. */
  options: {
    output?(line: string): void;
    progress(line: string): void;
    planned(plan: Plan, builds: readonly PlannedImage[]): void;
    buildProgress(name: string, state: BuildState, seconds: number): void;
  };
  /** The last line per image, once the builds are over. */
  finish(outcomes: readonly BuildOutcome[]): void;
  /** Closes the open log group. */
  end(): void;
}

/**
 * The log of a job that builds: the plan stage in a group, then the builds in one named by
 * `buildsGroup` with their count; the builders' own output only with `verbose`.
 */
export async function jobScreen(verbose: boolean, buildsGroup: () => string): Promise<JobScreen> {
  const [{ formatRunStart }, { BuildProgress }] = await Promise.all([
    import("../report/plan.js"),
    import("../report/progress.js"),
  ]);
  const progress = new BuildProgress({ write: (text) => info(text.replace(/\n$/, "")) });
  const groups = stageGroups();
  groups.start("imagesmith: plan");
  return {
    options: {
      ...(verbose ? { output: (line: string) => info(line) } : {}),
      progress: (line) => info(line),
      planned: (made, builds) => {
        info(formatRunStart(made, builds));
        groups.start(`${buildsGroup()} (${builds.length})`);
      },
      buildProgress: (name, state, seconds) => progress.update(name, state, seconds),
    },
    finish: (outcomes) => progress.finish([...outcomes]),
    end: () => groups.end(),
  };
}

/** `sync-primehub`: what changed in the log and the summary, conflicts and errors annotated. */
export async function reportSync(result: SyncResult): Promise<void> {
  const report = await import("../report/sync.js");
  for (const line of report.formatSyncText(result).trimEnd().split("\n")) info(line);
  await writeSummary(report.formatSyncMarkdown(result));
  for (const conflict of result.plan.conflicts)
    core.warning(runnerSafe(conflict.reason), { title: "imagesmith: PrimeHub conflict" });
  for (const error of result.plan.errors)
    core.error(runnerSafe(error.message), { title: `imagesmith: ${error.name}` });
  if (report.syncFailed(result))
    core.setFailed("the sync did not make PrimeHub match the catalog: see above");
}

/** `site`: where it is (the `site` output) and what it holds. */
export async function reportSite(made: SiteResult): Promise<void> {
  info(`wrote the site of ${made.images} images (${made.files.length} files) from ${made.from}`);
  core.setOutput("site", made.out);
  await writeSummary(
    `## imagesmith site\n\n${made.images} images, ${made.files.length} files, from ${inlineCode(made.from)}.\n`,
  );
}

/** `publish`: the plan's checks, then the catalog's outputs and summary. */
export async function reportPublish(result: RunResult, context: ReportContext): Promise<void> {
  if (!(await reportPlan(result, context, { comment: false }))) return;
  reportCatalog(result);
  await writeSummary(catalogMarkdown(result.catalog));
}

/**
 * `build` and `run`: the plan's checks, the catalog's outputs, the result file, the summary; per
 * image its warnings, the end of a failed build's log and an error; a failed step unless every
 * build finished.
 */
export async function reportBuild(
  result: RunResult,
  context: ReportContext,
  job: { resultFile: string | undefined; cancelled: NodeJS.Signals | undefined },
): Promise<void> {
  if (!(await reportPlan(result, context, { comment: false }))) return;
  reportCatalog(result);
  if (job.resultFile) core.setOutput("result", job.resultFile);
  await writeSummary(buildMarkdown(result));
  if (job.cancelled) {
    core.setFailed(
      `cancelled (${job.cancelled}): the images being built are recorded as cancelled`,
    );
    return;
  }
  const outcomes = result.outcomes ?? [];
  const bad = outcomes.filter((outcome) => outcome.state !== "done");
  for (const outcome of outcomes)
    for (const warning of outcome.warnings ?? [])
      core.warning(runnerSafe(warning), { title: `imagesmith: ${outcome.name}` });
  for (const outcome of bad) if (outcome.state === "failed") await logTail(outcome);
  for (const outcome of bad)
    core.error(`${outcome.name}: ${outcome.state}: ${outcome.error ?? outcome.reason ?? ""}`, {
      title: `imagesmith: ${outcome.name} ${outcome.state}`,
    });
  if (bad.length > 0) core.setFailed(`${bad.length} of ${outcomes.length} builds did not finish`);
}

/** `doctor`: every check in the log and the summary, an error per failed one, a failed step then. */
export async function reportDoctor(checks: readonly DoctorCheck[]): Promise<void> {
  const { formatDoctorText } = await import("../report/doctor.js");
  for (const line of formatDoctorText(checks).split("\n")) info(line);
  const marks = { ok: "✓", warn: "⚠", fail: "✗" };
  await writeSummary(
    [
      "## imagesmith doctor",
      "",
      "| | check | found |",
      "| --- | --- | --- |",
      ...checks.map(
        (check) => `| ${marks[check.status]} | ${check.name} | ${escapeMarkdown(check.detail)} |`,
      ),
      "",
    ].join("\n"),
  );
  const failed = checks.filter((check) => check.status === "fail");
  for (const check of failed)
    core.error(runnerSafe(check.detail), { title: `imagesmith doctor: ${check.name}` });
  if (failed.length > 0)
    core.setFailed(
      `${failed.length} doctor check${failed.length === 1 ? "" : "s"} failed: ${failed.map((c) => c.name).join(", ")}`,
    );
}
