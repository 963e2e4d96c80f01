/**
 * The GitHub Action door: action inputs → the options the CLI builds → the same pipeline, then
 * outputs, annotations, the job summary and the pull-request comment. Whether a run may push or
 * publish is decided here, from the event, before anything reaches the registry.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as core from "@actions/core";
import { type Cancellation, cancelOnSignals } from "./cancel.js";
import { isEntryPoint, needsBuildahNamespace, rerunInBuildahNamespace } from "./doors.js";
import { UsageError } from "./errors.js";
import { annotationsFor, cappedNotice } from "./github/annotations.js";
import { runnerSafe } from "./github/log.js";
import { eventPolicy, type EventInfo, type EventPolicy } from "./github/event.js";
import { COMMENT_LIMIT, planMarker, upsertComment } from "./github/comment.js";
import { commentsPort } from "./github/rest.js";
import type { Problem } from "./model.js";
import { WORK_DIR } from "./paths.js";
import { writeFileAtomic } from "./workdir.js";
import {
  catalogBuilder,
  plan,
  type PlanOptions,
  type PlanResult,
  publish,
  runAll,
  type RunResult,
  site,
  syncPrimeHub,
  validate,
  verify,
  type VerifyResult,
} from "./pipeline.js";
import { cacheDirectory, pushCredentialsFrom, pushTargetFrom, registryPort } from "./ports.js";
import {
  formatProblem,
  formatValidationMarkdown,
  problemCounts,
  validLine,
} from "./report/catalog.js";
import { inlineCode } from "./report/markdown.js";
import { changedImages, DEFAULT_MAX_UNITS, formatMatrix, hasChanges } from "./report/matrix.js";
import { buildMarkdown, catalogMarkdown, pinnedReferences } from "./report/summary.js";
import type { Plan } from "./stages/plan/index.js";
import type { BuildOutcome } from "./stages/build/index.js";

export const COMMANDS = [
  "validate",
  "plan",
  "verify",
  "build",
  "publish",
  "run",
  "site",
  "sync-primehub",
] as const;
export type ActionCommand = (typeof COMMANDS)[number];

/** action.yml's inputs, one field each, read once by getInputs(). */
export interface Inputs {
  command: ActionCommand;
  root: string;
  githubToken: string;
  registryUsername: string;
  registryPassword: string;
  comment: boolean;
  rebuild: string[];
  only: string[];
  jobs: number;
  results: string;
  maxUnits: number;
  unit: string;
  planFile: string;
  forcePublish: boolean;
  registry: string;
  verbose: boolean;
  primehubEndpoint: string;
  primehubToken: string;
}

/** A log line: text a pull request controls (build output, its file names) never reads as a command. */
function info(text: string): void {
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
 * Reads the inputs. The registry password is masked before anything else happens, and the input
 * variables holding secrets are removed from the environment builders inherit.
 */
export function getInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const registryPassword = core.getInput("registry-password");
  if (registryPassword) core.setSecret(registryPassword);
  const registryUsername = core.getInput("registry-username");
  if (registryPassword && registryUsername)
    core.setSecret(Buffer.from(`${registryUsername}:${registryPassword}`).toString("base64"));
  const githubToken = core.getInput("github-token");
  const primehubToken = core.getInput("primehub-token");
  if (primehubToken) core.setSecret(primehubToken);
  delete env["INPUT_PRIMEHUB-TOKEN"];
  delete env["INPUT_REGISTRY-PASSWORD"];
  delete env["INPUT_GITHUB-TOKEN"];

  const command = core.getInput("command") || "plan";
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(`input command: "${command}" is not one of ${COMMANDS.join(", ")}`);
  return {
    command: command as ActionCommand,
    root: core.getInput("root") || ".",
    githubToken,
    registryUsername,
    registryPassword,
    comment: booleanInput("comment", true),
    rebuild: listInput("rebuild"),
    only: listInput("only"),
    jobs: numberInput("jobs", 2),
    results: core.getInput("results"),
    maxUnits: numberInput("max-units", DEFAULT_MAX_UNITS),
    unit: core.getInput("unit"),
    planFile: core.getInput("plan-file"),
    forcePublish: booleanInput("force-publish", false),
    registry: core.getInput("registry"),
    verbose: booleanInput("verbose", false),
    primehubEndpoint: core.getInput("primehub-endpoint"),
    primehubToken,
  };
}

