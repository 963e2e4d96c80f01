import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { execa } from "execa";

/**
 * The one door to the outside for processes: argv arrays, never shell strings. Failures become a
 * typed ExecError carrying the command, exit code and the tail of stderr.
 */

export class ExecError extends Error {
  readonly stage = "exec";
  /** True when the process was stopped because its AbortSignal fired. */
  readonly cancelled: boolean;
  constructor(
    message: string,
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly stderrTail: string,
    options?: { cause?: unknown; cancelled?: boolean },
  ) {
    super(message, options);
    this.name = "ExecError";
    this.cancelled = options?.cancelled ?? false;
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

export interface StreamOptions extends RunOptions {
  /**
   * Receives standard output and standard error interleaved, one line at a time, as they come
   * (secrets already blanked). A line rewritten with carriage returns (a progress counter) arrives
   * once, as a terminal would end up showing it.
   */
  onLine(line: string): void;
  /** Aborting stops the process and every process it started; the promise then rejects with a cancelled ExecError. */
  signal?: AbortSignal;
  /** How long a stopped process tree gets between SIGTERM and SIGKILL (default 3000 ms). */
  killGraceMs?: number;
}

const TAIL_LINES = 60;
const DEFAULT_KILL_GRACE_MS = 3000;

/**
 * Runs a long command (a build, a push), streaming its output line by line. The process leads its
 * own process group so that cancelling (or a timeout) can stop the whole tree it started, including
 * children that left the group; the promise settles only once every one of them is gone. Rejects
 * with an ExecError whose `stderrTail` holds the last lines of output.
 */
export async function stream(
  file: string,
  args: readonly string[],
  options: StreamOptions,
): Promise<void> {
  const command = redact([file, ...args].join(" "), options.secrets);
  const { signal } = options;
  if (signal?.aborted) {
    throw new ExecError(`${command}: cancelled before it started`, command, undefined, "", {
      cancelled: true,
    });
  }
  const tail: string[] = [];
  const emit = (raw: string): void => {
    const line = redact(visibleText(raw), options.secrets);
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    options.onLine(line);
  };

  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    ...(options.input === undefined ? { stdin: "ignore" as const } : { input: options.input }),
    all: true,
    buffer: false,
    reject: false,
    // Its own process group: one signal reaches the tool and everything it runs, and Ctrl-C in a
    // terminal reaches us (who cancel in order) rather than the tool directly.
    detached: true,
  });
  const pid = subprocess.pid;
  if (pid !== undefined) trackGroup(pid);

  const lines = splitLines(subprocess.all, emit);
  let stopping: Promise<void> | undefined;
  let why: "cancelled" | "timed out" | undefined;
  // After the exit its pid may be reused: never signal it then.
  let exited = false;
  subprocess.once("exit", () => {
    exited = true;
  });
  const stop = (reason: "cancelled" | "timed out"): void => {
    if (stopping || pid === undefined || exited) return;
    why = reason;
    stopping = killTree(pid, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
  };
  const onAbort = (): void => stop("cancelled");
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => stop("timed out"), options.timeoutMs);

  let result: Awaited<typeof subprocess>;
  try {
    result = await subprocess;
    await lines;
    if (stopping) await stopping;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (timer) clearTimeout(timer);
    if (pid !== undefined) untrackGroup(pid);
  }

  const stderrTail = tail.join("\n");
  if (why === "cancelled") {
    throw new ExecError(`${command}: cancelled`, command, result.exitCode, stderrTail, {
      cancelled: true,
    });
  }
  if (why === "timed out") {
    throw new ExecError(
      `${command}: timed out after ${options.timeoutMs} ms`,
      command,
      result.exitCode,
      stderrTail,
    );
  }
  if (!result.failed) return;
  const failure = result as { code?: string; exitCode?: number; signal?: string };
  const last = tail.filter((line) => line.trim() !== "").slice(-5);
  const reason =
    failure.code === "ENOENT"
      ? `${file} is not installed (not found on PATH)`
      : `exited ${failure.exitCode ?? `on ${failure.signal ?? "an error"}`}${last.length ? `: ${last.join(" / ")}` : ""}`;
  throw new ExecError(`${command}: ${reason}`, command, failure.exitCode, stderrTail, {
    cause: result,
  });
}

/** Splits a byte stream into lines as they arrive. */
function splitLines(
  source: NodeJS.ReadableStream | undefined | null,
  emit: (line: string) => void,
): Promise<void> {
  if (!source) return Promise.resolve();
  return new Promise((resolve) => {
    const decoder = new StringDecoder("utf8");
    let pending = "";
    source.on("data", (chunk: Buffer) => {
      pending += decoder.write(chunk);
      const parts = pending.split("\n");
      pending = parts.pop() ?? "";
      for (const part of parts) emit(part);
    });
    const finish = (): void => {
      pending += decoder.end();
      if (pending !== "") emit(pending);
      pending = "";
      resolve();
    };
    source.once("end", finish);
    source.once("close", finish);
    source.once("error", finish);
  });
}

/** What a terminal shows of a line rewritten with carriage returns: its last non-empty part. */
function visibleText(raw: string): string {
  const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (!line.includes("\r")) return line;
  const parts = line.split("\r").filter((part) => part !== "");
  return parts[parts.length - 1] ?? "";
}

interface ProcessInfo {
  pid: number;
  /** The command name, as the kernel keeps it (at most 15 characters). */
  comm: string;
  ppid: number;
  pgid: number;
  state: string;
  startTime: string;
}

