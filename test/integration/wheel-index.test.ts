/**
 * The PEP 503 wheel index (test/helpers/wheel-index.ts) on its own over HTTP, and with the real pip
 * of the Debian python base (test/helpers/debian-base.ts) inside a real `buildah build`: the wheels
 * install, and the index records what pip fetched.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/exec.js";
import { DEBIAN_CACHE_DIR, pythonBase } from "../helpers/debian-base.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";
import {
  crc32,
  type IndexedWheel,
  type IndexRequest,
  normalizeProjectName,
  startWheelIndex,
  tableCrc32,
  type WheelIndex,
} from "../helpers/wheel-index.js";

const SIZE = 2 * 1024 * 1024;
/** Kept between runs, like the Debian tarball beside it: the wheels are the same every time. */
const WHEEL_CACHE = join(DEBIAN_CACHE_DIR, "wheels");

let index: WheelIndex;
let workDir: string;
const wheels: Record<string, IndexedWheel> = {};

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "imagesmith-wheel-index-"));
  index = await startWheelIndex({ dir: WHEEL_CACHE });
  for (const [name, version] of [
    ["pkg-a", "1.0"],
    ["pkg-b", "2.0"],
    ["pkg-c", "3.0"],
  ] as const) {
    wheels[name] = await index.add(name, version, { sizeBytes: SIZE });
  }
});