function booleanInput(name: string, fallback: boolean): boolean {
  const value = core.getInput(name).toLowerCase();
  if (value === "") return fallback;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new UsageError(`input ${name}: "${value}" is not true or false`);
}

/** Names separated by commas or new lines, as a `rebuild: |` block or `a, b` gives them. */
function listInput(name: string): string[] {
  return core
    .getInput(name)
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

function numberInput(name: string, fallback: number): number {
  const text = core.getInput(name);
  if (text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`input ${name}: "${text}" is not a whole number of 1 or more`);
  return value;
}

/** The runner's event: GITHUB_EVENT_NAME, GITHUB_REF, GITHUB_REPOSITORY and the payload file. */
export function readEvent(env: NodeJS.ProcessEnv): EventInfo {
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      const data: unknown = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
      if (typeof data === "object" && data !== null) payload = data as Record<string, unknown>;
    } catch (error) {
      core.warning(
        `cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${(error as Error).message}`,
      );
    }
  }
  return {
    eventName: env.GITHUB_EVENT_NAME,
    ref: env.GITHUB_REF,
    repository: env.GITHUB_REPOSITORY,
    payload,
  };
}

interface Context {
  inputs: Inputs;
  policy: EventPolicy;
  workspace: string;
  root: string;
  env: NodeJS.ProcessEnv;
}

