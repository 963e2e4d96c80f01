import type { PublishedCatalog } from "../catalog/index.js";
import { renderTable } from "./table.js";

/** One row of `status`: the "build details" view of the old admin screen. */
export interface StatusRow {
  name: string;
  status: string;
  digest?: string;
  builtAt?: string;
  log?: string;
  url?: string;
}

export function statusRows(catalog: PublishedCatalog, _root: string): StatusRow[] {
  return catalog.images.map((image) => {
    const at = image.url?.lastIndexOf("@") ?? -1;
    const row: StatusRow = { name: image.name, status: image.status };
    if (image.url !== undefined && at >= 0) row.digest = image.url.slice(at + 1);
    if (image.url !== undefined) row.url = image.url;
    if (image.build?.builtAt) row.builtAt = image.build.builtAt;
    if (image.build?.log) row.log = image.build.log;
    return row;
  });
}

/** The catalog as a table: name, status, short digest, build time, log. */
export function formatStatus(catalog: PublishedCatalog, root: string): string {
  return renderTable(
    ["NAME", "STATUS", "DIGEST", "BUILT", "LOG"],
    statusRows(catalog, root).map((row) => [
      row.name,
      row.status,
      row.digest ? row.digest.slice(0, 19) : "-",
      row.builtAt ?? "-",
      row.log ?? "-",
    ]),
  );
}
