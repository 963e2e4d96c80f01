// A published catalog of `count` images for the site's tests and benchmark: system and group
// images, cpu / gpu / universal, existing and built (one on another), ready, building, failed and
// cancelled, with sizes, package counts and SBOM digests, as a real publish records them.
import { createHash } from "node:crypto";

const GROUPS = ["research", "vision", "nlp", "platform"];
const hex = (seed) => createHash("sha256").update(String(seed)).digest("hex");

/** @param {number} count @param {{ registry?: string }} [options] */
export function siteCatalog(count, options = {}) {
  const registry = options.registry ?? "registry.acme.dev/ml";
  const images = [];
  for (let i = 0; i < count; i++) {
    const name =
      i === 0 ? "base-py" : i === 1 ? "torch-gpu" : `image-${String(i).padStart(4, "0")}`;
    const type = i === 1 ? "gpu" : i % 7 === 3 ? "universal" : i % 5 === 4 ? "gpu" : "cpu";
    const status =
      i === 2
        ? "failed"
        : i === 3
          ? "building"
          : i === 4
            ? "cancelled"
            : i % 97 === 50
              ? "failed"
              : "ready";
    const system = i % 6 !== 5;
    const groupName = system ? undefined : GROUPS[i % GROUPS.length];
    const global = i % 3 === 0;
    const groups = global
      ? []
      : [
          GROUPS[i % GROUPS.length],
          ...(i % 4 === 1 ? [GROUPS[(i + 1) % GROUPS.length]] : []),
        ].sort();
    const built = i < 5 || i % 4 !== 2;
    const digest = `sha256:${hex(`image-${i}`)}`;
    const recipeHash = hex(`recipe-${i}`).slice(0, 16);
    const url =
      status === "building" && i === 3
        ? undefined
        : built
          ? `${registry}/${name}@${digest}`
          : `docker.io/library/python@${digest}`;
    const image = {
      name,
      displayName: name,
      ...(i % 2 === 0
        ? { description: `Image ${i}: Python ${3 + (i % 3)}.1x with the team's tools` }
        : {}),
      type,
      ...(url
        ? {
            url,
            urlForGpu:
              type === "universal" && !built ? `docker.io/library/python-gpu@${digest}` : url,
          }
        : {}),
      global,
      groups,
      system,
      ...(groupName ? { groupName } : {}),
      status,
      ...(status === "failed"
        ? { message: "the last build failed: E: Unable to locate package nosuchpkg" }
        : {}),
      ...(built
        ? {}
        : {
            from: {
              url: "docker.io/library/python:3.12",
              ...(type === "universal" ? { urlForGpu: "docker.io/library/python-gpu:3.12" } : {}),
            },
          }),
    };
    if (built && url) {
      image.build = {
        baseImage:
          i === 0
            ? "docker.io/library/python:3.12-slim"
            : i % 10 === 1
              ? "image:base-py"
              : "docker.io/library/python:3.12-slim",
        baseDigest:
          i % 10 === 1 && i !== 1
            ? `recipe:${hex("recipe-0").slice(0, 16)}`
            : `sha256:${hex("base")}`,
        packages: {
          apt: ["git", "curl"],
          conda: [],
          pip: i % 2 ? ["numpy==2.0.1", "pandas>=2"] : ["requests"],
        },
        recipeHash,
        builtAt: "2026-11-30T10:00:00.000Z",
        logUrl: "https://github.com/acme/ml-images/actions/runs/4242",
        size: { compressed: 120_000_000 + i * 1000, unpacked: 380_000_000 + i * 3000 },
        installed: { apt: 110 + (i % 9), conda: 0, pip: 14 + (i % 5) },
        sbom: `sha256:${hex(`sbom-${i}`)}`,
      };
    }
    if (status !== "ready") {
      image.attempt = {
        status,
        recipeHash: hex(`attempt-${i}`).slice(0, 16),
        at: "2026-12-01T09:00:00.000Z",
        ...(status === "failed"
          ? { error: "build failed (exit 100): E: Unable to locate package nosuchpkg" }
          : {}),
        ...(status === "cancelled" ? { error: "the build was cancelled" } : {}),
        logUrl: "https://github.com/acme/ml-images/actions/runs/4243",
      };
    }
    images.push(image);
  }
  images.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    apiVersion: "imagesmith/v1",
    kind: "ImageCatalog",
    source: { repo: "https://github.com/acme/ml-images", commit: hex("commit").slice(0, 40) },
    generatedAt: "2026-12-01T09:30:00.000Z",
    images,
  };
}
