import { createHash } from "node:crypto";
import Handlebars from "handlebars";
import dockerfileTemplate from "../../../templates/Dockerfile.hbs?raw";
import labelsTemplate from "../../../templates/labels.hbs?raw";
import type { CatalogConfig, ImageDefinition, PackageManager } from "../../model.js";

/**
 * Bumped whenever the templates change what an image contains, so every recipe hash moves and
 * every image is rebuilt with the new recipe. Cosmetic template changes need not bump it.
 */
export const TEMPLATE_VERSION = "1";

/** Everything a Dockerfile is rendered from; plan gathers it, render only arranges it. */
export interface RenderInput {
  image: ImageDefinition;
  /** The FROM reference: pinned by digest for registry bases, the parent's tag for catalog bases. */
  from: string;
  /** The base's own user, restored after installing (undefined or root: nothing to restore). */
  baseUser?: string;
  config: Pick<CatalogConfig, "pip" | "conda">;
}

/** How each package manager is run: a fixed script, with the packages as its positional arguments. */
const LAYERS: Record<PackageManager, { tool: string; argv: string[] }> = {
  apt: {
    tool: "apt-get",
    argv: [
      "/bin/sh",
      "-c",
      'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends -- "$@" && apt-get clean && rm -rf /var/lib/apt/lists/*',
      "apt-get",
    ],
  },
  conda: {
    tool: "conda",
    argv: [
      "/bin/sh",
      "-c",
      'conda install --yes --quiet -- "$@" && conda clean --all --force-pkgs-dirs --yes',
      "conda",
    ],
  },
  pip: {
    tool: "pip",
    argv: ["/bin/sh", "-c", 'pip install --no-cache-dir -- "$@"', "pip"],
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
  if (usesPip && config.pip.indexUrl)
    args.push({ name: "PIP_INDEX_URL", value: config.pip.indexUrl });
  if (usesPip && config.pip.extraIndexUrls.length > 0) {
    args.push({ name: "PIP_EXTRA_INDEX_URL", value: config.pip.extraIndexUrls.join(" ") });
  }
  if (usesPip && config.pip.trustedHosts.length > 0) {
    args.push({ name: "PIP_TRUSTED_HOST", value: config.pip.trustedHosts.join(" ") });
  }
  if (usesPip && config.pip.breakSystemPackages)
    args.push({ name: "PIP_BREAK_SYSTEM_PACKAGES", value: "1" });
  if (usesConda && config.conda.channelAlias)
    args.push({ name: "CONDA_CHANNEL_ALIAS", value: config.conda.channelAlias });

  const layers = PACKAGE_ORDER.filter((manager) => build.packages[manager].length > 0).map(
    (manager) => ({
      manager,
      tool: LAYERS[manager].tool,
      head: LAYERS[manager].argv.map((arg) => JSON.stringify(arg)).join(", "),
      packages: packageArguments(manager, build.packages[manager]).map((arg) =>
        JSON.stringify(arg),
      ),
    }),
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

/**
 * What each package entry becomes on the command line. Conda's "-c channel::spec" form (the old
 * admin screen's documented example) is handed over as "channel::spec", which conda reads itself.
 */
function packageArguments(manager: PackageManager, packages: string[]): string[] {
  if (manager !== "conda") return packages;
  return packages.map((entry) => entry.replace(/^(?:-c|--channel)\s+/, ""));
}

/** The recipe hash: the image's tag. Covers the recipe, the base's digest, the platform and the template version. */
export function recipeHash(recipe: string, baseDigest: string, platform: string): string {
  return createHash("sha256")
    .update(JSON.stringify({ template: TEMPLATE_VERSION, recipe, baseDigest, platform }))
    .digest("hex")
    .slice(0, 16);
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
