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
 * - `--force-rm`: the working container of a failed or cancelled step is removed too, so
 *   cancelled builds leave nothing behind in buildah's store.
 * - `--pull=missing`: bases are pinned by digest (and catalog parents by their recipe tag), so what
 *   is in the local store is exactly what the registry holds; no round trip to check for "newer".
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
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { ExecError, stream } from "../exec.js";
import {
  type Builder,
  type BuilderOptions,
  type BuildRequest,
  type BuildResult,
  buildErrorFrom,
} from "./types.js";

/** Files of one build, in a private temp dir. */
export interface BuildahFiles {
  dockerfile: string;
  /** The build context: an empty folder (the images only install packages). */
  context: string;
  digestFile: string;
}

/** Creates the buildah builder. */
export function buildahBuilder(options: BuilderOptions = {}): Builder {
  const command = options.command ?? "buildah";
  return {
    name: "buildah",
    async build(request: BuildRequest): Promise<BuildResult> {
      const dir = await mkdtemp(join(tmpdir(), "imagesmith-buildah-"));
      try {
        const files: BuildahFiles = {
          dockerfile: join(dir, "Dockerfile"),
          context: join(dir, "context"),
          digestFile: join(dir, "digest"),
        };
        await mkdir(files.context);
        await writeFile(files.dockerfile, request.dockerfile);
        const env: Record<string, string> = { ...options.env };
        if (request.authFile !== undefined) env.REGISTRY_AUTH_FILE = request.authFile;
        if (request.insecureRegistries.length > 0) {
          const conf = join(dir, "registries.conf");
          const inherited = await inheritedRegistriesConf(options.env);
          await writeFile(conf, registriesConf(request.insecureRegistries, inherited));
          env.CONTAINERS_REGISTRIES_CONF = conf;
        }

        async function step(doing: string, args: string[]): Promise<void> {
          try {
            await stream(command, args, {
              env,
              onLine: (line) => request.log(line),
              signal: request.signal,
              ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
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

        await step("build", buildahBuildArguments(request, files));
        request.onPushing?.();
        await step(`push to ${request.ref}`, buildahPushArguments(request.ref, request.ref, files));
        for (const extra of request.extraRefs) {
          await step(`push to ${extra}`, buildahPushArguments(request.ref, extra));
        }
        const digest = (await readFile(files.digestFile, "utf8")).trim();
        return { digest };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** `buildah build ...` for a request: a pure function of it, so it can be read and tested. */
export function buildahBuildArguments(request: BuildRequest, files: BuildahFiles): string[] {
  const args = [
    "build",
    "--layers",
    "--force-rm",
    "--isolation",
    "chroot",
    "--pull=missing",
    "--platform",
    request.platform,
  ];
  for (const [name, value] of Object.entries(request.buildArgs ?? {})) {
    args.push("--build-arg", `${name}=${value}`);
  }
  for (const secret of request.secrets ?? []) {
    args.push("--secret", `id=${secret.id},src=${secret.file}`);
  }
  if (request.cacheRepo !== undefined) {
    args.push("--cache-from", request.cacheRepo, "--cache-to", request.cacheRepo);
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
