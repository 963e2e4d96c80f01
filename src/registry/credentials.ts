/**
 * Where registry credentials come from, in order of precedence (the first source that has an
 * entry for the host wins):
 *
 * 1. `IMAGESMITH_REGISTRY_USERNAME` + `IMAGESMITH_REGISTRY_PASSWORD`: only for
 *    `IMAGESMITH_REGISTRY_HOST` when that is set (e.g. "ghcr.io"; docker.io, index.docker.io and
 *    registry-1.docker.io are one host), else for every registry. The doors set it to the catalog's
 *    registry host when the user did not (ports.ts). Setting only one of the pair is an error.
 * 2. The containers auth file (what `buildah login` / `podman login` write): `$REGISTRY_AUTH_FILE`,
 *    or when that is unset `$XDG_RUNTIME_DIR/containers/auth.json`. Keys may name a repository
 *    ("quay.io/acme/app"); the most specific key matching the repository wins.
 * 3. docker's config: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. For a host:
 *    its `credHelpers` entry, then its `auths` entry (`auth`, `username`/`password` or
 *    `identitytoken`), then `credsStore`. Helpers run as `docker-credential-<name> get` with the
 *    server on stdin; a helper that is not installed, or that knows nothing, is skipped silently.
 *
 * Malformed files fail with a CredentialsError naming the file and the entry's key, never quoting
 * their contents.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Credentials } from "./types.js";

/** Credentials for a registry host (as in `ImageReference.domain`) and optionally a repository path in it. */
export type CredentialLookup = (
  host: string,
  repository?: string,
) => Credentials | undefined | Promise<Credentials | undefined>;

/** Reads a file; undefined when it does not exist. */
export type ReadFileIfExists = (path: string) => Promise<string | undefined>;

/** Runs `docker-credential-<helper> get` for a server; undefined when the helper is missing or has nothing. */
export type CredentialHelperRunner = (
  helper: string,
  serverUrl: string,
) => Promise<Credentials | undefined>;

/** A credentials file or variable that cannot be used as it is. */
export class CredentialsError extends Error {
  readonly code = "credentials";
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = "CredentialsError";
  }
}

type Env = Record<string, string | undefined>;

/** Docker Hub's canonical name; the other two are how configs and APIs also spell it. */
const DOCKER_HUB = "docker.io";
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, "index.docker.io", "registry-1.docker.io"]);
/** The server URL docker uses for Docker Hub in config keys and with credential helpers. */
const DOCKER_HUB_SERVER_URL = "https://index.docker.io/v1/";

interface DockerConfig {
  auths: Map<string, Credentials>;
  credHelpers: Map<string, string>;
  credsStore?: string;
}

/**
 * Loads every credential source once and answers lookups from them. Pure apart from `readFile`
 * and `runHelper`, so tests pass their own.
 */
export async function loadCredentials(
  env: Env,
  readFileIfExists: ReadFileIfExists,
  runHelper: CredentialHelperRunner = runCredentialHelper,
): Promise<CredentialLookup> {
  const fromEnv = envCredentials(env);
  const envHost = nonEmpty(env.IMAGESMITH_REGISTRY_HOST);
  const envHostKey = envHost === undefined ? undefined : normaliseHost(stripScheme(envHost));

  const authFilePath = authFileLocation(env);
  const authFileText = authFilePath ? await readFileIfExists(authFilePath) : undefined;
  const authFile =
    authFilePath && authFileText !== undefined
      ? parseAuthFile(authFilePath, authFileText)
      : new Map<string, Credentials>();

  const dockerPath = dockerConfigLocation(env);
  const dockerText = dockerPath ? await readFileIfExists(dockerPath) : undefined;
  const docker =
    dockerPath && dockerText !== undefined ? parseDockerConfig(dockerPath, dockerText) : undefined;

  const helperResults = new Map<string, Promise<Credentials | undefined>>();
  function helper(name: string, host: string): Promise<Credentials | undefined> {
    const key = `${name}\n${host}`;
    let result = helperResults.get(key);
    if (result === undefined) {
      result = runHelper(name, host === DOCKER_HUB ? DOCKER_HUB_SERVER_URL : host);
      helperResults.set(key, result);
    }
    return result;
  }

  return async (rawHost, repository) => {
    const host = normaliseHost(rawHost);
    if (fromEnv && (envHostKey === undefined || envHostKey === host)) return fromEnv;

    for (const key of keysFromMostSpecific(host, repository)) {
      const found = authFile.get(key);
      if (found) return found;
    }

    if (docker === undefined) return undefined;
    const helperName = docker.credHelpers.get(host);
    if (helperName !== undefined) {
      const found = await helper(helperName, host);
      if (found) return found;
    }
    const inline = docker.auths.get(host);
    if (inline) return inline;
    if (docker.credsStore !== undefined) return helper(docker.credsStore, host);
    return undefined;
  };
}