/** Runs the action; failures are reported with core.setFailed, never thrown. */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = getInputs(env);
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const context: Context = {
      inputs,
      policy: eventPolicy(readEvent(env)),
      workspace,
      root: resolve(workspace, inputs.root),
      env,
    };
    await runCommand(context);
  } catch (error) {
    core.setFailed(`imagesmith: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function runCommand(context: Context): Promise<void> {
  const { inputs, policy } = context;
  let command = inputs.command;
  if (inputs.planFile && command !== "build" && command !== "run")
    throw new UsageError(
      `input plan-file: only build and run execute a plan; ${command} makes its own`,
    );
  if (command === "sync-primehub" && !policy.mayPublish) {
    core.warning(
      `imagesmith sync-primehub: PrimeHub is not changed: ${policy.why}. What a sync would change is shown instead.`,
      { title: "imagesmith: dry run" },
    );
  } else if (
    (command === "build" || command === "publish" || command === "run") &&
    !policy.mayPublish
  ) {
    core.warning(
      `imagesmith ${command}: nothing is built, pushed or published: ${policy.why}. The plan is shown instead.`,
      { title: "imagesmith: plan only" },
    );
    command = "plan";
  }
  if (
    (command === "build" || command === "run" || command === "verify") &&
    needsBuildahNamespace("buildah", context.env) &&
    needsBuildahNamespace(await catalogBuilder(context.root), context.env)
  ) {
    // The runner's user is not root (GitHub's hosted runners): the same step runs again inside
    // buildah's namespace, which writes the outputs, the summary and the comment.
    process.exitCode = await rerunInBuildahNamespace(context.env, info);
    return;
  }
  const portEnv = credentialsEnvironment(context);
  const pushTarget = pushTargetFrom(context.env, inputs.registry);
  // One cancel for the whole command: a cancelled workflow's signal reaches every registry
  // request and build, and the job is over within seconds.
  const cancellation = cancelOnSignals((signal) =>
    core.warning(`imagesmith: ${signal}: cancelling`),
  );
  try {
    await runWithOptions(context, command, portEnv, pushTarget, cancellation);
  } catch (error) {
    const signalled = cancellation.received();
    if (!signalled) throw error;
    core.setFailed(`cancelled (${signalled}): nothing was published after the cancel`);
  } finally {
    cancellation.dispose();
  }
}

async function runWithOptions(
  context: Context,
  command: string,
  portEnv: NodeJS.ProcessEnv,
  pushTarget: ReturnType<typeof pushTargetFrom>,
  cancellation: Cancellation,
): Promise<void> {
  const { inputs, policy } = context;
  const options: PlanOptions = {
    root: context.root,
    registry: registryPort(portEnv, cancellation.signal),
    signal: cancellation.signal,
    source: import("./git.js").then(({ gitSource }) => gitSource(context.root)),
    force: inputs.rebuild,
    cacheDir: cacheDirectory(context.env),
    ...(pushTarget ? { pushTarget } : {}),
    // A run that may not publish only previews: the published catalog answers for the recipes it
    // records, and the default branch's own plan checks the registry before anything is built.
    trustPublished: !policy.mayPublish,
  };

  switch (command) {
    case "validate": {
      const result = await validate(options);
      annotate(result.problems, [], context);
      await writeSummary(
        result.valid
          ? `## imagesmith validate\n\n${validLine(result)}.\n`
          : formatValidationMarkdown(result.problems),
      );
      if (!result.valid)
        core.setFailed(`the catalog is invalid: ${problemCounts(result.problems)}`);
      return;
    }
    case "plan": {
      const result = await plan(options);
      await reportPlan(result, context);
      return;
    }
    case "verify": {
      const [{ formatRunStart }, { BuildProgress }] = await Promise.all([
        import("./report/plan.js"),
        import("./report/progress.js"),
      ]);
      const progress = new BuildProgress({ write: (text) => info(text.replace(/\n$/, "")) });
      const groups = stageGroups();
      groups.start("imagesmith: plan");
      const result = await verify({
        ...options,
        jobs: inputs.jobs,
        signal: cancellation.signal,
        // Only to pull with (private bases and parents): a verification pushes nothing.
        pushCredentials: pushCredentialsFrom(portEnv),
        ...(inputs.verbose ? { output: (line: string) => info(line) } : {}),
        progress: (line) => info(line),
        planned: (made, builds) => {
          info(formatRunStart(made, builds));
          groups.start(`imagesmith: verification builds (${builds.length})`);
        },
        buildProgress: (name, state, seconds) => progress.update(name, state, seconds),
      }).finally(() => groups.end());
      progress.finish(result.outcomes ?? []);
      await reportVerify(result, context);
      return;
    }
    case "sync-primehub": {
      if (!inputs.primehubEndpoint)
        throw new UsageError("input primehub-endpoint: give PrimeHub's GraphQL endpoint");
      const token = inputs.primehubToken || context.env.PRIMEHUB_API_TOKEN || "";
      if (!token)
        throw new UsageError(
          "input primehub-token (or PRIMEHUB_API_TOKEN): the API token of a PrimeHub administrator",
        );
      const result = await syncPrimeHub({
        ...options,
        endpoint: inputs.primehubEndpoint,
        token,
        ...(policy.mayPublish ? {} : { dryRun: true }),
      });
      const report = await import("./report/sync.js");
      for (const line of report.formatSyncText(result).trimEnd().split("\n")) info(line);
      await writeSummary(report.formatSyncMarkdown(result));
      for (const conflict of result.plan.conflicts)
        core.warning(runnerSafe(conflict.reason), { title: "imagesmith: PrimeHub conflict" });
      for (const error of result.plan.errors)
        core.error(runnerSafe(error.message), { title: `imagesmith: ${error.name}` });
      if (report.syncFailed(result))
        core.setFailed("the sync did not make PrimeHub match the catalog: see above");
      return;
    }
    case "site": {
      const made = await site({ ...options, out: join(context.root, WORK_DIR, "site") });
      info(
        `wrote the site of ${made.images} images (${made.files.length} files) from ${made.from}`,
      );
      core.setOutput("site", made.out);
      await writeSummary(
        `## imagesmith site\n\n${made.images} images, ${made.files.length} files, from ${inlineCode(made.from)}.\n`,
      );
      return;
    }
    case "publish": {
      const result = await publish({
        ...options,
        ...(inputs.forcePublish ? { forcePublish: true } : {}),
        ...(inputs.results ? { results: resolve(context.workspace, inputs.results) } : {}),
        progress: (line) => core.warning(line),
      });
      if (!(await reportPlan(result, context, { comment: false }))) return;
      reportCatalog(result);
      await writeSummary(catalogMarkdown(result.catalog));
      return;
    }
    case "build":
    case "run": {
      const unit = inputs.unit || "build";
      const resultFile =
        command === "build"
          ? join(
              inputs.results
                ? resolve(context.workspace, inputs.results)
                : join(context.root, WORK_DIR, "results"),
              `${unit}.json`,
            )
          : undefined;
      const planFile = inputs.planFile ? resolve(context.workspace, inputs.planFile) : undefined;
      if (planFile) {
        info(`imagesmith ${command}: executing the plan ${planFile}, not planning again`);
        if (inputs.rebuild.length > 0)
          core.warning(
            `input rebuild is not used with plan-file: the plan already says what is rebuilt (give rebuild to the plan step)`,
          );
      }
      {
        const [{ formatRunStart }, { BuildProgress }] = await Promise.all([
          import("./report/plan.js"),
          import("./report/progress.js"),
        ]);
        const progress = new BuildProgress({ write: (text) => info(text.replace(/\n$/, "")) });
        const groups = stageGroups();
        groups.start("imagesmith: plan");
        const result = await runAll({
          ...options,
          jobs: inputs.jobs,
          signal: cancellation.signal,
          pushCredentials: pushCredentialsFrom(portEnv),
          ...(inputs.only.length > 0 ? { only: inputs.only } : {}),
          ...(planFile ? { planFile } : {}),
          ...(resultFile ? { resultFile, unit } : {}),
          publish: command === "run",
          ...(inputs.forcePublish ? { forcePublish: true } : {}),
          ...(runUrl(context.env) ? { logUrl: runUrl(context.env) as string } : {}),
          ...(inputs.verbose ? { output: (line: string) => info(line) } : {}),
          progress: (line) => info(line),
          planned: (made, builds) => {
            info(formatRunStart(made, builds));
            groups.start(
              command === "run"
                ? `imagesmith: build (${builds.length}) and publish`
                : `imagesmith: build (${builds.length})`,
            );
          },
          buildProgress: (name, state, seconds) => progress.update(name, state, seconds),
        }).finally(() => groups.end());
        progress.finish(result.outcomes ?? []);
        if (!(await reportPlan(result, context, { comment: false }))) return;
        reportCatalog(result);
        if (resultFile) core.setOutput("result", resultFile);
        await writeSummary(buildMarkdown(result));
        const signalled = cancellation.received();
        if (signalled) {
          core.setFailed(
            `cancelled (${signalled}): the images being built are recorded as cancelled`,
          );
          return;
        }
        const bad = (result.outcomes ?? []).filter((outcome) => outcome.state !== "done");
        for (const outcome of result.outcomes ?? [])
          for (const warning of outcome.warnings ?? [])
            core.warning(runnerSafe(warning), { title: `imagesmith: ${outcome.name}` });
        for (const outcome of bad) if (outcome.state === "failed") await logTail(outcome);
        for (const outcome of bad)
          core.error(
            `${outcome.name}: ${outcome.state}: ${outcome.error ?? outcome.reason ?? ""}`,
            {
              title: `imagesmith: ${outcome.name} ${outcome.state}`,
            },
          );
        if (bad.length > 0)
          core.setFailed(
            `${bad.length} of ${(result.outcomes ?? []).length} builds did not finish`,
          );
      }
      return;
    }
  }
}

