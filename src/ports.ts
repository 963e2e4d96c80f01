/**
 * The ports both doors hand the pipeline, made from an environment: the CLI passes its own
 * process environment, the Action one that also holds the credentials given as inputs.
 */
import { setMaxListeners } from "node:events";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CatalogConfig } from "./model.js";
import type { PushTarget } from "./stages/validate/index.js";
import type { PushCredentials } from "./pipeline.js";
import type { Registry } from "./registry/types.js";
import { VERSION } from "./version.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The one host IMAGESMITH_REGISTRY_USERNAME / _PASSWORD are for: IMAGESMITH_REGISTRY_HOST, or else
 * the host of the catalog's registry. A token for the registry images are pushed to must never
 * travel to another (a base image's registry on Docker Hub, say), which would also refuse it.
 * Undefined only when neither is set: then they are for every registry.
 */
export function credentialsHost(env: Env, config: CatalogConfig): string | undefined {
  return env.IMAGESMITH_REGISTRY_HOST || config.registry?.split("/")[0] || undefined;
}

/**
 * The registry port for a catalog: its insecure registries, and credentials from `env`; `signal`
 * (the run's cancel) reaches every request it sends, and so does `callOff`, which stops one port
 * only (a plan started before its catalog was found invalid).
 */
export function registryPort(
  env: Env,
  signal?: AbortSignal,
): (config: CatalogConfig, callOff?: AbortSignal) => Promise<Registry> {
  return async (config, callOff) => {
    const [{ createRegistry }, { loadCredentialsFromEnvironment }] = await Promise.all([
      import("./registry/client.js"),
      import("./registry/credentials.js"),
    ]);
    const host = credentialsHost(env, config);
    const cancel = signal && callOff ? either(signal, callOff) : (signal ?? callOff);
    // The client listens on it once per request in flight (up to 32): not a leak to warn about.
    if (cancel) setMaxListeners(0, cancel);
    return createRegistry({
      insecureRegistries: config.insecureRegistries,
      credentials: await loadCredentialsFromEnvironment(
        host === undefined ? env : { ...env, IMAGESMITH_REGISTRY_HOST: host },
      ),
      userAgent: `imagesmith/${VERSION}`,
      ...(cancel ? { signal: cancel } : {}),
    });
  };
}

/** A signal that aborts when either does: AbortSignal.any, which Node 20 only has from 20.3. */
function either(a: AbortSignal, b: AbortSignal): AbortSignal {
  const both = new AbortController();
  for (const signal of [a, b]) {
    if (signal.aborted) {
      both.abort(signal.reason);
      break;
    }
    signal.addEventListener("abort", () => both.abort(signal.reason), { once: true });
  }
  return both.signal;
}

/** Credentials the builder pushes with: IMAGESMITH_REGISTRY_USERNAME / _PASSWORD, for credentialsHost. */
export function pushCredentialsFrom(
  env: Env,
): (config: CatalogConfig) => PushCredentials | undefined {
  return (config) => {
    const username = env.IMAGESMITH_REGISTRY_USERNAME;
    const password = env.IMAGESMITH_REGISTRY_PASSWORD;
    const host = credentialsHost(env, config);
    if (!username || !password || !config.registry || !host) return undefined;
    return { host, username, password };
  };
}

/**
 * Where imagesmith keeps caches between runs: `$XDG_CACHE_HOME/imagesmith`, else
 * `~/.cache/imagesmith`. Outside the checkout, so nothing a pull request commits is read as one.
 */
export function cacheDirectory(env: Env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache"), "imagesmith");
}

/**
 * The push target the trusted side sets: the Action's `registry` input (a whole prefix), else
 * IMAGESMITH_REGISTRY_HOST (a host). Credentials go there only, and a catalog whose `registry:`
 * says otherwise is refused (`push-target`). Undefined when neither is set: then the catalog's own
 * `registry:` is trusted, as it is in a checkout of the default branch.
 */
export function pushTargetFrom(env: Env, registryInput = ""): PushTarget | undefined {
  const prefix = registryInput.trim().replace(/\/+$/, "");
  if (prefix)
    return { host: prefix.split("/")[0] ?? prefix, prefix, from: "the Action's registry input" };
  const host = env.IMAGESMITH_REGISTRY_HOST?.trim();
  return host ? { host, from: "IMAGESMITH_REGISTRY_HOST" } : undefined;
}

/**
 * Everything a job's options take from a door's environment, with the run's cancel: the registry
 * port, the cache folder, the push target (`registryInput`: the Action's `registry` input) and the
 * credentials the builder pushes and pulls with.
 */
export function doorPorts(env: Env, signal: AbortSignal, registryInput?: string) {
  const pushTarget = pushTargetFrom(env, registryInput);
  return {
    registry: registryPort(env, signal),
    cacheDir: cacheDirectory(env),
    signal,
    pushCredentials: pushCredentialsFrom(env),
    ...(pushTarget ? { pushTarget } : {}),
  };
}
