#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  RegistryError
} from "./chunk-BQA5KWHH.js";
import {
  formatImageReference
} from "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-XML4HPHG.js";

// src/registry/offline.ts
function offlineRegistry(ownRegistry) {
  const own = (ref) => ownRegistry !== void 0 && formatImageReference({
    ...ref,
    tag: void 0,
    digest: void 0
  }).startsWith(ownRegistry);
  const offline = (what) => new RegistryError(
    `offline: ${what} needs the registry (pin it by digest, or render without --offline)`,
    "unreachable"
  );
  return {
    requestCount: 0,
    async resolve(ref) {
      if (ref.digest) return { digest: ref.digest, mediaType: "", size: 0 };
      if (own(ref)) return void 0;
      throw offline(`the tag ${formatImageReference(ref)}`);
    },
    async imageConfig(ref) {
      throw new RegistryError(
        `offline: the config of ${formatImageReference(ref)} (the user it runs as) is not in the base cache; run imagesmith plan once with the registry, or render without --offline`,
        "unreachable"
      );
    },
    async tags(ref) {
      throw offline(`the tags of ${formatImageReference(ref)}`);
    },
    async catalog(host) {
      throw offline(`the repositories of ${host}`);
    },
    async getManifest(ref) {
      throw new RegistryError(`offline: ${formatImageReference(ref)} is not read`, "not-found");
    },
    async getBlob(repository) {
      throw new RegistryError(
        `offline: no blob of ${formatImageReference(repository)} is read`,
        "not-found"
      );
    },
    async pushBlob() {
      throw offline("a push");
    },
    async pushManifest() {
      throw offline("a push");
    },
    async referrers() {
      return void 0;
    }
  };
}
export {
  offlineRegistry
};
