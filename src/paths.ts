import { join } from "node:path";

/** Where a catalog's working files live: the published catalog, caches, rendered Dockerfiles, logs. */
export const WORK_DIR = ".imagesmith";
export const PUBLISHED_CATALOG = `${WORK_DIR}/catalog.json`;
export const LOG_DIR = `${WORK_DIR}/logs`;
/** Where `build` writes its result file, one per matrix unit, for `publish --results` to merge. */
export const RESULTS_DIR = `${WORK_DIR}/results`;

/** The result file of matrix unit `unit` (`build` when the job is not one): `<results>/<unit>.json`. */
export function resultFileFor(root: string, results: string | undefined, unit = "build"): string {
  return join(results ?? join(root, RESULTS_DIR), `${unit}.json`);
}
/**
 * Under the cache folder (`~/.cache/imagesmith`, outside the checkout): the package managers'
 * download caches that builds mount (apt, pip, conda). CI saves and restores it (actions/cache).
 */
export const PACKAGE_CACHE_DIR = "packages";
