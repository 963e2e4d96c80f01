import type { ImageType, PackageLists } from "./model.js";

/**
 * The published catalog (the permission manifest the platform syncs): `.imagesmith/catalog.json`,
 * defined by `schemas/catalog.schema.json`, also pushed to the registry as an OCI artifact. The
 * plan reads the previous one to know what changed; the publish stage writes the next one.
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
  status: ImageStatus;
  /** Why an image is not ready, in words for the platform to show (e.g. the failure). */
  message?: string;
  /** Existing images: the references as the definition writes them, which url and urlForGpu pin. */
  from?: { url: string; urlForGpu?: string };
  /**
   * Built images: the recipe of the current definition and its latest build. When a rebuild
   * failed, this describes the attempt (its log is what to read), while `url` is still the last
   * image that worked.
   */
  build?: PublishedBuild;
}

export interface PublishedBuild {
  /** As the definition writes it: a reference, or `image:<name>` for another catalog image. */
  baseImage: string;
  /**
   * What the base resolved to when this recipe was planned: `sha256:...`, or `recipe:<hash>`
   * for a base that is another image of this catalog.
   */
  baseDigest?: string;
  packages: PackageLists;
  recipeHash: string;
  /** When the image of this recipe was built (RFC 3339); absent until it has been. */
  builtAt?: string;
  /** The build log of the latest attempt, relative to the catalog root (`/` separators). */
  log?: string;
  /** Where that log can be read when it was built elsewhere: the CI run (e.g. a GitHub Actions run). */
  logUrl?: string;
}