/**
 * Stops a process group led by `root` and every descendant (those that made their own session
 * too), in the order that lets the tool clean up after itself: SIGTERM to the tool alone first
 * (buildah then stops its build step and removes its working container, but leaves the step's own
 * processes running); once it has exited, or after `graceMs`, SIGTERM to the whole group and every
 * descendant seen; SIGKILL to whatever is left `graceMs` later. Descendants are remembered with
 * their start time, so a child reparented to init when its parent died is still found, and a
 * recycled pid is never hit. Resolves once all are gone (zombies count as gone: only their parent
 * can reap them) or a few seconds after SIGKILL.
 */
async function killTree(root: number, graceMs: number): Promise<void> {
  const tracked = new Map<number, string>();
  let table = await processTable();
  // Look before signalling: once the root dies, its children are reparented and untraceable.
  collect(table, root, tracked);
  let phase: "root" | "tree" | "kill" = "root";
  let phaseEnds = Date.now() + graceMs;
  signalProcess(root, "SIGTERM");
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    table = await processTable();
    collect(table, root, tracked);
    const alive = [...tracked]
      .filter(([pid, start]) => {
        const info = table.get(pid);
        return info !== undefined && info.startTime === start && info.state !== "Z";
      })
      .map(([pid]) => pid);
    if (alive.length === 0) return;
    const now = Date.now();
    if (phase === "root" && (!alive.includes(root) || now >= phaseEnds)) {
      phase = "tree";
      phaseEnds = now + graceMs;
    } else if (phase === "tree" && now >= phaseEnds) {
      phase = "kill";
      phaseEnds = now + 5000;
    } else if (phase === "kill" && now >= phaseEnds) {
      return;
    }
    if (phase === "root") continue;
    const signal = phase === "kill" ? "SIGKILL" : "SIGTERM";
    // The group also reaches members not seen yet; only while its leader lives is its id surely ours.
    if (alive.includes(root)) signalGroup(root, signal);
    for (const pid of alive) signalProcess(pid, signal);
  }
}

/** Adds to `tracked` the group's members and the descendants of everything tracked. */
function collect(
  table: Map<number, ProcessInfo>,
  root: number,
  tracked: Map<number, string>,
): void {
  const rootInfo = table.get(root);
  if (rootInfo && !tracked.has(root)) tracked.set(root, rootInfo.startTime);
  let grew = true;
  while (grew) {
    grew = false;
    for (const info of table.values()) {
      if (tracked.has(info.pid)) continue;
      const parentStart = tracked.get(info.ppid);
      const child = parentStart !== undefined && table.get(info.ppid)?.startTime === parentStart;
      if (child || info.pgid === root) {
        tracked.set(info.pid, info.startTime);
        grew = true;
      }
    }
  }
}

async function processTable(): Promise<Map<number, ProcessInfo>> {
  const table = new Map<number, ProcessInfo>();
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return table; // No procfs: the group signal is all there is.
  }
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        try {
          const info = parseStat(await readFile(`/proc/${entry}/stat`, "utf8"));
          if (info) table.set(info.pid, info);
        } catch {
          // Gone between readdir and read.
        }
      }),
  );
  return table;
}

/** `/proc/PID/stat`: the command name is in parentheses and may itself hold spaces and parentheses. */
function parseStat(text: string): ProcessInfo | undefined {
  const close = text.lastIndexOf(")");
  const pid = Number.parseInt(text, 10);
  const fields = text.slice(close + 2).split(" ");
  // After the name: state(3) ppid(4) pgrp(5) ... starttime(22), counted from 1 with pid and comm.
  const [state, ppid, pgid] = fields;
  const startTime = fields[19];
  if (state === undefined || ppid === undefined || pgid === undefined || startTime === undefined) {
    return undefined;
  }
  const comm = text.slice(text.indexOf("(") + 1, close);
  return { pid, comm, ppid: Number(ppid), pgid: Number(pgid), state, startTime };
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  signalProcess(-pgid, signal);
}

/** Sends `signal` to a process (or, for a negative pid, a process group) that may have ended. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** Process groups still running, killed if this process exits without waiting for them. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A detached group outlives us unless told otherwise; an exit handler may only do sync work.
  process.once("exit", () => {
    for (const group of liveGroups) signalGroup(group, "SIGKILL");
  });
}

function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

/** A command that writes to this process's own standard output and error, in a group of its own. */
export interface HandedOver {
  /** Its process group (its pid): everything it starts, unless that leaves the group. */
  group: number;
  /** Its exit status, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a command that takes over this process's output (imagesmith run again, say), leading its
 * own process group so that the caller decides where signals go. It reads this process's standard
 * input unless that is a terminal: a background process group reading one would be stopped.
 */
export function handOver(
  file: string,
  args: readonly string[],
  options: { env: Record<string, string | undefined> },
): HandedOver {
  const child = spawn(file, args, {
    env: options.env,
    detached: true,
    stdio: [process.stdin.isTTY ? "ignore" : "inherit", "inherit", "inherit"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (done, fail) => {
      child.once("error", (error: NodeJS.ErrnoException) =>
        fail(
          error.code === "ENOENT"
            ? new Error(`${file} is not installed (not found on PATH)`)
            : error,
        ),
      );
      child.once("exit", (code, signal) => done({ code, signal }));
    },
  );
  return { group: child.pid ?? -1, exited };
}

/** The processes of process group `group`, with their command names (from /proc). */
export async function groupMembers(group: number): Promise<{ pid: number; comm: string }[]> {
  if (group <= 0) return [];
  return [...(await processTable()).values()]
    .filter((info) => info.pgid === group)
    .map(({ pid, comm }) => ({ pid, comm }));
}

/** Resolves when no process of `group` is left, or after `ms`. */
export async function groupEnded(group: number, ms: number): Promise<void> {
  if (group <= 0) return;
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      process.kill(-group, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) return;
    await new Promise((done) => setTimeout(done, 50));
  }
}
