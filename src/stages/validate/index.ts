import { maskedUrl } from "../../url-credentials.js";
import { parseImageReference } from "../../grammars/image-ref.js";
import {
  type Catalog,
  type CatalogConfig,
  defaultConfig,
  type ImageDefinition,
  type ImageType,
  PACKAGE_MANAGERS,
  type PackageLists,
  type Problem,
} from "../../model.js";
import {
  keyNodeAt,
  nodeAt,
  offsetOf,
  parseYamlFile,
  type PathSegment,
  type YamlFile,
} from "../../source/yaml-file.js";
import { didYouMean } from "../../text.js";
import { checkPackageList } from "./packages.js";
import { type Location, Problems } from "./report.js";
import { checkConfigSchema, checkImageSchema } from "./schema.js";

/** A definition file as the loader found it: where it lives says whose image it is. */
export interface DefinitionFile {
  /** Relative to the catalog root, `/` separators. */
  file: string;
  bytes: Uint8Array;
  system: boolean;
  groupName?: string;
}

/** Where an image's name and base stand in its file, for the rules that span files; located on demand. */
interface Anchors {
  displayName: () => Location;
  baseImage: () => Location;
}

/** Everything read from a catalog folder, before validation. */
/**
 * Where the trusted side (the workflow, the CI environment) says images and the catalog are pushed,
 * and so where credentials go. A catalog whose `registry:` says otherwise is an error: a pull
 * request must not be able to move the push target, or the credentials with it.
 */
export interface PushTarget {
  /** HOST[:PORT] the credentials are for. */
  host: string;
  /** The whole registry prefix, when the trusted side names it (the Action's registry input). */
  prefix?: string;
  /** Who says so, for the message: "the Action's registry input", "IMAGESMITH_REGISTRY_HOST". */
  from: string;
}

export interface CatalogSources {
  root: string;
  /** The trusted push target, when one is set. */
  pushTarget?: PushTarget;
  /** `imagesmith.yaml`, when the catalog has one. */
  config?: YamlFile;
  definitions: DefinitionFile[];
  /** Problems the loader found: files in the wrong place, with the wrong extension. */
  problems: Problem[];
}

export interface ValidationResult {
  /** True when no problem is an error. */
  valid: boolean;
  catalog: Catalog;
  /** Every problem in every file, sorted by file and position. */
  problems: Problem[];
}

/** The prefix that names another image of this catalog as a base: `image:<name>`. */
export const CATALOG_BASE_PREFIX = "image:";

const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const GROUP_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** References that say "GPU" although the definition says (or defaults to) cpu. */
const GPU_HINT = /(^|[^a-z])(cuda|cudnn|gpu|nvidia|rocm)/i;

/**
 * Validates a whole catalog: the config, every definition against the schema and the rules, and the
 * rules that span files (unique names, catalog bases and their cycles, groups). Collects every
 * problem; never stops at the first.
 */
export function validateCatalog(sources: CatalogSources): ValidationResult {
  const steps = validationSteps(sources, {});
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Told about a catalog while it is validated, so that work on it (the registry requests of a plan)
 * can start before the last file is read. Only told while no error has been found: what it starts
 * is speculative, and must not be acted on unless the result is valid.
 */
export interface ValidationWatcher {
  /** imagesmith.yaml is checked, without error: the config the catalog will have. */
  config?(config: CatalogConfig): void;
  /** An image whose definition is checked, without error: the very object the catalog will hold. */
  image?(image: ImageDefinition): void;
  /** The first error: the catalog is invalid, and nothing more will be told. */
  invalid?(): void;
  /**
   * Asked before each definition is checked: a promise it returns holds validation back until it
   * settles, for work that needs the CPU more than the definitions do.
   */
  pace?(): Promise<unknown> | undefined;
}

/** How long a slice of validation holds the event loop before answers that came in are handled. */
const SLICE_MS = 1;

/**
 * validateCatalog, with the same result, in slices of a millisecond that leave the event loop free
 * in between (registry answers are handled while a large catalog is still checked), held back
 * while `watcher.pace` says so, telling `watcher` what is known as soon as it is.
 */
export async function validateCatalogWatched(
  sources: CatalogSources,
  watcher: ValidationWatcher,
): Promise<ValidationResult> {
  const steps = validationSteps(sources, watcher);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    const held = watcher.pace?.();
    if (held === undefined && performance.now() - sliceStart < SLICE_MS) continue;
    await (held ?? new Promise<void>((resolve) => setImmediate(resolve))).then(noop, noop);
    sliceStart = performance.now();
  }
}

