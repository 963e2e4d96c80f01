/**
 * The buildah builder: daemonless, on GitHub's ubuntu runners by default.
 *
 * Decisions, and why:
 * - `--isolation chroot`, always: buildah's default (OCI runtime) isolation needs namespaces and
 *   cgroups a CI container seldom grants; chroot isolation works as root in an unprivileged
 *   container (and in this project's CI). The images only install packages, which chroot
 *   isolation runs fine.
 * - `--layers`: every step is kept as a local image, so a rebuild reuses the unchanged steps
 *   ("Using cache"); the local layers are kept after the build for that reason.
 * - `--force-rm`: the working container of a failed step is removed too. A cancelled buildah is
 *   killed before it can remove its own: each build carries a marker (`--add-host`, recorded in
 *   every working container it makes), and a cancelled build removes exactly the containers with
 *   its marker.
 * - `--pull=missing`: registry bases are pinned by digest, so what is in the local store is exactly
 *   what the registry holds; no round trip to check for "newer". A catalog parent is named by its
 *   recipe tag, which a forced rebuild elsewhere moves: when this run did not build the parent,
 *   `--pull=always` checks it again.
 * - `--no-cache` for a forced rebuild: the package steps run again (unpinned packages get today's
 *   version); `--cache-to` still takes the fresh steps.
 * - Package download caches: the rendered steps mount `type=cache` folders, which buildah keeps
 *   under `$TMPDIR/buildah-cache`. Each build gets a TMPDIR of its own (big temporary files go
 *   there too, then away with it) whose `buildah-cache` links to the shared package cache folder.
 * - Pushes are retried on transient registry failures; a failed `--cache-to` push builds again
 *   from the local layers without it, and is a warning, never a failed image.
 * - The host's platform is not named (`--platform`): buildah would warn about TARGET* build
 *   arguments not used on every build.
 * - Plain-HTTP registries: buildah's `--tls-verify` is one switch for the whole command (base pull,
 *   cache, push alike), so it would also drop TLS for public registries. Instead the build gets its
 *   own registries.conf (CONTAINERS_REGISTRIES_CONF) that adds `insecure = true` entries for exactly
 *   the configured registries on top of the registries.conf in effect (a v1-format file cannot be
 *   mixed with them and is left out). `--tls-verify` is never passed, so that file decides.
 * - Layer cache: `--cache-to` and `--cache-from` name the same repository: each step's image is
 *   pushed there under its cache key, and a fresh runner pulls the steps it would otherwise run.
 *   A cache repository that does not exist yet is not an error.
 * - Credentials only through REGISTRY_AUTH_FILE in the tool's environment, never `--creds`
 *   (command lines are visible to every user of the machine and end up in logs).
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ExecError, run, stream } from "../exec.js";
import {
  BuildError,
  type Builder,
  type BuilderOptions,
  type BuildRequest,
  type BuildResult,
  buildErrorFrom,
  type CommandOutcome,
  failureLine,
  KILL_GRACE_MS,
  phaseOfStep,
  retryTransient,
} from "./types.js";

/** Files of one build, in a private temp dir. */
export interface BuildahFiles {
  dockerfile: string;
  /** The build context: an empty folder (the images only install packages). */
  context: string;
  digestFile: string;
  /**
   * A hostname added to the build's /etc/hosts (`--add-host`), unique to this build: buildah records
   * it in every working container the build makes, which is how a cancelled build finds exactly its
   * own containers to remove.
   */
  marker?: string;
}

/** buildah's message when a `--cache-to` push fails; the build itself was fine. */
const CACHE_PUSH_FAILED = /failed pushing cache to/;
/** buildah's "STEP 2/4: RUN [...]": a step starts. */
const STEP_LINE = /^STEP \d+\/\d+: (.*)$/;

