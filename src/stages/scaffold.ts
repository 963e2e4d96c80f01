import { Document } from "yaml";
import type { ImageType, PackageLists } from "../model.js";
import { GROUPS_DIR, IMAGES_DIR } from "./load.js";

/** What `imagesmith new` was asked for: the fields of the old "+ Add" form. */
export interface NewImageRequest {
  displayName: string;
  description?: string;
  type?: ImageType;
  /** Use an existing image. */
  url?: string;
  urlForGpu?: string;
  /** Build a custom image on this base. */
  baseImage?: string;
  packages: PackageLists;
  global: boolean;
  groups: string[];
  /** For an existing image: the secret to pull url; for a build: the secret to pull the base. */
  pullSecret?: string;
  /** Make it a group image of this group. */
  group?: string;
}

/** Where a definition of this name lives: images/<name>.yaml or images/groups/<group>/<name>.yaml. */
export function definitionFile(name: string, group?: string): string {
  return group === undefined
    ? `${IMAGES_DIR}/${name}.yaml`
    : `${IMAGES_DIR}/${GROUPS_DIR}/${group}/${name}.yaml`;
}

/**
 * Where editors find the image schema. The published `$id`, not a path: a catalog repository has
 * no copy of the schema, and its node_modules (if any) are not where its definitions are edited.
 */
export const IMAGE_SCHEMA_URL = "https://imagesmith.dev/schemas/image.schema.json";

/** The first line of every definition: yaml-language-server (VS Code's YAML extension) reads it. */
export const IMAGE_SCHEMA_MODELINE = `# yaml-language-server: $schema=${IMAGE_SCHEMA_URL}`;

/**
 * The YAML text of a new definition, headed by the schema modeline, fields in the order people read them. Everything given is
 * written as given; validation, not this function, decides whether it is acceptable.
 */
export function renderDefinition(request: NewImageRequest): string {
  const data: Record<string, unknown> = { displayName: request.displayName };
  if (request.description !== undefined) data.description = request.description;
  data.type = request.type ?? (request.urlForGpu === undefined ? "cpu" : "universal");
  if (request.url !== undefined) {
    data.url = request.url;
    if (request.urlForGpu !== undefined) data.urlForGpu = request.urlForGpu;
    if (request.pullSecret !== undefined) data.pullSecret = request.pullSecret;
  } else if (request.urlForGpu !== undefined) {
    data.urlForGpu = request.urlForGpu;
  }
  if (request.group === undefined) {
    if (request.global) data.global = true;
    if (request.groups.length > 0) data.groups = request.groups;
  } else if (request.global) {
    data.global = true; // validation explains why a group image cannot be global
  }
  if (request.baseImage !== undefined) {
    const build: Record<string, unknown> = { baseImage: request.baseImage };
    const packages = Object.fromEntries(
      Object.entries(request.packages).filter(([, list]) => list.length > 0),
    );
    if (Object.keys(packages).length > 0) build.packages = packages;
    data.build = build;
  }
  return `${IMAGE_SCHEMA_MODELINE}\n${new Document(data).toString({ lineWidth: 0 })}`;
}
