/**
 * The docker builder: `docker buildx build --push`, for hosts with a Docker engine or a BuildKit
 * builder (docker/setup-buildx-action).
 *
 * Decisions, and why:
 * - The Dockerfile goes in on standard input (`-f -`) with an empty context folder: the images only
 *   install packages.
 * - Credentials: with an auth file, DOCKER_CONFIG points at a private folder whose config.json
 *   holds those `auths` (the same format) on top of the user's own config (its `credsStore` is
 *   dropped, as it would shadow them). The user's buildx builders, contexts and CLI plugins are
 *   linked in, so the builder selected by setup-buildx-action stays selected.
 * - The digest comes from `--metadata-file` (`containerimage.digest`). `--provenance=false` keeps
 *   one image manifest per build, as buildah pushes; an attestation index would be what the digest
 *   names otherwise.
 * - Plain-HTTP registries: the push and the cache get `registry.insecure=true`. Pulling a *base*
 *   from a plain-HTTP registry is the builder's own configuration (BuildKit's buildkitd.toml
 *   `[registry."host"] http = true`, or the engine's `insecure-registries`), not a build flag.
 * - Layer cache: `type=registry` with `mode=max`, so every step (not only the final image's) is
 *   cached for fresh runners.
 * - Contracts and inventory: BuildKit builds and pushes in one step, with no local image to read
 *   or run commands in between, so they are not checked (a warning says so); buildah checks them.
 *   A verification build (`push: false`) exports nothing (`type=cacheonly`).
 */
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { ExecError, run, stream } from "../exec.js";
import { parseImageReference } from "../grammars/image-ref.js";
import {
  BuildError,
  type Builder,
  type BuilderOptions,
  type BuildRequest,
  type BuildResult,
  buildErrorFrom,
  KILL_GRACE_MS,
  phaseOfStep,
  retryTransient,
} from "./types.js";

/** Files of one build, in a private temp dir. */
export interface DockerFiles {
  context: string;
  metadataFile: string;
}

/** What the user's docker config folder contributes besides credentials. */
const LINKED_ENTRIES = ["buildx", "cli-plugins", "contexts"];
/** BuildKit's plain progress line that starts the export (and push) of the image. */
const EXPORT_STEP = /^#\d+ exporting to image\b/;
/** BuildKit's "#5 [2/3] RUN [...]" (or "[stage 2/3]"): a step starts. */
const STEP_LINE = /^#\d+ \[(?:[^\]\s]+ )?\d+\/\d+\] (.*)$/;

