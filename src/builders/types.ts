/**
 * The builder port: one module per builder (buildah, docker), picked by `builder` in imagesmith.yaml.
 * A builder builds one rendered Dockerfile and pushes the result; the build stage schedules them.
 */
import { backoffDelay, sleep } from "../backoff.js";

export interface BuildRequest {
  /** The image name, for messages. */
  name: string;
  /** The rendered Dockerfile (content, not a path). */
  dockerfile: string;
  /** Where to push: the recipe-hash reference, e.g. `registry.acme/images/ds:0123456789abcdef`. */
  ref: string;
  /** More references to push the same image to (the moving tag, e.g. `...:latest`). */
  extraRefs: string[];
  /** A repository for the registry layer cache (`--cache-to` / `--cache-from`); none when undefined. */
  cacheRepo?: string;
  /** Only read the layer cache (`--cache-from`), never write it: a build that pushes nothing. */
  cacheReadOnly?: boolean;
  /** HOST[:PORT] of registries spoken to over plain HTTP (pull and push). */
  insecureRegistries: string[];
  /** os/arch[/variant]. */
  platform: string;
  /**
   * A containers auth.json (`{"auths": {...}}`) with the credentials the build needs, written by the
   * caller with mode 0600 in a private temp dir. Passed to the tool through the environment
   * (REGISTRY_AUTH_FILE / DOCKER_CONFIG), never on a command line.
   */
  authFile?: string;
  /** Build arguments (values are not secret: they appear in the image history). */
  buildArgs?: Record<string, string>;
  /**
   * Build secrets: files a `RUN --mount=type=secret,id=ID` step reads, passed as `--secret
   * id=ID,src=FILE`; never kept in the image, its config or its history.
   */
  secrets?: { id: string; file: string }[];
  /**
   * Rebuild: run every step again, reusing no cached layer (local or from the layer cache), so
   * that unpinned packages are installed anew. The fresh layers still go to the layer cache.
   */
  noCache?: boolean;
  /**
   * The base is a catalog image this run does not build (`FROM <parent>:<recipe tag>`): its tag may
   * have moved since this machine last pulled it (a forced rebuild elsewhere), so it is pulled
   * again rather than taken from the local store.
   */
  refreshBase?: boolean;
  /**
   * A folder for the package managers' download caches (apt archives and lists, pip's and conda's
   * downloads), mounted into the package steps (`RUN --mount=type=cache`) and never part of the
   * image. Builders whose cache mounts live elsewhere (BuildKit keeps them in its own state) ignore it.
   */
  packageCache?: string;
  /**
   * false: build into the builder's local store and push nothing (a verification build, which
   * needs no push credentials); the result then has no digest. Default true.
   */
  push?: boolean;
  /**
   * Called once the image is built and before anything is pushed, with the image in the local
   * store: the contracts and the inventory read it. Rejecting stops the build there: nothing is
   * pushed, and the rejection is the build's failure (a BuildError says why in one line).
   */
  inspect?(image: BuiltImage, log: (line: string) => void): Promise<void>;
  /** Receives the tool's output, one line at a time (stdout and stderr interleaved). */
  log(line: string): void;
  /** Called as the build moves on (pulling the base, each package step, pushing), for progress. */
  onPhase?(phase: BuildPhase): void;
  /** Aborting kills the builder's processes (and their children) within 2 s and removes what they left. */
  signal: AbortSignal;
}

/** What a build is doing: progress shows it. */
export type BuildPhase = "pulling" | "apt" | "conda" | "pip" | "building" | "checking" | "pushing";

/** A built image in the builder's local store, before it is pushed: what verification reads and runs. */
export interface BuiltImage {
  /** Its filesystem, mounted: read it (never write it) while `inspect` runs. */
  root: string;
  /** Its config as built: the user it runs as, its environment and labels. */
  config: { user?: string; env: string[]; labels: Record<string, string> };
  /** The sum of its layers' unpacked sizes, in bytes; undefined when the store does not say. */
  unpackedBytes?: number;
  /**
   * Runs `/bin/sh -c command` inside the image, as its user, with no network, stopped after
   * `timeoutMs`. Never rejects for the command's sake: its exit code and output come back.
   */
  run(command: string, options: { timeoutMs: number }): Promise<CommandOutcome>;
}

