import type { ImageType, PackageLists } from "../model.js";

/**
 * The published catalog (the permission manifest the platform syncs), defined by
 * `schemas/catalog.schema.json`. Its one true copy is the OCI artifact in the registry
 * (`<registry>/imagesmith-catalog:latest`): every plan is a diff against it, every publish replaces
 * it by compare-and-swap. `.imagesmith/catalog.json` is a copy of what was last published from a
 * checkout, never read as a plan's input.
 */
export interface PublishedCatalog {
  apiVersion: "imagesmith/v1";
  kind: "ImageCatalog";
  /** Where the definitions came from: the repository URL and the commit they were read at. */
  source: { repo?: string; commit?: string };
  /** When this catalog was made (RFC 3339, UTC). */
  generatedAt?: string;
  /** Sorted by name. */
  images: PublishedImage[];
}

export type ImageStatus = "building" | "ready" | "failed" | "cancelled";
export const IMAGE_STATUSES: readonly ImageStatus[] = ["building", "ready", "failed", "cancelled"];

export interface PublishedImage {
  name: string;
  displayName: string;
  description?: string;
  type: ImageType;
  /**
   * The image to run, pinned by digest and fully qualified: `registry/repository@sha256:...` (the
   * tag is dropped, the digest alone says what runs). Absent while an image has never been built
   * successfully. While an image is building, or after its rebuild failed or was cancelled, this is
   * still the last image that worked.
   */
  url?: string;
  /** The image for GPU instance types: `url` unless an existing universal image names its own. */
  urlForGpu?: string;
  /** The name of the secret the platform pulls `url` with (never the secret itself). */
  pullSecret?: string;
  global: boolean;
  /** Sorted. */
  groups: string[];
  /** True for images/<name>.yaml, false for images/groups/<group>/<name>.yaml. */
  system: boolean;
  /** Group images only: the group that owns it. */
  groupName?: string;
  /**
   * ready: url serves the current definition. building / failed / cancelled: the latest attempt
   * (`attempt`) at the current definition has not made an image (yet); url is the last that worked.
   */
  status: ImageStatus;
  /** Why an image is not ready, in words for the platform to show (e.g. the failure). */
  message?: string;
  /** Existing images: the references as the definition writes them, which url and urlForGpu pin. */
  from?: { url: string; urlForGpu?: string };
  /**
   * Built images: the build `url` serves. It changes only when another build is served; a failed or
   * cancelled attempt never touches it (that is `attempt`).
   */
  build?: PublishedBuild;
  /** The latest attempt that did not become the served build: building, failed or cancelled. */
  attempt?: PublishedAttempt;
}

/** What a build made, measured once it was built: recorded with the build it serves. */
export interface BuildFacts {
  /** Bytes: its layers as pushed (compressed), and unpacked. */
  size?: { compressed?: number; unpacked?: number };
  /** How many packages each manager has installed, read from the image's package databases. */
  installed?: { apt: number; conda: number; pip: number };
  /** The digest of the image's CycloneDX SBOM, attached to it in the registry. */
  sbom?: string;
}

export interface PublishedBuild extends BuildFacts {
  /** As the definition writes it: a reference, or `image:<name>` for another catalog image. */
  baseImage: string;
  /**
   * What the base resolved to when this recipe was planned: `sha256:...`, or `recipe:<hash>`
   * for a base that is another image of this catalog.
   */
  baseDigest?: string;
  packages: PackageLists;
  /**
   * The user the base runs as, which the build restores after installing (absent: root). With the
   * base and the packages it is the whole recipe: the served Dockerfile can be rendered again.
   */
  baseUser?: string;
  /** The `tests` commands the image passed before it was published (part of its recipe). */
  tests?: string[];
  recipeHash: string;
  /** When the image of this recipe was built (RFC 3339); absent when it was found already built. */
  builtAt?: string;
  /** The build's log, relative to the catalog root (`/` separators), on the machine that built it. */
  log?: string;
  /** Where that log can be read when it was built elsewhere: the CI run (e.g. a GitHub Actions run). */
  logUrl?: string;
}

export type AttemptStatus = "building" | "failed" | "cancelled";

export interface PublishedAttempt {
  status: AttemptStatus;
  /** The recipe the attempt built: the current definition's. */
  recipeHash: string;
  /** When it started (building) or ended (failed, cancelled); RFC 3339. */
  at: string;
  /** Failed and cancelled: the first line of why. */
  error?: string;
  /** The attempt's own log, relative to the catalog root. */
  log?: string;
  logUrl?: string;
}