/** Creates the docker (buildx) builder. */
export function dockerBuilder(options: BuilderOptions = {}): Builder {
  const command = options.command ?? "docker";
  return {
    name: "docker",
    version: () => run(command, ["buildx", "version"], options.env ? { env: options.env } : {}),
    async build(request: BuildRequest): Promise<BuildResult> {
      const dir = await mkdtemp(join(tmpdir(), "imagesmith-docker-"));
      try {
        const files: DockerFiles = {
          context: join(dir, "context"),
          metadataFile: join(dir, "metadata.json"),
        };
        await mkdir(files.context);
        const env: Record<string, string> = { ...options.env };
        if (request.authFile !== undefined) {
          const userConfig =
            options.env?.DOCKER_CONFIG ?? process.env.DOCKER_CONFIG ?? join(homedir(), ".docker");
          env.DOCKER_CONFIG = await dockerConfig(join(dir, "config"), request.authFile, userConfig);
        }
        // The push is part of the one command: BuildKit's "exporting to image" step marks it.
        let pushing = false;
        const onLine = (line: string): void => {
          if (!pushing && EXPORT_STEP.test(line)) {
            pushing = true;
            request.onPhase?.("pushing");
          } else {
            const step = STEP_LINE.exec(line);
            if (step && !pushing) {
              const phase = phaseOfStep(step[1] ?? "");
              if (phase) request.onPhase?.(phase);
            }
          }
          request.log(line);
        };
        const attempt = async (): Promise<void> => {
          pushing = false;
          try {
            await stream(command, dockerBuildArguments(request, files), {
              env,
              input: request.dockerfile,
              onLine,
              signal: request.signal,
              killGraceMs: options.killGraceMs ?? KILL_GRACE_MS,
            });
          } catch (error) {
            if (!(error instanceof ExecError)) throw error;
            throw buildErrorFrom(error, "build", {
              ...(error.exitCode === undefined ? {} : { exitCode: error.exitCode }),
              output: error.stderrTail,
              cancelled: error.cancelled,
            });
          }
        };
        // BuildKit keeps the finished steps: an attempt after a transient push failure only pushes.
        await retryTransient(attempt, {
          retries: options.pushRetries,
          baseMs: options.pushRetryBaseMs,
          request,
        });
        // BuildKit builds and pushes in one step, with no image in a local store to read or run
        // in between: the contracts and the inventory need the buildah builder.
        const warnings = request.inspect
          ? [
              "the image's contracts, inventory and SBOM were not checked: they need builder: buildah",
            ]
          : [];
        for (const warning of warnings) request.log(`imagesmith: warning: ${warning}`);
        if (request.push === false) return warnings.length > 0 ? { warnings } : {};
        return {
          digest: await metadataDigest(files.metadataFile),
          ...(warnings.length > 0 ? { warnings } : {}),
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** `docker buildx build ...` for a request: a pure function of it, so it can be read and tested. */
export function dockerBuildArguments(request: BuildRequest, files: DockerFiles): string[] {
  const insecure = new Set(request.insecureRegistries);
  const targetInsecure = [request.ref, ...request.extraRefs].some((ref) =>
    insecure.has(domainOf(ref)),
  );
  const args = [
    "buildx",
    "build",
    "--progress=plain",
    "--provenance=false",
    "--platform",
    request.platform,
  ];
  if (request.push === false) {
    // Built and kept in BuildKit's cache only: a verification build exports nothing.
    args.push("--output", "type=cacheonly");
  } else {
    // With -t, the image exporter takes its names from the tags.
    args.push(
      ...(targetInsecure
        ? ["--output", "type=image,push=true,registry.insecure=true"]
        : ["--push"]),
    );
    for (const ref of [request.ref, ...request.extraRefs]) args.push("--tag", ref);
  }
  if (request.cacheRepo !== undefined) {
    const extra = insecure.has(domainOf(request.cacheRepo)) ? ",registry.insecure=true" : "";
    // A cache export that fails is a warning in BuildKit's output, never a failed image.
    if (!request.cacheReadOnly)
      args.push(
        "--cache-to",
        `type=registry,ref=${request.cacheRepo},mode=max,ignore-error=true${extra}`,
      );
    if (!request.noCache)
      args.push("--cache-from", `type=registry,ref=${request.cacheRepo}${extra}`);
  }
  if (request.noCache) args.push("--no-cache");
  if (request.refreshBase) args.push("--pull");
  for (const [name, value] of Object.entries(request.buildArgs ?? {})) {
    args.push("--build-arg", `${name}=${value}`);
  }
  for (const secret of request.secrets ?? []) {
    args.push("--secret", `id=${secret.id},src=${secret.file}`);
  }
  args.push("--metadata-file", files.metadataFile, "--file", "-", files.context);
  return args;
}

function domainOf(ref: string): string {
  const parsed = parseImageReference(ref);
  return parsed.ok ? parsed.value.domain : (ref.split("/")[0] ?? ref);
}

/**
 * A private docker config folder: the user's config.json with the auth file's `auths` merged in
 * (ours win), and links to the user's buildx state, contexts and plugins.
 */
async function dockerConfig(dir: string, authFile: string, userDir: string): Promise<string> {
  await mkdir(dir, { mode: 0o700 });
  const auth = JSON.parse(await readFile(authFile, "utf8")) as { auths?: Record<string, unknown> };
  let user: Record<string, unknown> = {};
  try {
    user = JSON.parse(await readFile(join(userDir, "config.json"), "utf8")) as Record<
      string,
      unknown
    >;
  } catch {
    // No config of the user's: ours alone.
  }
  const ours = auth.auths ?? {};
  // A credential helper for one of our hosts, or a store for all of them, would shadow our auths.
  const helpers = Object.fromEntries(
    Object.entries((user.credHelpers ?? {}) as Record<string, string>).filter(
      ([host]) => !Object.hasOwn(ours, host),
    ),
  );
  const kept = Object.entries(user).filter(([key]) => key !== "credsStore");
  const config: Record<string, unknown> = {
    ...Object.fromEntries(kept),
    auths: { ...(user.auths as Record<string, unknown> | undefined), ...ours },
    credHelpers: helpers,
  };
  await writeFile(join(dir, "config.json"), JSON.stringify(config, null, 2), { mode: 0o600 });
  for (const entry of LINKED_ENTRIES) {
    const target = join(userDir, entry);
    // A dangling link would stop buildx from creating its state folder.
    if (await exists(target)) await symlink(target, join(dir, entry));
  }
  return dir;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function metadataDigest(file: string): Promise<string> {
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new BuildError(`build pushed no digest: cannot read the buildx metadata file`, false, {
      cause: error,
    });
  }
  const digest = metadata["containerimage.digest"];
  if (typeof digest !== "string" || !digest.startsWith("sha256:")) {
    throw new BuildError(
      `build pushed no digest: the buildx metadata has no containerimage.digest`,
      false,
    );
  }
  return digest;
}