export interface CommandOutcome {
  /** Undefined when it was stopped (timed out) or could not be started. */
  exitCode?: number;
  /** Its last lines of output, standard output and error interleaved. */
  output: string;
  timedOut: boolean;
}

export interface BuildResult {
  /** The digest of the pushed manifest, `sha256:...`; absent when nothing was pushed (`push: false`). */
  digest?: string;
  /** What went wrong without failing the image (a layer-cache push that failed), one line each. */
  warnings?: string[];
}

/**
 * The phase a build step is in, from the step's instruction as the tool prints it (`FROM ...`,
 * `RUN ["/bin/sh", "-c", "apt-get update && ..."]`): the package steps are recognised by the
 * tool the rendered RUN calls.
 */
export function phaseOfStep(instruction: string): BuildPhase | undefined {
  if (/^FROM\b/i.test(instruction)) return "pulling";
  // USER, ARG, LABEL: metadata, over in an instant; the build stays in the phase it was in.
  if (!/^RUN\b/i.test(instruction)) return undefined;
  if (/\bapt-get\b/.test(instruction)) return "apt";
  if (/\bconda install\b/.test(instruction)) return "conda";
  if (/\bpip install\b/.test(instruction)) return "pip";
  return "building";
}

/**
 * Whether a builder command's failure looks transient (worth another attempt): a registry's 5xx
 * or 429 answer, a connection reset, refused or timed out, or buildah's chroot run failing to seal
 * the memfd copy of itself (EBUSY, before the step's command starts). Refusals (401, 403, 404,
 * invalid manifests) and failed steps are not: a retry would only repeat them.
 */
export function isTransientFailure(output: string): boolean {
  return TRANSIENT.test(output) || /sealing memfd copy: Device or resource busy/.test(output);
}

/** How long a cancelled build's processes get between SIGTERM and SIGKILL: a cancel is over in 2 s. */
export const KILL_GRACE_MS = 600;
const DEFAULT_RETRIES = 3;
const DEFAULT_RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 8000;

/**
 * Runs a builder command that talks to registries (a push; a build that pulls and pushes its cache)
 * again after a transient failure, with backoff, each retry said in the log; a refusal, a cancel or
 * the last attempt's failure is thrown as it came.
 */
export async function retryTransient(
  attempt: () => Promise<void>,
  options: {
    retries?: number | undefined;
    baseMs?: number | undefined;
    request: Pick<BuildRequest, "log" | "signal">;
  },
): Promise<void> {
  const retries = Math.max(0, options.retries ?? DEFAULT_RETRIES);
  const { request } = options;
  for (let tries = 0; ; tries++) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (
        !(error instanceof BuildError) ||
        error.cancelled ||
        tries >= retries ||
        !isTransientFailure(error.output)
      )
        throw error;
      const wait = backoffDelay(tries, options.baseMs ?? DEFAULT_RETRY_BASE_MS, RETRY_MAX_MS);
      request.log(
        `imagesmith: ${error.message}; trying again in ${(wait / 1000).toFixed(1)} s (attempt ${tries + 2} of ${retries + 1})`,
      );
      try {
        await sleep(wait, request.signal);
      } catch {
        throw new BuildError(`${error.message.replace(/ failed\b.*/, "")} cancelled`, true);
      }
    }
  }
}

const TRANSIENT =
  /\b(?:500|502|503|504|429)\b|Service Unavailable|Bad Gateway|Gateway Time-?out|Internal Server Error|Too Many Requests|connection reset|broken pipe|unexpected EOF|: EOF\b|i\/o timeout|TLS handshake timeout|connection refused|Client\.Timeout|timeout awaiting|temporary failure in name resolution/i;

