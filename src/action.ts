/**
 * The GitHub Action door: action inputs → the options the CLI builds → the same pipeline, then
 * outputs, annotations, the job summary and the pull-request comment. Whether a run may push or
 * publish is decided here, from the event, before anything reaches the registry.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as core from "@actions/core";
import { type Cancellation, cancelledUnpublished, cancelling, cancelOnSignals } from "./cancel.js";
import { buildsInNamespace, isEntryPoint, rerunInBuildahNamespace } from "./doors.js";
import { UsageError } from "./errors.js";
import { eventPolicy, type EventInfo, type EventPolicy } from "./github/event.js";
import {
  info,
  jobScreen,
  reportBuild,
  reportDoctor,
  reportPlan,
  reportPublish,
  reportSite,
  reportSync,
  reportValidation,
  reportVerify,
  runUrl,
} from "./github/report.js";
import { WORK_DIR } from "./paths.js";
import {
  doctor,
  plan,
  publish,
  resultFileFor,
  runAll,
  site,
  syncPrimeHub,
  validate,
  verify,
} from "./pipeline.js";
import { doorPorts, pushTargetFrom } from "./ports.js";
import { DEFAULT_MAX_UNITS } from "./report/matrix.js";

export const COMMANDS = [
  "validate",
  "plan",
  "verify",
  "build",
  "publish",
  "run",
  "site",
  "sync-primehub",
  "doctor",
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
  /**
   * The environment as the runner gave it, secret inputs included (getInputs removes them from
   * `env`): a step run again inside buildah's namespace reads its inputs from it, as this one did.
   */
  runnerEnv: NodeJS.ProcessEnv;
}

/** Runs the action; failures are reported with core.setFailed, never thrown. */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const runnerEnv = { ...env };
    const inputs = getInputs(env);
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const context: Context = {
      inputs,
      policy: eventPolicy(readEvent(env)),
      workspace,
      root: resolve(workspace, inputs.root),
      env,
      runnerEnv,
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
    (await buildsInNamespace(context.root, context.env))
  ) {
    // The runner's user is not root (GitHub's hosted runners): the same step runs again inside
    // buildah's namespace, which writes the outputs, the summary and the comment.
    process.exitCode = await rerunInBuildahNamespace(context.runnerEnv, info);
    return;
  }
  const portEnv = credentialsEnvironment(context);
  // One cancel for the whole command: a cancelled workflow's signal reaches every registry
  // request and build, and the job is over within seconds.
  const cancellation = cancelOnSignals((signal) => core.warning(cancelling(signal)));
  try {
    await runWithOptions(context, command, portEnv, cancellation);
  } catch (error) {
    const signalled = cancellation.received();
    if (!signalled) throw error;
    core.setFailed(cancelledUnpublished(signalled));
  } finally {
    cancellation.dispose();
  }
}

async function runWithOptions(
  context: Context,
  command: string,
  portEnv: NodeJS.ProcessEnv,
  cancellation: Cancellation,
): Promise<void> {
  const { inputs, policy } = context;
  const options = {
    root: context.root,
    ...doorPorts(portEnv, cancellation.signal, inputs.registry),
    source: import("./git.js").then(({ gitSource }) => gitSource(context.root)),
    force: inputs.rebuild,
    // A run that may not publish only previews: the published catalog answers for the recipes it
    // records, and the default branch's own plan checks the registry before anything is built.
    trustPublished: !policy.mayPublish,
  };
  switch (command) {
    case "validate":
      return reportValidation(await validate(options), context);
    case "doctor":
      return reportDoctor(await doctor({ ...options, env: context.env }));
    case "plan":
      await reportPlan(await plan(options), context);
      return;
    case "verify": {
      const screen = await jobScreen(inputs.verbose, () => "imagesmith: verification builds");
      const result = await verify({ ...options, jobs: inputs.jobs, ...screen.options }).finally(
        () => screen.end(),
      );
      screen.finish(result.outcomes ?? []);
      return reportVerify(result, context);
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
      return reportSync(result);
    }
    case "site":
      return reportSite(await site({ ...options, out: join(context.root, WORK_DIR, "site") }));
    case "publish": {
      const result = await publish({
        ...options,
        ...(inputs.forcePublish ? { forcePublish: true } : {}),
        ...(inputs.results ? { results: resolve(context.workspace, inputs.results) } : {}),
        progress: (line) => core.warning(line),
      });
      return reportPublish(result, context);
    }
    case "build":
    case "run": {
      const unit = inputs.unit || "build";
      const resultFile =
        command === "build"
          ? resultFileFor(
              context.root,
              inputs.results ? resolve(context.workspace, inputs.results) : undefined,
              unit,
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
      const screen = await jobScreen(inputs.verbose, () =>
        command === "run" ? "imagesmith: build and publish" : "imagesmith: build",
      );
      const result = await runAll({
        ...options,
        jobs: inputs.jobs,
        ...(inputs.only.length > 0 ? { only: inputs.only } : {}),
        ...(planFile ? { planFile } : {}),
        ...(resultFile ? { resultFile, unit } : {}),
        publish: command === "run",
        ...(inputs.forcePublish ? { forcePublish: true } : {}),
        ...(runUrl(context.env) ? { logUrl: runUrl(context.env) as string } : {}),
        ...screen.options,
      }).finally(() => screen.end());
      screen.finish(result.outcomes ?? []);
      return reportBuild(result, context, { resultFile, cancelled: cancellation.received() });
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

if (isEntryPoint(import.meta.url)) await runAction();
