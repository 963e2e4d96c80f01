/** Where a catalog's working files live: the published catalog, caches, rendered Dockerfiles, logs. */
export const WORK_DIR = ".imagesmith";
export const PUBLISHED_CATALOG = `${WORK_DIR}/catalog.json`;
export const LOG_DIR = `${WORK_DIR}/logs`;
