/**
 * The registry port over HTTP: an OCI distribution (v2) client.
 *
 * - Transport: node:http / node:https with one keep-alive agent per scheme, so connections are
 *   reused and per-request cost stays small (a later benchmark resolves 1,000 tags in under a
 *   second). A semaphore bounds requests in flight (`concurrency`).
 * - Plain HTTP only for hosts listed in `insecureRegistries`; every other host is HTTPS.
 * - Auth: each host is pinged once (`GET /v2/`) to learn its challenge; then requests carry Basic
 *   credentials or a Bearer token fetched from the challenge's realm, cached per (host, scope).
 *   A 401 is answered once (new challenge, stale token); the second 401 is `unauthorized`.
 * - Retries: 429, 500, 502, 503, 504 and connection resets / refusals / timeouts are retried with
 *   exponential backoff and jitter, honouring `Retry-After`; then a RegistryError.
 * - Cancel: one AbortSignal for the client reaches every request, token fetch and backoff wait.
 * - Redirects (blob storage) are followed; credentials are only sent to the registry's own origin.
 * - Pushing (blobs, manifests) asks for `repository:NAME:pull,push` tokens, cached apart from the
 *   pull-only ones, so that reading never needs more access than reading.
 * - Credentials and tokens never reach an error message: messages are built from status, the
 *   registry's error codes and messages, and anything quoted from a body is redacted.
 */
import { createHash } from "node:crypto";
import {
  Agent as HttpAgent,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  request as httpRequest,
  STATUS_CODES,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import {
  formatImageReference,
  type ImageReference,
  registryHostOf,
  repositoryOf,
} from "../grammars/image-ref.js";
import { backoffDelay, sleep } from "../backoff.js";
import { VERSION } from "../version.js";
import {
  basicAuthorization,
  CATALOG_SCOPE,
  type Challenge,
  parseChallenges,
  parseTokenResponse,
  pickChallenge,
  pullScope,
  TokenCache,
  tokenRequest,
  type TokenUse,
} from "./auth.js";
import type { CredentialLookup } from "./credentials.js";
import { indexDescriptors, MAX_DESCRIPTORS } from "./descriptors.js";
import {
  type BlobInfo,
  type Credentials,
  type Descriptor,
  type ImageConfig,
  type Manifest,
  type ManifestInfo,
  type ResolveOptions,
  type Platform,
  type PushBlobOptions,
  type PushedManifest,
  type Registry,
  RegistryError,
  type RegistryErrorCode,
} from "./types.js";

export interface RegistryOptions {
  /** HOST[:PORT] spoken over plain HTTP. Every other host is HTTPS, with no fallback to HTTP. */
  insecureRegistries?: string[];
  /** Credentials per host (ImageReference.domain) and repository; see credentials.ts for a loader. */
  credentials?: CredentialLookup;
  /** Requests in flight at most (default 32). */
  concurrency?: number;
  /** Retries after the first attempt of a request that failed transiently (default 4). */
  retries?: number;
  /** First backoff delay in ms, doubled per retry, with jitter (default 250). */
  retryBaseMs?: number;
  /** Longest wait before a retry, Retry-After included (default 30 000 ms). */
  retryMaxMs?: number;
  /** Per-request timeout in ms, from sending to the end of the body (default 30 000). */
  timeoutMs?: number;
  userAgent?: string;
  /** `n` of paginated lists (tags, catalog); distribution refuses more than 1000 (default 1000). */
  pageSize?: number;
  /**
   * The run's cancel: once it aborts, requests in flight are torn down, backoff waits end, waiting
   * requests never start, and each rejects with a RegistryError whose code is "cancelled".
   */
  signal?: AbortSignal;
}

/** Builds the HTTP registry client. */
export function createRegistry(options: RegistryOptions = {}): Registry {
  return new HttpRegistry(options);
}

const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");
const OCI_INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
const INDEX_TYPES = new Set([
  OCI_INDEX_TYPE,
  "application/vnd.docker.distribution.manifest.list.v2+json",
]);
const IMAGE_MANIFEST_TYPES = new Set([
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
]);
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const RETRY_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
]);
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_CONFIG_BYTES = 64 * 1024 * 1024;
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MAX_REDIRECTS = 5;
const DEFAULT_PLATFORM: Platform = { os: "linux", architecture: "amd64" };

/** Where requests for one registry host go: parsed once, reused by every request. */
interface Endpoint {
  host: string;
  secure: boolean;
  hostname: string;
  port: number | undefined;
  /** "https://host:port" */
  origin: string;
}

/** What a host's `/v2/` said about auth. */
interface HostAuth {
  challenge: Challenge | undefined;
  realm?: URL;
}

interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One logical request, as the auth, retry and error layers need to know it. */
interface Call {
  /** "HEAD 127.0.0.1:5000/team/py:1.0": the start of every error message about it. */
  what: string;
  method: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  endpoint: Endpoint;
  path: string;
  accept?: string;
  /** What POST / PUT send; kept whole so that a retry or a 401 answered can send it again. */
  body?: Buffer;
  contentType?: string;
  /** The ImageReference.domain (credentials are looked up by it) and repository, if any. */
  domain: string;
  repository?: string;
  scope: string;
  maxBytes: number;
}

/** A network failure, carrying Node's error code for the retry decision. */
class NetworkFailure extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "NetworkFailure";
  }
}

class HttpRegistry implements Registry {
  #requestCount = 0;
  readonly #insecure: Set<string>;
  readonly #credentials: CredentialLookup | undefined;
  readonly #retries: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #pageSize: number;
  readonly #signal: AbortSignal | undefined;
  readonly #httpAgent: HttpAgent;
  readonly #httpsAgent: HttpsAgent;
  readonly #endpoints = new Map<string, Endpoint>();
  readonly #hostAuth = new Map<string, Promise<HostAuth>>();
  readonly #credentialCache = new Map<string, Promise<Credentials | undefined>>();
  /** Lookups that have settled, by the same key: whether a 401 came without credentials. */
  readonly #credentialsFound = new Map<string, boolean>();
  readonly #tokens = new TokenCache();
  /** Every secret we have sent, so that no error message can quote one back. */
  readonly #secrets = new Set<string>();
  // Semaphore: requests in flight, and the resolvers of those waiting for a slot (FIFO).
  readonly #limit: number;
  #inFlight = 0;
  readonly #waiting: ((() => void) | undefined)[] = [];
  #waitingHead = 0;

