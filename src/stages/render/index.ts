import { createHash } from "node:crypto";
import Handlebars from "handlebars";
import dockerfileTemplate from "../../../templates/Dockerfile.hbs?raw";
import labelsTemplate from "../../../templates/labels.hbs?raw";
import type { CatalogConfig, ImageDefinition, PackageManager } from "../../model.js";
import {
  credentialOf,
  NETRC_SECRET,
  NETRC_TARGET,
  type UrlCredential,
  withoutCredentials,
} from "../../url-credentials.js";

/**
 * Bumped whenever the templates change what an image contains, so every recipe hash moves and
 * every image is rebuilt with the new recipe. Cosmetic template changes need not bump it.
 */
export const TEMPLATE_VERSION = "2";

/** Everything a Dockerfile is rendered from; plan gathers it, render only arranges it. */
export interface RenderInput {
  image: ImageDefinition;
  /** The FROM reference: pinned by digest for registry bases, the parent's tag for catalog bases. */
  from: string;
  /** The base's own user, restored after installing (undefined or root: nothing to restore). */
  baseUser?: string;
  config: Pick<CatalogConfig, "pip" | "conda">;
}

/** Where the package managers' download caches are mounted in a package step (never in the image). */
export const PACKAGE_CACHE_ROOT = "/var/cache/imagesmith";

/**
 * How each package manager is run: a fixed script, with the packages as its positional arguments,
 * and the download cache it keeps in a `RUN --mount=type=cache` folder, so that a changed layer
 * downloads only what is new. The folder is outside the image: apt is pointed at it for its lists
 * and archives (and keeps what it downloads), pip and conda for their package caches; nothing the
 * image keeps refers to it.
 */
const LAYERS: Record<PackageManager, { tool: string; argv: string[]; sharing: string }> = {
  apt: {
    tool: "apt-get",
    // apt locks its archive folder: one apt step at a time uses the cache.
    sharing: "locked",
    argv: [
      "/bin/sh",
      "-c",
      `c=${PACKAGE_CACHE_ROOT}/apt && mkdir -p $c/lists/partial $c/archives/partial && o="-o Dir::State::Lists=$c/lists -o Dir::Cache::Archives=$c/archives -o APT::Keep-Downloaded-Packages=true" && apt-get $o update && DEBIAN_FRONTEND=noninteractive apt-get $o install --yes --no-install-recommends -- "$@" && rm -rf /var/lib/apt/lists/*`,
      "apt-get",
    ],
  },
  conda: {
    tool: "conda",
    sharing: "locked",
    argv: [
      "/bin/sh",
      "-c",
      `CONDA_PKGS_DIRS=${PACKAGE_CACHE_ROOT}/conda conda install --yes --quiet -- "$@"`,
      "conda",
    ],
  },
  pip: {
    tool: "pip",
    // pip writes its cache entries atomically: parallel steps may share it.
    sharing: "shared",
    argv: [
      "/bin/sh",
      "-c",
      `unset PIP_NO_CACHE_DIR; pip install --cache-dir ${PACKAGE_CACHE_ROOT}/pip -- "$@"`,
      "pip",
    ],
  },
};

const PACKAGE_ORDER: readonly PackageManager[] = ["apt", "conda", "pip"];
const USER_PATTERN = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*(:[A-Za-z0-9_.][A-Za-z0-9_.-]*)?$/;

const handlebars = Handlebars.create();
const compile = (source: string) => handlebars.compile(source, { strict: true, noEscape: true });
let templates:
  { dockerfile: HandlebarsTemplateDelegate; labels: HandlebarsTemplateDelegate } | undefined;

function compiled() {
  templates ??= { dockerfile: compile(dockerfileTemplate), labels: compile(labelsTemplate) };
  return templates;
}

/** Users that mean "root": nothing to restore after the install layers. */
export function isRootUser(user: string | undefined): boolean {
  return (
    user === undefined ||
    user === "" ||
    user === "root" ||
    user === "0" ||
    user === "0:0" ||
    user === "root:root"
  );
}

/**
 * The recipe: the Dockerfile without its labels. It is what the recipe hash covers, so it holds
 * everything that decides what is in the image and nothing that merely describes it.
 */
