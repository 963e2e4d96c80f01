import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import type { PublishedBuild, PublishedCatalog, PublishedImage } from "./index.js";
import {
  catalogSchema,
  PublishError,
  readCatalogFile,
  serializeCatalog,
  validateCatalogDocument,
  writeCatalogFile,
} from "./index.js";

const DIGEST = `sha256:${"a".repeat(64)}`;
const URL = `registry.acme/images/tools@${DIGEST}`;

const BUILD: PublishedBuild = {
  baseImage: "debian:bookworm",
  baseDigest: `sha256:${"b".repeat(64)}`,
  packages: { apt: ["git"], conda: [], pip: [] },
  recipeHash: "0123456789abcdef",
  builtAt: "2024-07-01T12:00:00.000Z",
  log: ".imagesmith/logs/tools.log",
};

function image(extra: Partial<PublishedImage> = {}): PublishedImage {
  return {
    name: "tools",
    displayName: "tools",
    type: "cpu",
    url: URL,
    urlForGpu: URL,
    pullSecret: "our-registry",
    global: true,
    groups: [],
    system: true,
    status: "ready",
    build: BUILD,
    ...extra,
  };
}

function catalog(images: PublishedImage[] = [image()]): PublishedCatalog {
  return {
    apiVersion: "imagesmith/v1",
    kind: "ImageCatalog",
    source: {
      repo: "https://github.com/acme/images",
      commit: "0123456789abcdef0123456789abcdef01234567",
    },
    generatedAt: "2024-07-01T12:00:00.000Z",
    images,
  };
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "imagesmith-publish-"));
  dirs.push(dir);
  return dir;
}

describe("catalog schema", () => {
  it("is valid JSON Schema 2020-12 and compiles in strict mode", () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });

    expect(ajv.validateSchema(catalogSchema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(catalogSchema)).not.toThrow();
  });

  it.each([
    ["a ready built image", catalog()],
    [
      "an empty catalog without source details",
      { apiVersion: "imagesmith/v1", kind: "ImageCatalog", source: {}, images: [] },
    ],
    [
      "a first build under way, with no url",
      catalog([image({ status: "building", url: undefined, urlForGpu: undefined })]),
    ],
    [
      "a group image",
      catalog([image({ system: false, groupName: "ml-team", groups: ["ml-team"] })]),
    ],
    [
      "a universal image with its own GPU url",
      catalog([
        image({
          type: "universal",
          urlForGpu: `docker.io/pytorch/pytorch@sha256:${"c".repeat(64)}`,
        }),
      ]),
    ],
    [
      "a base from the catalog",
      catalog([image({ build: { ...BUILD, baseDigest: "recipe:0123456789abcdef" } })]),
    ],
  ])("accepts %s", (_name, data) => {
    expect(validateCatalogDocument(JSON.parse(JSON.stringify(data)))).toEqual([]);
  });

  it.each([
    [
      "a url with a tag and no digest",
      image({ url: "registry.acme/images/tools:1.0", urlForGpu: "registry.acme/images/tools:1.0" }),
      /\/images\/0\/url: .* is not a fully qualified image reference pinned by digest/,
    ],
    [
      "a pinned url that keeps its tag",
      image({
        url: `registry.acme/images/tools:1.0@${DIGEST}`,
        urlForGpu: `registry.acme/images/tools:1.0@${DIGEST}`,
      }),
      /\/images\/0\/url/,
    ],
    [
      "a short name",
      image({ url: `python@${DIGEST}`, urlForGpu: `python@${DIGEST}` }),
      /\/images\/0\/url/,
    ],
    [
      "a ready image without url",
      image({ url: undefined, urlForGpu: undefined }),
      /a ready image needs url/,
    ],
    ["url without urlForGpu", image({ urlForGpu: undefined }), /url and urlForGpu go together/],
    [
      "a cpu image with another GPU url",
      image({ urlForGpu: `registry.acme/images/other@${DIGEST}` }),
      /urlForGpu must equal url/,
    ],
    [
      "a group image without groupName",
      image({ system: false }),
      /a group image \(system: false\) needs groupName/,
    ],
    [
      "a system image with a groupName",
      image({ groupName: "ml-team" }),
      /a system image has no groupName/,
    ],
    [
      "an unknown status",
      image({ status: "pending" as never }),
      /\/images\/0\/status: "pending" is not one of "building", "ready", "failed", "cancelled"/,
    ],
    ["PrimeHub's type both", image({ type: "both" as never }), /\/images\/0\/type/],
    ["an unknown field", { ...image(), imageSpec: {} }, /unknown field "imageSpec"/],
    [
      "a pull secret that is not a Kubernetes name",
      image({ pullSecret: "My_Secret" }),
      /\/images\/0\/pullSecret/,
    ],
    [
      "an absolute log path",
      image({ build: { ...BUILD, log: "/home/runner/work/x.log" } }),
      /\/images\/0\/build\/log/,
    ],
    [
      "a log path leaving the catalog",
      image({ build: { ...BUILD, log: "../x.log" } }),
      /\/images\/0\/build\/log/,
    ],
    [
      "a build time that is not RFC 3339",
      image({ build: { ...BUILD, builtAt: "yesterday" } }),
      /\/images\/0\/build\/builtAt/,
    ],
  ])("rejects %s", (_name, entry, message) => {
    const problems = validateCatalogDocument(
      JSON.parse(JSON.stringify(catalog([entry as PublishedImage]))),
    );

    expect(problems.join("\n")).toMatch(message);
  });

  it.each([
    [
      "another apiVersion",
      { ...catalog(), apiVersion: "imagesmith/v2" },
      /\/apiVersion: must be "imagesmith\/v1"/,
    ],
    [
      "no images",
      { apiVersion: "imagesmith/v1", kind: "ImageCatalog", source: {} },
      /images is required/,
    ],
    [
      "two images of one name",
      catalog([image(), image()]),
      /\/images\/1\/name: "tools" appears twice/,
    ],
  ])("rejects a catalog with %s", (_name, data, message) => {
    expect(validateCatalogDocument(data).join("\n")).toMatch(message);
  });
});