  constructor(options: RegistryOptions) {
    this.#insecure = new Set((options.insecureRegistries ?? []).map((host) => host.toLowerCase()));
    this.#credentials = options.credentials;
    this.#limit = Math.max(1, options.concurrency ?? 32);
    this.#retries = Math.max(0, options.retries ?? 4);
    this.#retryBaseMs = Math.max(0, options.retryBaseMs ?? 250);
    this.#retryMaxMs = Math.max(0, options.retryMaxMs ?? 30_000);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#userAgent = options.userAgent ?? `imagesmith/${VERSION}`;
    this.#pageSize = options.pageSize ?? 1000;
    this.#signal = options.signal;
    // A cancel lets every waiting request through at once, to fail fast instead of queueing.
    this.#signal?.addEventListener("abort", () => this.#releaseWaiting(), { once: true });
    this.#httpAgent = new HttpAgent({ keepAlive: true, maxSockets: this.#limit });
    this.#httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: this.#limit });
  }

  get requestCount(): number {
    return this.#requestCount;
  }

  async resolve(
    ref: ImageReference,
    options: ResolveOptions = {},
  ): Promise<ManifestInfo | undefined> {
    // A tag with nothing to confirm: the GET's bytes are the only digest worth having, so the HEAD
    // would be a wasted request.
    const confirmable = ref.digest ?? options.expect;
    if (confirmable === undefined) return this.#resolveByGet(ref);
    const call = this.#manifestCall(ref, "HEAD", manifestReference(ref));
    const response = await this.#send(call);
    if (response.status === 404) return undefined;
    if (response.status !== 200) {
      // A HEAD answer has no body, so it cannot say why; a GET gets the registry's own words.
      if (response.status >= 500 || response.status === 429)
        throw this.#statusError(call, response);
      const explained = await this.#send({ ...call, method: "GET" }, false);
      throw this.#statusError(call, explained.status === response.status ? explained : response);
    }
    const info = {
      mediaType: mediaTypeOf(response.headers) ?? "",
      size: Number(header(response.headers, "content-length") ?? 0),
    };
    // Asked by digest, the registry answers for that digest (a pull by digest checks the bytes).
    if (ref.digest !== undefined) return { digest: ref.digest, ...info };
    if (header(response.headers, "docker-content-digest") === options.expect)
      return { digest: confirmable, ...info };
    // The tag moved, or the header cannot be trusted: only the bytes say what it holds now.
    return this.#resolveByGet(ref);
  }

  async imageConfig(ref: ImageReference, platform?: Platform): Promise<ImageConfig> {
    const wanted = platform ?? DEFAULT_PLATFORM;
    const top = await this.#getManifest(ref, manifestReference(ref));
    if (top === undefined) {
      throw new RegistryError(
        `GET ${formatImageReference(ref)}: the image does not exist (manifest unknown)`,
        "not-found",
        404,
      );
    }
    let manifest = top;
    if (INDEX_TYPES.has(top.mediaType)) {
      const entry = pickPlatform(top.json, wanted, `GET ${formatImageReference(ref)}`);
      const child = await this.#getManifest(ref, entry);
      if (child === undefined) {
        throw new RegistryError(
          `GET ${repositoryOf(ref)}@${entry}: the index of ${formatImageReference(ref)} lists this manifest for ${platformName(wanted)}, but the registry does not have it`,
          "not-found",
          404,
        );
      }
      manifest = child;
    }
    if (!IMAGE_MANIFEST_TYPES.has(manifest.mediaType)) {
      throw new RegistryError(
        `GET ${repositoryOf(ref)}@${manifest.digest}: unsupported manifest type "${manifest.mediaType}"; expected an OCI image manifest or a Docker manifest v2 schema 2`,
        "protocol",
      );
    }
    const configDigest = configDigestOf(manifest.json);
    if (configDigest === undefined) {
      throw new RegistryError(
        `GET ${repositoryOf(ref)}@${manifest.digest}: the manifest has no config digest`,
        "protocol",
      );
    }
    const config = await this.#getBlob(ref, configDigest);
    return imageConfigOf(
      config,
      top.digest,
      manifest.digest,
      `${repositoryOf(ref)}@${configDigest}`,
    );
  }

  async tags(ref: ImageReference): Promise<string[]> {
    const endpoint = this.#endpoint(registryHostOf(ref));
    const call: Omit<Call, "path"> = {
      what: `GET ${repositoryOf(ref)} tags`,
      method: "GET",
      endpoint,
      domain: ref.domain,
      repository: ref.path,
      scope: pullScope(ref.path),
      maxBytes: MAX_MANIFEST_BYTES,
    };
    return this.#paginate(call, `/v2/${ref.path}/tags/list?n=${this.#pageSize}`, "tags");
  }

  async catalog(host: string): Promise<string[]> {
    const domain =
      host === "registry-1.docker.io" || host === "index.docker.io" ? "docker.io" : host;
    const endpoint = this.#endpoint(domain === "docker.io" ? "registry-1.docker.io" : domain);
    const call: Omit<Call, "path"> = {
      what: `GET ${domain} catalog`,
      method: "GET",
      endpoint,
      domain,
      scope: CATALOG_SCOPE,
      maxBytes: MAX_MANIFEST_BYTES,
    };
    return this.#paginate(call, `/v2/_catalog?n=${this.#pageSize}`, "repositories");
  }