export function renderRecipe(input: RenderInput): string {
  const { image, config } = input;
  const build = image.build;
  if (!build) throw new Error(`renderRecipe: ${image.name} is not a built image`);
  if (
    input.baseUser !== undefined &&
    !isRootUser(input.baseUser) &&
    !USER_PATTERN.test(input.baseUser)
  ) {
    throw new Error(
      `the base image of ${image.name} runs as user ${JSON.stringify(input.baseUser)}, which cannot be restored with USER`,
    );
  }

  const args: { name: string; value: string }[] = [];
  const usesPip = build.packages.pip.length > 0;
  const usesConda = build.packages.conda.length > 0;
  // Credentials in a URL never reach the Dockerfile: the tool reads them from the netrc secret.
  if (usesPip && config.pip.indexUrl)
    args.push({ name: "PIP_INDEX_URL", value: withoutCredentials(config.pip.indexUrl) });
  if (usesPip && config.pip.extraIndexUrls.length > 0) {
    args.push({
      name: "PIP_EXTRA_INDEX_URL",
      value: config.pip.extraIndexUrls.map(withoutCredentials).join(" "),
    });
  }
  if (usesPip && config.pip.trustedHosts.length > 0) {
    args.push({ name: "PIP_TRUSTED_HOST", value: config.pip.trustedHosts.join(" ") });
  }
  if (usesPip && config.pip.breakSystemPackages)
    args.push({ name: "PIP_BREAK_SYSTEM_PACKAGES", value: "1" });
  if (usesConda && config.conda.channelAlias)
    args.push({
      name: "CONDA_CHANNEL_ALIAS",
      value: withoutCredentials(config.conda.channelAlias),
    });
  const secrets = layerSecrets(config);

  const layers = PACKAGE_ORDER.filter((manager) => build.packages[manager].length > 0).map(
    (manager) => {
      const layer = LAYERS[manager];
      const argv = [...layer.argv];
      if (secrets[manager]) argv[2] = `export NETRC=${NETRC_TARGET}; ${argv[2]}`;
      const cache = `--mount=type=cache,id=imagesmith-${manager},target=${PACKAGE_CACHE_ROOT}/${manager},sharing=${layer.sharing} `;
      return {
        manager,
        tool: layer.tool,
        mount:
          (secrets[manager]
            ? `--mount=type=secret,id=${NETRC_SECRET},target=${NETRC_TARGET} `
            : "") + cache,
        head: argv.map((arg) => JSON.stringify(arg)).join(", "),
        packages: packageArguments(manager, build.packages[manager]).map((arg) =>
          JSON.stringify(arg),
        ),
      };
    },
  );

  return compiled().dockerfile({
    name: image.name,
    file: image.file,
    baseImage: build.baseImage,
    from: input.from,
    args,
    layers,
    user: isRootUser(input.baseUser) ? undefined : input.baseUser,
  });
}

/** Which package layers read credentials from the netrc build secret: those whose URLs carry some. */
function layerSecrets(
  config: Pick<CatalogConfig, "pip" | "conda">,
): Record<PackageManager, boolean> {
  const pipUrls = [config.pip.indexUrl, ...config.pip.extraIndexUrls];
  return {
    apt: false,
    conda:
      config.conda.channelAlias !== undefined &&
      credentialOf(config.conda.channelAlias) !== undefined,
    pip: pipUrls.some((url) => url !== undefined && credentialOf(url) !== undefined),
  };
}

/**
 * The credentials the catalog's URLs carry, for the netrc build secret; empty when there are none.
 */
export function urlCredentials(config: Pick<CatalogConfig, "pip" | "conda">): UrlCredential[] {
  const urls = [config.pip.indexUrl, ...config.pip.extraIndexUrls, config.conda.channelAlias];
  return urls.flatMap((url) => {
    const credential = url === undefined ? undefined : credentialOf(url);
    return credential ? [credential] : [];
  });
}

/**
 * What each package entry becomes on the command line. Conda's "-c channel::spec" form (the old
 * admin screen's documented example) is handed over as "channel::spec", which conda reads itself.
 */
function packageArguments(manager: PackageManager, packages: string[]): string[] {
  if (manager !== "conda") return packages;
  return packages.map((entry) => entry.replace(/^(?:-c|--channel)\s+/, ""));
}

/** The recipe hash: the image's tag. Covers the recipe, the base's digest, the platform and the template version. */
export function recipeHash(
  recipe: string,
  baseDigest: string,
  platform: string,
  contracts?: RecipeContracts,
): string {
  return createHash("sha256")
    .update(
      JSON.stringify({
        template: TEMPLATE_VERSION,
        recipe,
        baseDigest,
        platform,
        ...(contracts ? { contracts } : {}),
      }),
    )
    .digest("hex")
    .slice(0, 16);
}

/**
 * What an image is checked against before it is published, beyond its packages: the CUDA runtime
 * (gpu and universal images) and its `tests` commands. Part of the recipe hash, so that adding a
 * test or making an image gpu builds (and so checks) it again; undefined when there is nothing
 * beyond the package checks, which keeps the hashes of such images what they were.
 */
export interface RecipeContracts {
  cuda?: true;
  tests?: string[];
}

export function recipeContracts(image: ImageDefinition): RecipeContracts | undefined {
  const cuda = image.type !== "cpu";
  const tests = image.build?.tests ?? [];
  if (!cuda && tests.length === 0) return undefined;
  return { ...(cuda ? { cuda: true } : {}), ...(tests.length > 0 ? { tests } : {}) };
}

/** The full Dockerfile: the recipe, then labels that describe it (not hashed: a label never causes a rebuild). */
export function renderDockerfile(recipe: string, labels: Record<string, string>): string {
  const entries = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ key, value: escapeLabel(value) }));
  if (entries.length === 0) return recipe;
  return recipe + compiled().labels({ labels: entries });
}

/** Dockerfile LABEL values are double-quoted and expand `$`: escape what the parser reads. */
function escapeLabel(value: string): string {
  return value.replace(/[\\"$]/g, (c) => "\\" + c).replace(/[\r\n]+/g, " ");
}

/** The labels every built image carries. */
export function imageLabels(
  image: ImageDefinition,
  hash: string,
  source: { repo?: string; commit?: string },
): Record<string, string> {
  const labels: Record<string, string> = {
    "io.imagesmith.image": image.name,
    "io.imagesmith.recipe-hash": hash,
    "io.imagesmith.base-image": image.build?.baseImage ?? "",
    "org.opencontainers.image.title": image.displayName,
  };
  if (image.description) labels["org.opencontainers.image.description"] = image.description;
  if (source.repo) labels["org.opencontainers.image.source"] = source.repo;
  if (source.commit) labels["org.opencontainers.image.revision"] = source.commit;
  for (const manager of PACKAGE_ORDER) {
    const list = image.build?.packages[manager] ?? [];
    if (list.length > 0) labels[`io.imagesmith.packages.${manager}`] = JSON.stringify(list);
  }
  return labels;
}
