#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  BuildError,
  KILL_GRACE_MS,
  buildErrorFrom,
  failureLine,
  phaseOfStep,
  retryTransient
} from "./chunk-FXXF4CZO.js";
import "./chunk-MV6IGXHU.js";
import {
  ExecError,
  run,
  stream
} from "./chunk-LIJCRL7V.js";
import {
  parseImageReference
} from "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-XML4HPHG.js";

// src/builders/buildah.ts
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
var CACHE_PUSH_FAILED = /failed pushing cache to/;
var STEP_LINE = /^STEP \d+\/\d+: (.*)$/;
function buildahBuilder(options = {}) {
  const command = options.command ?? "buildah";
  const retry = { retries: options.pushRetries, baseMs: options.pushRetryBaseMs };
  return {
    name: "buildah",
    version: () => run(command, ["--version"], { env: { ...options.env } }),
    async build(request) {
      const env = { ...options.env };
      const dir = await mkdtemp(
        join(env.TMPDIR || process.env.TMPDIR || "/var/tmp", "imagesmith-buildah-")
      );
      const marker = `imagesmith-build-${randomBytes(8).toString("hex")}`;
      const warnings = [];
      try {
        const files = {
          dockerfile: join(dir, "Dockerfile"),
          context: join(dir, "context"),
          digestFile: join(dir, "digest"),
          marker
        };
        await mkdir(files.context);
        await writeFile(files.dockerfile, request.dockerfile);
        if (request.authFile !== void 0) env.REGISTRY_AUTH_FILE = request.authFile;
        if (request.insecureRegistries.length > 0) {
          const conf = join(dir, "registries.conf");
          const inherited = await inheritedRegistriesConf(options.env);
          await writeFile(conf, registriesConf(request.insecureRegistries, inherited));
          env.CONTAINERS_REGISTRIES_CONF = conf;
        }
        if (request.packageCache !== void 0)
          env.TMPDIR = await packageCacheTmpdir(join(dir, "tmp"), request.packageCache);
        const onLine = (line) => {
          const step2 = STEP_LINE.exec(line);
          if (step2) {
            const phase = phaseOfStep(step2[1] ?? "");
            if (phase) request.onPhase?.(phase);
          }
          request.log(line);
        };
        async function step(doing, args) {
          try {
            await stream(command, args, {
              env,
              onLine,
              signal: request.signal,
              killGraceMs: options.killGraceMs ?? KILL_GRACE_MS
            });
          } catch (error) {
            if (!(error instanceof ExecError)) throw error;
            throw buildErrorFrom(error, doing, {
              ...error.exitCode === void 0 ? {} : { exitCode: error.exitCode },
              output: error.stderrTail,
              cancelled: error.cancelled
            });
          }
        }
        const retried = (doing, args) => retryTransient(() => step(doing, args), { ...retry, request });
        try {
          let cacheFailure;
          await retryTransient(
            async () => {
              try {
                await step("build", buildahBuildArguments(request, files));
              } catch (error) {
                if (!(error instanceof BuildError) || error.cancelled || request.cacheRepo === void 0 || !CACHE_PUSH_FAILED.test(error.output))
                  throw error;
                cacheFailure = error;
              }
            },
            { ...retry, request }
          );
          if (cacheFailure) {
            const warning = `the layer cache ${request.cacheRepo ?? ""} was not updated (${failureLine(cacheFailure.output)}); the image is built and pushed without it`;
            warnings.push(warning);
            request.log(`imagesmith: warning: ${warning}`);
            await retried(
              "build",
              buildahBuildArguments({ ...request, cacheRepo: void 0, noCache: false }, files)
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
            buildahPushArguments(request.ref, request.ref, files)
          );
          for (const extra of request.extraRefs) {
            await retried(`push to ${extra}`, buildahPushArguments(request.ref, extra));
          }
        } catch (error) {
          if (request.signal.aborted || error instanceof BuildError && error.cancelled)
            await removeContainers(command, env, marker, request.log);
          throw error;
        }
        const digest = (await readFile(files.digestFile, "utf8")).trim();
        return { digest, ...warnings.length > 0 ? { warnings } : {} };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  };
}
var RUN_WRAP_UP = /^(?:subprocess exited with status \d+|Error: exit status \d+)$/;
var COMMAND_TAIL_LINES = 40;
async function inspectBuilt(command, env, request, marker) {
  const quiet = { env };
  let container;
  let root;
  try {
    container = await run(
      command,
      ["from", "--quiet", "--pull=never", "--add-host", `${marker}:127.0.0.1`, request.ref],
      quiet
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
      await run(command, ["inspect", "--type", "image", request.ref], quiet)
    );
    const config = inspected.OCIv1?.config ?? {};
    const unpackedBytes = await storedImageSize(command, env, inspected.FromImageID);
    await request.inspect?.(
      {
        root,
        config: {
          ...config.User ? { user: config.User } : {},
          env: Array.isArray(config.Env) ? config.Env.filter((e) => typeof e === "string") : [],
          labels: config.Labels && typeof config.Labels === "object" ? { ...config.Labels } : {}
        },
        ...unpackedBytes === void 0 ? {} : { unpackedBytes },
        run: (line, options) => runInContainer(command, env, container, line, options, request)
      },
      request.log
    );
    return void 0;
  } finally {
    await run(command, ["rm", container], quiet).catch(() => void 0);
  }
}
function uncheckedBecause(error) {
  const why = error instanceof ExecError ? failureLine(error.stderrTail) || error.message : String(error);
  const hint = process.getuid?.() === 0 ? "" : " (rootless buildah opens images only inside `buildah unshare`, where imagesmith runs itself unless IMAGESMITH_USERNS=off)";
  return `the image's contracts, inventory and SBOM were not checked: buildah could not open it (${why})${hint}`;
}
async function runInContainer(command, env, container, line, options, request) {
  const isolated = {
    file: "unshare",
    args: ["--net", "--", command, "run", "--isolation", "chroot", container, "--"]
  };
  const lines = [];
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
      killGraceMs: KILL_GRACE_MS
    });
    return { exitCode: 0, output: lines.join("\n"), timedOut: false };
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    if (error.cancelled) throw buildErrorFrom(error, "check", { cancelled: true });
    const timedOut = /timed out after/.test(error.message);
    return {
      ...timedOut || error.exitCode === void 0 ? {} : { exitCode: error.exitCode },
      output: lines.join("\n") || error.message,
      timedOut
    };
  }
}
async function storeOf(command, env) {
  const info = JSON.parse(await run(command, ["info"], { env }));
  const root = info.store?.GraphRoot;
  const driver = info.store?.GraphDriverName;
  return root && driver ? { root, driver } : void 0;
}
async function storedImageSize(command, env, imageId) {
  if (!imageId || !/^[0-9a-f]{64}$/.test(imageId)) return void 0;
  try {
    const store = await storeOf(command, env);
    if (!store) return void 0;
    const read = async (file) => JSON.parse(await readFile(join(store.root, file), "utf8"));
    const images = await read(`${store.driver}-images/images.json`);
    const layers = await read(`${store.driver}-layers/layers.json`);
    const byId = new Map(layers.map((layer2) => [layer2.id, layer2]));
    let layer = byId.get(images.find((image) => image.id === imageId)?.layer);
    let total = 0;
    for (let depth = 0; layer && depth < 1e3; depth++) {
      if (typeof layer["diff-size"] !== "number") return void 0;
      total += layer["diff-size"];
      layer = layer.parent ? byId.get(layer.parent) : void 0;
    }
    return layer === void 0 && total > 0 ? total : void 0;
  } catch {
    return void 0;
  }
}
async function packageCacheTmpdir(tmp, cache) {
  await mkdir(cache, { recursive: true });
  await mkdir(tmp);
  const uid = process.getuid?.() ?? 0;
  for (const name of ["buildah-cache", `buildah-cache-${uid}`])
    await symlink(cache, join(tmp, name));
  return tmp;
}
async function removeContainers(command, env, marker, log) {
  try {
    const store = await storeOf(command, env);
    if (!store) return;
    const { root, driver } = store;
    const listed = JSON.parse(await run(command, ["containers", "--json"], { env }) || "[]");
    const ours = [];
    for (const container of listed ?? []) {
      if (container.builder === false || !/^[0-9a-f]{64}$/.test(container.id)) continue;
      const record = join(root, `${driver}-containers`, container.id, "userdata", "buildah.json");
      const state = await readFile(record, "utf8").then(
        (text) => JSON.parse(text),
        () => void 0
      );
      const hosts = state?.CommonBuildOpts?.AddHost;
      if (Array.isArray(hosts) && hosts.includes(`${marker}:127.0.0.1`)) ours.push(container.id);
    }
    if (ours.length === 0) return;
    await run(command, ["rm", ...ours], { env });
    log(
      `imagesmith: removed the ${ours.length} working container${ours.length === 1 ? "" : "s"} the cancelled build left`
    );
  } catch (error) {
    log(`imagesmith: could not remove the build's working containers: ${error.message}`);
  }
}
function buildahBuildArguments(request, files) {
  const pull = request.refreshBase ? "--pull=always" : "--pull=missing";
  const args = ["build", "--layers", "--force-rm", "--isolation", "chroot", pull];
  if (request.platform !== hostPlatform()) args.push("--platform", request.platform);
  if (request.noCache) args.push("--no-cache");
  if (files.marker !== void 0) args.push("--add-host", `${files.marker}:127.0.0.1`);
  for (const [name, value] of Object.entries(request.buildArgs ?? {})) {
    args.push("--build-arg", `${name}=${value}`);
  }
  for (const secret of request.secrets ?? []) {
    args.push("--secret", `id=${secret.id},src=${secret.file}`);
  }
  if (request.cacheRepo !== void 0) {
    if (!request.noCache) args.push("--cache-from", request.cacheRepo);
    if (!request.cacheReadOnly) args.push("--cache-to", request.cacheRepo);
  }
  args.push("--file", files.dockerfile, "--tag", request.ref, files.context);
  return args;
}
function buildahPushArguments(source, target, files) {
  return [
    "push",
    ...files ? ["--digestfile", files.digestFile] : [],
    source,
    `docker://${target}`
  ];
}
function registriesConf(insecure, inherited) {
  const parts = ["# Written by imagesmith for one build."];
  if (inherited !== void 0 && !/^\s*\[registries\.(?:search|insecure|block)\]/m.test(inherited)) {
    parts.push(inherited.trimEnd());
  }
  for (const host of insecure) {
    parts.push(`[[registry]]
location = ${JSON.stringify(host)}
insecure = true`);
  }
  return `${parts.join("\n\n")}
`;
}
async function inheritedRegistriesConf(env) {
  const candidates = [
    env?.CONTAINERS_REGISTRIES_CONF ?? process.env.CONTAINERS_REGISTRIES_CONF,
    join(homedir(), ".config/containers/registries.conf"),
    "/etc/containers/registries.conf"
  ];
  for (const path of candidates) {
    if (!path) continue;
    try {
      return await readFile(path, "utf8");
    } catch {
    }
  }
  return void 0;
}
var ARCHITECTURES = {
  x64: "amd64",
  arm64: "arm64",
  arm: "arm",
  ppc64: "ppc64le",
  s390x: "s390x",
  ia32: "386"
};
function hostPlatform() {
  return `${process.platform}/${ARCHITECTURES[process.arch] ?? process.arch}`;
}

