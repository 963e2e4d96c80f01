/**
 * The data every stage shares: problems found in the catalog, and the catalog model that validation
 * produces from the YAML definitions. Plain data only, so that any stage can serialise it.
 */

export type Severity = "error" | "warning";

/** One thing wrong with the catalog, located in the file a person edits. */
export interface Problem {
  /** Relative to the catalog root, with `/` separators. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, counted in characters. */
  column: number;
  /** The named rule that was broken, e.g. `apt-package`. */
  rule: string;
  /** What is wrong, and how to fix it where that can be said. */
  message: string;
  severity: Severity;
  /** JSON pointer of the offending value inside the file's data ("" for the whole file). */
  pointer: string;
}

export type ImageType = "cpu" | "gpu" | "universal";
export const IMAGE_TYPES: readonly ImageType[] = ["cpu", "gpu", "universal"];

export type PackageManager = "apt" | "conda" | "pip";
export const PACKAGE_MANAGERS: readonly PackageManager[] = ["apt", "conda", "pip"];

export type PackageLists = Record<PackageManager, string[]>;

/** A custom build: a base image plus packages. */
export interface BuildSpec {
  /** An image reference, or `image:<name>` for another image of this catalog. */
  baseImage: string;
  packages: PackageLists;
  /**
   * Command lines the built image must run with exit 0 before it is published (its `tests`
   * contracts), each with `/bin/sh -c` inside the image, with no network and a time limit. Absent
   * when there are none.
   */
  tests?: string[];
}

/** One image of the catalog, as its definition file describes it (defaults applied). */
export interface ImageDefinition {
  /** The image name: generated from the display name, and the stem of its file name. */
  name: string;
  displayName: string;
  description?: string;
  type: ImageType;
  url?: string;
  urlForGpu?: string;
  pullSecret?: string;
  global: boolean;
  groups: string[];
  build?: BuildSpec;
  /** Where the definition lives, relative to the catalog root. */
  file: string;
  /** True for `images/<name>.yaml`, false for `images/groups/<group>/<name>.yaml`. */
  system: boolean;
  /** The group that owns a group image. */
  groupName?: string;
}

/** The optional `imagesmith.yaml` at the catalog root. */
export interface CatalogConfig {
  /** Where built images are pushed: HOST[:PORT]/PREFIX. */
  registry?: string;
  /** One repository for every built image (`<registry>:<name>-<hash>`). */
  singleRepository: boolean;
  /** The secret the platform pulls built images with. */
  pullSecret?: string;
  /** The readable tag pushed next to the recipe tag ("" for none). */
  movingTag: string;
  /** Keep build layers in the registry for fresh runners. */
  layerCache: boolean;
  /** Seconds each contract of a built image may run (its tests commands, the package checks). */
  testTimeout: number;
  insecureRegistries: string[];
  builder: string;
  /** os/architecture[/variant] that bases are resolved for and images built for. */
  platform: string;
  /** Allowed group names; when absent, any Kubernetes name is accepted. */
  groups?: string[];
  /** Registry host → mirror prefix, where base images are pulled from instead. */
  mirrors: Record<string, string>;
  pip: {
    indexUrl?: string;
    extraIndexUrls: string[];
    trustedHosts: string[];
    breakSystemPackages: boolean;
  };
  conda: { channelAlias?: string };
}

export function defaultConfig(): CatalogConfig {
  return {
    singleRepository: false,
    movingTag: "latest",
    layerCache: true,
    testTimeout: 120,
    insecureRegistries: [],
    builder: "buildah",
    platform: "linux/amd64",
    mirrors: {},
    pip: { extraIndexUrls: [], trustedHosts: [], breakSystemPackages: false },
    conda: {},
  };
}

export interface Catalog {
  root: string;
  config: CatalogConfig;
  /** Sorted by name. */
  images: ImageDefinition[];
}