function noop(): void {}

/** The validation of a catalog, pausing (yield) between definition files. */
function* validationSteps(
  sources: CatalogSources,
  watcher: ValidationWatcher,
): Generator<void, ValidationResult, void> {
  const problems = new Problems();
  problems.push(...sources.problems);
  const config = sources.config
    ? checkConfig(sources.config, problems, sources.pushTarget)
    : defaultConfig();
  let clean = problems.errorCount === 0;
  if (clean) watcher.config?.(config);
  else watcher.invalid?.();

  const images: ImageDefinition[] = [];
  const anchors = new Map<ImageDefinition, Anchors>();
  // One file at a time, parsed, checked and dropped: only the image and a few locations are kept,
  // so memory stays flat however large the catalog.
  for (const definition of sources.definitions) {
    yield;
    const source = parseYamlFile(definition.file, definition.bytes);
    problems.push(...source.problems);
    checkGroupFolder(source, definition, config, problems);
    const image = checkDefinition(source, definition, config, problems);
    if (clean && problems.errorCount > 0) {
      clean = false;
      watcher.invalid?.();
    }
    if (!image) continue;
    images.push(image);
    // Located from the file's bytes again if ever needed (rarely: a rule across files failed), so
    // that no parsed file is kept alive until the end.
    const again = () => parseYamlFile(definition.file, definition.bytes);
    anchors.set(image, {
      displayName: () => problems.locate(again(), ["displayName"]),
      baseImage: () => problems.locate(again(), ["build", "baseImage"]),
    });
    if (clean) watcher.image?.(image);
  }
  const byName = checkUniqueNames(images, anchors, problems);
  checkCatalogBases(images, anchors, byName, problems);
  if (clean && problems.errorCount > 0) watcher.invalid?.();

  images.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sorted = problems.sorted();
  return {
    valid: !sorted.some((p) => p.severity === "error"),
    catalog: { root: sources.root, config, images },
    problems: sorted,
  };
}

function checkConfig(
  source: YamlFile,
  problems: Problems,
  pushTarget: PushTarget | undefined,
): CatalogConfig {
  const config = defaultConfig();
  if (source.data === undefined) return config;
  problems.push(...checkConfigSchema(source, source.data));
  const data = asRecord(source.data);
  if (!data) return config;

  if (typeof data.registry === "string") {
    config.registry = data.registry;
    checkRegistryPrefix(source, ["registry"], data.registry, problems);
    if (pushTarget) checkPushTarget(source, data.registry, pushTarget, problems);
  }
  if (typeof data.builder === "string") config.builder = data.builder;
  if (typeof data.platform === "string") config.platform = data.platform;
  if (data.singleRepository === true) config.singleRepository = true;
  if (typeof data.movingTag === "string") config.movingTag = data.movingTag;
  if (data.layerCache === false) config.layerCache = false;
  if (typeof data.testTimeout === "number" && Number.isInteger(data.testTimeout))
    config.testTimeout = Math.min(3600, Math.max(1, data.testTimeout));
  if (typeof data.pullSecret === "string") config.pullSecret = data.pullSecret;
  const pip = asRecord(data.pip) ?? {};
  if (
    typeof pip.indexUrl === "string" &&
    checkUrl(source, ["pip", "indexUrl"], pip.indexUrl, problems)
  ) {
    config.pip.indexUrl = pip.indexUrl;
  }
  for (const [url, index] of strings(pip.extraIndexUrls)) {
    if (checkUrl(source, ["pip", "extraIndexUrls", index], url, problems))
      config.pip.extraIndexUrls.push(url);
  }
  for (const [host, index] of strings(pip.trustedHosts)) {
    checkRegistryHost(source, ["pip", "trustedHosts", index], host, problems);
    config.pip.trustedHosts.push(host);
  }
  if (pip.breakSystemPackages === true) config.pip.breakSystemPackages = true;
  const conda = asRecord(data.conda) ?? {};
  if (
    typeof conda.channelAlias === "string" &&
    checkUrl(source, ["conda", "channelAlias"], conda.channelAlias, problems)
  ) {
    config.conda.channelAlias = conda.channelAlias;
  }
  strings(data.insecureRegistries).forEach(([host, index]) => {
    config.insecureRegistries.push(host);
    checkRegistryHost(source, ["insecureRegistries", index], host, problems);
  });
  if (Array.isArray(data.groups)) {
    config.groups = [];
    const seen = new Set<string>();
    for (const [group, index] of strings(data.groups)) {
      if (seen.has(group)) {
        problems.warn(
          source,
          ["groups", index],
          "duplicate-group",
          `group "${group}" is listed twice`,
        );
      }
      seen.add(group);
      config.groups.push(group);
    }
  }
  const mirrors = asRecord(data.mirrors);
  for (const [host, prefix] of Object.entries(mirrors ?? {})) {
    checkRegistryHost(source, ["mirrors", host], host, problems, true);
    if (typeof prefix !== "string") continue;
    config.mirrors[host] = prefix;
    checkRegistryPrefix(source, ["mirrors", host], prefix, problems);
  }
  return config;
}