/**
 * The environment the registry port and the builder read credentials from. The inputs' credentials
 * go to the push target only: the `registry` input when it is set (never a host the checked-out
 * imagesmith.yaml names); without it, only on events whose checkout is trusted (the default
 * branch). On a pull request without a `registry` input no credential is used at all, because the
 * pull request could point `registry:` at a host of its choosing. Never in the environment that
 * child processes inherit.
 */
function credentialsEnvironment(context: Context): NodeJS.ProcessEnv {
  const { inputs, policy, env } = context;
  const target = pushTargetFrom(env, inputs.registry);
  const username = inputs.registryUsername || env.IMAGESMITH_REGISTRY_USERNAME;
  const password = inputs.registryPassword || env.IMAGESMITH_REGISTRY_PASSWORD;
  const portEnv: NodeJS.ProcessEnv = { ...env };
  delete portEnv.IMAGESMITH_REGISTRY_USERNAME;
  delete portEnv.IMAGESMITH_REGISTRY_PASSWORD;
  if (!username || !password) return portEnv;
  if (!target && !policy.mayPublish) {
    core.warning(
      `the registry credentials are not used: ${policy.why}, so imagesmith.yaml is untrusted and could name any registry. Set the registry input to the registry images are pushed to, and they are sent there only`,
      { title: "imagesmith: credentials not used" },
    );
    return portEnv;
  }
  return {
    ...portEnv,
    IMAGESMITH_REGISTRY_USERNAME: username,
    IMAGESMITH_REGISTRY_PASSWORD: password,
    ...(target ? { IMAGESMITH_REGISTRY_HOST: target.host } : {}),
  };
}

