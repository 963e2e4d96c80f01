/** A published catalog of `count` images for the site's tests and benchmark (see site-catalog.mjs). */
export function siteCatalog(count: number, options?: { registry?: string }): unknown;