  async getManifest(ref: ImageReference): Promise<Manifest> {
    const manifest = await this.#getManifest(ref, manifestReference(ref));
    if (manifest === undefined) {
      throw new RegistryError(
        `GET ${formatImageReference(ref)}: the manifest does not exist (manifest unknown)`,
        "not-found",
        404,
      );
    }
    return {
      body: new Uint8Array(manifest.body),
      mediaType: manifest.mediaType,
      digest: manifest.digest,
    };
  }

  async getBlob(repository: ImageReference, digest: string): Promise<Uint8Array> {
    return new Uint8Array(await this.#fetchBlob(repository, digest, "blob"));
  }

  async mayPush(repository: ImageReference): Promise<void> {
    const { endpoint, common, start, location } = await this.#startUpload(
      repository,
      `POST ${repositoryOf(repository)} (starting an upload, to see whether a push is allowed)`,
    );
    if (location === undefined) return;
    const target = new URL(location, `${endpoint.origin}${start.path}`);
    // Cancelled at once: nothing is left in the registry. Only to its own origin, with credentials.
    if (target.origin !== endpoint.origin) return;
    await this.#send(
      {
        ...common,
        what: `DELETE ${repositoryOf(repository)} (cancelling that upload)`,
        method: "DELETE",
        path: target.pathname + target.search,
      },
      false,
    ).catch(() => undefined);
  }

  /** POST /v2/<name>/blobs/uploads/ with push access asked for: the upload's Location, if given. */
  async #startUpload(repository: ImageReference, what: string) {
    const endpoint = this.#endpoint(registryHostOf(repository));
    const common = {
      endpoint,
      domain: repository.domain,
      repository: repository.path,
      scope: pushScope(repository.path),
      maxBytes: MAX_ERROR_BODY_BYTES,
    };
    const start: Call = {
      ...common,
      what,
      method: "POST",
      path: `/v2/${repository.path}/blobs/uploads/`,
    };
    const started = await this.#send(start);
    if (started.status !== 202) throw this.#statusError(start, started);
    return { endpoint, common, start, started, location: header(started.headers, "location") };
  }

  async pushBlob(
    repository: ImageReference,
    data: Uint8Array,
    options: PushBlobOptions = {},
  ): Promise<BlobInfo> {
    const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const digest = `sha256:${sha256(body)}`;
    const size = body.length;
    if (options.checkExists !== false && (await this.#blobExists(repository, digest)))
      return { digest, size, uploaded: false };

    const shown = `${repositoryOf(repository)}@${digest}`;
    const { endpoint, common, start, started, location } = await this.#startUpload(
      repository,
      `POST ${shown} (starting the upload)`,
    );
    if (location === undefined) {
      throw new RegistryError(
        `${start.what}: the registry accepted the upload but gave no Location to send it to`,
        "protocol",
        started.status,
      );
    }
    // Location may be relative ("/v2/...") or absolute, and may carry state in its query already.
    const target = new URL(location, `${endpoint.origin}${start.path}`);
    target.searchParams.set("digest", digest);
    if (
      target.protocol === "http:" &&
      endpoint.secure &&
      !this.#insecure.has(target.host.toLowerCase())
    ) {
      throw new RegistryError(
        `${start.what}: the registry sends the upload to plain HTTP (${target.origin}); list ${target.host} in insecureRegistries if that is intended`,
        "protocol",
      );
    }
    const put: Call = {
      ...common,
      what: `PUT ${shown} (uploading ${size} bytes)`,
      method: "PUT",
      path: target.pathname + target.search,
      body,
      contentType: "application/octet-stream",
    };
    // Credentials only go to the registry's own origin, as with redirects.
    const response =
      target.origin === endpoint.origin
        ? await this.#send(put)
        : await this.#sendWithRetries(
            put,
            this.#endpointOfUrl(target),
            put.path,
            undefined,
            "PUT",
            body,
            put.contentType,
          );
    if (response.status < 200 || response.status >= 300) {
      // A PUT retried after a lost answer finds its upload gone (404) although the blob landed.
      const landed =
        (response.status === 404 || response.status >= 500) &&
        (await this.#blobExists(repository, digest).catch(() => false));
      if (landed) return { digest, size, uploaded: true };
      throw this.#statusError(put, response);
    }
    const stored = header(response.headers, "docker-content-digest");
    if (stored !== undefined && stored !== digest) {
      throw new RegistryError(
        `${put.what}: the registry stored the blob as ${stored}`,
        "protocol",
        response.status,
      );
    }
    return { digest, size, uploaded: true };
  }

  async pushManifest(
    ref: ImageReference,
    body: Uint8Array,
    mediaType: string,
  ): Promise<PushedManifest> {
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const digest = `sha256:${sha256(bytes)}`;
    if (ref.digest !== undefined && ref.digest !== digest) {
      throw new RegistryError(
        `PUT ${formatImageReference(ref)}: the manifest's content has the digest ${digest}, not ${ref.digest}`,
        "protocol",
      );
    }
    const call: Call = {
      ...this.#manifestCall(ref, "PUT", ref.tag ?? digest),
      accept: undefined,
      scope: pushScope(ref.path),
      maxBytes: MAX_ERROR_BODY_BYTES,
      body: bytes,
      contentType: mediaType,
    };
    const response = await this.#send(call);
    if (response.status < 200 || response.status >= 300) throw this.#statusError(call, response);
    const stored = header(response.headers, "docker-content-digest");
    if (stored !== undefined && stored !== digest) {
      throw new RegistryError(
        `${call.what}: the registry stored the manifest as ${stored}, not ${digest}`,
        "protocol",
        response.status,
      );
    }
    const subject = header(response.headers, "oci-subject");
    return subject === undefined ? { digest } : { digest, subject };
  }

  async referrers(
    repository: ImageReference,
    digest: string,
    artifactType?: string,
  ): Promise<Descriptor[] | undefined> {
    const endpoint = this.#endpoint(registryHostOf(repository));
    const query =
      artifactType === undefined ? "" : `?artifactType=${encodeURIComponent(artifactType)}`;
    const call: Omit<Call, "path"> = {
      what: `GET ${repositoryOf(repository)} referrers of ${digest}`,
      method: "GET",
      endpoint,
      accept: OCI_INDEX_TYPE,
      domain: repository.domain,
      repository: repository.path,
      scope: pullScope(repository.path),
      maxBytes: MAX_MANIFEST_BYTES,
    };
    const found: Descriptor[] = [];
    const seen = new Set<string>();
    let path: string | undefined = `/v2/${repository.path}/referrers/${digest}${query}`;
    while (path !== undefined && !seen.has(path) && found.length < MAX_DESCRIPTORS) {
      seen.add(path);
      const page: Call = { ...call, path };
      const response = await this.#send(page);
      // The spec's signal that the API is absent (a registry that has it never answers 404).
      if (response.status === 404 && seen.size === 1) return undefined;
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
  async #blobExists(repository: ImageReference, digest: string): Promise<boolean> {
    const call: Call = {
      what: `HEAD ${repositoryOf(repository)}@${digest} (blob)`,
      method: "HEAD",
      endpoint: this.#endpoint(registryHostOf(repository)),
      path: `/v2/${repository.path}/blobs/${digest}`,
      domain: repository.domain,
      repository: repository.path,
      scope: pushScope(repository.path),
      maxBytes: MAX_ERROR_BODY_BYTES,
    };
    const response = await this.#send(call);
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw this.#statusError(call, response);
  }

  #manifestCall(ref: ImageReference, method: Call["method"], reference: string): Call {
    const shown =
      reference === ref.digest || reference === ref.tag || reference === "latest"
        ? formatImageReference(
            ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: "latest" } : ref,
          )
        : `${repositoryOf(ref)}@${reference}`;
    return {
      what: `${method} ${shown}`,
      method,
      endpoint: this.#endpoint(registryHostOf(ref)),
      path: `/v2/${ref.path}/manifests/${reference}`,
      accept: MANIFEST_ACCEPT,
      domain: ref.domain,
      repository: ref.path,
      scope: pullScope(ref.path),
      maxBytes: MAX_MANIFEST_BYTES,
    };
  }

  async #resolveByGet(ref: ImageReference): Promise<ManifestInfo | undefined> {
    const manifest = await this.#getManifest(ref, manifestReference(ref));
    if (manifest === undefined) return undefined;
    return { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.size };
  }

  /** GETs a manifest; undefined on 404. The digest is the body's sha256. */
  async #getManifest(
    ref: ImageReference,
    reference: string,
  ): Promise<
    { digest: string; mediaType: string; size: number; json: unknown; body: Buffer } | undefined
  > {
    const call = this.#manifestCall(ref, "GET", reference);
    const response = await this.#send(call);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw this.#statusError(call, response);
    const computed = `sha256:${sha256(response.body)}`;
    if (reference.startsWith("sha256:") && computed !== reference) {
      throw new RegistryError(
        `${call.what}: the manifest's content does not match its digest (got ${computed})`,
        "protocol",
      );
    }
    const json = parseJson(response.body, call.what, "manifest");
    const declared =
      isRecord(json) && typeof json.mediaType === "string" ? json.mediaType : undefined;
    return {
      // The bytes received, never the Docker-Content-Digest header: a proxy or a misbehaving
      // registry may send a header that does not match, and what gets pinned is what was seen.
      digest: computed,
      mediaType: declared ?? mediaTypeOf(response.headers) ?? guessMediaType(json),
      size: response.body.length,
      json,
      body: response.body,
    };
  }

  /** GETs a config blob and reads it as JSON. */
  async #getBlob(ref: ImageReference, digest: string): Promise<unknown> {
    const body = await this.#fetchBlob(ref, digest, "config blob");
    return parseJson(body, `GET ${repositoryOf(ref)}@${digest} (config blob)`, "image config");
  }

  /** GETs a blob (following redirects to blob storage) and checks it against its digest. */
  async #fetchBlob(ref: ImageReference, digest: string, kind: string): Promise<Buffer> {
    const call: Call = {
      what: `GET ${repositoryOf(ref)}@${digest} (${kind})`,
      method: "GET",
      endpoint: this.#endpoint(registryHostOf(ref)),
      path: `/v2/${ref.path}/blobs/${digest}`,
      domain: ref.domain,
      repository: ref.path,
      scope: pullScope(ref.path),
      maxBytes: MAX_CONFIG_BYTES,
    };
    const response = await this.#send(call);
    if (response.status === 404) {
      throw new RegistryError(`${call.what}: 404 blob unknown`, "not-found", 404);
    }
    if (response.status !== 200) throw this.#statusError(call, response);
    if (!matchesDigest(response.body, digest)) {
      throw new RegistryError(
        `${call.what}: the blob's content does not match its digest`,
        "protocol",
      );
    }
    return response.body;
  }

  async #paginate(call: Omit<Call, "path">, firstPath: string, field: string): Promise<string[]> {
    const items: string[] = [];
    const seen = new Set<string>();
    let path: string | undefined = firstPath;
    while (path !== undefined) {
      // A registry whose Link points back at a page already read would loop forever.
      if (seen.has(path)) break;
      seen.add(path);
      const page: Call = { ...call, path };
      const response = await this.#send(page);
      if (response.status !== 200) throw this.#statusError(page, response);
      const json = parseJson(response.body, call.what, "list");
      const list = isRecord(json) ? json[field] : undefined;
      if (list !== null && list !== undefined && !Array.isArray(list)) {
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
  async #send(call: Call, answer401 = true): Promise<HttpResponse> {
    const hostAuth = await this.#hostAuthFor(call);
    let auth = await this.#authorization(call, hostAuth, call.scope);
    let response = await this.#sendFollowingRedirects(call, auth?.authorization);
    if (response.status !== 401 || !answer401) return response;

    const challenge = pickChallenge(
      parseChallenges(header(response.headers, "www-authenticate") ?? ""),
    );
    if (challenge === undefined) return response;
    const scope = challenge.params.scope ?? call.scope;
    const changed =
      challenge.scheme !== hostAuth.challenge?.scheme ||
      challenge.params.realm !== hostAuth.challenge.params.realm ||
      scope !== call.scope;
    // The token may have expired or been revoked since it was cached: worth exactly one refresh.
    const staleToken =
      auth !== undefined && auth.obtainedAt < auth.sentAt && auth.tokenKey !== undefined;
    if (!changed && !staleToken) return response;

    if (auth?.tokenKey !== undefined) this.#tokens.invalidate(auth.tokenKey, auth.authorization);
    const updated = this.#hostAuthFromChallenge(call, challenge);
    this.#hostAuth.set(call.endpoint.host, Promise.resolve(updated));
    auth = await this.#authorization(call, updated, scope);
    response = await this.#sendFollowingRedirects(call, auth?.authorization);
    return response;
  }

  /** The host's auth, learnt once per host from `GET /v2/` and shared by concurrent callers. */
  async #hostAuthFor(call: Call): Promise<HostAuth> {
    const host = call.endpoint.host;
    let known = this.#hostAuth.get(host);
    if (known === undefined) {
      known = this.#ping(call).catch((error: unknown) => {
        // A failed ping is not remembered: the next request tries again.
        this.#hostAuth.delete(host);
        throw error;
      });
      this.#hostAuth.set(host, known);
    }
    try {
      return await known;
    } catch (error) {
      // The ping is shared by every request waiting for it: each says what it was doing.
      if (!(error instanceof RegistryError)) throw error;
      throw new RegistryError(`${call.what}: ${error.message}`, error.code, error.status, {
        cause: error.cause,
      });
    }
  }

  async #ping(call: Call): Promise<HostAuth> {
    const ping: Call = {
      ...call,
      what: "GET /v2/",
      method: "GET",
      path: "/v2/",
      accept: undefined,
      body: undefined,
      contentType: undefined,
      maxBytes: MAX_ERROR_BODY_BYTES,
    };
    const response = await this.#sendWithRetries(ping, call.endpoint, "/v2/", undefined);
    if (response.status === 401) {
      const challenge = pickChallenge(
        parseChallenges(header(response.headers, "www-authenticate") ?? ""),
      );
      if (challenge !== undefined) return this.#hostAuthFromChallenge(ping, challenge);
    }
    if (response.status >= 500) throw this.#statusError(ping, response);
    // 200, or a registry that does not answer /v2/ (404): requests go anonymous until a 401 says otherwise.
    return { challenge: undefined };
  }

  #hostAuthFromChallenge(call: Call, challenge: Challenge): HostAuth {
    if (challenge.scheme !== "bearer") return { challenge };
    const realm = challenge.params.realm;
    let url: URL;
    try {
      url = new URL(realm ?? "");
    } catch {
      throw new RegistryError(
        `${call.what}: the registry asks for a Bearer token but gives no usable realm URL`,
        "protocol",
      );
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new RegistryError(
        `${call.what}: unsupported token realm scheme ${url.protocol}`,
        "protocol",
      );
    }
    // Credentials go to the realm: plain HTTP only where the registry itself is plain HTTP, or listed.
    if (
      url.protocol === "http:" &&
      call.endpoint.secure &&
      !this.#insecure.has(url.host.toLowerCase())
    ) {
      throw new RegistryError(
        `${call.what}: the token realm ${url.origin} is plain HTTP; list ${url.host} in insecureRegistries if that is intended`,
        "protocol",
      );
    }
    return { challenge, realm: url };
  }

  /** The Authorization to send, or undefined for anonymous; sentAt lets a 401 tell a stale token. */
  async #authorization(
    call: Call,
    hostAuth: HostAuth,
    scope: string,
  ): Promise<
    { authorization: string; obtainedAt: number; sentAt: number; tokenKey?: string } | undefined
  > {
    const challenge = hostAuth.challenge;
    if (challenge === undefined) return undefined;
    const sentAt = Date.now();
    const credentials = await this.#credentialsFor(call);
    if (challenge.scheme === "basic") {
      const authorization = basicAuthorization(credentials);
      if (authorization === undefined) return undefined;
      return { authorization, obtainedAt: sentAt, sentAt };
    }
    if (challenge.scheme !== "bearer" || hostAuth.realm === undefined) return undefined;
    const realm = hostAuth.realm;
    const tokenKey = `${call.endpoint.host} ${scope}`;
    const use: TokenUse = await this.#tokens.get(tokenKey, () =>
      this.#fetchToken(call, realm, challenge.params.service, scope, credentials),
    );
    return { authorization: use.authorization, obtainedAt: use.obtainedAt, sentAt, tokenKey };
  }

  async #fetchToken(
    call: Call,
    realm: URL,
    service: string | undefined,
    scope: string,
    credentials: Credentials | undefined,
  ): Promise<{ token: string; lifetimeMs: number }> {
    const spec = tokenRequest(realm, service, scope.split(" "), credentials, this.#userAgent);
    const endpoint = this.#endpointOfUrl(spec.url);
    const what = `${call.what}: getting a token for ${scope} from ${realm.origin}${realm.pathname}`;
    const tokenCall: Call = {
      ...call,
      what,
      method: "GET",
      endpoint,
      path: spec.url.pathname + spec.url.search,
      accept: undefined,
      body: undefined,
      contentType: undefined,
      maxBytes: MAX_ERROR_BODY_BYTES,
    };
    const response = await this.#sendWithRetries(
      tokenCall,
      endpoint,
      tokenCall.path,
      spec.headers.Authorization,
      spec.method,
      spec.body,
      spec.headers["Content-Type"],
    );
    if (response.status !== 200) {
      const error = this.#statusError(tokenCall, response);
      if (response.status === 401 && credentials === undefined) {
        throw new RegistryError(
          `${error.message}${noCredentialsHint(call.domain)}`,
          error.code,
          error.status,
        );
      }
      throw error;
    }
    const issued = parseTokenResponse(response.body.toString("utf8"));
    if (issued === undefined) {
      throw new RegistryError(`${what}: the token server's answer holds no token`, "protocol");
    }
    this.#secrets.add(issued.token);
    return issued;
  }

  #credentialsFor(call: Call): Promise<Credentials | undefined> {
    const lookup = this.#credentials;
    if (lookup === undefined) return Promise.resolve(undefined);
    const key = `${call.domain}/${call.repository ?? ""}`;
    let found = this.#credentialCache.get(key);
    if (found === undefined) {
      found = Promise.resolve(lookup(call.domain, call.repository)).then((credentials) => {
        this.#credentialsFound.set(key, credentials !== undefined);
        if (credentials !== undefined) this.#rememberSecrets(credentials);
        return credentials;
      });
      this.#credentialCache.set(key, found);
    }
    return found;
  }

  // --- transport -----------------------------------------------------------------------------

  /** Sends, following redirects; Authorization only goes to the call's own origin. */
  async #sendFollowingRedirects(
    call: Call,
    authorization: string | undefined,
  ): Promise<HttpResponse> {
    let endpoint = call.endpoint;
    let path = call.path;
    for (let hop = 0; ; hop++) {
      const sameOrigin = endpoint.origin === call.endpoint.origin;
      const response = await this.#sendWithRetries(
        call,
        endpoint,
        path,
        sameOrigin ? authorization : undefined,
        call.method,
        call.body,
        call.contentType,
      );
      if (![301, 302, 303, 307, 308].includes(response.status)) return response;
      const location = header(response.headers, "location");
      if (location === undefined) return response;
      if (hop >= MAX_REDIRECTS) {
        throw new RegistryError(
          `${call.what}: more than ${MAX_REDIRECTS} redirects`,
          "protocol",
          response.status,
        );
      }
      const target = new URL(location, `${endpoint.origin}${path}`);
      if (
        target.protocol === "http:" &&
        !this.#insecure.has(target.host.toLowerCase()) &&
        endpoint.secure
      ) {
        throw new RegistryError(
          `${call.what}: the registry redirects to plain HTTP (${target.origin}); list ${target.host} in insecureRegistries if that is intended`,
          "protocol",
          response.status,
        );
      }
      endpoint = this.#endpointOfUrl(target);
      path = target.pathname + target.search;
    }
  }

  /** One exchange, retried on 429 / 5xx / connection failures; returns the last response. */
  async #sendWithRetries(
    call: Call,
    endpoint: Endpoint,
    path: string,
    authorization: string | undefined,
    method: string = call.method,
    body?: string | Buffer,
    contentType?: string,
  ): Promise<HttpResponse> {
    const headers: OutgoingHttpHeaders = { "User-Agent": this.#userAgent };
    if (call.accept !== undefined) headers.Accept = call.accept;
    if (authorization !== undefined) headers.Authorization = authorization;
    if (contentType !== undefined) headers["Content-Type"] = contentType;
    for (let attempt = 0; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await this.#exchange(endpoint, method, path, headers, body, call.maxBytes);
      } catch (error) {
        const failure = error as NetworkFailure;
        if (this.#signal?.aborted) throw this.#cancelled(call);
        if (attempt < this.#retries && RETRY_NETWORK_CODES.has(failure.code ?? "")) {
          await this.#wait(call, this.#backoff(attempt, undefined));
          continue;
        }
        throw this.#networkError(call, endpoint, failure, attempt + 1);
      }
      if (!RETRY_STATUSES.has(response.status) || attempt >= this.#retries) return response;
      await this.#wait(call, this.#backoff(attempt, header(response.headers, "retry-after")));
    }
  }

  /** A backoff wait that a cancel ends with the call's "cancelled" error. */
  async #wait(call: Call, ms: number): Promise<void> {
    try {
      await sleep(ms, this.#signal);
    } catch {
      throw this.#cancelled(call);
    }
  }

  #cancelled(call: Call): RegistryError {
    return new RegistryError(`${call.what}: cancelled`, "cancelled");
  }

  #backoff(attempt: number, retryAfter: string | undefined): number {
    const asked = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, Date.now());
    if (asked !== undefined) return Math.min(asked, this.#retryMaxMs);
    return backoffDelay(attempt, this.#retryBaseMs, this.#retryMaxMs);
  }

  async #exchange(
    endpoint: Endpoint,
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    body: string | Buffer | undefined,
    maxBytes: number,
  ): Promise<HttpResponse> {
    await this.#acquire();
    try {
      if (this.#signal?.aborted) throw new NetworkFailure("cancelled", "ABORT_ERR");
      this.#requestCount++;
      return await new Promise<HttpResponse>((resolve, reject) => {
        const request = (endpoint.secure ? httpsRequest : httpRequest)({
          hostname: endpoint.hostname,
          port: endpoint.port,
          method,
          path,
          headers,
          agent: endpoint.secure ? this.#httpsAgent : this.#httpAgent,
          ...(this.#signal ? { signal: this.#signal } : {}),
        });
        request.setTimeout(this.#timeoutMs, () => {
          request.destroy(
            new NetworkFailure(`no answer within ${this.#timeoutMs} ms`, "ETIMEDOUT"),
          );
        });
        request.on("error", (error: NodeJS.ErrnoException) => {
          reject(
            error instanceof NetworkFailure
              ? error
              : new NetworkFailure(error.message, error.code, { cause: error }),
          );
        });
        request.on("response", (response) => {
          const status = response.statusCode ?? 0;
          // Error bodies are only read for their message; a huge one is cut, not refused.
          const limit = status >= 300 ? Math.min(maxBytes, MAX_ERROR_BODY_BYTES) : maxBytes;
          const chunks: Buffer[] = [];
          let size = 0;
          let truncated = false;
          response.on("data", (chunk: Buffer) => {
            if (truncated) return;
            size += chunk.length;
            if (size > limit) {
              truncated = true;
              if (status < 300) {
                request.destroy(
                  new NetworkFailure(`the answer is larger than ${limit} bytes`, "ETOOBIG"),
                );
                return;
              }
            }
            chunks.push(chunk);
          });
          response.on("end", () =>
            resolve({ status, headers: response.headers, body: Buffer.concat(chunks) }),
          );
          response.on("error", (error: NodeJS.ErrnoException) =>
            reject(new NetworkFailure(error.message, error.code, { cause: error })),
          );
        });
        request.end(body);
      });
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> | void {
    // Cancelled: straight through, to fail at once rather than wait for a slot.
    if (this.#inFlight < this.#limit || this.#signal?.aborted) {
      this.#inFlight++;
      return;
    }
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Lets every waiting request take a slot now (each then fails as cancelled and releases it). */
  #releaseWaiting(): void {
    for (let i = this.#waitingHead; i < this.#waiting.length; i++) {
      const next = this.#waiting[i];
      if (next === undefined) continue;
      this.#waiting[i] = undefined;
      this.#inFlight++;
      next();
    }
    this.#waiting.length = 0;
    this.#waitingHead = 0;
  }

  #release(): void {
    const next = this.#waiting[this.#waitingHead];
    if (next === undefined) {
      this.#inFlight--;
      return;
    }
    // The slot passes straight to the next waiter; the queue is compacted now and then, not shifted.
    this.#waiting[this.#waitingHead] = undefined;
    this.#waitingHead++;
    if (this.#waitingHead > 1024 && this.#waitingHead * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#waitingHead);
      this.#waitingHead = 0;
    }
    next();
  }

  #endpoint(host: string): Endpoint {
    let endpoint = this.#endpoints.get(host);
    if (endpoint === undefined) {
      const secure = !this.#insecure.has(host.toLowerCase());
      endpoint = makeEndpoint(host, secure);
      this.#endpoints.set(host, endpoint);
    }
    return endpoint;
  }

  #endpointOfUrl(url: URL): Endpoint {
    const secure = url.protocol === "https:";
    const key = `${url.protocol}//${url.host}`;
    let endpoint = this.#endpoints.get(key);
    if (endpoint === undefined) {
      endpoint = makeEndpoint(url.host, secure);
      this.#endpoints.set(key, endpoint);
    }
    return endpoint;
  }

  // --- errors --------------------------------------------------------------------------------

  #statusError(call: Call, response: HttpResponse): RegistryError {
    const status = response.status;
    const said = this.#redact(describeErrorBody(response));
    const code = codeForStatus(status);
    let message = `${call.what}: ${said}`;
    if (status === 429 || status >= 500) message += ` (after ${this.#retries + 1} attempts)`;
    if (status === 401) message += this.#unauthorizedHint(call);
    return new RegistryError(message, code, status);
  }

  #unauthorizedHint(call: Call): string {
    const found = this.#credentialsFound.get(`${call.domain}/${call.repository ?? ""}`);
    return found === true ? "" : noCredentialsHint(call.domain);
  }

  #networkError(
    call: Call,
    endpoint: Endpoint,
    failure: NetworkFailure,
    attempts: number,
  ): RegistryError {
    const reason = this.#redact(describeNetworkFailure(failure));
    let message = `${call.what}: cannot reach ${endpoint.origin} (${reason})`;
    if (attempts > 1) message += ` after ${attempts} attempts`;
    if (endpoint.secure) {
      message += `; if ${endpoint.host} is a plain-HTTP registry, list it in insecureRegistries`;
    }
    return new RegistryError(message, "unreachable", undefined, { cause: failure });
  }

  /** Whatever of these credentials could be echoed back: the secret, and its Basic encoding. */
  #rememberSecrets(credentials: Credentials): void {
    if ("identityToken" in credentials) {
      this.#secrets.add(credentials.identityToken);
      return;
    }
    this.#secrets.add(credentials.password);
    this.#secrets.add((basicAuthorization(credentials) ?? "").slice("Basic ".length));
  }

  #redact(text: string): string {
    let result = text;
    for (const secret of this.#secrets) {
      if (secret !== "" && result.includes(secret))
        result = result.split(secret).join("[redacted]");
    }
    return result;
  }
}

