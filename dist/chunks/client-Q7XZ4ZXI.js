#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  MAX_DESCRIPTORS,
  indexDescriptors
} from "./chunk-UZLBU4PL.js";
import {
  VERSION
} from "./chunk-GTKEN5HG.js";
import {
  RegistryError
} from "./chunk-BQA5KWHH.js";
import {
  backoffDelay,
  sleep
} from "./chunk-MV6IGXHU.js";
import {
  formatImageReference,
  registryHostOf,
  repositoryOf
} from "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-XML4HPHG.js";

// src/registry/client.ts
import { createHash } from "node:crypto";
import {
  Agent as HttpAgent,
  request as httpRequest,
  STATUS_CODES
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

// src/registry/auth.ts
function parseChallenges(header2) {
  const challenges = [];
  let pos = 0;
  const length = header2.length;
  function skip(pattern) {
    while (pos < length && pattern.test(header2.charAt(pos))) pos++;
  }
  function token() {
    const start = pos;
    while (pos < length && !/[\s,="]/.test(header2.charAt(pos))) pos++;
    return header2.slice(start, pos);
  }
  function quoted() {
    pos++;
    let value = "";
    while (pos < length && header2.charAt(pos) !== '"') {
      if (header2.charAt(pos) === "\\" && pos + 1 < length) pos++;
      value += header2.charAt(pos);
      pos++;
    }
    pos++;
    return value;
  }
  while (pos < length) {
    skip(/[\s,]/);
    const scheme = token();
    if (scheme === "") {
      pos++;
      continue;
    }
    const challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (; ; ) {
      const mark = pos;
      skip(/[\s,]/);
      const name = token();
      skip(/\s/);
      if (name === "" || header2.charAt(pos) !== "=") {
        pos = mark;
        break;
      }
      pos++;
      skip(/\s/);
      const value = header2.charAt(pos) === '"' ? quoted() : token();
      challenge.params[name.toLowerCase()] = value;
    }
  }
  return challenges;
}
function pickChallenge(challenges) {
  return challenges.find((challenge) => challenge.scheme === "bearer") ?? challenges.find((challenge) => challenge.scheme === "basic");
}
function pullScope(repository) {
  return `repository:${repository}:pull`;
}
var CATALOG_SCOPE = "registry:catalog:*";
function basicAuthorization(credentials) {
  if (credentials === void 0 || !("username" in credentials)) return void 0;
  const pair = `${credentials.username}:${credentials.password}`;
  return `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
}
function tokenRequest(realm, service, scopes, credentials, userAgent) {
  if (credentials !== void 0 && "identityToken" in credentials) {
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: credentials.identityToken,
      client_id: "imagesmith",
      scope: scopes.join(" ")
    });
    if (service !== void 0) form.set("service", service);
    return {
      method: "POST",
      url: realm,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": userAgent
      },
      body: form.toString()
    };
  }
  const url = new URL(realm);
  if (service !== void 0) url.searchParams.set("service", service);
  for (const scope of scopes) url.searchParams.append("scope", scope);
  const headers = { "User-Agent": userAgent };
  const basic = basicAuthorization(credentials);
  if (basic !== void 0) headers.Authorization = basic;
  return { method: "GET", url, headers };
}
var DEFAULT_TOKEN_LIFETIME_S = 60;
function parseTokenResponse(body) {
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return void 0;
  }
  if (typeof parsed !== "object" || parsed === null) return void 0;
  const fields = parsed;
  const token = typeof fields.token === "string" && fields.token !== "" ? fields.token : typeof fields.access_token === "string" && fields.access_token !== "" ? fields.access_token : void 0;
  if (token === void 0) return void 0;
  const expiresIn = typeof fields.expires_in === "number" && fields.expires_in > 0 ? fields.expires_in : DEFAULT_TOKEN_LIFETIME_S;
  return { token, lifetimeMs: expiresIn * 1e3 };
}
var TokenCache = class {
  #tokens = /* @__PURE__ */ new Map();
  #pending = /* @__PURE__ */ new Map();
  /** The cached token for key, or the one `fetch` obtains (shared by concurrent callers). */
  get(key, fetch, now = Date.now()) {
    const cached = this.#tokens.get(key);
    if (cached !== void 0 && cached.expiresAt > now) return cached;
    let pending = this.#pending.get(key);
    if (pending === void 0) {
      pending = fetch().then(
        (issued) => {
          const obtainedAt = Date.now();
          const margin = Math.min(3e4, issued.lifetimeMs / 4);
          const entry = {
            authorization: `Bearer ${issued.token}`,
            expiresAt: obtainedAt + issued.lifetimeMs - margin,
            obtainedAt
          };
          this.#tokens.set(key, entry);
          this.#pending.delete(key);
          return entry;
        },
        (error) => {
          this.#pending.delete(key);
          throw error;
        }
      );
      this.#pending.set(key, pending);
    }
    return pending;
  }
  /** Forgets a token the registry refused, unless a newer one has replaced it already. */
  invalidate(key, authorization) {
    if (this.#tokens.get(key)?.authorization === authorization) this.#tokens.delete(key);
  }
};

// src/registry/client.ts
function createRegistry(options = {}) {
  return new HttpRegistry(options);
}
var MANIFEST_ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json"
].join(", ");
var OCI_INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
var INDEX_TYPES = /* @__PURE__ */ new Set([
  OCI_INDEX_TYPE,
  "application/vnd.docker.distribution.manifest.list.v2+json"
]);
var IMAGE_MANIFEST_TYPES = /* @__PURE__ */ new Set([
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json"
]);
var RETRY_STATUSES = /* @__PURE__ */ new Set([429, 500, 502, 503, 504]);
var RETRY_NETWORK_CODES = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN"
]);
var MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
var MAX_CONFIG_BYTES = 64 * 1024 * 1024;
var MAX_ERROR_BODY_BYTES = 64 * 1024;
var MAX_REDIRECTS = 5;
var DEFAULT_PLATFORM = { os: "linux", architecture: "amd64" };
var NetworkFailure = class extends Error {
  constructor(message, code, options) {
    super(message, options);
    this.code = code;
    this.name = "NetworkFailure";
  }
  code;
};
var HttpRegistry = class {
  #requestCount = 0;
  #insecure;
  #credentials;
  #retries;
  #retryBaseMs;
  #retryMaxMs;
  #timeoutMs;
  #userAgent;
  #pageSize;
  #signal;
  #httpAgent;
  #httpsAgent;
  #endpoints = /* @__PURE__ */ new Map();
  #hostAuth = /* @__PURE__ */ new Map();
  #credentialCache = /* @__PURE__ */ new Map();
  /** Lookups that have settled, by the same key: whether a 401 came without credentials. */
  #credentialsFound = /* @__PURE__ */ new Map();
  #tokens = new TokenCache();
  /** Every secret we have sent, so that no error message can quote one back. */
  #secrets = /* @__PURE__ */ new Set();
  // Semaphore: requests in flight, and the resolvers of those waiting for a slot (FIFO).
  #limit;
  #inFlight = 0;
  #waiting = [];
  #waitingHead = 0;
  constructor(options) {
    this.#insecure = new Set((options.insecureRegistries ?? []).map((host) => host.toLowerCase()));
    this.#credentials = options.credentials;
    this.#limit = Math.max(1, options.concurrency ?? 32);
    this.#retries = Math.max(0, options.retries ?? 4);
    this.#retryBaseMs = Math.max(0, options.retryBaseMs ?? 250);
    this.#retryMaxMs = Math.max(0, options.retryMaxMs ?? 3e4);
    this.#timeoutMs = options.timeoutMs ?? 3e4;
    this.#userAgent = options.userAgent ?? `imagesmith/${VERSION}`;
    this.#pageSize = options.pageSize ?? 1e3;
    this.#signal = options.signal;
    this.#signal?.addEventListener("abort", () => this.#releaseWaiting(), { once: true });
    this.#httpAgent = new HttpAgent({ keepAlive: true, maxSockets: this.#limit });
    this.#httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: this.#limit });
  }
  get requestCount() {
    return this.#requestCount;
  }
  async resolve(ref, options = {}) {
    const confirmable = ref.digest ?? options.expect;
    if (confirmable === void 0) return this.#resolveByGet(ref);
    const call = this.#manifestCall(ref, "HEAD", manifestReference(ref));
    const response = await this.#send(call);
    if (response.status === 404) return void 0;
    if (response.status !== 200) {
      if (response.status >= 500 || response.status === 429)
        throw this.#statusError(call, response);
      const explained = await this.#send({ ...call, method: "GET" }, false);
      throw this.#statusError(call, explained.status === response.status ? explained : response);
    }
    const info = {
      mediaType: mediaTypeOf(response.headers) ?? "",
      size: Number(header(response.headers, "content-length") ?? 0)
    };
    if (ref.digest !== void 0) return { digest: ref.digest, ...info };
    if (header(response.headers, "docker-content-digest") === options.expect)
      return { digest: confirmable, ...info };
    return this.#resolveByGet(ref);
  }
  async imageConfig(ref, platform) {
    const wanted = platform ?? DEFAULT_PLATFORM;
    const top = await this.#getManifest(ref, manifestReference(ref));
    if (top === void 0) {
      throw new RegistryError(
        `GET ${formatImageReference(ref)}: the image does not exist (manifest unknown)`,
        "not-found",
        404
      );
    }
    let manifest = top;
    if (INDEX_TYPES.has(top.mediaType)) {
      const entry = pickPlatform(top.json, wanted, `GET ${formatImageReference(ref)}`);
      const child = await this.#getManifest(ref, entry);
      if (child === void 0) {
        throw new RegistryError(
          `GET ${repositoryOf(ref)}@${entry}: the index of ${formatImageReference(ref)} lists this manifest for ${platformName(wanted)}, but the registry does not have it`,
          "not-found",
          404
        );
      }
      manifest = child;
    }
    if (!IMAGE_MANIFEST_TYPES.has(manifest.mediaType)) {
      throw new RegistryError(
        `GET ${repositoryOf(ref)}@${manifest.digest}: unsupported manifest type "${manifest.mediaType}"; expected an OCI image manifest or a Docker manifest v2 schema 2`,
        "protocol"
      );
    }
    const configDigest = configDigestOf(manifest.json);
    if (configDigest === void 0) {
      throw new RegistryError(
        `GET ${repositoryOf(ref)}@${manifest.digest}: the manifest has no config digest`,
        "protocol"
      );
    }
    const config = await this.#getBlob(ref, configDigest);
    return imageConfigOf(
      config,
      top.digest,
      manifest.digest,
      `${repositoryOf(ref)}@${configDigest}`
    );
  }
  async tags(ref) {
    const endpoint = this.#endpoint(registryHostOf(ref));
    const call = {
      what: `GET ${repositoryOf(ref)} tags`,
      method: "GET",
      endpoint,
      domain: ref.domain,
      repository: ref.path,
      scope: pullScope(ref.path),
      maxBytes: MAX_MANIFEST_BYTES
    };
    return this.#paginate(call, `/v2/${ref.path}/tags/list?n=${this.#pageSize}`, "tags");
  }
  async catalog(host) {
    const domain = host === "registry-1.docker.io" || host === "index.docker.io" ? "docker.io" : host;
    const endpoint = this.#endpoint(domain === "docker.io" ? "registry-1.docker.io" : domain);
    const call = {
      what: `GET ${domain} catalog`,
      method: "GET",
      endpoint,
      domain,
      scope: CATALOG_SCOPE,
      maxBytes: MAX_MANIFEST_BYTES
    };
    return this.#paginate(call, `/v2/_catalog?n=${this.#pageSize}`, "repositories");
  }
  async getManifest(ref) {
    const manifest = await this.#getManifest(ref, manifestReference(ref));
    if (manifest === void 0) {
      throw new RegistryError(
        `GET ${formatImageReference(ref)}: the manifest does not exist (manifest unknown)`,
        "not-found",
        404
      );
    }
    return {
      body: new Uint8Array(manifest.body),
      mediaType: manifest.mediaType,
      digest: manifest.digest
    };
  }
  async getBlob(repository, digest) {
    return new Uint8Array(await this.#fetchBlob(repository, digest, "blob"));
  }
  async mayPush(repository) {
    const { endpoint, common, start, location } = await this.#startUpload(
      repository,
      `POST ${repositoryOf(repository)} (starting an upload, to see whether a push is allowed)`
    );
    if (location === void 0) return;
    const target = new URL(location, `${endpoint.origin}${start.path}`);
    if (target.origin !== endpoint.origin) return;
    await this.#send(
      {
        ...common,
        what: `DELETE ${repositoryOf(repository)} (cancelling that upload)`,
        method: "DELETE",
        path: target.pathname + target.search
      },
      false
    ).catch(() => void 0);
  }
  /** POST /v2/<name>/blobs/uploads/ with push access asked for: the upload's Location, if given. */
  async #startUpload(repository, what) {
    const endpoint = this.#endpoint(registryHostOf(repository));
    const common = {
      endpoint,
      domain: repository.domain,
      repository: repository.path,
      scope: pushScope(repository.path),
      maxBytes: MAX_ERROR_BODY_BYTES
    };
    const start = {
      ...common,
      what,
      method: "POST",
      path: `/v2/${repository.path}/blobs/uploads/`
    };
    const started = await this.#send(start);
    if (started.status !== 202) throw this.#statusError(start, started);
    return { endpoint, common, start, started, location: header(started.headers, "location") };
  }
  async pushBlob(repository, data, options = {}) {
    const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const digest = `sha256:${sha256(body)}`;
    const size = body.length;
    if (options.checkExists !== false && await this.#blobExists(repository, digest))
      return { digest, size, uploaded: false };
    const shown = `${repositoryOf(repository)}@${digest}`;
    const { endpoint, common, start, started, location } = await this.#startUpload(
      repository,
      `POST ${shown} (starting the upload)`
    );
    if (location === void 0) {
      throw new RegistryError(
        `${start.what}: the registry accepted the upload but gave no Location to send it to`,
        "protocol",
        started.status
      );
    }
    const target = new URL(location, `${endpoint.origin}${start.path}`);
    target.searchParams.set("digest", digest);
    if (target.protocol === "http:" && endpoint.secure && !this.#insecure.has(target.host.toLowerCase())) {
      throw new RegistryError(
        `${start.what}: the registry sends the upload to plain HTTP (${target.origin}); list ${target.host} in insecureRegistries if that is intended`,
        "protocol"
      );
    }
    const put = {
      ...common,
      what: `PUT ${shown} (uploading ${size} bytes)`,
      method: "PUT",
      path: target.pathname + target.search,
      body,
      contentType: "application/octet-stream"
    };
    const response = target.origin === endpoint.origin ? await this.#send(put) : await this.#sendWithRetries(
      put,
      this.#endpointOfUrl(target),
      put.path,
      void 0,
      "PUT",
      body,
      put.contentType
    );
    if (response.status < 200 || response.status >= 300) {
      const landed = (response.status === 404 || response.status >= 500) && await this.#blobExists(repository, digest).catch(() => false);
      if (landed) return { digest, size, uploaded: true };
      throw this.#statusError(put, response);
    }
    const stored = header(response.headers, "docker-content-digest");
    if (stored !== void 0 && stored !== digest) {
      throw new RegistryError(
        `${put.what}: the registry stored the blob as ${stored}`,
        "protocol",
        response.status
      );
    }
    return { digest, size, uploaded: true };
  }
  async pushManifest(ref, body, mediaType) {
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const digest = `sha256:${sha256(bytes)}`;
    if (ref.digest !== void 0 && ref.digest !== digest) {
      throw new RegistryError(
        `PUT ${formatImageReference(ref)}: the manifest's content has the digest ${digest}, not ${ref.digest}`,
        "protocol"
      );
    }
    const call = {
      ...this.#manifestCall(ref, "PUT", ref.tag ?? digest),
      accept: void 0,
      scope: pushScope(ref.path),
      maxBytes: MAX_ERROR_BODY_BYTES,
      body: bytes,
      contentType: mediaType
    };
    const response = await this.#send(call);
    if (response.status < 200 || response.status >= 300) throw this.#statusError(call, response);
    const stored = header(response.headers, "docker-content-digest");
    if (stored !== void 0 && stored !== digest) {
      throw new RegistryError(
        `${call.what}: the registry stored the manifest as ${stored}, not ${digest}`,
        "protocol",
        response.status
      );
    }
    const subject = header(response.headers, "oci-subject");
    return subject === void 0 ? { digest } : { digest, subject };
  }
  async referrers(repository, digest, artifactType) {
    const endpoint = this.#endpoint(registryHostOf(repository));
    const query = artifactType === void 0 ? "" : `?artifactType=${encodeURIComponent(artifactType)}`;
    const call = {
      what: `GET ${repositoryOf(repository)} referrers of ${digest}`,
      method: "GET",
      endpoint,
      accept: OCI_INDEX_TYPE,
      domain: repository.domain,
      repository: repository.path,
      scope: pullScope(repository.path),
      maxBytes: MAX_MANIFEST_BYTES
    };
    const found = [];
    const seen = /* @__PURE__ */ new Set();
    let path = `/v2/${repository.path}/referrers/${digest}${query}`;
    while (path !== void 0 && !seen.has(path) && found.length < MAX_DESCRIPTORS) {
      seen.add(path);
      const page = { ...call, path };
      const response = await this.#send(page);
      if (response.status === 404 && seen.size === 1) return void 0;
      if (response.status !== 200) throw this.#statusError(page, response);
      const json = parseJson(response.body, call.what, "referrers list");
      if (!isRecord(json) || !Array.isArray(json.manifests)) {
        throw new RegistryError(`${call.what}: the answer is not an image index`, "protocol");
      }
      found.push(...indexDescriptors(json));
      path = nextPagePath(header(response.headers, "link"), endpoint, call.what);
    }
    return found.slice(0, MAX_DESCRIPTORS);
  }
  // --- requests of the port ------------------------------------------------------------------
  /** HEAD a blob with push scope (the token the upload needs anyway): is it there already? */
  async #blobExists(repository, digest) {
    const call = {
      what: `HEAD ${repositoryOf(repository)}@${digest} (blob)`,
      method: "HEAD",
      endpoint: this.#endpoint(registryHostOf(repository)),
      path: `/v2/${repository.path}/blobs/${digest}`,
      domain: repository.domain,
      repository: repository.path,
      scope: pushScope(repository.path),
      maxBytes: MAX_ERROR_BODY_BYTES
    };
    const response = await this.#send(call);
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw this.#statusError(call, response);
  }
  #manifestCall(ref, method, reference) {
    const shown = reference === ref.digest || reference === ref.tag || reference === "latest" ? formatImageReference(
      ref.tag === void 0 && ref.digest === void 0 ? { ...ref, tag: "latest" } : ref
    ) : `${repositoryOf(ref)}@${reference}`;
    return {
      what: `${method} ${shown}`,
      method,
      endpoint: this.#endpoint(registryHostOf(ref)),
      path: `/v2/${ref.path}/manifests/${reference}`,
      accept: MANIFEST_ACCEPT,
      domain: ref.domain,
      repository: ref.path,
      scope: pullScope(ref.path),
      maxBytes: MAX_MANIFEST_BYTES
    };
  }
  async #resolveByGet(ref) {
    const manifest = await this.#getManifest(ref, manifestReference(ref));
    if (manifest === void 0) return void 0;
    return { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.size };
  }
  /** GETs a manifest; undefined on 404. The digest is the body's sha256. */
  async #getManifest(ref, reference) {
    const call = this.#manifestCall(ref, "GET", reference);
    const response = await this.#send(call);
    if (response.status === 404) return void 0;
    if (response.status !== 200) throw this.#statusError(call, response);
    const computed = `sha256:${sha256(response.body)}`;
    if (reference.startsWith("sha256:") && computed !== reference) {
      throw new RegistryError(
        `${call.what}: the manifest's content does not match its digest (got ${computed})`,
        "protocol"
      );
    }
    const json = parseJson(response.body, call.what, "manifest");
    const declared = isRecord(json) && typeof json.mediaType === "string" ? json.mediaType : void 0;
    return {
      // The bytes received, never the Docker-Content-Digest header: a proxy or a misbehaving
      // registry may send a header that does not match, and what gets pinned is what was seen.
      digest: computed,
      mediaType: declared ?? mediaTypeOf(response.headers) ?? guessMediaType(json),
      size: response.body.length,
      json,
      body: response.body
    };
  }
  /** GETs a config blob and reads it as JSON. */
  async #getBlob(ref, digest) {
    const body = await this.#fetchBlob(ref, digest, "config blob");
    return parseJson(body, `GET ${repositoryOf(ref)}@${digest} (config blob)`, "image config");
  }
  /** GETs a blob (following redirects to blob storage) and checks it against its digest. */
  async #fetchBlob(ref, digest, kind) {
    const call = {
      what: `GET ${repositoryOf(ref)}@${digest} (${kind})`,
      method: "GET",
      endpoint: this.#endpoint(registryHostOf(ref)),
      path: `/v2/${ref.path}/blobs/${digest}`,
      domain: ref.domain,
      repository: ref.path,
      scope: pullScope(ref.path),
      maxBytes: MAX_CONFIG_BYTES
    };
    const response = await this.#send(call);
    if (response.status === 404) {
      throw new RegistryError(`${call.what}: 404 blob unknown`, "not-found", 404);
    }
    if (response.status !== 200) throw this.#statusError(call, response);
    if (!matchesDigest(response.body, digest)) {
      throw new RegistryError(
        `${call.what}: the blob's content does not match its digest`,
        "protocol"
      );
    }
    return response.body;
  }
  async #paginate(call, firstPath, field) {
    const items = [];
    const seen = /* @__PURE__ */ new Set();
    let path = firstPath;
    while (path !== void 0) {
      if (seen.has(path)) break;
      seen.add(path);
      const page = { ...call, path };
      const response = await this.#send(page);
      if (response.status !== 200) throw this.#statusError(page, response);
      const json = parseJson(response.body, call.what, "list");
      const list = isRecord(json) ? json[field] : void 0;
      if (list !== null && list !== void 0 && !Array.isArray(list)) {
        throw new RegistryError(`${call.what}: "${field}" is not a list`, "protocol");
      }
      for (const item of list ?? []) if (typeof item === "string") items.push(item);
      path = nextPagePath(header(response.headers, "link"), call.endpoint, call.what);
    }
    return items;
  }
  // --- auth ----------------------------------------------------------------------------------
  /**
   * Sends a call with auth, following redirects and retrying transient failures. A 401 is answered
   * once (the host's challenge changed, or a cached token went stale) unless `answer401` is false.
   */
  async #send(call, answer401 = true) {
    const hostAuth = await this.#hostAuthFor(call);
    let auth = await this.#authorization(call, hostAuth, call.scope);
    let response = await this.#sendFollowingRedirects(call, auth?.authorization);
    if (response.status !== 401 || !answer401) return response;
    const challenge = pickChallenge(
      parseChallenges(header(response.headers, "www-authenticate") ?? "")
    );
    if (challenge === void 0) return response;
    const scope = challenge.params.scope ?? call.scope;
    const changed = challenge.scheme !== hostAuth.challenge?.scheme || challenge.params.realm !== hostAuth.challenge.params.realm || scope !== call.scope;
    const staleToken = auth !== void 0 && auth.obtainedAt < auth.sentAt && auth.tokenKey !== void 0;
    if (!changed && !staleToken) return response;
    if (auth?.tokenKey !== void 0) this.#tokens.invalidate(auth.tokenKey, auth.authorization);
    const updated = this.#hostAuthFromChallenge(call, challenge);
    this.#hostAuth.set(call.endpoint.host, Promise.resolve(updated));
    auth = await this.#authorization(call, updated, scope);
    response = await this.#sendFollowingRedirects(call, auth?.authorization);
    return response;
  }
  /** The host's auth, learnt once per host from `GET /v2/` and shared by concurrent callers. */
  async #hostAuthFor(call) {
    const host = call.endpoint.host;
    let known = this.#hostAuth.get(host);
    if (known === void 0) {
      known = this.#ping(call).catch((error) => {
        this.#hostAuth.delete(host);
        throw error;
      });
      this.#hostAuth.set(host, known);
    }
    try {
      return await known;
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      throw new RegistryError(`${call.what}: ${error.message}`, error.code, error.status, {
        cause: error.cause
      });
    }
  }
  async #ping(call) {
    const ping = {
      ...call,
      what: "GET /v2/",
      method: "GET",
      path: "/v2/",
      accept: void 0,
      body: void 0,
      contentType: void 0,
      maxBytes: MAX_ERROR_BODY_BYTES
    };
    const response = await this.#sendWithRetries(ping, call.endpoint, "/v2/", void 0);
    if (response.status === 401) {
      const challenge = pickChallenge(
        parseChallenges(header(response.headers, "www-authenticate") ?? "")
      );
      if (challenge !== void 0) return this.#hostAuthFromChallenge(ping, challenge);
    }
    if (response.status >= 500) throw this.#statusError(ping, response);
    return { challenge: void 0 };
  }
  #hostAuthFromChallenge(call, challenge) {
    if (challenge.scheme !== "bearer") return { challenge };
    const realm = challenge.params.realm;
    let url;
    try {
      url = new URL(realm ?? "");
    } catch {
      throw new RegistryError(
        `${call.what}: the registry asks for a Bearer token but gives no usable realm URL`,
        "protocol"
      );
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new RegistryError(
        `${call.what}: unsupported token realm scheme ${url.protocol}`,
        "protocol"
      );
    }
    if (url.protocol === "http:" && call.endpoint.secure && !this.#insecure.has(url.host.toLowerCase())) {
      throw new RegistryError(
        `${call.what}: the token realm ${url.origin} is plain HTTP; list ${url.host} in insecureRegistries if that is intended`,
        "protocol"
      );
    }
    return { challenge, realm: url };
  }
  /** The Authorization to send, or undefined for anonymous; sentAt lets a 401 tell a stale token. */
  async #authorization(call, hostAuth, scope) {
    const challenge = hostAuth.challenge;
    if (challenge === void 0) return void 0;
    const sentAt = Date.now();
    const credentials = await this.#credentialsFor(call);
    if (challenge.scheme === "basic") {
      const authorization = basicAuthorization(credentials);
      if (authorization === void 0) return void 0;
      return { authorization, obtainedAt: sentAt, sentAt };
    }
    if (challenge.scheme !== "bearer" || hostAuth.realm === void 0) return void 0;
    const realm = hostAuth.realm;
    const tokenKey = `${call.endpoint.host} ${scope}`;
    const use = await this.#tokens.get(
      tokenKey,
      () => this.#fetchToken(call, realm, challenge.params.service, scope, credentials)
    );
    return { authorization: use.authorization, obtainedAt: use.obtainedAt, sentAt, tokenKey };
  }
  async #fetchToken(call, realm, service, scope, credentials) {
    const spec = tokenRequest(realm, service, scope.split(" "), credentials, this.#userAgent);
    const endpoint = this.#endpointOfUrl(spec.url);
    const what = `${call.what}: getting a token for ${scope} from ${realm.origin}${realm.pathname}`;
    const tokenCall = {
      ...call,
      what,
      method: "GET",
      endpoint,
      path: spec.url.pathname + spec.url.search,
      accept: void 0,
      body: void 0,
      contentType: void 0,
      maxBytes: MAX_ERROR_BODY_BYTES
    };
    const response = await this.#sendWithRetries(
      tokenCall,
      endpoint,
      tokenCall.path,
      spec.headers.Authorization,
      spec.method,
      spec.body,
      spec.headers["Content-Type"]
    );
    if (response.status !== 200) {
      const error = this.#statusError(tokenCall, response);
      if (response.status === 401 && credentials === void 0) {
        throw new RegistryError(
          `${error.message}${noCredentialsHint(call.domain)}`,
          error.code,
          error.status
        );
      }
      throw error;
    }
    const issued = parseTokenResponse(response.body.toString("utf8"));
    if (issued === void 0) {
      throw new RegistryError(`${what}: the token server's answer holds no token`, "protocol");
    }
    this.#secrets.add(issued.token);
    return issued;
  }
  #credentialsFor(call) {
    const lookup = this.#credentials;
    if (lookup === void 0) return Promise.resolve(void 0);
    const key = `${call.domain}/${call.repository ?? ""}`;
    let found = this.#credentialCache.get(key);
    if (found === void 0) {
      found = Promise.resolve(lookup(call.domain, call.repository)).then((credentials) => {
        this.#credentialsFound.set(key, credentials !== void 0);
        if (credentials !== void 0) this.#rememberSecrets(credentials);
        return credentials;
      });
      this.#credentialCache.set(key, found);
    }
    return found;
  }
  // --- transport -----------------------------------------------------------------------------
  /** Sends, following redirects; Authorization only goes to the call's own origin. */
  async #sendFollowingRedirects(call, authorization) {
    let endpoint = call.endpoint;
    let path = call.path;
    for (let hop = 0; ; hop++) {
      const sameOrigin = endpoint.origin === call.endpoint.origin;
      const response = await this.#sendWithRetries(
        call,
        endpoint,
        path,
        sameOrigin ? authorization : void 0,
        call.method,
        call.body,
        call.contentType
      );
      if (![301, 302, 303, 307, 308].includes(response.status)) return response;
      const location = header(response.headers, "location");
      if (location === void 0) return response;
      if (hop >= MAX_REDIRECTS) {
        throw new RegistryError(
          `${call.what}: more than ${MAX_REDIRECTS} redirects`,
          "protocol",
          response.status
        );
      }
      const target = new URL(location, `${endpoint.origin}${path}`);
      if (target.protocol === "http:" && !this.#insecure.has(target.host.toLowerCase()) && endpoint.secure) {
        throw new RegistryError(
          `${call.what}: the registry redirects to plain HTTP (${target.origin}); list ${target.host} in insecureRegistries if that is intended`,
          "protocol",
          response.status
        );
      }
      endpoint = this.#endpointOfUrl(target);
      path = target.pathname + target.search;
    }
  }
  /** One exchange, retried on 429 / 5xx / connection failures; returns the last response. */
  async #sendWithRetries(call, endpoint, path, authorization, method = call.method, body, contentType) {
    const headers = { "User-Agent": this.#userAgent };
    if (call.accept !== void 0) headers.Accept = call.accept;
    if (authorization !== void 0) headers.Authorization = authorization;
    if (contentType !== void 0) headers["Content-Type"] = contentType;
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await this.#exchange(endpoint, method, path, headers, body, call.maxBytes);
      } catch (error) {
        const failure = error;
        if (this.#signal?.aborted) throw this.#cancelled(call);
        if (attempt < this.#retries && RETRY_NETWORK_CODES.has(failure.code ?? "")) {
          await this.#wait(call, this.#backoff(attempt, void 0));
          continue;
        }
        throw this.#networkError(call, endpoint, failure, attempt + 1);
      }
      if (!RETRY_STATUSES.has(response.status) || attempt >= this.#retries) return response;
      await this.#wait(call, this.#backoff(attempt, header(response.headers, "retry-after")));
    }
  }
  /** A backoff wait that a cancel ends with the call's "cancelled" error. */
  async #wait(call, ms) {
    try {
      await sleep(ms, this.#signal);
    } catch {
      throw this.#cancelled(call);
    }
  }
  #cancelled(call) {
    return new RegistryError(`${call.what}: cancelled`, "cancelled");
  }
  #backoff(attempt, retryAfter) {
    const asked = retryAfter === void 0 ? void 0 : parseRetryAfter(retryAfter, Date.now());
    if (asked !== void 0) return Math.min(asked, this.#retryMaxMs);
    return backoffDelay(attempt, this.#retryBaseMs, this.#retryMaxMs);
  }
  async #exchange(endpoint, method, path, headers, body, maxBytes) {
    await this.#acquire();
    try {
      if (this.#signal?.aborted) throw new NetworkFailure("cancelled", "ABORT_ERR");
      this.#requestCount++;
      return await new Promise((resolve, reject) => {
        const request = (endpoint.secure ? httpsRequest : httpRequest)({
          hostname: endpoint.hostname,
          port: endpoint.port,
          method,
          path,
          headers,
          agent: endpoint.secure ? this.#httpsAgent : this.#httpAgent,
          ...this.#signal ? { signal: this.#signal } : {}
        });
        request.setTimeout(this.#timeoutMs, () => {
          request.destroy(
            new NetworkFailure(`no answer within ${this.#timeoutMs} ms`, "ETIMEDOUT")
          );
        });
        request.on("error", (error) => {
          reject(
            error instanceof NetworkFailure ? error : new NetworkFailure(error.message, error.code, { cause: error })
          );
        });
        request.on("response", (response) => {
          const status = response.statusCode ?? 0;
          const limit = status >= 300 ? Math.min(maxBytes, MAX_ERROR_BODY_BYTES) : maxBytes;
          const chunks = [];
          let size = 0;
          let truncated = false;
          response.on("data", (chunk) => {
            if (truncated) return;
            size += chunk.length;
            if (size > limit) {
              truncated = true;
              if (status < 300) {
                request.destroy(
                  new NetworkFailure(`the answer is larger than ${limit} bytes`, "ETOOBIG")
                );
                return;
              }
            }
            chunks.push(chunk);
          });
          response.on(
            "end",
            () => resolve({ status, headers: response.headers, body: Buffer.concat(chunks) })
          );
          response.on(
            "error",
            (error) => reject(new NetworkFailure(error.message, error.code, { cause: error }))
          );
        });
        request.end(body);
      });
    } finally {
      this.#release();
    }
  }
  #acquire() {
    if (this.#inFlight < this.#limit || this.#signal?.aborted) {
      this.#inFlight++;
      return;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
  /** Lets every waiting request take a slot now (each then fails as cancelled and releases it). */
  #releaseWaiting() {
    for (let i = this.#waitingHead; i < this.#waiting.length; i++) {
      const next = this.#waiting[i];
      if (next === void 0) continue;
      this.#waiting[i] = void 0;
      this.#inFlight++;
      next();
    }
    this.#waiting.length = 0;
    this.#waitingHead = 0;
  }
  #release() {
    const next = this.#waiting[this.#waitingHead];
    if (next === void 0) {
      this.#inFlight--;
      return;
    }
    this.#waiting[this.#waitingHead] = void 0;
    this.#waitingHead++;
    if (this.#waitingHead > 1024 && this.#waitingHead * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#waitingHead);
      this.#waitingHead = 0;
    }
    next();
  }
  #endpoint(host) {
    let endpoint = this.#endpoints.get(host);
    if (endpoint === void 0) {
      const secure = !this.#insecure.has(host.toLowerCase());
      endpoint = makeEndpoint(host, secure);
      this.#endpoints.set(host, endpoint);
    }
    return endpoint;
  }
  #endpointOfUrl(url) {
    const secure = url.protocol === "https:";
    const key = `${url.protocol}//${url.host}`;
    let endpoint = this.#endpoints.get(key);
    if (endpoint === void 0) {
      endpoint = makeEndpoint(url.host, secure);
      this.#endpoints.set(key, endpoint);
    }
    return endpoint;
  }
  // --- errors --------------------------------------------------------------------------------
  #statusError(call, response) {
    const status = response.status;
    const said = this.#redact(describeErrorBody(response));
    const code = codeForStatus(status);
    let message = `${call.what}: ${said}`;
    if (status === 429 || status >= 500) message += ` (after ${this.#retries + 1} attempts)`;
    if (status === 401) message += this.#unauthorizedHint(call);
    return new RegistryError(message, code, status);
  }
  #unauthorizedHint(call) {
    const found = this.#credentialsFound.get(`${call.domain}/${call.repository ?? ""}`);
    return found === true ? "" : noCredentialsHint(call.domain);
  }
  #networkError(call, endpoint, failure, attempts) {
    const reason = this.#redact(describeNetworkFailure(failure));
    let message = `${call.what}: cannot reach ${endpoint.origin} (${reason})`;
    if (attempts > 1) message += ` after ${attempts} attempts`;
    if (endpoint.secure) {
      message += `; if ${endpoint.host} is a plain-HTTP registry, list it in insecureRegistries`;
    }
    return new RegistryError(message, "unreachable", void 0, { cause: failure });
  }
  /** Whatever of these credentials could be echoed back: the secret, and its Basic encoding. */
  #rememberSecrets(credentials) {
    if ("identityToken" in credentials) {
      this.#secrets.add(credentials.identityToken);
      return;
    }
    this.#secrets.add(credentials.password);
    this.#secrets.add((basicAuthorization(credentials) ?? "").slice("Basic ".length));
  }
  #redact(text) {
    let result = text;
    for (const secret of this.#secrets) {
      if (secret !== "" && result.includes(secret))
        result = result.split(secret).join("[redacted]");
    }
    return result;
  }
};
function parseRetryAfter(value, now) {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1e3;
  if (!/[a-z]/i.test(trimmed)) return void 0;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return void 0;
  return Math.max(0, date - now);
}
function parseLinkNext(header2) {
  if (header2 === void 0) return void 0;
  const pattern = /<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"[^"]*"|[^;,]*))?)*)/g;
  for (const match of header2.matchAll(pattern)) {
    const params = match[2] ?? "";
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(params);
    const relations = (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/);
    if (relations.includes("next")) return match[1];
  }
  return void 0;
}
function nextPagePath(link, endpoint, what) {
  const next = parseLinkNext(link);
  if (next === void 0) return void 0;
  const url = new URL(next, `${endpoint.origin}/`);
  if (url.origin !== endpoint.origin) {
    throw new RegistryError(
      `${what}: the next page is on another host (${url.origin})`,
      "protocol"
    );
  }
  return url.pathname + url.search;
}
function makeEndpoint(host, secure) {
  const url = new URL(`${secure ? "https" : "http"}://${host}`);
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return {
    host,
    secure,
    hostname,
    port: url.port === "" ? void 0 : Number(url.port),
    origin: url.origin
  };
}
function manifestReference(ref) {
  return ref.digest ?? ref.tag ?? "latest";
}
function header(headers, name) {
  const value = headers[name];
  if (Array.isArray(value)) return value.join(", ");
  return value === void 0 || value === "" ? void 0 : value;
}
function mediaTypeOf(headers) {
  const contentType = header(headers, "content-type");
  if (contentType === void 0) return void 0;
  const semicolon = contentType.indexOf(";");
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim();
}
function guessMediaType(json) {
  if (!isRecord(json)) return "";
  if (Array.isArray(json.manifests)) return "application/vnd.oci.image.index.v1+json";
  if (isRecord(json.config)) return "application/vnd.oci.image.manifest.v1+json";
  return "";
}
function sha256(body) {
  return createHash("sha256").update(body).digest("hex");
}
function pushScope(repository) {
  return `repository:${repository}:pull,push`;
}
var DIGEST_ALGORITHMS = /* @__PURE__ */ new Set(["sha256", "sha384", "sha512"]);
function matchesDigest(body, digest) {
  const colon = digest.indexOf(":");
  const algorithm = digest.slice(0, colon);
  if (colon < 0 || !DIGEST_ALGORITHMS.has(algorithm)) return false;
  return createHash(algorithm).update(body).digest("hex") === digest.slice(colon + 1);
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function parseJson(body, what, kind) {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new RegistryError(`${what}: the ${kind} is not valid JSON`, "protocol");
  }
}
function configDigestOf(manifest) {
  if (!isRecord(manifest) || !isRecord(manifest.config)) return void 0;
  const digest = manifest.config.digest;
  return typeof digest === "string" ? digest : void 0;
}
function platformName(platform) {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join("/");
}
function sameVariant(entry, wanted, architecture) {
  if (wanted === void 0) return true;
  const normal = (variant) => architecture === "arm64" && (variant === void 0 || variant === "v8") ? "v8" : variant;
  return normal(entry) === normal(wanted);
}
function pickPlatform(index, wanted, what) {
  const manifests = isRecord(index) && Array.isArray(index.manifests) ? index.manifests : [];
  const available = [];
  let fallback;
  for (const entry of manifests) {
    if (!isRecord(entry) || !isRecord(entry.platform) || typeof entry.digest !== "string") continue;
    const { os, architecture, variant } = entry.platform;
    if (typeof os !== "string" || typeof architecture !== "string") continue;
    if (os === "unknown") continue;
    const entryVariant = typeof variant === "string" && variant !== "" ? variant : void 0;
    available.push(platformName({ os, architecture, variant: entryVariant }));
    if (os !== wanted.os || architecture !== wanted.architecture) continue;
    if (!sameVariant(entryVariant, wanted.variant, architecture)) continue;
    if (wanted.variant !== void 0 || entryVariant === void 0) return entry.digest;
    fallback ??= entry.digest;
  }
  if (fallback !== void 0) return fallback;
  const has = available.length === 0 ? "no platform entries" : available.join(", ");
  throw new RegistryError(
    `${what}: the index has no ${platformName(wanted)} image; it has ${has}`,
    "not-found"
  );
}
function imageConfigOf(json, digest, manifestDigest, what) {
  if (!isRecord(json))
    throw new RegistryError(`GET ${what}: the image config is not an object`, "protocol");
  const config = isRecord(json.config) ? json.config : {};
  const result = {
    digest,
    manifestDigest,
    env: Array.isArray(config.Env) ? config.Env.filter((item) => typeof item === "string") : [],
    labels: {}
  };
  if (typeof config.User === "string") result.user = config.User;
  if (isRecord(config.Labels)) {
    for (const [key, value] of Object.entries(config.Labels)) {
      if (typeof value === "string") result.labels[key] = value;
    }
  }
  if (typeof json.os === "string") result.os = json.os;
  if (typeof json.architecture === "string") result.architecture = json.architecture;
  return result;
}
function codeForStatus(status) {
  if (status === 401) return "unauthorized";
  if (status === 403) return "denied";
  if (status === 404) return "not-found";
  if (status === 429) return "too-many-requests";
  if (status >= 500) return "server";
  return "protocol";
}
function describeErrorBody(response) {
  const status = response.status;
  const text = response.body.toString("utf8");
  const fallback = (STATUS_CODES[status] ?? "error").toLowerCase();
  try {
    const json = JSON.parse(text);
    const errors = isRecord(json) && Array.isArray(json.errors) ? json.errors : [];
    const described = errors.filter(isRecord).map((error) => {
      const code = typeof error.code === "string" ? error.code.toLowerCase().replace(/_/g, " ") : "";
      const message = typeof error.message === "string" ? error.message : "";
      return message === "" || message === code ? code : `${code}: ${message}`;
    });
    if (described.length > 0) return `${status} ${described.join("; ")}`;
    if (isRecord(json)) {
      const detail = [json.details, json.error, json.error_description].filter(
        (part) => typeof part === "string" && part !== ""
      );
      if (detail.length > 0) return `${status} ${fallback}: ${detail.join(": ")}`;
    }
  } catch {
  }
  const snippet = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
  return snippet === "" ? `${status} ${fallback}` : `${status} ${fallback}: ${snippet}`;
}
function describeNetworkFailure(failure) {
  const tls = /SSL routines:[^:]*:([^:]+)/.exec(failure.message);
  if (tls?.[1] !== void 0) return `TLS handshake failed: ${tls[1]}`;
  const message = failure.message.trim();
  return failure.code && !message.includes(failure.code) ? `${failure.code}: ${message}` : message;
}
function noCredentialsHint(domain) {
  return `; no credentials for ${domain} were found (log in with buildah or docker, or set IMAGESMITH_REGISTRY_USERNAME and IMAGESMITH_REGISTRY_PASSWORD: those are for the catalog's registry unless IMAGESMITH_REGISTRY_HOST names another)`;
}
export {
  createRegistry,
  parseLinkNext,
  parseRetryAfter
};
