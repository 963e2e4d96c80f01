/**
 * The builder port: one module per builder (buildah, docker), picked by `builder` in imagesmith.yaml.
 * A builder builds one rendered Dockerfile and pushes the result; the build stage schedules them.
 */

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
  /** Receives the tool's output, one line at a time (stdout and stderr interleaved). */
  log(line: string): void;
  /** Called when the build is done and the push starts, for progress. */
  onPushing?(): void;
  /** Aborting kills the builder's processes (and their children) within 10 s. */
  signal: AbortSignal;
}

export interface BuildResult {
  /** The digest of the pushed manifest, `sha256:...`. */
  digest: string;
}

/** How a builder is set up: the pipeline passes nothing; tests point it at fakes or a private store. */
export interface BuilderOptions {
  /** The tool's executable; default its name (`buildah`, `docker`), looked up on PATH. */
  command?: string;
  /**
   * More environment for the tool (on top of this process's), e.g. CONTAINERS_STORAGE_CONF for a
   * separate image store or DOCKER_CONFIG for the docker CLI's own config folder.
   */
  env?: Record<string, string>;
  /** How long a cancelled build's processes get between SIGTERM and SIGKILL (default 3000 ms). */
  killGraceMs?: number;
}

export interface Builder {
  readonly name: string;
  /** Builds and pushes; rejects with a BuildError (the exit code and the tail of the output in it). */
  build(request: BuildRequest): Promise<BuildResult>;
}

/** A build that failed or was cancelled. */
export class BuildError extends Error {
  readonly stage = "build";
  constructor(
    message: string,
    readonly cancelled: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "BuildError";
  }
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
  const line = details.output ? failureLine(details.output) : "";
  if (details.exitCode === undefined) {
    const why = error instanceof Error ? error.message : String(error);
    return new BuildError(`${doing} failed: ${line || why}`, false, { cause: error });
  }
  return new BuildError(
    `${doing} failed (exit ${details.exitCode})${line ? `: ${line}` : ""}`,
    false,
    { cause: error },
  );
}
