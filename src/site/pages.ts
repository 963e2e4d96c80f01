/**
 * The pages of the catalog site: the list (every image, with search and filters), one page per
 * group (what that group may use), and one page per image (how to pull it, who may, what it is
 * built from and what it has installed, its build history).
 */
import type { ImageStatus, PublishedCatalog, PublishedImage } from "../catalog/types.js";
import type { InstalledPackage } from "../inventory/index.js";
import { referrersTag } from "../sbom/referrers.js";
import { formatBytes } from "../verify/index.js";
import { attr, page, text } from "./html.js";

/** What a marker says to a screen reader, as the old screen's warning triangle said to the eye. */
export const NOT_READY: Record<Exclude<ImageStatus, "ready">, string> = {
  building: "not ready: building",
  failed: "not ready: last build failed",
  cancelled: "not ready: last build cancelled",
};

export interface SiteData {
  catalog: PublishedCatalog;
  /** The groups with a page: imagesmith.yaml's, else every group an image names. */
  groups: string[];
  /** Served recipes by image name, when they could be rendered again exactly. */
  recipes: Map<string, string>;
  /** Installed packages by image name, from the served images' SBOMs, when they were read. */
  installed: Map<string, InstalledPackage[]>;
  /** Where the catalog was read from, for the footer. */
  from: string;
  generatedAt: string;
}

function footer(data: SiteData): string {
  const { source } = data.catalog;
  const commit = source.commit ? ` at commit <code>${text(source.commit.slice(0, 12))}</code>` : "";
  const published = data.catalog.generatedAt
    ? `, published ${text(data.catalog.generatedAt.slice(0, 16).replace("T", " "))} UTC`
    : "";
  return `The catalog from <code>${text(data.from)}</code>${commit}${published}. Made by imagesmith on ${text(data.generatedAt.slice(0, 16).replace("T", " "))} UTC.`;
}

function marker(image: PublishedImage): string {
  if (image.status === "ready") return "";
  const label = NOT_READY[image.status];
  return `<span class="marker" role="img" aria-label="${attr(label)}" title="${attr(label)}">⚠</span>`;
}

function statusText(image: PublishedImage): string {
  if (image.status === "ready") return "ready";
  return image.url ? `${image.status} (serving the last good build)` : image.status;
}

function access(image: PublishedImage, up: string): string {
  if (image.global) return "Everyone";
  if (image.groups.length === 0) return "Nobody";
  return image.groups
    .map((group) => `<a href="${up}groups/${attr(group)}.html">${text(group)}</a>`)
    .join(", ");
}

function scope(image: PublishedImage): string {
  return image.system ? "System" : `Group: ${text(image.groupName ?? "")}`;
}

function builtOn(image: PublishedImage): string {
  return image.build?.builtAt?.slice(0, 10) ?? "";
}

function size(image: PublishedImage): string {
  const bytes = image.build?.size?.compressed ?? image.build?.size?.unpacked;
  return bytes === undefined ? "" : formatBytes(bytes);
}

/** One row of a list: its data attributes are what the filters read. */
function row(image: PublishedImage, up: string): string {
  const search = [image.name, image.displayName, image.description ?? ""].join(" ").toLowerCase();
  return `<tr data-text="${attr(search)}" data-groups="${attr(image.groups.join(" "))}" data-global="${image.global}" data-type="${image.type}" data-status="${image.status}" data-scope="${image.system ? "system" : "group"}">
<td><a href="${up}images/${attr(image.name)}.html">${text(image.displayName)}</a>${marker(image)}${image.description ? `<div class="desc">${text(image.description)}</div>` : ""}</td>
<td>${image.type}</td><td>${scope(image)}</td><td>${access(image, up)}</td><td>${statusText(image)}</td><td class="nowrap">${size(image)}</td><td class="nowrap">${builtOn(image)}</td>
</tr>`;
}

function table(images: readonly PublishedImage[], caption: string, up: string): string {
  return `<table id="images">
<caption>${text(caption)}</caption>
<thead><tr><th scope="col">Image</th><th scope="col">Type</th><th scope="col">Scope</th><th scope="col">Who may use it</th><th scope="col">Status</th><th scope="col">Size</th><th scope="col">Built</th></tr></thead>
<tbody>
${images.map((image) => row(image, up)).join("\n")}
</tbody>
</table>`;
}

function select(id: string, label: string, options: [string, string][]): string {
  return `<span class="field"><label for="${id}">${text(label)}</label><select id="${id}">${options
    .map(([value, name]) => `<option value="${attr(value)}">${text(name)}</option>`)
    .join("")}</select></span>`;
}