/**
 * Annotations, outputs, the plan file, the job summary and (on a pull request) the comment.
 * Returns false when there is no usable plan: the step has failed.
 */
async function reportPlan(
  result: PlanResult,
  context: Context,
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
  const { describeBaseline, fitPlanMarkdown } = await import("./report/plan.js");
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
async function reportVerify(result: VerifyResult, context: Context): Promise<void> {
  if (!(await reportPlan(result, context, { comment: result.plan === undefined }))) return;
  const [{ fitPlanMarkdown }, report] = await Promise.all([
    import("./report/plan.js"),
    import("./report/verify.js"),
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
  const verification = report.formatVerifyMarkdown(result);
  const planned = result.plan as Plan;
  await writeSummary(
    `${fitPlanMarkdown(planned, SUMMARY_LIMIT - verification.length - 100, "a job summary")}\n${verification}`,
  );
  const marker = planMarker(context.inputs.root);
  const room = COMMENT_LIMIT - marker.length - 300;
  const shown =
    verification.length > room / 2 ? `${verification.slice(0, room / 2 - 2)}…\n` : verification;
  await comment(`${fitPlanMarkdown(planned, room - shown.length, "a comment")}\n${shown}`, context);
  core.setOutput("verified", String(report.verifyPassed(result)));
  if (!report.verifyPassed(result)) core.setFailed(report.verifySummary(result));
}

/**
 * Log groups for the stages of a job (plan, then the builds), one open at a time as GitHub's log
 * folds them; a stage's end is the next one's start.
 */
function stageGroups(): { start(name: string): void; end(): void } {
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

function annotate(
  problems: readonly Problem[],
  planErrors: Plan["errors"],
  context: Context,
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
async function comment(text: string, context: Context): Promise<void> {
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
function reportCatalog(result: RunResult): void {
  if (result.catalogFile) core.setOutput("catalog", result.catalogFile);
  core.setOutput("digests", JSON.stringify(pinnedReferences(result)));
  if (result.unchanged)
    info(
      `nothing to publish: the published catalog ${result.artifactDigest ?? ""} already serves all of it`,
    );
  else if (result.artifactDigest) info(`pushed the catalog artifact ${result.artifactDigest}`);
  for (const image of result.catalog?.images ?? []) {
    if (image.status === "failed" || image.status === "cancelled")
      core.warning(`${image.name}: ${image.status}: ${image.message ?? ""}`, {
        title: `imagesmith: ${image.name} ${image.status}`,
      });
  }
}

/** This workflow run's page, where the build logs are: GITHUB_SERVER_URL/REPO/actions/runs/ID. */
function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: id } = env;
  if (!server || !repository || !id) return undefined;
  const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : "";
  return `${server}/${repository}/actions/runs/${id}${attempt}`;
}

/** Appends to the job summary; a summary that cannot be written is a warning, never a failed step. */
async function writeSummary(markdown: string): Promise<void> {
  if (!markdown || !process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(markdown, true).write();
  } catch (error) {
    core.summary.emptyBuffer();
    core.warning(`the job summary is not written: ${(error as Error).message}`);
  }
}

if (isEntryPoint(import.meta.url)) await runAction();
