/**
 * Rebuilds and the package download caches, as a user runs them (the bundled CLI): real buildah,
 * a real registry, real pip on a Debian python base installing wheels from a loopback index that
 * records what it serves, and real apt against the Debian archive. Each CLI gets a cache folder of
 * its own (XDG_CACHE_HOME), so the first build is as cold as on a fresh CI runner.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PublishedCatalog } from "../../src/catalog/index.js";
import { writeCatalog } from "../helpers/catalog.js";
import { imagesmith } from "../helpers/cli.js";
import { DEBIAN_CACHE_DIR, debianBase, pythonBase } from "../helpers/debian-base.js";
import { runIn } from "../helpers/processes.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";
import { startWheelIndex, type WheelIndex } from "../helpers/wheel-index.js";

const MB = 1024 * 1024;

let registry: TestRegistry;
let index: WheelIndex;
let python: string;
let debian: string;
let work: string;
/** A per-run name part: the wheels and layers of one run are never another run's. */
const run = Date.now().toString(36);

beforeAll(async () => {
  registry = await startRegistry();
  work = await mkdtemp(join(tmpdir(), "imagesmith-build-cache-"));
  index = await startWheelIndex({ dir: join(DEBIAN_CACHE_DIR, "wheels") });
  [python, debian] = await Promise.all([pythonBase(registry.host), debianBase(registry.host)]);
});

