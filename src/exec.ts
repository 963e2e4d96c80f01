import { execa } from "execa";

/**
 * The one door to the outside for processes: argv arrays, never shell strings. Failures become a
 * typed ExecError carrying the command, exit code and the tail of stderr.
 */

export class ExecError extends Error {
  readonly stage = "exec";
  constructor(
    message: string,
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly stderrTail: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ExecError";
  }
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Written to the process's standard input. */
  input?: string;
  timeoutMs?: number;
  /** Strings to blank out of the command line and output in errors (passwords, tokens). */
  secrets?: readonly string[];
}

const STDERR_TAIL = 2000;

/** Runs a command to completion and returns its standard output, trimmed. */
export async function run(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  const command = redact([file, ...args].join(" "), options.secrets);
  try {
    const result = await execa(file, args, {
      cwd: options.cwd,
      env: options.env,
      extendEnv: true,
      input: options.input,
      timeout: options.timeoutMs,
      stripFinalNewline: true,
    });
    return result.stdout;
  } catch (error) {
    const failure = error as {
      exitCode?: number;
      stderr?: unknown;
      shortMessage?: string;
      code?: string;
    };
    const stderr = redact(
      typeof failure.stderr === "string" ? failure.stderr : "",
      options.secrets,
    ).slice(-STDERR_TAIL);
    const why =
      failure.code === "ENOENT"
        ? `${file} is not installed (not found on PATH)`
        : `exited ${failure.exitCode ?? "abnormally"}${stderr ? `: ${stderr.trim().split("\n").slice(-5).join(" / ")}` : ""}`;
    throw new ExecError(`${command}: ${why}`, command, failure.exitCode, stderr, { cause: error });
  }
}

/** Blanks every secret out of a text. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join("***");
  return out;
}