// src/builders/docker.ts
import { mkdir as mkdir2, mkdtemp as mkdtemp2, readFile as readFile2, rm as rm2, stat, symlink as symlink2, writeFile as writeFile2 } from "node:fs/promises";
import { homedir as homedir2, tmpdir } from "node:os";
import { join as join2 } from "node:path";
var LINKED_ENTRIES = ["buildx", "cli-plugins", "contexts"];
var EXPORT_STEP = /^#\d+ exporting to image\b/;
var STEP_LINE2 = /^#\d+ \[(?:[^\]\s]+ )?\d+\/\d+\] (.*)$/;
function dockerBuilder(options = {}) {
  const command = options.command ?? "docker";
  return {
    name: "docker",
    version: () => run(command, ["buildx", "version"], options.env ? { env: options.env } : {}),
    async build(request) {
      const dir = await mkdtemp2(join2(tmpdir(), "imagesmith-docker-"));
      try {
        const files = {
          context: join2(dir, "context"),
          metadataFile: join2(dir, "metadata.json")
        };
        await mkdir2(files.context);
        const env = { ...options.env };
        if (request.authFile !== void 0) {
          const userConfig = options.env?.DOCKER_CONFIG ?? process.env.DOCKER_CONFIG ?? join2(homedir2(), ".docker");
          env.DOCKER_CONFIG = await dockerConfig(join2(dir, "config"), request.authFile, userConfig);
        }
        let pushing = false;
        const onLine = (line) => {
          if (!pushing && EXPORT_STEP.test(line)) {
            pushing = true;
            request.onPhase?.("pushing");
          } else {
            const step = STEP_LINE2.exec(line);
            if (step && !pushing) {
              const phase = phaseOfStep(step[1] ?? "");
              if (phase) request.onPhase?.(phase);
            }
          }
          request.log(line);
        };
        const attempt = async () => {
          pushing = false;
          try {
            await stream(command, dockerBuildArguments(request, files), {
              env,
              input: request.dockerfile,
              onLine,
              signal: request.signal,
              killGraceMs: options.killGraceMs ?? KILL_GRACE_MS
            });
          } catch (error) {
            if (!(error instanceof ExecError)) throw error;
            throw buildErrorFrom(error, "build", {
              ...error.exitCode === void 0 ? {} : { exitCode: error.exitCode },
              output: error.stderrTail,
              cancelled: error.cancelled
            });
          }
        };
        await retryTransient(attempt, {
          retries: options.pushRetries,
          baseMs: options.pushRetryBaseMs,
          request
        });
        const warnings = request.inspect ? [
          "the image's contracts, inventory and SBOM were not checked: they need builder: buildah"
        ] : [];
        for (const warning of warnings) request.log(`imagesmith: warning: ${warning}`);
        if (request.push === false) return warnings.length > 0 ? { warnings } : {};
        return {
          digest: await metadataDigest(files.metadataFile),
          ...warnings.length > 0 ? { warnings } : {}
        };
      } finally {
        await rm2(dir, { recursive: true, force: true });
      }
    }
  };
}
function dockerBuildArguments(request, files) {
  const insecure = new Set(request.insecureRegistries);
  const targetInsecure = [request.ref, ...request.extraRefs].some(
    (ref) => insecure.has(domainOf(ref))
  );
  const args = [
    "buildx",
    "build",
    "--progress=plain",
    "--provenance=false",
    "--platform",
    request.platform
  ];
  if (request.push === false) {
    args.push("--output", "type=cacheonly");
  } else {
    args.push(
      ...targetInsecure ? ["--output", "type=image,push=true,registry.insecure=true"] : ["--push"]
    );
    for (const ref of [request.ref, ...request.extraRefs]) args.push("--tag", ref);
  }
  if (request.cacheRepo !== void 0) {
    const extra = insecure.has(domainOf(request.cacheRepo)) ? ",registry.insecure=true" : "";
    if (!request.cacheReadOnly)
      args.push(
        "--cache-to",
        `type=registry,ref=${request.cacheRepo},mode=max,ignore-error=true${extra}`
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
function domainOf(ref) {
  const parsed = parseImageReference(ref);
  return parsed.ok ? parsed.value.domain : ref.split("/")[0] ?? ref;
}
async function dockerConfig(dir, authFile, userDir) {
  await mkdir2(dir, { mode: 448 });
  const auth = JSON.parse(await readFile2(authFile, "utf8"));
  let user = {};
  try {
    user = JSON.parse(await readFile2(join2(userDir, "config.json"), "utf8"));
  } catch {
  }
  const ours = auth.auths ?? {};
  const helpers = Object.fromEntries(
    Object.entries(user.credHelpers ?? {}).filter(
      ([host]) => !Object.hasOwn(ours, host)
    )
  );
  const kept = Object.entries(user).filter(([key]) => key !== "credsStore");
  const config = {
    ...Object.fromEntries(kept),
    auths: { ...user.auths, ...ours },
    credHelpers: helpers
  };
  await writeFile2(join2(dir, "config.json"), JSON.stringify(config, null, 2), { mode: 384 });
  for (const entry of LINKED_ENTRIES) {
    const target = join2(userDir, entry);
    if (await exists(target)) await symlink2(target, join2(dir, entry));
  }
  return dir;
}
async function exists(path) {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
async function metadataDigest(file) {
  let metadata;
  try {
    metadata = JSON.parse(await readFile2(file, "utf8"));
  } catch (error) {
    throw new BuildError(`build pushed no digest: cannot read the buildx metadata file`, false, {
      cause: error
    });
  }
  const digest = metadata["containerimage.digest"];
  if (typeof digest !== "string" || !digest.startsWith("sha256:")) {
    throw new BuildError(
      `build pushed no digest: the buildx metadata has no containerimage.digest`,
      false
    );
  }
  return digest;
}

// src/builders/index.ts
var BUILDERS = {
  buildah: buildahBuilder,
  docker: dockerBuilder
};
function createBuilder(name, options = {}) {
  const make = Object.hasOwn(BUILDERS, name) ? BUILDERS[name] : void 0;
  if (!make) {
    const known = Object.keys(BUILDERS).map((known2) => `"${known2}"`).join(", ");
    throw new Error(`unknown builder "${name}": set builder in imagesmith.yaml to one of ${known}`);
  }
  return make(options);
}
export {
  BUILDERS,
  createBuilder
};
