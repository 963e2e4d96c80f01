/** The Debian base for build tests: one implementation, shared with the demo (scripts/debian-base.mjs). */
export {
  DEBIAN_CACHE_DIR,
  DEBIAN_TARBALL,
  debianBase,
  debianMirror,
  pythonBase,
} from "../../scripts/debian-base.mjs";