describe("writeCatalogFile", () => {
  it("writes 2-space JSON with a final newline, leaving no temp file behind", async () => {
    const dir = await scratch();
    const path = join(dir, ".imagesmith", "catalog.json");

    await writeCatalogFile(path, catalog());

    const text = await readFile(path, "utf8");
    expect(text).toBe(serializeCatalog(catalog()));
    expect(text).toMatch(/^\{\n {2}"apiVersion": "imagesmith\/v1",\n/);
    expect(text.endsWith("}\n")).toBe(true);
    expect(await readdir(join(dir, ".imagesmith"))).toEqual(["catalog.json"]);
  });

  it("replaces the file whole: a reader never sees a partial catalog while it is rewritten", async () => {
    const dir = await scratch();
    const path = join(dir, "catalog.json");
    const big = (n: number): PublishedCatalog =>
      catalog(
        Array.from({ length: 400 }, (_, i) =>
          image({ name: `image-${n}-${String(i).padStart(4, "0")}`, description: "x".repeat(200) }),
        ),
      );
    await writeCatalogFile(path, big(0));
    let reading = true;
    const seen: string[] = [];
    const reader = (async () => {
      while (reading) {
        const text = await readFile(path, "utf8");
        // Every read parses and is one of the catalogs written, whole.
        seen.push((JSON.parse(text) as PublishedCatalog).images[0]?.name ?? "");
      }
    })();

    for (let n = 1; n <= 12; n++) await writeCatalogFile(path, big(n));
    reading = false;
    await reader;

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((name) => /^image-\d+-0000$/.test(name))).toBe(true);
    expect(await readdir(dir)).toEqual(["catalog.json"]);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual(JSON.parse(serializeCatalog(big(12))));
  });

  it("refuses an invalid catalog and leaves the file there untouched", async () => {
    const dir = await scratch();
    const path = join(dir, "catalog.json");
    await writeCatalogFile(path, catalog());
    const invalid = catalog([
      image({
        url: "registry.acme/images/tools:latest",
        urlForGpu: "registry.acme/images/tools:latest",
      }),
    ]);

    const error = await writeCatalogFile(path, invalid).then(
      () => undefined,
      (reason: unknown) => reason,
    );

    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).code).toBe("invalid-catalog");
    expect((error as Error).message).toContain(`not writing ${path}`);
    expect(await readFile(path, "utf8")).toBe(serializeCatalog(catalog()));
    expect(await readdir(dir)).toEqual(["catalog.json"]);
  });
});

describe("readCatalogFile", () => {
  it("reads back what writeCatalogFile wrote", async () => {
    const path = join(await scratch(), "catalog.json");
    await writeCatalogFile(path, catalog());

    const read = await readCatalogFile(path);

    expect(read).toEqual(catalog());
  });

  it("resolves to undefined when there is no catalog yet", async () => {
    const read = await readCatalogFile(join(await scratch(), "catalog.json"));

    expect(read).toBeUndefined();
  });

  it.each([
    ["is not JSON", "{ not json", /the catalog .*catalog\.json is not JSON/],
    [
      "does not match the schema",
      JSON.stringify({ ...catalog(), kind: "Catalog" }),
      /the catalog .*catalog\.json does not match schemas\/catalog\.schema\.json.*\n.*\/kind: must be "ImageCatalog"/,
    ],
  ])("names the file when it %s", async (_name, text, message) => {
    const path = join(await scratch(), "catalog.json");
    await writeFile(path, text);

    const error = await readCatalogFile(path).then(
      () => undefined,
      (reason: unknown) => reason,
    );

    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
  });
});
