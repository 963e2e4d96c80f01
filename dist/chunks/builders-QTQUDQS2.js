#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  BuildError,
  buildErrorFrom
} from "./chunk-RP7XNB2G.js";
import {
  ExecError,
  stream
} from "./chunk-2SL2HRRY.js";
import {
  parseImageReference
} from "./chunk-LYDJGGA5.js";
import "./chunk-XML4HPHG.js";

// src/builders/buildah.ts
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
function buildahBuilder(options = {}) {
  const command = options.command ?? "buildah";
  return {
    name: "buildah",
    async build(request) {
      const dir = await mkdtemp(join(tmpdir(), "imagesmith-buildah-"));
      try {
        const files = {
          dockerfile: join(dir, "Dockerfile"),
          context: join(dir, "context"),
          digestFile: join(dir, "digest")
        };
        await mkdir(files.context);
        await writeFile(files.dockerfile, request.dockerfile);
        const env = { ...options.env };
        if (request.authFile !== void 0) env.REGISTRY_AUTH_FILE = request.authFile;
        if (request.insecureRegistries.length > 0) {
          const conf = join(dir, "registries.conf");
          const inherited = await inheritedRegistriesConf(options.env);
          await writeFile(conf, registriesConf(request.insecureRegistries, inherited));
          env.CONTAINERS_REGISTRIES_CONF = conf;
        }
        async function step(doing, args) {
          try {
            await stream(command, args, {
              env,
              onLine: (line) => request.log(line),
              signal: request.signal,
              ...options.killGraceMs === void 0 ? {} : { killGraceMs: options.killGraceMs }
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
    }
  };
}
function buildahBuildArguments(request, files) {
  const args = [
    "build",
    "--layers",
    "--force-rm",
    "--isolation",
    "chroot",
    "--pull=missing",
    "--platform",
    request.platform
  ];
  for (const [name, value] of Object.entries(request.buildArgs ?? {})) {
    args.push("--build-arg", `${name}=${value}`);
  }
  for (const secret of request.secrets ?? []) {
    args.push("--secret", `id=${secret.id},src=${secret.file}`);
  }
  if (request.cacheRepo !== void 0) {
    args.push("--cache-from", request.cacheRepo, "--cache-to", request.cacheRepo);
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

// src/builders/docker.ts
import { mkdir as mkdir2, mkdtemp as mkdtemp2, readFile as readFile2, rm as rm2, stat, symlink, writeFile as writeFile2 } from "node:fs/promises";
import { homedir as homedir2, tmpdir as tmpdir2 } from "node:os";
import { join as join2 } from "node:path";
var LINKED_ENTRIES = ["buildx", "cli-plugins", "contexts"];
var EXPORT_STEP = /^#\d+ exporting to image\b/;
function dockerBuilder(options = {}) {
  const command = options.command ?? "docker";
  return {
    name: "docker",
    async build(request) {
      const dir = await mkdtemp2(join2(tmpdir2(), "imagesmith-docker-"));
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
            request.onPushing?.();
          }
          request.log(line);
        };
        try {
          await stream(command, dockerBuildArguments(request, files), {
            env,
            input: request.dockerfile,
            onLine,
            signal: request.signal,
            ...options.killGraceMs === void 0 ? {} : { killGraceMs: options.killGraceMs }
          });
        } catch (error) {
          if (!(error instanceof ExecError)) throw error;
          throw buildErrorFrom(error, "build", {
            ...error.exitCode === void 0 ? {} : { exitCode: error.exitCode },
            output: error.stderrTail,
            cancelled: error.cancelled
          });
        }
        return { digest: await metadataDigest(files.metadataFile) };
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
  args.push(
    ...targetInsecure ? ["--output", "type=image,push=true,registry.insecure=true"] : ["--push"]
  );
  for (const ref of [request.ref, ...request.extraRefs]) args.push("--tag", ref);
  if (request.cacheRepo !== void 0) {
    const extra = insecure.has(domainOf(request.cacheRepo)) ? ",registry.insecure=true" : "";
    args.push(
      "--cache-to",
      `type=registry,ref=${request.cacheRepo},mode=max${extra}`,
      "--cache-from",
      `type=registry,ref=${request.cacheRepo}${extra}`
    );
  }
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
    if (await exists(target)) await symlink(target, join2(dir, entry));
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
