import type { ImageReference } from "../grammars/image-ref.js";

/**
 * The registry port: what the pipeline needs from an OCI distribution (v2) registry. One
 * implementation speaks HTTP (`client.ts`); stages receive it as a parameter and never build one.
 */
export interface Registry {
  /**
   * The digest of a tag or digest reference, one that was verified, never a header taken on faith:
   * for a digest reference, that digest (once the registry confirms it has it); for a tag, the
   * sha256 of the manifest bytes a GET received, or, when `expect` is given and a HEAD's
   * `Docker-Content-Digest` says exactly that, `expect` (a digest already published, so nothing
   * new is trusted). Resolves to undefined when the registry says it does not exist (404 /
   * MANIFEST_UNKNOWN / NAME_UNKNOWN). Any other failure (auth, unreachable, 5xx after retries)
   * rejects with a RegistryError.
   */
  resolve(ref: ImageReference, options?: ResolveOptions): Promise<ManifestInfo | undefined>;

  /**
   * The image's config, for one platform: GET the manifest (following an index / manifest list to
   * the entry for `platform`, default linux/amd64), then GET its config blob. Rejects with a
   * RegistryError (code "not-found" when the image does not exist).
   */
  imageConfig(ref: ImageReference, platform?: Platform): Promise<ImageConfig>;

  /** Every tag of a repository (the tag of `ref` is ignored), following `Link` pagination. */
  tags(ref: ImageReference): Promise<string[]>;

  /** Every repository of the registry at `host` (`/v2/_catalog`), following `Link` pagination. */
  catalog(host: string): Promise<string[]>;

  /**
   * GET a manifest (image manifest, index or artifact) as stored: its exact bytes, media type and
   * digest. A digest reference is checked against the bytes. Rejects with a RegistryError (code
   * "not-found" when the registry does not have it).
   */
  getManifest(ref: ImageReference): Promise<Manifest>;

  /**
   * GET a blob of `repository` (its tag and digest are ignored), following redirects to blob
   * storage, and check the bytes against `digest`. At most 64 MiB: this port reads configs and
   * artifacts, never image layers. Rejects with a RegistryError ("not-found" when absent).
   */
  getBlob(repository: ImageReference, digest: string): Promise<Uint8Array>;

  /**
   * Upload a blob to `repository` (its tag and digest are ignored), asking for push access
   * (`repository:NAME:pull,push`). HEADs it first and uploads nothing when the registry has it;
   * else a monolithic upload (POST, then PUT with `?digest=`).
   */
  pushBlob(
    repository: ImageReference,
    data: Uint8Array,
    options?: PushBlobOptions,
  ): Promise<BlobInfo>;

  /**
   * Whether the credentials may push to `repository` (its tag and digest are ignored), found out
   * without pushing anything: a blob upload is started (POST, with push access asked for) and
   * cancelled at once (DELETE). Rejects with a RegistryError ("unauthorized", "denied") when the
   * registry refuses it.
   */
  mayPush?(repository: ImageReference): Promise<void>;

  /**
   * PUT a manifest under `ref`'s tag, or its digest when it has no tag (a digest is checked against
   * the body first). Every blob it references must be pushed already. Resolves to its digest, and
   * to the subject the registry says it processed (`OCI-Subject`), if it said so.
   */
  pushManifest(ref: ImageReference, body: Uint8Array, mediaType: string): Promise<PushedManifest>;

  /**
   * The referrers API of OCI distribution 1.1 (`GET /v2/<name>/referrers/<digest>`, pages of
   * `Link` followed): the descriptors of the manifests in `repository` (its tag and digest are
   * ignored) whose `subject` is `digest`, entries that are no descriptor left out. `artifactType`
   * is passed on as the filter, which a registry may ignore. Resolves to undefined when the
   * registry has no such API (404): the caller falls back to the referrers tag schema.
   */
  referrers(
    repository: ImageReference,
    digest: string,
    artifactType?: string,
  ): Promise<Descriptor[] | undefined>;

  /** Requests sent so far (each HTTP request, retries included): what benchmarks count. */
  readonly requestCount: number;
}

/** A manifest as the registry stores it. */
export interface Manifest {
  /** The exact bytes: what the digest covers, so never re-serialise them. */
  body: Uint8Array;
  mediaType: string;
  /** `sha256:...` of `body`, computed here (a registry's header is never taken for it). */
  digest: string;
}

/** What a manifest PUT answered. */
export interface PushedManifest {
  /** `sha256:...` of the body, computed here (the registry's header may only confirm it). */
  digest: string;
  /**
   * `OCI-Subject`: the registry processed the manifest's `subject` (it has the referrers API), so
   * no referrers tag needs updating. Undefined when the header did not come.
   */
  subject?: string;
}

/** An OCI content descriptor as the referrers API and image indexes list them. */
export interface Descriptor {
  mediaType: string;
  /** `algorithm:hex`, checked for its shape. */
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface PushBlobOptions {
  /**
   * false: skip the HEAD that looks for the blob first (the caller knows it is absent).
   * Default true, so pushing what is already there costs one request.
   */
  checkExists?: boolean;
}

export interface BlobInfo {
  /** `sha256:...` of the data. */
  digest: string;
  size: number;
  /** False when the registry had the blob already and nothing was uploaded. */
  uploaded: boolean;
}

export interface ResolveOptions {
  /** The digest the reference had when it was last published: a HEAD may confirm it. */
  expect?: string;
}

export interface ManifestInfo {
  /** `sha256:...`: verified (see Registry.resolve). */
  digest: string;
  mediaType: string;
  size: number;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface ImageConfig {
  /** The digest of the manifest the config was read through (platform-specific when an index was followed). */
  manifestDigest: string;
  /** The digest the reference itself resolves to (the index's digest, when it is an index). */
  digest: string;
  /** `config.User` of the image; undefined or "" when it runs as root by default. */
  user?: string;
  /** `config.Env`, `config.Labels` and friends, as found. */
  env: string[];
  labels: Record<string, string>;
  os?: string;
  architecture?: string;
}

/** Credentials for one registry host, from whichever source had them. */
export type Credentials = { username: string; password: string } | { identityToken: string };

export type RegistryErrorCode =
  | "unauthorized" // 401 after trying the credentials we have
  | "denied" // 403
  | "not-found" // 404
  | "too-many-requests" // 429 after every retry
  | "server" // 5xx after every retry
  | "unreachable" // connection refused / reset / DNS / TLS, after every retry
  | "protocol" // the registry answered something we cannot read
  | "cancelled"; // the run was cancelled (its AbortSignal aborted) before the answer came

/** A registry failure, carrying what was being done: "HEAD ghcr.io/acme/py:3f2a: 401 unauthorized: ...". */
export class RegistryError extends Error {
  readonly stage = "registry";
  constructor(
    message: string,
    readonly code: RegistryErrorCode,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RegistryError";
  }
}