/** `loadCredentials` over the real environment and file system. */
export function loadCredentialsFromEnvironment(env: Env = process.env): Promise<CredentialLookup> {
  return loadCredentials(env, readFileIfExists);
}

/** Reads a UTF-8 file; undefined when it does not exist. */
export async function readFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CredentialsError(
      `cannot read registry credentials from ${path}: ${(error as NodeJS.ErrnoException).code ?? "read error"}`,
      path,
    );
  }
}

function envCredentials(env: Env): Credentials | undefined {
  const username = nonEmpty(env.IMAGESMITH_REGISTRY_USERNAME);
  const password = nonEmpty(env.IMAGESMITH_REGISTRY_PASSWORD);
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined) {
    throw new CredentialsError(
      "IMAGESMITH_REGISTRY_PASSWORD is set but IMAGESMITH_REGISTRY_USERNAME is not: set both, or neither",
    );
  }
  if (password === undefined) {
    throw new CredentialsError(
      "IMAGESMITH_REGISTRY_USERNAME is set but IMAGESMITH_REGISTRY_PASSWORD is not: set both, or neither",
    );
  }
  return { username, password };
}

function authFileLocation(env: Env): string | undefined {
  const explicit = nonEmpty(env.REGISTRY_AUTH_FILE);
  if (explicit !== undefined) return explicit;
  const runtime = nonEmpty(env.XDG_RUNTIME_DIR);
  return runtime === undefined ? undefined : join(runtime, "containers", "auth.json");
}

function dockerConfigLocation(env: Env): string | undefined {
  const dir = nonEmpty(env.DOCKER_CONFIG);
  if (dir !== undefined) return join(dir, "config.json");
  const home = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE);
  return home === undefined ? undefined : join(home, ".docker", "config.json");
}

/** `{"auths": {"host[/repo]": {"auth": base64(user:pass)}}}`, keyed by normalised host[/repo]. */
function parseAuthFile(path: string, text: string): Map<string, Credentials> {
  const root = parseJsonObject(path, text);
  const entries = new Map<string, Credentials>();
  for (const [key, entry] of Object.entries(authsOf(path, root))) {
    const credentials = entryCredentials(path, key, entry);
    if (credentials) entries.set(normaliseAuthFileKey(key), credentials);
  }
  return entries;
}

function parseDockerConfig(path: string, text: string): DockerConfig {
  const root = parseJsonObject(path, text);
  const auths = new Map<string, Credentials>();
  for (const [key, entry] of Object.entries(authsOf(path, root))) {
    const credentials = entryCredentials(path, key, entry);
    // docker only ever looks credentials up by host, whatever path the key carries.
    if (credentials) auths.set(normaliseHost(hostOfKey(key)), credentials);
  }
  const credHelpers = new Map<string, string>();
  const helpers = root.credHelpers;
  if (helpers !== undefined) {
    if (!isObject(helpers)) {
      throw new CredentialsError(
        `${path}: "credHelpers" must be an object mapping registry hosts to helper names`,
        path,
      );
    }
    for (const [key, name] of Object.entries(helpers)) {
      credHelpers.set(
        normaliseHost(hostOfKey(key)),
        helperName(path, `credHelpers of "${key}"`, name),
      );
    }
  }
  const config: DockerConfig = { auths, credHelpers };
  if (root.credsStore !== undefined && root.credsStore !== "") {
    config.credsStore = helperName(path, "credsStore", root.credsStore);
  }
  return config;
}

function parseJsonObject(path: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error, which may be a password.
    throw new CredentialsError(
      `${path} is not valid JSON; fix it (or log in again to rewrite it)`,
      path,
    );
  }
  if (!isObject(parsed)) {
    throw new CredentialsError(`${path} must hold a JSON object with an "auths" object`, path);
  }
  return parsed;
}

