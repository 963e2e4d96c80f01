/**
 * Runs the bundled Action (dist/index.js) the way the runner does: inputs as INPUT_* variables,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as real files read back afterwards, the event as a payload
 * file, and the GitHub API at a local stand-in.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chown, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ACTION = join(import.meta.dirname, "../../dist/index.js");

export interface ActionEvent {
  name: string;
  ref: string;
  payload: Record<string, unknown>;
}

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export const REPOSITORY = "acme/ml-images";

export function pullRequestEvent(number: number, fromFork = false): ActionEvent {
  return {
    name: "pull_request",
    ref: `refs/pull/${number}/merge`,
    payload: {
      number,
      pull_request: {
        number,
        head: {
          sha: "5eb1c0ffee5eb1c0ffee5eb1c0ffee5eb1c0ffee",
          repo: { full_name: fromFork ? "mallory/ml-images" : REPOSITORY },
        },
        base: { repo: { full_name: REPOSITORY } },
      },
      repository: { full_name: REPOSITORY, default_branch: "main" },
    },
  };
}

export function pushEvent(branch = "main"): ActionEvent {
  return {
    name: "push",
    ref: `refs/heads/${branch}`,
    payload: {
      ref: `refs/heads/${branch}`,
      repository: { full_name: REPOSITORY, default_branch: "main" },
    },
  };
}

export function dispatchEvent(rebuild: string): ActionEvent {
  return {
    name: "workflow_dispatch",
    ref: "refs/heads/main",
    payload: { inputs: { rebuild }, repository: { full_name: REPOSITORY, default_branch: "main" } },
  };
}

export interface StartOptions {
  workspace: string;
  inputs: Record<string, string>;
  event: ActionEvent;
  apiUrl: string;
  env?: Record<string, string>;
  /** The bundled action to run, when not this checkout's (a copy a non-root user can read). */
  action?: string;
  /** Run as this user (a runner's non-root user), not as the test's. */
  user?: { uid: number; gid: number; home: string };
}

/** Starts the action; `done` resolves when it exits, with its outputs and summary read back. */
export async function startAction(
  options: StartOptions,
): Promise<{ child: ChildProcess; output: () => string; done: Promise<ActionRun> }> {
  const dir = await mkdtemp(join(tmpdir(), "imagesmith-runner-"));
  const files = {
    event: join(dir, "event.json"),
    output: join(dir, "output"),
    summary: join(dir, "summary.md"),
  };
  await writeFile(files.event, JSON.stringify(options.event.payload));
  await writeFile(files.output, "");
  await writeFile(files.summary, "");
  if (options.user) {
    const { uid, gid } = options.user;
    await Promise.all([dir, ...Object.values(files)].map((path) => chown(path, uid, gid)));
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: options.user?.home ?? process.env.HOME ?? dir,
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REF: options.event.ref,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: "http://127.0.0.1:9",
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }
  const child = spawn(process.execPath, [options.action ?? ACTION], {
    cwd: options.workspace,
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<ActionRun>((resolve) => {
    child.on("close", (code) => {
      void Promise.all([readFile(files.output, "utf8"), readFile(files.summary, "utf8")]).then(
        ([output, summary]) =>
          resolve({ code: code ?? -1, stdout, stderr, outputs: parseOutputs(output), summary }),
      );
    });
  });
  return { child, output: () => stdout + stderr, done };
}

export async function runAction(options: StartOptions): Promise<ActionRun> {
  return (await startAction(options)).done;
}

/** GITHUB_OUTPUT's format: `name<<DELIMITER`, the value's lines, `DELIMITER`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const match = /^([^=<]+)<<(.+)$/.exec(lines[index] ?? "");
    if (match) {
      const [, name = "", delimiter] = match;
      const value: string[] = [];
      index++;
      while (index < lines.length && lines[index] !== delimiter) value.push(lines[index++] ?? "");
      outputs[name] = value.join("\n");
    } else if (lines[index]?.includes("=")) {
      const at = (lines[index] ?? "").indexOf("=");
      outputs[(lines[index] ?? "").slice(0, at)] = (lines[index] ?? "").slice(at + 1);
    }
  }
  return outputs;
}

/** Workflow-command annotations (`::error file=…,line=…::message`) found in stdout. */
export function annotations(
  stdout: string,
): { level: string; properties: Record<string, string>; message: string }[] {
  const found = [];
  for (const line of stdout.split("\n")) {
    const match = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? "").trim().split(",").filter(Boolean)) {
      const at = pair.indexOf("=");
      properties[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1).replace(/%2C/g, ","));
    }
    found.push({ level: match[1] ?? "", properties, message: decodeURIComponent(match[3] ?? "") });
  }
  return found;
}
