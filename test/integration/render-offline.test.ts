/**
 * `render --offline` as a reviewer runs it on a machine with no registry: the bundled CLI renders
 * the images whose bases are pinned by digest and known to the base cache, children included, and
 * sends nothing anywhere (the registry named does not exist).
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeCatalog } from "../helpers/catalog.js";
import { imagesmith } from "../helpers/cli.js";

describe("render --offline", () => {
  it("renders pinned bases from the base cache, with their user restored, and their children", async () => {
    const digest = `sha256:${"cd".repeat(32)}`;
    const cache = await mkdtemp(join(tmpdir(), "imagesmith-offline-cache-"));
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(cache, "imagesmith"), { recursive: true });
    await writeFile(
      join(cache, "imagesmith/base-configs.json"),
      JSON.stringify({ [digest]: { user: "1000" } }),
    );
    const root = await writeCatalog({
      "imagesmith.yaml": "registry: registry.invalid/ml\n",
      "images/base.yaml": `displayName: base\nbuild:\n  baseImage: docker.io/library/python@${digest}\n  packages:\n    apt: [git]\nglobal: true\n`,
      "images/child.yaml":
        "displayName: child\nbuild:\n  baseImage: image:base\n  packages:\n    pip: [numpy]\nglobal: true\n",
    });

    const result = await imagesmith(
      ["render", "--root", root, "--offline", "--out", join(root, "out")],
      {
        XDG_CACHE_HOME: cache,
      },
    );

    expect(result.code, result.err).toBe(0);
    const base = await readFile(join(root, "out/base/Dockerfile"), "utf8");
    expect(base).toContain(`FROM docker.io/library/python@${digest}`);
    expect(base).toMatch(/^USER 1000$/m);
    const child = await readFile(join(root, "out/child/Dockerfile"), "utf8");
    expect(child).toMatch(/^FROM registry\.invalid\/ml\/base:[0-9a-f]{16}$/m);
  });
});