/** index.html: every image, searchable and filtered by group, type, status and scope. */
export function listPage(data: SiteData): string {
  const { images } = data.catalog;
  const notReady = images.filter((image) => image.status !== "ready").length;
  const body = `<h1>Images</h1>
<p>${images.length} images${notReady > 0 ? `, ${notReady} not ready` : ""}. An image marked ⚠ is not ready: do not pick it until it is.</p>
<form class="filters" role="search" aria-label="Filter images">
<span class="field"><label for="search">Search</label><input type="search" id="search" placeholder="name, description or group" autocomplete="off"></span>
${select("group", "Group", [["", "All groups"], ...data.groups.map((g): [string, string] => [g, g])])}
${select("type", "Type", [
  ["", "All types"],
  ["cpu", "cpu"],
  ["gpu", "gpu"],
  ["universal", "universal"],
])}
${select("status", "Status", [
  ["", "Any status"],
  ["ready", "ready"],
  ["not-ready", "not ready"],
  ["building", "building"],
  ["failed", "failed"],
  ["cancelled", "cancelled"],
])}
${select("scope", "Scope", [
  ["", "System and group"],
  ["system", "System"],
  ["group", "Group"],
])}
</form>
<p id="count" aria-live="polite">${images.length} of ${images.length} images shown</p>
${table(images, "Every image of the catalog", "")}`;
  return page({ title: "Image catalog", up: "", body, footer: footer(data) });
}

/** groups/index.html: the groups, each with how many images it may use. */
export function groupsPage(data: SiteData): string {
  const items = data.groups.map((group) => {
    const count = usableBy(data.catalog, group).length;
    return `<li><a href="${attr(group)}.html">${text(group)}</a>: ${count} image${count === 1 ? "" : "s"}</li>`;
  });
  const body = `<h1>Groups</h1>
${items.length > 0 ? `<ul class="groups">${items.join("\n")}</ul>` : "<p>No group is named in the catalog.</p>"}`;
  return page({ title: "Groups — image catalog", up: "../", body, footer: footer(data) });
}

/** The images a group may use: the global ones and those that name it. */
export function usableBy(catalog: PublishedCatalog, group: string): PublishedImage[] {
  return catalog.images.filter((image) => image.global || image.groups.includes(group));
}

/** groups/<group>.html: what group X can use. */
export function groupPage(data: SiteData, group: string): string {
  const images = usableBy(data.catalog, group);
  const body = `<h1>What ${text(group)} can use</h1>
<p>${images.length} image${images.length === 1 ? "" : "s"}: the ones every group may use, and those given to ${text(group)}.</p>
${table(images, `Images group ${group} may use`, "../")}`;
  return page({ title: `${group} — image catalog`, up: "../", body, footer: footer(data) });
}

function copyable(id: string, label: string, value: string): string {
  return `<div class="pull"><span class="pull-label" id="${id}-label">${text(label)}</span><code id="${id}">${text(value)}</code><button type="button" data-copy="${id}" aria-describedby="${id}-label">Copy</button></div>`;
}

function packageLists(lists: { apt: string[]; conda: string[]; pip: string[] }): string {
  const parts = (["apt", "conda", "pip"] as const)
    .filter((manager) => lists[manager].length > 0)
    .map(
      (manager) =>
        `<dt>${manager}</dt><dd>${lists[manager].map((entry) => `<code>${text(entry)}</code>`).join(" ")}</dd>`,
    );
  return parts.length > 0 ? `<dl class="packages">${parts.join("")}</dl>` : "<p>No packages.</p>";
}

function installedSection(
  image: PublishedImage,
  installed: InstalledPackage[] | undefined,
): string {
  const counts = image.build?.installed;
  if (!counts && !installed) return "";
  const summary = counts
    ? `${counts.apt} apt, ${counts.pip} pip and ${counts.conda} conda packages installed`
    : `${installed?.length ?? 0} packages installed`;
  if (!installed || installed.length === 0) return `<h3>As installed</h3><p>${summary}.</p>`;
  const rows = installed
    .map(
      (pkg) =>
        `<tr><td>${pkg.manager}</td><td>${text(pkg.name)}</td><td>${text(pkg.version)}</td></tr>`,
    )
    .join("\n");
  return `<h3>As installed</h3>
<details><summary>${summary}</summary>
<table class="installed"><caption>Installed packages, from the image's SBOM</caption><thead><tr><th scope="col">Manager</th><th scope="col">Package</th><th scope="col">Version</th></tr></thead><tbody>
${rows}
</tbody></table></details>`;
}

function logLink(record: { log?: string; logUrl?: string }): string {
  if (record.logUrl) return ` <a href="${attr(record.logUrl)}">build log</a>`;
  if (record.log) return ` log: <code>${text(record.log)}</code>`;
  return "";
}