// --- pure helpers (exported ones are unit-tested) -----------------------------------------------

/**
 * Milliseconds to wait for a `Retry-After` value: delay-seconds or an HTTP date (relative to
 * `now`); undefined when it is neither.
 */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The URL of `rel="next"` in a `Link` header (RFC 8288), as written (often relative:
 * `</v2/_catalog?last=b&n=2>; rel="next"`); undefined when there is none.
 */
export function parseLinkNext(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const pattern = /<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"[^"]*"|[^;,]*))?)*)/g;
  for (const match of header.matchAll(pattern)) {
    const params = match[2] ?? "";
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(params);
    const relations = (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/);
    if (relations.includes("next")) return match[1];
  }
  return undefined;
}

function nextPagePath(
  link: string | undefined,
  endpoint: Endpoint,
  what: string,
): string | undefined {
  const next = parseLinkNext(link);
  if (next === undefined) return undefined;
  const url = new URL(next, `${endpoint.origin}/`);
  // Pages are requested with the registry's credentials: never from another origin.
  if (url.origin !== endpoint.origin) {
    throw new RegistryError(
      `${what}: the next page is on another host (${url.origin})`,
      "protocol",
    );
  }
  return url.pathname + url.search;
}

function makeEndpoint(host: string, secure: boolean): Endpoint {
  const url = new URL(`${secure ? "https" : "http"}://${host}`);
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return {
    host,
    secure,
    hostname,
    port: url.port === "" ? undefined : Number(url.port),
    origin: url.origin,
  };
}