/** The catalog's registry is where the trusted side pushes: same host, and same prefix when it names one. */
function checkPushTarget(
  source: YamlFile,
  registry: string,
  target: PushTarget,
  problems: Problems,
): void {
  const host = registry.split("/")[0]?.toLowerCase() ?? "";
  const same =
    target.prefix === undefined
      ? host === target.host.toLowerCase()
      : registry.replace(/\/+$/, "").toLowerCase() ===
        target.prefix.replace(/\/+$/, "").toLowerCase();
  if (same) return;
  const expected = target.prefix ?? target.host;
  problems.add(
    source,
    ["registry"],
    "push-target",
    `push target changed: this catalog pushes to ${JSON.stringify(registry)}, but ${target.from} says ${expected}. Credentials go to ${target.host} only, so the push target is changed where they are set (the workflow), not in imagesmith.yaml; write registry: ${expected}`,
  );
}

/** `HOST[:PORT]` as a registry is named in insecureRegistries and as a mirror key. */
function checkRegistryHost(
  source: YamlFile,
  path: PathSegment[],
  host: string,
  problems: Problems,
  atKey = false,
): void {
  // A host is whatever makes HOST/a/b a reference with that explicit domain and nothing else.
  const parsed = host.includes("/") ? undefined : parseImageReference(`${host}/a/b`);
  if (parsed?.ok && !parsed.value.implicitDomain && parsed.value.path === "a/b") return;
  const message = `${JSON.stringify(host)} is not a registry host: write HOST or HOST:PORT (e.g. registry.local:5000), with no scheme or path`;
  const key = atKey ? keyNodeAt(source, path.slice(0, -1), String(path.at(-1))) : undefined;
  problems.add(source, path, "registry", message, key ? { offset: offsetOf(key) } : {});
}

