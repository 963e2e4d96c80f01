/**
 * The catalog as a static site: plain HTML pages, one stylesheet and one small script, no server,
 * no framework, no request to anywhere else, so it works from file:// and from GitHub Pages alike.
 * Everything on it comes from the published catalog (plus, when they can be read, the served
 * images' SBOMs), never from a checkout's definitions: it shows what the platform serves.
 */
import styles from "../../templates/site/site.css?raw";
import script from "../../templates/site/site.js?raw";
import type { PublishedCatalog } from "../catalog/types.js";
import type { InstalledPackage } from "../inventory/index.js";
import { groupPage, groupsPage, imagePage, listPage, type SiteData } from "./pages.js";

export { NOT_READY, usableBy } from "./pages.js";

export interface SiteInput {
  catalog: PublishedCatalog;
  /** imagesmith.yaml's groups, when it lists them: each gets a page even when no image names it. */
  groups?: readonly string[];
  recipes?: Map<string, string>;
  installed?: Map<string, InstalledPackage[]>;
  from: string;
  now: Date;
}

/** Every file of the site, by its path below the site's folder (`/` separators). */
export function renderSite(input: SiteInput): Map<string, string> {
  const named = new Set<string>(input.groups ?? []);
  for (const image of input.catalog.images) for (const group of image.groups) named.add(group);
  const data: SiteData = {
    catalog: input.catalog,
    groups: [...named].sort(),
    recipes: input.recipes ?? new Map(),
    installed: input.installed ?? new Map(),
    from: input.from,
    generatedAt: input.now.toISOString(),
  };
  const files = new Map<string, string>([
    ["index.html", listPage(data)],
    ["groups/index.html", groupsPage(data)],
    ["assets/site.css", styles],
    ["assets/site.js", script],
    // GitHub Pages runs Jekyll on a site without it, which would hide nothing here but costs time.
    [".nojekyll", ""],
  ]);
  for (const group of data.groups) files.set(`groups/${group}.html`, groupPage(data, group));
  for (const image of input.catalog.images)
    files.set(`images/${image.name}.html`, imagePage(data, image));
  return files;
}