function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? "latest";
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (Array.isArray(value)) return value.join(", ");
  return value === undefined || value === "" ? undefined : value;
}

function mediaTypeOf(headers: IncomingHttpHeaders): string | undefined {
  const contentType = header(headers, "content-type");
  if (contentType === undefined) return undefined;
  const semicolon = contentType.indexOf(";");
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim();
}

function guessMediaType(json: unknown): string {
  if (!isRecord(json)) return "";
  if (Array.isArray(json.manifests)) return "application/vnd.oci.image.index.v1+json";
  if (isRecord(json.config)) return "application/vnd.oci.image.manifest.v1+json";
  return "";
}

function sha256(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

/** The token scope for pushing to a repository (pushing needs pull too: HEAD before PUT). */
function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

const DIGEST_ALGORITHMS = new Set(["sha256", "sha384", "sha512"]);

/** Whether `body` has this digest; a digest of an algorithm we cannot compute never matches. */
function matchesDigest(body: Buffer, digest: string): boolean {
  const colon = digest.indexOf(":");
  const algorithm = digest.slice(0, colon);
  if (colon < 0 || !DIGEST_ALGORITHMS.has(algorithm)) return false;
  return createHash(algorithm).update(body).digest("hex") === digest.slice(colon + 1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(body: Buffer, what: string, kind: string): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new RegistryError(`${what}: the ${kind} is not valid JSON`, "protocol");
  }
}

function configDigestOf(manifest: unknown): string | undefined {
  if (!isRecord(manifest) || !isRecord(manifest.config)) return undefined;
  const digest = manifest.config.digest;
  return typeof digest === "string" ? digest : undefined;
}

function platformName(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join("/");
}

/** arm64 images are v8 unless they say otherwise; an entry without a variant means the default one. */
function sameVariant(
  entry: string | undefined,
  wanted: string | undefined,
  architecture: string,
): boolean {
  if (wanted === undefined) return true;
  const normal = (variant: string | undefined): string | undefined =>
    architecture === "arm64" && (variant === undefined || variant === "v8") ? "v8" : variant;
  return normal(entry) === normal(wanted);
}

/** The digest of the index entry for `wanted`, or a not-found error that lists what the index has. */
function pickPlatform(index: unknown, wanted: Platform, what: string): string {
  const manifests = isRecord(index) && Array.isArray(index.manifests) ? index.manifests : [];
  const available: string[] = [];
  let fallback: string | undefined;
  for (const entry of manifests) {
    if (!isRecord(entry) || !isRecord(entry.platform) || typeof entry.digest !== "string") continue;
    const { os, architecture, variant } = entry.platform;
    if (typeof os !== "string" || typeof architecture !== "string") continue;
    // Attestation manifests (buildx provenance) sit in indexes as unknown/unknown.
    if (os === "unknown") continue;
    const entryVariant = typeof variant === "string" && variant !== "" ? variant : undefined;
    available.push(platformName({ os, architecture, variant: entryVariant }));
    if (os !== wanted.os || architecture !== wanted.architecture) continue;
    if (!sameVariant(entryVariant, wanted.variant, architecture)) continue;
    // Without a variant asked for, an entry without one is the best match; else the first.
    if (wanted.variant !== undefined || entryVariant === undefined) return entry.digest;
    fallback ??= entry.digest;
  }
  if (fallback !== undefined) return fallback;
  const has = available.length === 0 ? "no platform entries" : available.join(", ");
  throw new RegistryError(
    `${what}: the index has no ${platformName(wanted)} image; it has ${has}`,
    "not-found",
  );
}

function imageConfigOf(
  json: unknown,
  digest: string,
  manifestDigest: string,
  what: string,
): ImageConfig {
  if (!isRecord(json))
    throw new RegistryError(`GET ${what}: the image config is not an object`, "protocol");
  const config = isRecord(json.config) ? json.config : {};
  const result: ImageConfig = {
    digest,
    manifestDigest,
    env: Array.isArray(config.Env)
      ? config.Env.filter((item): item is string => typeof item === "string")
      : [],
    labels: {},
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

function codeForStatus(status: number): RegistryErrorCode {
  if (status === 401) return "unauthorized";
  if (status === 403) return "denied";
  if (status === 404) return "not-found";
  if (status === 429) return "too-many-requests";
  if (status >= 500) return "server";
  return "protocol";
}

/** "401 unauthorized: authentication required": the status, then the registry's own words. */
function describeErrorBody(response: HttpResponse): string {
  const status = response.status;
  const text = response.body.toString("utf8");
  const fallback = (STATUS_CODES[status] ?? "error").toLowerCase();
  try {
    const json: unknown = JSON.parse(text);
    const errors = isRecord(json) && Array.isArray(json.errors) ? json.errors : [];
    const described = errors.filter(isRecord).map((error) => {
      const code =
        typeof error.code === "string" ? error.code.toLowerCase().replace(/_/g, " ") : "";
      const message = typeof error.message === "string" ? error.message : "";
      return message === "" || message === code ? code : `${code}: ${message}`;
    });
    if (described.length > 0) return `${status} ${described.join("; ")}`;
    // Token servers answer {"details": "..."} or OAuth2's {"error": "...", "error_description": "..."}.
    if (isRecord(json)) {
      const detail = [json.details, json.error, json.error_description].filter(
        (part): part is string => typeof part === "string" && part !== "",
      );
      if (detail.length > 0) return `${status} ${fallback}: ${detail.join(": ")}`;
    }
  } catch {
    // Not JSON: an HTML error page or plain text from a proxy.
  }
  const snippet = text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
  return snippet === "" ? `${status} ${fallback}` : `${status} ${fallback}: ${snippet}`;
}

/** "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5000", or OpenSSL's reason alone for TLS failures. */
function describeNetworkFailure(failure: NetworkFailure): string {
  // OpenSSL messages carry addresses and source paths; its reason ("wrong version number") is what helps.
  const tls = /SSL routines:[^:]*:([^:]+)/.exec(failure.message);
  if (tls?.[1] !== undefined) return `TLS handshake failed: ${tls[1]}`;
  const message = failure.message.trim();
  return failure.code && !message.includes(failure.code) ? `${failure.code}: ${message}` : message;
}

function noCredentialsHint(domain: string): string {
  return `; no credentials for ${domain} were found (log in with buildah or docker, or set IMAGESMITH_REGISTRY_USERNAME and IMAGESMITH_REGISTRY_PASSWORD: those are for the catalog's registry unless IMAGESMITH_REGISTRY_HOST names another)`;
}
