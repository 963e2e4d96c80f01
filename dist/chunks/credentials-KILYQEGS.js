#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import "./chunk-XML4HPHG.js";

// src/registry/credentials.ts
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
var CredentialsError = class extends Error {
  constructor(message, file) {
    super(message);
    this.file = file;
    this.name = "CredentialsError";
  }
  file;
  code = "credentials";
};
var DOCKER_HUB = "docker.io";
var DOCKER_HUB_ALIASES = /* @__PURE__ */ new Set([DOCKER_HUB, "index.docker.io", "registry-1.docker.io"]);
var DOCKER_HUB_SERVER_URL = "https://index.docker.io/v1/";
async function loadCredentials(env, readFileIfExists2, runHelper = runCredentialHelper) {
  const fromEnv = envCredentials(env);
  const envHost = nonEmpty(env.IMAGESMITH_REGISTRY_HOST);
  const envHostKey = envHost === void 0 ? void 0 : normaliseHost(stripScheme(envHost));
  const authFilePath = authFileLocation(env);
  const authFileText = authFilePath ? await readFileIfExists2(authFilePath) : void 0;
  const authFile = authFilePath && authFileText !== void 0 ? parseAuthFile(authFilePath, authFileText) : /* @__PURE__ */ new Map();
  const dockerPath = dockerConfigLocation(env);
  const dockerText = dockerPath ? await readFileIfExists2(dockerPath) : void 0;
  const docker = dockerPath && dockerText !== void 0 ? parseDockerConfig(dockerPath, dockerText) : void 0;
  const helperResults = /* @__PURE__ */ new Map();
  function helper(name, host) {
    const key = `${name}
${host}`;
    let result = helperResults.get(key);
    if (result === void 0) {
      result = runHelper(name, host === DOCKER_HUB ? DOCKER_HUB_SERVER_URL : host);
      helperResults.set(key, result);
    }
    return result;
  }
  return async (rawHost, repository) => {
    const host = normaliseHost(rawHost);
    if (fromEnv && (envHostKey === void 0 || envHostKey === host)) return fromEnv;
    for (const key of keysFromMostSpecific(host, repository)) {
      const found = authFile.get(key);
      if (found) return found;
    }
    if (docker === void 0) return void 0;
    const helperName2 = docker.credHelpers.get(host);
    if (helperName2 !== void 0) {
      const found = await helper(helperName2, host);
      if (found) return found;
    }
    const inline = docker.auths.get(host);
    if (inline) return inline;
    if (docker.credsStore !== void 0) return helper(docker.credsStore, host);
    return void 0;
  };
}
function loadCredentialsFromEnvironment(env = process.env) {
  return loadCredentials(env, readFileIfExists);
}
async function readFileIfExists(path) {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw new CredentialsError(
      `cannot read registry credentials from ${path}: ${error.code ?? "read error"}`,
      path
    );
  }
}
function envCredentials(env) {
  const username = nonEmpty(env.IMAGESMITH_REGISTRY_USERNAME);
  const password = nonEmpty(env.IMAGESMITH_REGISTRY_PASSWORD);
  if (username === void 0 && password === void 0) return void 0;
  if (username === void 0) {
    throw new CredentialsError(
      "IMAGESMITH_REGISTRY_PASSWORD is set but IMAGESMITH_REGISTRY_USERNAME is not: set both, or neither"
    );
  }
  if (password === void 0) {
    throw new CredentialsError(
      "IMAGESMITH_REGISTRY_USERNAME is set but IMAGESMITH_REGISTRY_PASSWORD is not: set both, or neither"
    );
  }
  return { username, password };
}
function authFileLocation(env) {
  const explicit = nonEmpty(env.REGISTRY_AUTH_FILE);
  if (explicit !== void 0) return explicit;
  const runtime = nonEmpty(env.XDG_RUNTIME_DIR);
  return runtime === void 0 ? void 0 : join(runtime, "containers", "auth.json");
}
function dockerConfigLocation(env) {
  const dir = nonEmpty(env.DOCKER_CONFIG);
  if (dir !== void 0) return join(dir, "config.json");
  const home = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE);
  return home === void 0 ? void 0 : join(home, ".docker", "config.json");
}
function parseAuthFile(path, text) {
  const root = parseJsonObject(path, text);
  const entries = /* @__PURE__ */ new Map();
  for (const [key, entry] of Object.entries(authsOf(path, root))) {
    const credentials = entryCredentials(path, key, entry);
    if (credentials) entries.set(normaliseAuthFileKey(key), credentials);
  }
  return entries;
}
function parseDockerConfig(path, text) {
  const root = parseJsonObject(path, text);
  const auths = /* @__PURE__ */ new Map();
  for (const [key, entry] of Object.entries(authsOf(path, root))) {
    const credentials = entryCredentials(path, key, entry);
    if (credentials) auths.set(normaliseHost(hostOfKey(key)), credentials);
  }
  const credHelpers = /* @__PURE__ */ new Map();
  const helpers = root.credHelpers;
  if (helpers !== void 0) {
    if (!isObject(helpers)) {
      throw new CredentialsError(
        `${path}: "credHelpers" must be an object mapping registry hosts to helper names`,
        path
      );
    }
    for (const [key, name] of Object.entries(helpers)) {
      credHelpers.set(
        normaliseHost(hostOfKey(key)),
        helperName(path, `credHelpers of "${key}"`, name)
      );
    }
  }
  const config = { auths, credHelpers };
  if (root.credsStore !== void 0 && root.credsStore !== "") {
    config.credsStore = helperName(path, "credsStore", root.credsStore);
  }
  return config;
}
function parseJsonObject(path, text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CredentialsError(
      `${path} is not valid JSON; fix it (or log in again to rewrite it)`,
      path
    );
  }
  if (!isObject(parsed)) {
    throw new CredentialsError(`${path} must hold a JSON object with an "auths" object`, path);
  }
  return parsed;
}
function authsOf(path, root) {
  const auths = root.auths;
  if (auths === void 0) return {};
  if (!isObject(auths)) {
    throw new CredentialsError(
      `${path}: "auths" must be an object mapping registry hosts to credentials`,
      path
    );
  }
  return auths;
}
function entryCredentials(path, key, entry) {
  if (!isObject(entry)) {
    throw new CredentialsError(
      `${path}: the entry for "${key}" in "auths" must be an object`,
      path
    );
  }
  const identityToken = entry.identitytoken;
  if (typeof identityToken === "string" && identityToken !== "") return { identityToken };
  const auth = entry.auth;
  if (auth !== void 0 && auth !== "") {
    const decoded = typeof auth === "string" ? decodeAuth(auth) : void 0;
    if (decoded === void 0) {
      throw new CredentialsError(
        `${path}: the "auth" of "${key}" is not base64 of "username:password"`,
        path
      );
    }
    return decoded;
  }
  const { username, password } = entry;
  if (typeof username === "string" && username !== "" && typeof password === "string") {
    return { username, password };
  }
  return void 0;
}
function decodeAuth(auth) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(auth.trim())) return void 0;
  const decoded = Buffer.from(auth.trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return void 0;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
function helperName(path, where, name) {
  if (typeof name !== "string" || !/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new CredentialsError(
      `${path}: ${where} must be a credential helper name such as "desktop" or "ecr-login"`,
      path
    );
  }
  return name;
}
function keysFromMostSpecific(host, repository) {
  const keys = [host];
  if (repository === void 0 || repository === "") return keys;
  let prefix = host;
  for (const part of repository.split("/")) {
    prefix = `${prefix}/${part}`;
    keys.push(prefix);
  }
  return keys.reverse();
}
function normaliseAuthFileKey(key) {
  const trimmed = key.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return normaliseHost(hostOfKey(trimmed));
  const withoutSlash = trimmed.replace(/\/+$/, "");
  const slash = withoutSlash.indexOf("/");
  if (slash === -1) return normaliseHost(withoutSlash);
  return `${normaliseHost(withoutSlash.slice(0, slash))}${withoutSlash.slice(slash)}`;
}
function hostOfKey(key) {
  const rest = stripScheme(key.trim());
  const slash = rest.indexOf("/");
  return slash === -1 ? rest : rest.slice(0, slash);
}
function stripScheme(value) {
  return value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
}
function normaliseHost(host) {
  const lower = host.trim().toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}
function nonEmpty(value) {
  return value === void 0 || value === "" ? void 0 : value;
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function runCredentialHelper(helper, serverUrl) {
  return new Promise((resolve) => {
    const child = execFile(
      `docker-credential-${helper}`,
      ["get"],
      { timeout: 3e4, maxBuffer: 1024 * 1024 },
      (error, stdout) => {
        if (error) {
          resolve(void 0);
          return;
        }
        resolve(helperOutput(stdout));
      }
    );
    child.stdin?.on("error", () => void 0);
    child.stdin?.end(serverUrl);
  });
}
function helperOutput(stdout) {
  let parsed;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return void 0;
  }
  if (!isObject(parsed)) return void 0;
  const { Username: username, Secret: secret } = parsed;
  if (typeof secret !== "string" || secret === "") return void 0;
  if (username === "<token>") return { identityToken: secret };
  if (typeof username !== "string" || username === "") return void 0;
  return { username, password: secret };
}
export {
  CredentialsError,
  loadCredentials,
  loadCredentialsFromEnvironment,
  readFileIfExists,
  runCredentialHelper
};
