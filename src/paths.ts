/** Where a catalog's working files live: the published catalog, caches, rendered Dockerfiles, logs. */
export const WORK_DIR = ".imagesmith";
export const PUBLISHED_CATALOG = `${WORK_DIR}/catalog.json`;
export const LOG_DIR = `${WORK_DIR}/logs`;
/**
 * Under the cache folder (`~/.cache/imagesmith`, outside the checkout): the package managers'
 * download caches that builds mount (apt, pip, conda). CI saves and restores it (actions/cache).
 */
export const PACKAGE_CACHE_DIR = "packages";
