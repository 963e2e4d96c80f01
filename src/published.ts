import type { ImageType, PackageLists } from "./model.js";

/**
 * The published catalog (the permission manifest the platform syncs): `.imagesmith/catalog.json`,
 * defined by `schemas/catalog.schema.json`. The plan reads the previous one to know what changed.
 */
export interface PublishedCatalog {
  apiVersion: "imagesmith/v1";
  kind: "ImageCatalog";
  source: { repo?: string; commit?: string };
  images: PublishedImage[];
}

export type ImageStatus = "building" | "ready" | "failed" | "cancelled";

export interface PublishedImage {
  name: string;
  displayName: string;
  description?: string;
  type: ImageType;
  /** Pinned by digest: `...@sha256:...`. */
  url?: string;
  urlForGpu?: string;
  pullSecret?: string;
  global: boolean;
  groups: string[];
  system: boolean;
  groupName?: string;
  status: ImageStatus;
  build?: {
    baseImage: string;
    /** The digest the base resolved to when this recipe was planned. */
    baseDigest?: string;
    packages: PackageLists;
    recipeHash: string;
    builtAt?: string;
  };
}
