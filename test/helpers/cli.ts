/** The CLI as a user runs it: the bundled dist/cli.js in its own process. */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export const CLI = join(import.meta.dirname, "../../dist/cli.js");

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** How else to start it: as another user, from a folder, with only the environment given. */
export interface StartOptions {
  cwd?: string;
  uid?: number;
  gid?: number;
  /** The bundle to run (a copy another user can read); default this checkout's. */
  cli?: string;
  /** `env` only, none of the test's own environment. */
  onlyEnv?: boolean;
}

/** Starts `imagesmith ARGS`; `done` resolves when it exits. */
export function startImagesmith(
  args: readonly string[],
  env: Record<string, string> = {},
  options: StartOptions = {},
): { child: ChildProcess; output: () => string; done: Promise<CliRun> } {
  const { cli = CLI, onlyEnv, ...spawnOptions } = options;
  const child = spawn(process.execPath, [cli, ...args], {
    ...spawnOptions,
    env: onlyEnv ? env : { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<CliRun>((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? -1, out, err })),
  );
  return { child, output: () => out + err, done };
}

export function imagesmith(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  return startImagesmith(args, env).done;
}

/** Resolves once `test` holds for the output, or rejects after `ms` with what was printed. */
export async function waitForOutput(
  output: () => string,
  test: RegExp,
  ms = 120_000,
): Promise<void> {
  const started = Date.now();
  while (!test.test(output())) {
    if (Date.now() - started > ms)
      throw new Error(`waited ${ms} ms for ${String(test)}; the output was:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