afterAll(async () => {
  await index?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function wheel(name: string): IndexedWheel {
  const found = wheels[name];
  if (!found) throw new Error(`no wheel ${name} in this test file`);
  return found;
}

/** The wheel files the index sent in full: what pip downloaded. */
function downloads(requests: IndexRequest[]): string[] {
  return requests
    .filter((r) => r.method === "GET" && r.path.startsWith("/files/") && r.status === 200)
    .map((r) => r.path.slice("/files/".length))
    .sort();
}

describe("wheel index", () => {
  it("lists each project under its PEP 503 name, linking the wheel with its sha256", async () => {
    const a = wheel("pkg-a");

    const root = await (await fetch(`${index.url}/simple/`)).text();
    const page = await fetch(`${index.url}/simple/pkg-a/`);

    expect(root).toContain('<a href="pkg-a/">pkg-a</a>');
    expect(root).toContain('<a href="pkg-c/">pkg-c</a>');
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const onDisk = createHash("sha256")
      .update(await readFile(a.path))
      .digest("hex");
    expect(a).toMatchObject({ file: "pkg_a-1.0-py3-none-any.whl", sha256: onDisk });
    expect(await page.text()).toContain(
      `<a href="../../files/pkg_a-1.0-py3-none-any.whl#sha256=${onDisk}">pkg_a-1.0-py3-none-any.whl</a>`,
    );
  });

  it("sends a name that is not normalized, or lacks the slash, to the normalized page, as PyPI does", async () => {
    const redirects = await Promise.all(
      ["/simple/Pkg_A/", "/simple/PKG..a", "/simple/pkg-a", "/simple"].map(async (path) => {
        const response = await fetch(`${index.url}${path}`, { redirect: "manual" });
        return [response.status, response.headers.get("location")];
      }),
    );

    expect(redirects).toEqual([
      [301, "/simple/pkg-a/"],
      [301, "/simple/pkg-a/"],
      [301, "/simple/pkg-a/"],
      [301, "/simple/"],
    ]);
    expect(normalizeProjectName("Foo.Bar__baz-_-Qux")).toBe("foo-bar-baz-qux");
    expect((await fetch(`${index.url}/simple/nosuch/`)).status).toBe(404);
    expect((await fetch(`${index.url}/files/nosuch-1.0-py3-none-any.whl`)).status).toBe(404);
  });

  it("answers a wheel with PyPI's cache headers, and 304 to its ETag", async () => {
    const b = wheel("pkg-b");

    const file = await fetch(`${index.url}/files/${b.file}`);
    const body = Buffer.from(await file.arrayBuffer());
    const again = await fetch(`${index.url}/files/${b.file}`, {
      headers: { "If-None-Match": file.headers.get("etag") ?? "" },
    });
    const page = await fetch(`${index.url}/simple/pkg-b/`);
    const pageAgain = await fetch(`${index.url}/simple/pkg-b/`, {
      headers: { "If-None-Match": page.headers.get("etag") ?? "" },
    });

    expect(file.status).toBe(200);
    expect(Object.fromEntries(file.headers)).toMatchObject({
      "cache-control": "max-age=365000000, immutable, public",
      etag: `"${b.sha256}"`,
      "content-length": String(b.size),
      "content-type": "application/octet-stream",
    });
    expect(new Date(file.headers.get("last-modified") ?? "").getTime()).toBeGreaterThan(0);
    expect(createHash("sha256").update(body).digest("hex")).toBe(b.sha256);
    expect(body.length).toBeGreaterThan(SIZE);
    // Incompressible: the data file is not something deflate can shrink.
    expect(zlib.deflateRawSync(body).length).toBeGreaterThan(SIZE);
    expect(again.status).toBe(304);
    expect(page.headers.get("cache-control")).toBe("max-age=600, public");
    expect(page.headers.get("etag")).toMatch(/^"[0-9a-f]+"$/);
    expect(pageAgain.status).toBe(304);
  });

  it("records every request with its status and body bytes, until clear()", async () => {
    const c = wheel("pkg-c");
    index.clear();

    await (await fetch(`${index.url}/simple/pkg-c/`)).text();
    await (await fetch(`${index.url}/files/${c.file}`, { method: "HEAD" })).text();
    await (await fetch(`${index.url}/files/${c.file}`)).arrayBuffer();
    await (await fetch(`${index.url}/files/${c.file}`, { method: "DELETE" })).text();
    const seen = index.requests();
    index.clear();

    expect(seen).toEqual([
      { method: "GET", path: "/simple/pkg-c/", status: 200, bytes: expect.any(Number) as number },
      { method: "HEAD", path: `/files/${c.file}`, status: 200, bytes: 0 },
      { method: "GET", path: `/files/${c.file}`, status: 200, bytes: c.size },
      {
        method: "DELETE",
        path: `/files/${c.file}`,
        status: 405,
        bytes: expect.any(Number) as number,
      },
    ]);
    expect(downloads(seen)).toEqual([c.file]);
    expect(index.requests()).toEqual([]);
  });

  it("writes a wheel once under dir, reuses it on the next add, and makes the same bytes anywhere", async () => {
    const dir = join(workDir, "cache");
    const other = await startWheelIndex({ dir });
    try {
      const first = await other.add("Same_Wheel", "0.1", { sizeBytes: 1000 });
      const old = new Date("2020-01-01T00:00:00Z");
      await utimes(first.path, old, old);

      const second = await other.add("Same_Wheel", "0.1", { sizeBytes: 1000 });
      const bigger = await other.add("Same_Wheel", "0.1", { sizeBytes: 2000 });
      const elsewhere = await startWheelIndex({ dir: join(workDir, "elsewhere") });
      const copy = await elsewhere.add("Same_Wheel", "0.1", { sizeBytes: 1000 });
      await elsewhere.stop();

      expect(second.path).toBe(first.path);
      expect((await stat(second.path)).mtime).toEqual(old);
      expect(bigger.path).not.toBe(first.path);
      expect(bigger.size - first.size).toBe(1000);
      expect(copy.sha256).toBe(first.sha256);
      expect(first.file).toBe("same_wheel-0.1-py3-none-any.whl");
    } finally {
      await other.stop();
    }
  });

  it("refuses a name or version that cannot go into a wheel file name", async () => {
    await expect(index.add("-bad", "1.0")).rejects.toThrow('"-bad" is not a valid project name');
    await expect(index.add("ok", "1.0-2")).rejects.toThrow('"1.0-2" is not a version');
    await expect(index.add("ok", "1.0", { sizeBytes: -1 })).rejects.toThrow("sizeBytes");
  });

  it("paces file bodies at bytesPerSecond", async () => {
    const paced = await startWheelIndex({ dir: join(workDir, "paced"), bytesPerSecond: 1_000_000 });
    try {
      const slow = await paced.add("slow", "1.0", { sizeBytes: 1_000_000 });
      const started = performance.now();

      const body = Buffer.from(
        await (await fetch(`${paced.url}/files/${slow.file}`)).arrayBuffer(),
      );

      expect(performance.now() - started).toBeGreaterThan(950);
      expect(createHash("sha256").update(body).digest("hex")).toBe(slow.sha256);
    } finally {
      await paced.stop();
    }
  });

  it("computes zip's CRC-32 with the table as zlib does", () => {
    const data = randomBytes(100_000);

    const fromTable = tableCrc32(data);

    expect(tableCrc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(data)).toBe(fromTable);
    const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
    if (native) expect(native(data)).toBe(fromTable);
  });
});

describe("wheel index with pip in a buildah build", () => {
  let registry: TestRegistry;
  let base: string;
  /** Local image names this describe made, removed again at the end (the layers stay as cache). */
  const localRefs: string[] = [];
  /** A per-run value, so the RUN steps really run instead of coming from the layer cache. */
  const nonce = randomBytes(6).toString("hex");

  beforeAll(async () => {
    registry = await startRegistry();
    base = await pythonBase(registry.host);
  });

  afterAll(async () => {
    for (const ref of localRefs) await run("buildah", ["rmi", ref]).catch(() => undefined);
    if (base) await run("buildah", ["rmi", base]).catch(() => undefined);
    await registry?.stop();
  });

  function pipInstall(packages: string[], marker: string): string {
    return `RUN echo ${marker} && PIP_BREAK_SYSTEM_PACKAGES=1 pip install --index-url ${index.url}/simple --trusted-host ${index.host} ${packages.join(" ")}`;
  }

  /** `buildah build` of `dockerfile`, tagged and remembered for removal; resolves to its output. */
  async function build(name: string, dockerfile: string, volumes: string[] = []): Promise<string> {
    const context = join(workDir, name);
    await mkdir(context, { recursive: true });
    await writeFile(join(context, "Dockerfile"), dockerfile);
    const tag = `localhost/imagesmith-test/wheel-index-${name}:${nonce}`;
    localRefs.push(tag);
    const args = [
      "build",
      "--isolation",
      "chroot",
      "--layers",
      // A failed step leaves no working container on this machine.
      "--force-rm",
      "--tls-verify=false",
      ...volumes.flatMap((volume) => ["--volume", volume]),
      "-t",
      tag,
      context,
    ];
    try {
      return await run("buildah", args, { timeoutMs: 10 * 60_000 });
    } catch (error) {
      // buildah's chroot run now and then fails to seal the memfd copy of itself (EBUSY), before
      // the step's command starts: nothing was fetched, so once more is the same build.
      if (!/sealing memfd copy/.test(String(error))) throw error;
      return run("buildah", args, { timeoutMs: 10 * 60_000 });
    }
  }

  it("installs wheels from the index, which recorded the download of exactly those wheels", async () => {
    const dockerfile = [
      `FROM ${base}`,
      pipInstall(["pkg-a", "pkg-b"], `install-${nonce}`),
      `RUN python3 -c "import pkg_a, pkg_b; print('installed', pkg_a.VERSION, pkg_b.VERSION)"`,
      "",
    ].join("\n");
    index.clear();

    const output = await build("install", dockerfile);

    expect(output).toContain("installed 1.0 2.0");
    const seen = index.requests();
    expect(downloads(seen)).toEqual([wheel("pkg-a").file, wheel("pkg-b").file]);
    for (const name of ["pkg-a", "pkg-b"]) {
      const file = `/files/${wheel(name).file}`;
      expect(seen.find((r) => r.path === file && r.status === 200)?.bytes).toBe(wheel(name).size);
    }
    expect(seen.some((r) => r.path.includes("pkg-c") || r.path.includes("pkg_c"))).toBe(false);
  });

  it("lets pip's HTTP cache keep the wheels and revalidate the index pages with 304, as against PyPI", async () => {
    const cache = join(workDir, "pip-cache");
    await mkdir(cache, { recursive: true });
    const dockerfile = (round: string) =>
      `FROM ${base}\n${pipInstall(["pkg-a", "pkg-c"], `cache-${round}-${nonce}`)}\n`;
    index.clear();
    await build("cache-cold", dockerfile("cold"), [`${cache}:/root/.cache/pip`]);
    const cold = index.requests();
    index.clear();

    await build("cache-warm", dockerfile("warm"), [`${cache}:/root/.cache/pip`]);
    const warm = index.requests();

    expect(downloads(cold)).toEqual([wheel("pkg-a").file, wheel("pkg-c").file]);
    expect(warm.filter((r) => r.path.startsWith("/files/"))).toEqual([]);
    const pages = warm.filter((r) => r.path === "/simple/pkg-a/" || r.path === "/simple/pkg-c/");
    expect(pages.map((r) => [r.path, r.status]).sort()).toEqual([
      ["/simple/pkg-a/", 304],
      ["/simple/pkg-c/", 304],
    ]);
  });
});