/** Creates the buildah builder. */
export function buildahBuilder(options: BuilderOptions = {}): Builder {
  const command = options.command ?? "buildah";
  const retry = { retries: options.pushRetries, baseMs: options.pushRetryBaseMs };
  return {
    name: "buildah",
    version: () => run(command, ["--version"], { env: { ...options.env } }),
    async build(request: BuildRequest): Promise<BuildResult> {
      const env: Record<string, string> = { ...options.env };
      // Beside buildah's own big temporary files (/var/tmp by default), not in a /tmp that may be RAM.
      const dir = await mkdtemp(
        join(env.TMPDIR || process.env.TMPDIR || "/var/tmp", "imagesmith-buildah-"),
      );
      const marker = `imagesmith-build-${randomBytes(8).toString("hex")}`;
      const warnings: string[] = [];
      try {
        const files: BuildahFiles = {
          dockerfile: join(dir, "Dockerfile"),
          context: join(dir, "context"),
          digestFile: join(dir, "digest"),
          marker,
        };
        await mkdir(files.context);
        await writeFile(files.dockerfile, request.dockerfile);
        if (request.authFile !== undefined) env.REGISTRY_AUTH_FILE = request.authFile;
        if (request.insecureRegistries.length > 0) {
          const conf = join(dir, "registries.conf");
          const inherited = await inheritedRegistriesConf(options.env);
          await writeFile(conf, registriesConf(request.insecureRegistries, inherited));
          env.CONTAINERS_REGISTRIES_CONF = conf;
        }
        if (request.packageCache !== undefined)
          env.TMPDIR = await packageCacheTmpdir(join(dir, "tmp"), request.packageCache);

        const onLine = (line: string): void => {
          const step = STEP_LINE.exec(line);
          if (step) {
            const phase = phaseOfStep(step[1] ?? "");
            if (phase) request.onPhase?.(phase);
          }
          request.log(line);
        };
        async function step(doing: string, args: string[]): Promise<void> {
          try {
            await stream(command, args, {
              env,
              onLine,
              signal: request.signal,
              killGraceMs: options.killGraceMs ?? KILL_GRACE_MS,
            });
          } catch (error) {
            if (!(error instanceof ExecError)) throw error;
            throw buildErrorFrom(error, doing, {
              ...(error.exitCode === undefined ? {} : { exitCode: error.exitCode }),
              output: error.stderrTail,
              cancelled: error.cancelled,
            });
          }
        }
        const retried = (doing: string, args: string[]): Promise<void> =>
          retryTransient(() => step(doing, args), { ...retry, request });

        try {
          let cacheFailure: BuildError | undefined;
          await retryTransient(
            async () => {
              try {
                await step("build", buildahBuildArguments(request, files));
              } catch (error) {
                // Only the layer cache could not take the steps (not worth retrying the build).
                if (
                  !(error instanceof BuildError) ||
                  error.cancelled ||
                  request.cacheRepo === undefined ||
                  !CACHE_PUSH_FAILED.test(error.output)
                )
                  throw error;
                cacheFailure = error;
              }
            },
            { ...retry, request },
          );
          if (cacheFailure) {
            // The image is built: build it again from the local layers (every step is cached now)
            // without pushing the cache, which gives buildah the image to push.
            const warning = `the layer cache ${request.cacheRepo ?? ""} was not updated (${failureLine(cacheFailure.output)}); the image is built and pushed without it`;
            warnings.push(warning);
            request.log(`imagesmith: warning: ${warning}`);
            await retried(
              "build",
              buildahBuildArguments({ ...request, cacheRepo: undefined, noCache: false }, files),
            );
          }
          if (request.inspect) {
            request.onPhase?.("checking");
            const unchecked = await inspectBuilt(command, env, request, marker);
            if (unchecked) {
              warnings.push(unchecked);
              request.log(`imagesmith: warning: ${unchecked}`);
            }
          }
          if (request.push === false) return warnings.length > 0 ? { warnings } : {};
          request.onPhase?.("pushing");
          await retried(
            `push to ${request.ref}`,
            buildahPushArguments(request.ref, request.ref, files),
          );
          for (const extra of request.extraRefs) {
            await retried(`push to ${extra}`, buildahPushArguments(request.ref, extra));
          }
        } catch (error) {
          // A cancelled buildah is killed before it can remove its working containers: remove
          // this build's. (A build that fails on its own removes them: --force-rm.)
          if (request.signal.aborted || (error instanceof BuildError && error.cancelled))
            await removeContainers(command, env, marker, request.log);
          throw error;
        }
        const digest = (await readFile(files.digestFile, "utf8")).trim();
        return { digest, ...(warnings.length > 0 ? { warnings } : {}) };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The lines buildah adds when a `buildah run` command fails, which only repeat its exit status. */
const RUN_WRAP_UP = /^(?:subprocess exited with status \d+|Error: exit status \d+)$/;
/** How many lines of a contract command's output are kept. */
const COMMAND_TAIL_LINES = 40;

/**
 * Hands the built image to `request.inspect`: a working container of it (carrying the build's
 * marker, so a cancel removes it too), mounted, with its config and unpacked size, and a way to
 * run commands in it with no network; the container is removed afterwards.
 *
 * No network: buildah's chroot isolation cannot make a network namespace itself ("cannot set
 * --network other than host"), so as root the run goes through `unshare --net`, which gives it a
 * namespace with nothing but a loopback device that is down. Without root, the doors run inside
 * `buildah unshare` (see needsBuildahNamespace), where the user is root of a user namespace and
 * `unshare --net` works the same.
 */
async function inspectBuilt(
  command: string,
  env: Record<string, string>,
  request: BuildRequest,
  marker: string,
): Promise<string | undefined> {
  const quiet = { env };
  let container: string;
  let root: string;
  // The image is built: if buildah cannot open it for reading (rootless buildah cannot mount
  // outside `buildah unshare`, and IMAGESMITH_USERNS=off keeps the doors out of it), the build
  // stands and says what was not checked.
  try {
    container = await run(
      command,
      ["from", "--quiet", "--pull=never", "--add-host", `${marker}:127.0.0.1`, request.ref],
      quiet,
    );
  } catch (error) {
    return uncheckedBecause(error);
  }
  try {
    try {
      root = await run(command, ["mount", container], quiet);
    } catch (error) {
      return uncheckedBecause(error);
    }
    const inspected = JSON.parse(
      await run(command, ["inspect", "--type", "image", request.ref], quiet),
    ) as { FromImageID?: string; OCIv1?: { config?: ImageConfigJson } };
    const config = inspected.OCIv1?.config ?? {};
    const unpackedBytes = await storedImageSize(command, env, inspected.FromImageID);
    await request.inspect?.(
      {
        root,
        config: {
          ...(config.User ? { user: config.User } : {}),
          env: Array.isArray(config.Env) ? config.Env.filter((e) => typeof e === "string") : [],
          labels: config.Labels && typeof config.Labels === "object" ? { ...config.Labels } : {},
        },
        ...(unpackedBytes === undefined ? {} : { unpackedBytes }),
        run: (line, options) => runInContainer(command, env, container, line, options, request),
      },
      request.log,
    );
    return undefined;
  } finally {
    await run(command, ["rm", container], quiet).catch(() => undefined);
  }
}

/** The warning of an image whose contracts and inventory could not be read. */
function uncheckedBecause(error: unknown): string {
  const why =
    error instanceof ExecError ? failureLine(error.stderrTail) || error.message : String(error);
  const hint =
    process.getuid?.() === 0
      ? ""
      : " (rootless buildah opens images only inside `buildah unshare`, where imagesmith runs itself unless IMAGESMITH_USERNS=off)";
  return `the image's contracts, inventory and SBOM were not checked: buildah could not open it (${why})${hint}`;
}

interface ImageConfigJson {
  User?: string;
  Env?: unknown[];
  Labels?: Record<string, string> | null;
}

async function runInContainer(
  command: string,
  env: Record<string, string>,
  container: string,
  line: string,
  options: { timeoutMs: number },
  request: Pick<BuildRequest, "signal">,
): Promise<CommandOutcome> {
  const isolated = {
    file: "unshare",
    args: ["--net", "--", command, "run", "--isolation", "chroot", container, "--"],
  };
  const lines: string[] = [];
  try {
    await stream(isolated.file, [...isolated.args, "/bin/sh", "-c", line], {
      env,
      onLine: (text) => {
        if (RUN_WRAP_UP.test(text.trim())) return;
        lines.push(text);
        if (lines.length > COMMAND_TAIL_LINES) lines.shift();
      },
      signal: request.signal,
      timeoutMs: options.timeoutMs,
      killGraceMs: KILL_GRACE_MS,
    });
    return { exitCode: 0, output: lines.join("\n"), timedOut: false };
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    if (error.cancelled) throw buildErrorFrom(error, "check", { cancelled: true });
    const timedOut = /timed out after/.test(error.message);
    return {
      ...(timedOut || error.exitCode === undefined ? {} : { exitCode: error.exitCode }),
      output: lines.join("\n") || error.message,
      timedOut,
    };
  }
}

/** Where buildah's store is, from `buildah info`: the graph root and the driver's name. */
async function storeOf(
  command: string,
  env: Record<string, string>,
): Promise<{ root: string; driver: string } | undefined> {
  const info = JSON.parse(await run(command, ["info"], { env })) as {
    store?: { GraphRoot?: string; GraphDriverName?: string };
  };
  const root = info.store?.GraphRoot;
  const driver = info.store?.GraphDriverName;
  return root && driver ? { root, driver } : undefined;
}

/**
 * An image's unpacked size: the uncompressed sizes (`diff-size`) of its layer chain, as the store
 * records them (`<graphroot>/<driver>-images/images.json` names the top layer, `-layers/layers.json`
 * each layer's parent). buildah prints sizes only rounded for people; walking the mounted tree
 * would cost seconds on a big image. Undefined when the records cannot be read.
 */
async function storedImageSize(
  command: string,
  env: Record<string, string>,
  imageId: string | undefined,
): Promise<number | undefined> {
  if (!imageId || !/^[0-9a-f]{64}$/.test(imageId)) return undefined;
  try {
    const store = await storeOf(command, env);
    if (!store) return undefined;
    const read = async (file: string): Promise<unknown> =>
      JSON.parse(await readFile(join(store.root, file), "utf8"));
    const images = (await read(`${store.driver}-images/images.json`)) as {
      id?: string;
      layer?: string;
    }[];
    const layers = (await read(`${store.driver}-layers/layers.json`)) as {
      id?: string;
      parent?: string;
      "diff-size"?: number;
    }[];
    const byId = new Map(layers.map((layer) => [layer.id, layer]));
    let layer = byId.get(images.find((image) => image.id === imageId)?.layer);
    let total = 0;
    for (let depth = 0; layer && depth < 1000; depth++) {
      if (typeof layer["diff-size"] !== "number") return undefined;
      total += layer["diff-size"];
      layer = layer.parent ? byId.get(layer.parent) : undefined;
    }
    return layer === undefined && total > 0 ? total : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A TMPDIR for buildah whose `buildah-cache` (where `RUN --mount=type=cache` folders live; named
 * `buildah-cache-<uid>` by newer buildah) is the package cache folder. The rest of TMPDIR is the
 * build's own, removed with it, so the cache folder holds nothing but the caches.
 */
async function packageCacheTmpdir(tmp: string, cache: string): Promise<string> {
  await mkdir(cache, { recursive: true });
  await mkdir(tmp);
  const uid = process.getuid?.() ?? 0;
  for (const name of ["buildah-cache", `buildah-cache-${uid}`])
    await symlink(cache, join(tmp, name));
  return tmp;
}

/**
 * Removes the working containers a build left, found by its marker (see BuildahFiles.marker):
 * exactly those, never another build's or the user's. `buildah inspect` does not show a
 * container's build options, so they are read from the container's own record in the store
 * (`<graphroot>/<driver>-containers/<id>/userdata/buildah.json`); a container whose record
 * cannot be read is left alone. Best effort: a failure is logged, never thrown.
 */
async function removeContainers(
  command: string,
  env: Record<string, string>,
  marker: string,
  log: (line: string) => void,
): Promise<void> {
  try {
    const store = await storeOf(command, env);
    if (!store) return;
    const { root, driver } = store;
    const listed = JSON.parse((await run(command, ["containers", "--json"], { env })) || "[]") as
      { id: string; builder?: boolean }[] | null;
    const ours: string[] = [];
    for (const container of listed ?? []) {
      if (container.builder === false || !/^[0-9a-f]{64}$/.test(container.id)) continue;
      const record = join(root, `${driver}-containers`, container.id, "userdata", "buildah.json");
      const state = await readFile(record, "utf8").then(
        (text) => JSON.parse(text) as { CommonBuildOpts?: { AddHost?: unknown } },
        () => undefined,
      );
      const hosts = state?.CommonBuildOpts?.AddHost;
      if (Array.isArray(hosts) && hosts.includes(`${marker}:127.0.0.1`)) ours.push(container.id);
    }
    if (ours.length === 0) return;
    await run(command, ["rm", ...ours], { env });
    log(
      `imagesmith: removed the ${ours.length} working container${ours.length === 1 ? "" : "s"} the cancelled build left`,
    );
  } catch (error) {
    log(`imagesmith: could not remove the build's working containers: ${(error as Error).message}`);
  }
}

/** `buildah build ...` for a request: a pure function of it, so it can be read and tested. */
export function buildahBuildArguments(request: BuildRequest, files: BuildahFiles): string[] {
  // Bases are pinned by digest, so the local copy is the registry's; a catalog parent's tag is
  // checked again (refreshBase) when this run did not build it.
  const pull = request.refreshBase ? "--pull=always" : "--pull=missing";
  const args = ["build", "--layers", "--force-rm", "--isolation", "chroot", pull];
  // Naming the host's own platform only makes buildah warn about TARGET* build args not used.
  if (request.platform !== hostPlatform()) args.push("--platform", request.platform);
  if (request.noCache) args.push("--no-cache");
  if (files.marker !== undefined) args.push("--add-host", `${files.marker}:127.0.0.1`);
  for (const [name, value] of Object.entries(request.buildArgs ?? {})) {
    args.push("--build-arg", `${name}=${value}`);
  }
  for (const secret of request.secrets ?? []) {
    args.push("--secret", `id=${secret.id},src=${secret.file}`);
  }
  if (request.cacheRepo !== undefined) {
    // A rebuild reads no cache, but its fresh steps replace the cached ones.
    if (!request.noCache) args.push("--cache-from", request.cacheRepo);
    if (!request.cacheReadOnly) args.push("--cache-to", request.cacheRepo);
  }
  args.push("--file", files.dockerfile, "--tag", request.ref, files.context);
  return args;
}

/** `buildah push` of the local image `source` to `target`; the digest file only for the main ref. */
export function buildahPushArguments(
  source: string,
  target: string,
  files?: Pick<BuildahFiles, "digestFile">,
): string[] {
  return [
    "push",
    ...(files ? ["--digestfile", files.digestFile] : []),
    source,
    `docker://${target}`,
  ];
}

/**
 * A registries.conf marking `insecure` registries as plain HTTP, after the inherited file's
 * settings (mirrors, search registries) so that those still apply.
 */
export function registriesConf(insecure: readonly string[], inherited?: string): string {
  const parts = ["# Written by imagesmith for one build."];
  if (
    inherited !== undefined &&
    !/^\s*\[registries\.(?:search|insecure|block)\]/m.test(inherited)
  ) {
    parts.push(inherited.trimEnd());
  }
  for (const host of insecure) {
    parts.push(`[[registry]]\nlocation = ${JSON.stringify(host)}\ninsecure = true`);
  }
  return `${parts.join("\n\n")}\n`;
}

/** The registries.conf buildah would read without our override: the env's, the user's, the system's. */
async function inheritedRegistriesConf(
  env: Record<string, string> | undefined,
): Promise<string | undefined> {
  const candidates = [
    env?.CONTAINERS_REGISTRIES_CONF ?? process.env.CONTAINERS_REGISTRIES_CONF,
    join(homedir(), ".config/containers/registries.conf"),
    "/etc/containers/registries.conf",
  ];
  for (const path of candidates) {
    if (!path) continue;
    try {
      return await readFile(path, "utf8");
    } catch {
      // Not there: the next one.
    }
  }
  return undefined;
}

const ARCHITECTURES: Record<string, string> = {
  x64: "amd64",
  arm64: "arm64",
  arm: "arm",
  ppc64: "ppc64le",
  s390x: "s390x",
  ia32: "386",
};

/** This machine's platform as buildah names it (`linux/amd64`). */
export function hostPlatform(): string {
  return `${process.platform}/${ARCHITECTURES[process.arch] ?? process.arch}`;
}