/** An http(s) URL that reaches a build as a build argument: no spaces, quotes or shell characters. */
function checkUrl(
  source: YamlFile,
  path: PathSegment[],
  value: string,
  problems: Problems,
): boolean {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (
    url &&
    (url.protocol === "http:" || url.protocol === "https:") &&
    /^[A-Za-z0-9._~:/?#@!&'()*+,;=%[\]-]+$/.test(value) &&
    !/['"$`\\]/.test(value)
  ) {
    return true;
  }
  problems.add(
    source,
    path,
    "config-url",
    `${JSON.stringify(maskedUrl(value))} is not an http(s) URL: write it like https://pypi.acme.internal/simple`,
  );
  return false;
}

/** `HOST[:PORT]/PREFIX`: where images are pushed, or a mirror prefix. */
function checkRegistryPrefix(
  source: YamlFile,
  path: PathSegment[],
  prefix: string,
  problems: Problems,
): void {
  const parsed = parseImageReference(prefix);
  if (parsed.ok && !parsed.value.implicitDomain && !parsed.value.tag && !parsed.value.digest)
    return;
  const why = parsed.ok
    ? parsed.value.implicitDomain
      ? "it names no registry host"
      : "it carries a tag or digest"
    : parsed.error.message;
  problems.add(
    source,
    path,
    "registry",
    `${JSON.stringify(prefix)} is not a registry prefix (${why}): write HOST[:PORT]/PREFIX, e.g. ghcr.io/acme/images`,
  );
}

function checkDefinition(
  source: YamlFile,
  definition: DefinitionFile,
  config: CatalogConfig,
  problems: Problems,
): ImageDefinition | undefined {
  if (source.data === undefined) return undefined;
  if (source.data === null) {
    problems.add(
      source,
      [],
      "empty-file",
      "file is empty; a definition needs at least displayName, and url (an existing image) or build (a custom build)",
    );
    return undefined;
  }
  problems.push(...checkImageSchema(source, source.data));
  const data = asRecord(source.data);
  if (!data) return undefined;

  const stem = fileStem(source.file);
  const displayName = typeof data.displayName === "string" ? data.displayName : undefined;
  const nameIsValid =
    displayName !== undefined && NAME_PATTERN.test(displayName) && displayName.length <= 63;
  if (nameIsValid && stem !== displayName) {
    problems.add(
      source,
      ["displayName"],
      "file-name",
      `the image name is "${displayName}" but the file is ${stem}.yaml: rename the file to ${displayName}.yaml (or set displayName: ${stem})`,
    );
  }

  const type: ImageType = isImageType(data.type) ? data.type : "cpu";
  const image: ImageDefinition = {
    name: displayName ?? stem,
    displayName: displayName ?? stem,
    type,
    global: data.global === true,
    groups: [],
    file: source.file,
    system: definition.system,
  };
  if (typeof data.description === "string") image.description = data.description;
  if (typeof data.pullSecret === "string") image.pullSecret = data.pullSecret;
  if (definition.groupName !== undefined) image.groupName = definition.groupName;

  checkSource(source, data, image, problems);
  checkAccess(source, definition.groupName, data, image, config, problems);
  return image;
}

/** url (an existing image) xor build (a custom build), and the references they hold. */
function checkSource(
  source: YamlFile,
  data: Record<string, unknown>,
  image: ImageDefinition,
  problems: Problems,
): void {
  const hasUrl = data.url !== undefined;
  const build = asRecord(data.build);
  if (hasUrl && data.build !== undefined) {
    problems.add(
      source,
      ["build"],
      "url-or-build",
      "a definition has either url (use an existing image) or build (build a custom image), not both: remove one",
    );
  } else if (!hasUrl && data.build === undefined) {
    problems.add(
      source,
      [],
      "url-or-build",
      "a definition needs url (use an existing image) or build (build a custom image from a base image)",
    );
  }

  if (typeof data.url === "string" && checkReference(source, ["url"], data.url, problems, false)) {
    image.url = data.url;
  }
  if (data.urlForGpu !== undefined && image.type !== "universal") {
    problems.add(
      source,
      ["urlForGpu"],
      "gpu-url",
      `urlForGpu is only for type: universal (this image is ${image.type}); remove it, or set type: universal`,
    );
  }
  if (
    typeof data.urlForGpu === "string" &&
    checkReference(source, ["urlForGpu"], data.urlForGpu, problems, false)
  ) {
    image.urlForGpu = data.urlForGpu;
  }

  if (build) {
    const baseImage = typeof build.baseImage === "string" ? build.baseImage : "";
    if (baseImage) checkReference(source, ["build", "baseImage"], baseImage, problems, true);
    const packagesData = asRecord(build.packages) ?? {};
    const packages = {} as PackageLists;
    for (const manager of PACKAGE_MANAGERS) {
      packages[manager] = checkPackageList(
        source,
        ["build", "packages", manager],
        manager,
        packagesData[manager],
        problems,
      );
    }
    const tests = [...strings(build.tests)].map(([command]) => command).filter((c) => c.trim());
    image.build = { baseImage, packages, ...(tests.length > 0 ? { tests } : {}) };
    if (
      PACKAGE_MANAGERS.every((m) => packages[m].length === 0) &&
      !baseImage.startsWith(CATALOG_BASE_PREFIX)
    ) {
      problems.warn(
        source,
        ["build"],
        "empty-build",
        `the build installs no packages; to use the base image as it is, write url: ${baseImage || "<reference>"} instead`,
      );
    }
  }

  const reference = image.url ?? image.build?.baseImage ?? "";
  if (image.type === "cpu" && GPU_HINT.test(reference)) {
    const said = data.type === undefined ? "type defaults to cpu" : "type is cpu";
    problems.warn(
      source,
      data.type === undefined ? [] : ["type"],
      "type-mismatch",
      `${said} but ${JSON.stringify(reference)} looks like a GPU image; set type: gpu (or universal) so GPU instance types can use it`,
    );
  }
}

/** Checks an image reference; returns whether it is usable. */
function checkReference(
  source: YamlFile,
  path: PathSegment[],
  value: string,
  problems: Problems,
  catalogBaseAllowed: boolean,
): boolean {
  if (value.startsWith(CATALOG_BASE_PREFIX)) {
    const name = value.slice(CATALOG_BASE_PREFIX.length);
    if (!catalogBaseAllowed) {
      problems.add(
        source,
        path,
        "image-ref",
        `${value} names an image of this catalog, which only build.baseImage can do; write a registry reference here`,
      );
      return false;
    }
    if (!NAME_PATTERN.test(name)) {
      problems.add(
        source,
        path,
        "image-ref",
        `${JSON.stringify(value)}: after "image:" comes the name of another image of this catalog, e.g. image:pytorch-2.3`,
      );
      return false;
    }
    return true;
  }
  const parsed = parseImageReference(value);
  if (parsed.ok) return true;
  const { message, hint, index } = parsed.error;
  const offset = offsetOf(nodeAt(source, path).node);
  const rawOffset = source.text.indexOf(value, offset);
  const at = rawOffset >= 0 ? rawOffset + index : offset;
  problems.add(
    source,
    path,
    "image-ref",
    `${JSON.stringify(value)} is not an image reference: ${message}${hint ? `; ${hint}` : ""}`,
    {
      offset: at,
    },
  );
  return false;
}

/** Who may use the image: global, listed groups, or (group images) the folder's group. */
function checkAccess(
  source: YamlFile,
  groupName: string | undefined,
  data: Record<string, unknown>,
  image: ImageDefinition,
  config: CatalogConfig,
  problems: Problems,
): void {
  const groups = strings(data.groups);
  const seen = new Set<string>();
  for (const [group, index] of groups) {
    if (seen.has(group)) {
      problems.warn(
        source,
        ["groups", index],
        "duplicate-group",
        `group "${group}" is listed twice; keep one`,
      );
      continue;
    }
    seen.add(group);
    image.groups.push(group);
    checkKnownGroup(source, ["groups", index], group, config, problems);
  }

  if (groupName !== undefined) {
    if (image.global) {
      problems.add(
        source,
        ["global"],
        "group-image-access",
        `a group image belongs to its group "${groupName}" and cannot be global; move the file to images/ to make a global system image`,
      );
    }
    const others = image.groups.filter((g) => g !== groupName);
    if (others.length > 0) {
      problems.add(
        source,
        ["groups"],
        "group-image-access",
        `a group image belongs to its folder's group "${groupName}" only; remove groups (or list just ${groupName}); to share it with ${others.join(", ")}, make it a system image in images/`,
      );
    }
    image.groups = [groupName];
    image.global = false;
    return;
  }

  if (image.global && image.groups.length > 0) {
    problems.add(
      source,
      ["groups"],
      "access",
      "global: true already gives every group access; remove groups, or set global: false to limit it to these groups",
    );
  } else if (!image.global && image.groups.length === 0 && data.global !== true) {
    problems.warn(
      source,
      [],
      "no-access",
      "nobody can use this image: set global: true, or list the groups that may use it under groups",
    );
  }
}

function checkKnownGroup(
  source: YamlFile,
  path: PathSegment[],
  group: string,
  config: CatalogConfig,
  problems: Problems,
): void {
  if (!GROUP_PATTERN.test(group) || !config.groups || config.groups.includes(group)) return;
  problems.add(
    source,
    path,
    "unknown-group",
    `group "${group}" is not one of the groups in imagesmith.yaml${didYouMean(group, config.groups)} (add it there if it is a new group)`,
  );
}

/** Names are unique across the catalog, group images included; every file sharing a name is told. */
function checkUniqueNames(
  images: ImageDefinition[],
  anchors: Map<ImageDefinition, Anchors>,
  problems: Problems,
): Map<string, ImageDefinition> {
  const byName = new Map<string, ImageDefinition>();
  const holders = new Map<string, ImageDefinition[]>();
  for (const image of images) {
    holders.set(image.name, [...(holders.get(image.name) ?? []), image]);
    if (!byName.has(image.name)) byName.set(image.name, image);
  }
  for (const [name, sharing] of holders) {
    if (sharing.length < 2) continue;
    for (const image of sharing) {
      const others = sharing.filter((other) => other !== image).map((other) => other.file);
      const at = anchors.get(image);
      if (!at) continue;
      problems.addAt(
        at.displayName(),
        "unique-name",
        `the image name "${name}" is also used by ${others.join(", ")}; names are unique across the catalog, group images included`,
      );
    }
  }
  return byName;
}

/** The folder of a group image names its group, so it must be a group name. */
function checkGroupFolder(
  source: YamlFile,
  definition: DefinitionFile,
  config: CatalogConfig,
  problems: Problems,
): void {
  const group = definition.groupName;
  if (group === undefined) return;
  if (!GROUP_PATTERN.test(group)) {
    problems.add(
      source,
      [],
      "k8s-name",
      `the folder images/groups/${group}/ names the group "${group}", which is not a Kubernetes name: rename the folder using lowercase letters, digits and "-"`,
    );
    return;
  }
  // A group folder is a group of the platform: one imagesmith.yaml does not know is a typo, or a
  // group nobody was asked about.
  if (config.groups && !config.groups.includes(group))
    problems.add(
      source,
      [],
      "unknown-group",
      `the folder images/groups/${group}/ names the group "${group}", which imagesmith.yaml does not list (rename the folder, or add the group to groups:)${didYouMean(group, config.groups)}`,
    );
}

/** `image:<name>` bases: the name exists, access is not widened, and the graph has no cycle. */
function checkCatalogBases(
  images: ImageDefinition[],
  anchors: Map<ImageDefinition, Anchors>,
  byName: Map<string, ImageDefinition>,
  problems: Problems,
): void {
  const parentOf = new Map<ImageDefinition, ImageDefinition>();
  for (const image of images) {
    const base = image.build?.baseImage;
    const at = anchors.get(image)?.baseImage;
    if (!base?.startsWith(CATALOG_BASE_PREFIX) || !at) continue;
    const name = base.slice(CATALOG_BASE_PREFIX.length);
    const parent = byName.get(name);
    if (!parent) {
      problems.addAt(
        at(),
        "base-image",
        `image:${name} names no image of this catalog${didYouMean(name, byName.keys())}`,
      );
      continue;
    }
    if (parent.groupName !== undefined && parent.groupName !== image.groupName) {
      const who =
        image.groupName === undefined ? "a system image" : `an image of group "${image.groupName}"`;
      problems.addAt(
        at(),
        "base-image",
        `${who} cannot build on image:${name}, which belongs to group "${parent.groupName}" and is changed by that group's admins; make ${name} a system image first`,
      );
    }
    parentOf.set(image, parent);
  }
  reportCycles(images, parentOf, anchors, problems);
}

/** Each image has at most one parent, so a cycle is found by walking up from every image. */
function reportCycles(
  images: ImageDefinition[],
  parentOf: Map<ImageDefinition, ImageDefinition>,
  anchors: Map<ImageDefinition, Anchors>,
  problems: Problems,
): void {
  const state = new Map<ImageDefinition, "walking" | "done">();
  for (const start of images) {
    const trail: ImageDefinition[] = [];
    let current: ImageDefinition | undefined = start;
    while (current && !state.has(current)) {
      state.set(current, "walking");
      trail.push(current);
      current = parentOf.get(current);
    }
    if (current && state.get(current) === "walking") {
      const cycle = trail.slice(trail.indexOf(current));
      const files = cycle.map((image) => image.file);
      const loop = [...cycle, current].map((image) => image.name).join(" → ");
      for (const image of cycle) {
        const at = anchors.get(image)?.baseImage;
        if (!at) continue;
        problems.addAt(
          at(),
          "base-cycle",
          `build bases form a cycle: ${loop} (files: ${files.join(", ")}); one of them must build on a registry image instead`,
        );
      }
    }
    for (const image of trail) state.set(image, "done");
  }
}

function isImageType(value: unknown): value is ImageType {
  return value === "cpu" || value === "gpu" || value === "universal";
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The string items of a list, with their indexes (other items are the schema's to report). */
function strings(value: unknown): [string, number][] {
  if (!Array.isArray(value)) return [];
  const out: [string, number][] = [];
  value.forEach((item, index) => {
    if (typeof item === "string") out.push([item, index]);
  });
  return out;
}

function fileStem(file: string): string {
  const base = file.slice(file.lastIndexOf("/") + 1);
  return base.replace(/\.ya?ml$/, "");
}
