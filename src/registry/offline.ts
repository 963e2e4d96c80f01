/**
 * A registry port for working offline (`render --offline`): it answers only what needs no
 * registry. A reference pinned by digest resolves to that digest, taken on trust; an image of the
 * catalog's own registry is "not there" (so its recipe renders as to be built); everything else,
 * a base named by tag above all, fails with a RegistryError that names it and says to pin it, or
 * to go online. Base configs come from the base config cache the plan already keeps, when it has
 * them; otherwise the base's user cannot be known, which the plan reports for that image.
 */
import { formatImageReference, type ImageReference } from "../grammars/image-ref.js";
import { type Registry, RegistryError } from "./types.js";

export function offlineRegistry(ownRegistry: string | undefined): Registry {
  const own = (ref: ImageReference): boolean =>
    ownRegistry !== undefined &&
    formatImageReference({
      ...ref,
      tag: undefined,
      digest: undefined,
    } as ImageReference).startsWith(ownRegistry);
  const offline = (what: string): RegistryError =>
    new RegistryError(
      `offline: ${what} needs the registry (pin it by digest, or render without --offline)`,
      "unreachable",
    );
  return {
    requestCount: 0,
    async resolve(ref) {
      if (ref.digest) return { digest: ref.digest, mediaType: "", size: 0 };
      if (own(ref)) return undefined;
      throw offline(`the tag ${formatImageReference(ref)}`);
    },
    async imageConfig(ref) {
      throw new RegistryError(
        `offline: the config of ${formatImageReference(ref)} (the user it runs as) is not in the base cache; run imagesmith plan once with the registry, or render without --offline`,
        "unreachable",
      );
    },
    async tags(ref) {
      throw offline(`the tags of ${formatImageReference(ref)}`);
    },
    async catalog(host) {
      throw offline(`the repositories of ${host}`);
    },
    async getManifest(ref) {
      // The published catalog: nothing to compare with offline, as if nothing were published.
      throw new RegistryError(`offline: ${formatImageReference(ref)} is not read`, "not-found");
    },
    async getBlob(repository) {
      throw new RegistryError(
        `offline: no blob of ${formatImageReference(repository)} is read`,
        "not-found",
      );
    },
    async pushBlob() {
      throw offline("a push");
    },
    async pushManifest() {
      throw offline("a push");
    },
    async referrers() {
      return undefined;
    },
  };
}
