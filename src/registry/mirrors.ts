import type { ImageReference } from "../grammars/image-ref.js";

/** Names under which Docker Hub appears in configs; all mean the domain "docker.io". */
const DOCKER_HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/**
 * Rewrites a reference to be pulled from a mirror. `mirrors` maps a registry host, as in
 * `ImageReference.domain` ("docker.io", "quay.io", "localhost:5000"), to a mirror `HOST[:PORT]` or
 * `HOST[:PORT]/PREFIX`. The result's domain is the mirror host and its path `PREFIX/<original path>`
 * (docker.io's "library/" is kept: docker.io/library/ubuntu → mirror.local/hub/library/ubuntu);
 * tag and digest are unchanged. A reference whose host has no mirror is returned as is.
 */
export function applyMirror(ref: ImageReference, mirrors: Record<string, string>): ImageReference {
  const mirror = mirrorFor(ref.domain, mirrors);
  if (mirror === undefined) return ref;
  const { host, prefix } = splitMirror(ref.domain, mirror);
  const mirrored: ImageReference = {
    domain: host,
    path: prefix === "" ? ref.path : `${prefix}/${ref.path}`,
    implicitDomain: false,
  };
  if (ref.tag !== undefined) mirrored.tag = ref.tag;
  if (ref.digest !== undefined) mirrored.digest = ref.digest;
  return mirrored;
}

function mirrorFor(domain: string, mirrors: Record<string, string>): string | undefined {
  const exact = mirrors[domain];
  if (exact !== undefined) return exact;
  if (!DOCKER_HUB_ALIASES.has(domain)) return undefined;
  // A config may name Docker Hub by any of its host names; the parsed reference always says docker.io.
  for (const alias of DOCKER_HUB_ALIASES) {
    const mirror = mirrors[alias];
    if (mirror !== undefined) return mirror;
  }
  return undefined;
}

function splitMirror(domain: string, mirror: string): { host: string; prefix: string } {
  const trimmed = mirror
    .trim()
    .replace(/^[a-z]+:\/\//i, "")
    .replace(/\/+$/, "");
  const slash = trimmed.indexOf("/");
  const host = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const prefix = slash === -1 ? "" : trimmed.slice(slash + 1);
  // docker reads a first segment without ".", ":" (or "localhost") as a Docker Hub namespace, so
  // such a mirror would silently pull from Docker Hub once the reference is written out.
  const looksLikeHost = host === "localhost" || host.includes(".") || host.includes(":");
  if (!looksLikeHost || !/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?$/.test(host)) {
    throw new Error(
      `the mirror for ${domain}, "${mirror}", must be HOST[:PORT] or HOST[:PORT]/PREFIX (e.g. "mirror.example.com/dockerhub")`,
    );
  }
  if (
    prefix !== "" &&
    !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(
      prefix,
    )
  ) {
    throw new Error(
      `the mirror for ${domain}, "${mirror}": "${prefix}" is not a valid repository path prefix (lowercase letters, digits, "/", ".", "_", "-")`,
    );
  }
  return { host, prefix };
}