function historySection(image: PublishedImage): string {
  const items: string[] = [];
  const build = image.build;
  if (build) {
    items.push(
      `<li>Served: recipe <code>${text(build.recipeHash)}</code>${build.builtAt ? `, built ${text(build.builtAt.replace("T", " ").slice(0, 16))} UTC` : ""}.${logLink(build)}</li>`,
    );
  }
  const attempt = image.attempt;
  if (attempt) {
    items.push(
      `<li class="attempt">Last attempt: <strong>${attempt.status}</strong>, recipe <code>${text(attempt.recipeHash)}</code>, ${text(attempt.at.replace("T", " ").slice(0, 16))} UTC${attempt.error ? `: <span class="error">${text(attempt.error.split("\n")[0])}</span>` : ""}.${logLink(attempt)}</li>`,
    );
  }
  if (items.length === 0) return "";
  return `<h2>Build history</h2><ul class="history">${items.join("\n")}</ul>`;
}

/** images/<name>.html: one image. */
export function imagePage(data: SiteData, image: PublishedImage): string {
  const up = "../";
  const parts: string[] = [];
  parts.push(
    `<h1>${text(image.displayName)}${marker(image)}</h1>`,
    image.description ? `<p class="lead">${text(image.description)}</p>` : "",
    `<dl class="facts"><dt>Status</dt><dd>${statusText(image)}${image.message ? `: ${text(image.message)}` : ""}</dd><dt>Type</dt><dd>${image.type}</dd><dt>Scope</dt><dd>${scope(image)}</dd><dt>Who may use it</dt><dd>${access(image, up)}</dd>${size(image) ? `<dt>Size</dt><dd>${sizeDetail(image)}</dd>` : ""}</dl>`,
  );
  parts.push("<h2>Pull</h2>");
  if (image.url) {
    parts.push(copyable("url-cpu", image.type === "cpu" ? "Image" : "CPU", image.url));
    if (image.type !== "cpu" && image.urlForGpu)
      parts.push(copyable("url-gpu", "GPU", image.urlForGpu));
  } else parts.push("<p>Nothing to pull yet: it has never been built successfully.</p>");
  if (image.pullSecret)
    parts.push(`<p>Pulled with the secret <code>${text(image.pullSecret)}</code>.</p>`);

  if (image.from) {
    parts.push(
      "<h2>Source</h2>",
      `<p>An existing image: <code>${text(image.from.url)}</code>${image.from.urlForGpu ? `, for GPUs <code>${text(image.from.urlForGpu)}</code>` : ""}.</p>`,
    );
  }
  const build = image.build;
  if (build) {
    const parent = build.baseImage.startsWith("image:") ? build.baseImage.slice(6) : undefined;
    const base = parent
      ? `<a href="${attr(parent)}.html">${text(build.baseImage)}</a>`
      : `<code>${text(build.baseImage)}</code>`;
    parts.push(
      "<h2>Built from</h2>",
      `<p>Base: ${base}${build.baseDigest?.startsWith("sha256:") ? ` pinned to <code>${text(build.baseDigest)}</code>` : ""}${build.baseUser ? `, running as <code>${text(build.baseUser)}</code>` : ""}.</p>`,
      "<h3>As declared</h3>",
      packageLists(build.packages),
      installedSection(image, data.installed.get(image.name)),
    );
    if (build.tests?.length)
      parts.push(
        "<h3>Tests it passed</h3>",
        `<ul>${build.tests.map((test) => `<li><code>${text(test)}</code></li>`).join("")}</ul>`,
      );
    const recipe = data.recipes.get(image.name);
    if (recipe)
      parts.push(
        "<h2>Dockerfile</h2>",
        `<pre class="dockerfile" tabindex="0" aria-label="The Dockerfile of the served build"><code>${text(recipe)}</code></pre>`,
      );
    if (build.sbom && image.url) {
      const repository = image.url.slice(0, image.url.indexOf("@"));
      const digest = image.url.slice(image.url.indexOf("@") + 1);
      parts.push(
        "<h2>SBOM</h2>",
        `<p>A CycloneDX SBOM <code>${text(build.sbom)}</code> is attached to the image in its registry: its referrers, or the tag <code>${text(`${repository}:${referrersTag(digest)}`)}</code>.</p>`,
      );
    }
  }
  parts.push(historySection(image));
  return page({
    title: `${image.displayName} — image catalog`,
    up,
    body: parts.filter(Boolean).join("\n"),
    footer: footer(data),
  });
}

function sizeDetail(image: PublishedImage): string {
  const bytes = image.build?.size;
  if (!bytes) return "";
  const parts: string[] = [];
  if (bytes.compressed !== undefined) parts.push(`${formatBytes(bytes.compressed)} to pull`);
  if (bytes.unpacked !== undefined) parts.push(`${formatBytes(bytes.unpacked)} unpacked`);
  return parts.join(", ");
}
