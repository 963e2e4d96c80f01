import { describe, expect, it } from "vitest";
import { type ImageReference, parseImageReference } from "../grammars/image-ref.js";
import { applyMirror } from "./mirrors.js";

function ref(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if (!parsed.ok) throw new Error(`bad reference in test: ${text}`);
  return parsed.value;
}

describe("applyMirror", () => {
  it("puts a docker.io image under the mirror's prefix, keeping library/", () => {
    const mirrors = { "docker.io": "mirror.example.com:5000/dockerhub" };

    const mirrored = applyMirror(ref("ubuntu:22.04"), mirrors);

    expect(mirrored).toEqual({
      domain: "mirror.example.com:5000",
      path: "dockerhub/library/ubuntu",
      tag: "22.04",
      implicitDomain: false,
    });
  });

  it("keeps the digest and the full path of other registries", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const mirrors = { "quay.io": "mirror.local/quay" };

    const mirrored = applyMirror(ref(`quay.io/jupyter/base-notebook:2024@${digest}`), mirrors);

    expect(mirrored).toEqual({
      domain: "mirror.local",
      path: "quay/jupyter/base-notebook",
      tag: "2024",
      digest,
      implicitDomain: false,
    });
  });

  it("maps a host with a port, and a mirror without prefix", () => {
    const mirrors = { "localhost:5000": "cache.internal:8443" };

    const mirrored = applyMirror(ref("localhost:5000/team/app:1"), mirrors);

    expect(mirrored.domain).toBe("cache.internal:8443");
    expect(mirrored.path).toBe("team/app");
  });

  it("accepts Docker Hub keyed by any of its host names", () => {
    const mirrors = { "index.docker.io": "hub.mirror.local/hub/" };

    const mirrored = applyMirror(ref("docker.io/jupyter/base:1"), mirrors);

    expect(mirrored.domain).toBe("hub.mirror.local");
    expect(mirrored.path).toBe("hub/jupyter/base");
  });

  it("returns a reference whose host has no mirror unchanged", () => {
    const original = ref("ghcr.io/acme/app:1");

    const mirrored = applyMirror(original, { "docker.io": "mirror.local/hub" });

    expect(mirrored).toBe(original);
  });

  it("rejects a mirror whose host docker would read as a Docker Hub namespace", () => {
    const mirrors = { "docker.io": "mirror/hub" };

    expect(() => applyMirror(ref("ubuntu"), mirrors)).toThrow(
      'the mirror for docker.io, "mirror/hub", must be HOST[:PORT] or HOST[:PORT]/PREFIX',
    );
  });

  it("rejects a prefix that is not a repository path", () => {
    const mirrors = { "docker.io": "mirror.local/Hub_" };

    expect(() => applyMirror(ref("ubuntu"), mirrors)).toThrow("is not a valid repository path");
  });
});