afterAll(async () => {
  await index?.stop();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function catalogFile(root: string): Promise<PublishedCatalog> {
  return JSON.parse(
    await readFile(join(root, ".imagesmith/catalog.json"), "utf8"),
  ) as PublishedCatalog;
}

function pipConfig(repository: string): string {
  return `registry: ${registry.host}/${repository}\ninsecureRegistries: [${registry.host}]\nlayerCache: false\npip:\n  indexUrl: ${index.url}/simple\n  trustedHosts: ['${index.host}']\n  breakSystemPackages: true\n`;
}

/** The wheel files the index answered 200 for since `clear()`. */
function filesServed(): string[] {
  return index
    .requests()
    .filter((r) => r.method === "GET" && r.path.includes("/files/") && r.status === 200)
    .map((r) => r.path.slice(r.path.lastIndexOf("/") + 1))
    .sort();
}

describe("rebuild means reinstall", () => {
  it("a forced rebuild installs the newer version of an unpinned package, and its child builds on it", async () => {
    const pkg = `fresh-${run}`;
    const module = pkg.replace(/-/g, "_");
    await index.add(pkg, "1.0", { sizeBytes: 64 * 1024 });
    const cache = join(work, "force-cache");
    const root = await writeCatalog({
      "imagesmith.yaml": pipConfig("force"),
      "images/py.yaml": `displayName: py\nbuild:\n  baseImage: ${python}\n  packages:\n    pip: [${pkg}]\nglobal: true\n`,
      "images/child.yaml": `displayName: child\nbuild:\n  baseImage: image:py\n  packages:\n    apt: [hello]\nglobal: true\n`,
    });
    const env = { XDG_CACHE_HOME: cache };
    const version = async (name: string) => {
      const url = (await catalogFile(root)).images.find((i) => i.name === name)?.url ?? "";
      return (
        await runIn(url, ["python3", "-c", `import ${module}; print(${module}.VERSION)`])
      ).trim();
    };

    const first = await imagesmith(["run", "--root", root], env);
    expect(first.code, first.err).toBe(0);
    expect(await version("py")).toBe("1.0");

    await index.add(pkg, "2.0", { sizeBytes: 64 * 1024 });
    const unforced = await imagesmith(["run", "--root", root], env);
    expect(unforced.code, unforced.err).toBe(0);
    expect(unforced.err).toContain("Nothing to build.");

    const forced = await imagesmith(["run", "--root", root, "--force", "py"], env);

    expect(forced.code, forced.err).toBe(0);
    expect(forced.err).toMatch(/Building 2 images: py \(forced\), child \(parent-rebuilt\)/);
    expect(await version("py")).toBe("2.0");
    expect(await version("child")).toBe("2.0");
  });
});

describe("package download caches", () => {
  it("a changed pip layer downloads only the new package; the cache stays out of the image", async () => {
    const names = Array.from({ length: 5 }, (_, i) => `cached-${run}-${i}`);
    for (const name of names) await index.add(name, "1.0", { sizeBytes: MB });
    const added = `cached-${run}-new`;
    await index.add(added, "1.0", { sizeBytes: MB });
    const cache = join(work, "pip-cache");
    const definition = (packages: string[]) =>
      `displayName: layer\nbuild:\n  baseImage: ${python}\n  packages:\n    pip: [${packages.join(", ")}]\nglobal: true\n`;
    const root = await writeCatalog({
      "imagesmith.yaml": pipConfig("pipcache"),
      "images/layer.yaml": definition(names),
    });

    index.clear();
    const cold = await imagesmith(["run", "--root", root], { XDG_CACHE_HOME: cache });
    expect(cold.code, cold.err).toBe(0);
    expect(filesServed()).toEqual(
      names.map((name) => `${name.replace(/-/g, "_")}-1.0-py3-none-any.whl`).sort(),
    );

    await writeFile(join(root, "images/layer.yaml"), definition([...names, added]));
    index.clear();
    const warm = await imagesmith(["run", "--root", root], { XDG_CACHE_HOME: cache });

    expect(warm.code, warm.err).toBe(0);
    expect(filesServed()).toEqual([`${added.replace(/-/g, "_")}-1.0-py3-none-any.whl`]);
    const url = (await catalogFile(root)).images[0]?.url ?? "";
    expect(await runIn(url, ["python3", "-c", `import ${added.replace(/-/g, "_")}`])).toBe("");
    // The mount point is all that is left of the cache in the image: an empty folder.
    expect(await runIn(url, ["sh", "-c", "find /var/cache/imagesmith -type f | wc -l"])).toBe(
      "0\n",
    );
    const kept = await readdir(join(cache, "imagesmith", "packages"));
    expect(kept).toContain("imagesmith-pip");
  });

  it("a changed apt layer fetches only the new package's files from the archive", async () => {
    const cache = join(work, "apt-cache");
    const definition = (packages: string[]) =>
      `displayName: tools\nbuild:\n  baseImage: ${debian}\n  packages:\n    apt: [${packages.join(", ")}]\nglobal: true\n`;
    const root = await writeCatalog({
      "imagesmith.yaml": `registry: ${registry.host}/aptcache\ninsecureRegistries: [${registry.host}]\nlayerCache: false\n`,
      "images/tools.yaml": definition(["hello"]),
    });
    // --force: the layer runs even when this machine's layer cache has it from an earlier run.
    const cold = await imagesmith(["run", "--root", root, "--force", "tools", "--verbose"], {
      XDG_CACHE_HOME: cache,
    });
    expect(cold.code, cold.err).toBe(0);
    expect(cold.err).toMatch(/\[tools\] Get:\d+ \S+ \S+ \S+ hello \S+ /);

    await writeFile(join(root, "images/tools.yaml"), definition(["hello", "bc"]));
    // --force again: the changed layer runs (it may be in this machine's layer cache too), with the
    // package cache the first run filled.
    const warm = await imagesmith(["run", "--root", root, "--force", "tools", "--verbose"], {
      XDG_CACHE_HOME: cache,
    });

    expect(warm.code, warm.err).toBe(0);
    // "Get:3 http://deb.debian.org/debian bookworm/main amd64 bc amd64 1.07.1-3+b1 [109 kB]"
    const fetched = warm.err.split("\n").filter((line) => /\] Get:\d+ /.test(line));
    expect(
      fetched.some((line) => / bc \S+ /.test(line)),
      warm.err,
    ).toBe(true);
    expect(fetched.filter((line) => / hello \S+ /.test(line))).toEqual([]);
    const url = (await catalogFile(root)).images[0]?.url ?? "";
    expect(await runIn(url, ["sh", "-c", "ls /var/cache/imagesmith/apt | wc -l"])).toBe("0\n");
  });
});