/** How a builder is set up: the pipeline passes nothing; tests point it at fakes or a private store. */
export interface BuilderOptions {
  /** The tool's executable; default its name (`buildah`, `docker`), looked up on PATH. */
  command?: string;
  /**
   * More environment for the tool (on top of this process's), e.g. CONTAINERS_STORAGE_CONF for a
   * separate image store or DOCKER_CONFIG for the docker CLI's own config folder.
   */
  env?: Record<string, string>;
  /** How long a cancelled build's processes get between SIGTERM and SIGKILL (default 600 ms). */
  killGraceMs?: number;
  /** Pushes (and rebuilds after a failed layer-cache push) after the first attempt (default 3). */
  pushRetries?: number;
  /** First wait before another push attempt, doubled each time, with jitter (default 1000 ms). */
  pushRetryBaseMs?: number;
}

export interface Builder {
  readonly name: string;
  /** The tool's version line (`buildah version 1.28.2 ...`); rejects when it is not installed. */
  version?(): Promise<string>;
  /** Builds and pushes; rejects with a BuildError (the exit code and the tail of the output in it). */
  build(request: BuildRequest): Promise<BuildResult>;
}

/** A build that failed or was cancelled. */
export class BuildError extends Error {
  readonly stage = "build";
  constructor(
    message: string,
    readonly cancelled: boolean,
    options?: { cause?: unknown; output?: string },
  ) {
    super(message, options);
    this.name = "BuildError";
    this.output = options?.output ?? "";
  }
  /** The last lines the tool printed (secrets blanked), for telling a transient failure. */
  readonly output: string;
}

/** Lines a tool prints when it gives up, which repeat the failure without saying what it was. */
const WRAP_UP_LINES = [
  /^subprocess exited/i,
  /^(?:Error: )?(?:error )?building at STEP/i,
  /^ERROR: failed to solve/i,
  /^ERROR: process .* did not complete successfully/i,
  /^-{4,}$/,
];
const ERROR_LINE =
  /^(?:E:|ERROR\b|Error\b|error\b|fatal\b|FATAL\b|[A-Za-z]*(?:Error|Exception)\b|Unable to|Could not|No matching distribution)/;
/** BuildKit's plain progress prefixes: `#7 1.234 ` (step and seconds) or a bare ` 1.234 `. */
const BUILDKIT_PREFIX = /^(?:#\d+\s+)?(?:\d+\.\d+\s+)?/;
const MAX_LINE = 300;

/**
 * The one line of a failed tool's output that says what went wrong: the last error-looking line
 * that is not the tool's own wrap-up ("E: Unable to locate package nosuchpkg" rather than
 * `error building at STEP "RUN ..."`), else the last line that mentions an error, else the last.
 */
export function failureLine(output: string): string {
  const lines = output
    .split("\n")
    .map((line) => line.replace(BUILDKIT_PREFIX, "").trim())
    .filter((line) => line !== "");
  const wrapUp = (line: string): boolean => WRAP_UP_LINES.some((pattern) => pattern.test(line));
  const found =
    lines.findLast((line) => ERROR_LINE.test(line) && !wrapUp(line)) ??
    lines.findLast((line) => /error/i.test(line)) ??
    lines[lines.length - 1] ??
    "";
  const line = found.replace(/^Error:\s*/, "");
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}

/**
 * Turns a failure of one of the builder's commands into a BuildError: "build failed (exit 100):
 * E: Unable to locate package nosuchpkg", "push to REF failed (exit 1): ...", or a cancelled one.
 */
export function buildErrorFrom(
  error: unknown,
  doing: string,
  details: { exitCode?: number; output?: string; cancelled?: boolean },
): BuildError {
  if (details.cancelled) return new BuildError(`${doing} cancelled`, true, { cause: error });
  const output = details.output ?? "";
  const line = output ? failureLine(output) : "";
  if (details.exitCode === undefined) {
    const why = error instanceof Error ? error.message : String(error);
    return new BuildError(`${doing} failed: ${line || why}`, false, { cause: error, output });
  }
  return new BuildError(
    `${doing} failed (exit ${details.exitCode})${line ? `: ${line}` : ""}`,
    false,
    { cause: error, output },
  );
}