function authsOf(path: string, root: Record<string, unknown>): Record<string, unknown> {
  const auths = root.auths;
  if (auths === undefined) return {};
  if (!isObject(auths)) {
    throw new CredentialsError(
      `${path}: "auths" must be an object mapping registry hosts to credentials`,
      path,
    );
  }
  return auths;
}

/** An `auths` entry: `identitytoken`, else `auth` (base64 user:pass), else `username` + `password`. */
function entryCredentials(path: string, key: string, entry: unknown): Credentials | undefined {
  if (!isObject(entry)) {
    throw new CredentialsError(
      `${path}: the entry for "${key}" in "auths" must be an object`,
      path,
    );
  }
  const identityToken = entry.identitytoken;
  if (typeof identityToken === "string" && identityToken !== "") return { identityToken };
  const auth = entry.auth;
  if (auth !== undefined && auth !== "") {
    const decoded = typeof auth === "string" ? decodeAuth(auth) : undefined;
    if (decoded === undefined) {
      throw new CredentialsError(
        `${path}: the "auth" of "${key}" is not base64 of "username:password"`,
        path,
      );
    }
    return decoded;
  }
  const { username, password } = entry;
  if (typeof username === "string" && username !== "" && typeof password === "string") {
    return { username, password };
  }
  // Entries without secrets only list hosts a credsStore holds credentials for.
  return undefined;
}

function decodeAuth(auth: string): Credentials | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(auth.trim())) return undefined;
  const decoded = Buffer.from(auth.trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function helperName(path: string, where: string, name: unknown): string {
  // The name becomes part of an executable's name: nothing that could walk the file system.
  if (typeof name !== "string" || !/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new CredentialsError(
      `${path}: ${where} must be a credential helper name such as "desktop" or "ecr-login"`,
      path,
    );
  }
  return name;
}

/** "host[/repo]" keys for a lookup, longest first: quay.io/a/b, quay.io/a, quay.io. */
function keysFromMostSpecific(host: string, repository: string | undefined): string[] {
  const keys = [host];
  if (repository === undefined || repository === "") return keys;
  let prefix = host;
  for (const part of repository.split("/")) {
    prefix = `${prefix}/${part}`;
    keys.push(prefix);
  }
  return keys.reverse();
}

/**
 * containers auth.json keys: "host" or "host/namespace/repo"; legacy keys written as URLs
 * ("https://quay.io/v1/") mean their host only.
 */
function normaliseAuthFileKey(key: string): string {
  const trimmed = key.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return normaliseHost(hostOfKey(trimmed));
  const withoutSlash = trimmed.replace(/\/+$/, "");
  const slash = withoutSlash.indexOf("/");
  if (slash === -1) return normaliseHost(withoutSlash);
  return `${normaliseHost(withoutSlash.slice(0, slash))}${withoutSlash.slice(slash)}`;
}

/** The host of a docker config key: "https://index.docker.io/v1/" → "index.docker.io". */
function hostOfKey(key: string): string {
  const rest = stripScheme(key.trim());
  const slash = rest.indexOf("/");
  return slash === -1 ? rest : rest.slice(0, slash);
}

function stripScheme(value: string): string {
  return value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
}

/** Lowercase, and every name of Docker Hub becomes docker.io. */
function normaliseHost(host: string): string {
  const lower = host.trim().toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * docker's credential helper protocol: `docker-credential-<name> get`, server URL on stdin, JSON
 * `{ServerURL, Username, Secret}` on stdout; Username "<token>" means Secret is an identity token.
 */
export function runCredentialHelper(
  helper: string,
  serverUrl: string,
): Promise<Credentials | undefined> {
  return new Promise((resolve) => {
    const child = execFile(
      `docker-credential-${helper}`,
      ["get"],
      { timeout: 30_000, maxBuffer: 1024 * 1024 },
      (error, stdout) => {
        // Missing binary (ENOENT), "credentials not found", or garbage: this source has nothing.
        if (error) {
          resolve(undefined);
          return;
        }
        resolve(helperOutput(stdout));
      },
    );
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(serverUrl);
  });
}

function helperOutput(stdout: string): Credentials | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const { Username: username, Secret: secret } = parsed;
  if (typeof secret !== "string" || secret === "") return undefined;
  if (username === "<token>") return { identityToken: secret };
  if (typeof username !== "string" || username === "") return undefined;
  return { username, password: secret };
}
