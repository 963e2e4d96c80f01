import { describe, expect, it } from "vitest";
import { siteCatalog } from "../../scripts/site-catalog.mjs";
import type { PublishedCatalog, PublishedImage } from "../catalog/types.js";
import { defaultConfig } from "../model.js";
import { planRecipe, servedRecipe } from "../stages/plan/recipe.js";
import { renderSite, usableBy } from "./index.js";

const now = new Date("2026-12-01T12:00:00Z");

function catalogOf(count: number): PublishedCatalog {
  return siteCatalog(count) as PublishedCatalog;
}

describe("renderSite", () => {
  it("makes the list, a page per group (the configured ones too) and per image, and the two assets", () => {
    const catalog = catalogOf(12);
    const files = renderSite({ catalog, groups: ["unused"], from: "catalog.json", now });

    const groups = [...new Set(catalog.images.flatMap((image) => image.groups)), "unused"].sort();
    expect([...files.keys()].sort()).toEqual(
      [
        ".nojekyll",
        "assets/site.css",
        "assets/site.js",
        "groups/index.html",
        "index.html",
        ...groups.map((group) => `groups/${group}.html`),
        ...catalog.images.map((image) => `images/${image.name}.html`),
      ].sort(),
    );
    expect(files.get("groups/unused.html")).toContain("global");
  });

  it("links only to its own files: no request leaves the site", () => {
    const files = renderSite({ catalog: catalogOf(12), from: "catalog.json", now });
    for (const [path, html] of files) {
      if (!path.endsWith(".html")) continue;
      for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
        if (url?.startsWith("https://github.com/acme/ml-images/actions/")) continue; // log links
        expect(url, `${path}: ${url}`).toMatch(
          /^(?:\.\.\/)?[a-z0-9/._-]+\.(?:html|css|js)$|^#main$/,
        );
      }
    }
  });

  it("escapes the catalog's text in content and in attributes", () => {
    const catalog = catalogOf(3);
    const image = catalog.images[0] as PublishedImage;
    image.displayName = "x";
    image.description = `"><script>alert(1)</script>&`;
    const files = renderSite({ catalog, from: "<from>", now });
    const list = files.get("index.html") ?? "";

    expect(list).not.toContain("<script>alert");
    expect(list).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&amp;");
    expect(list).toContain(`data-text="${image.name} x &quot;&gt;&lt;script&gt;`);
    expect(list).toContain("<code>&lt;from&gt;</code>");
  });

  it("marks each image that is not ready with a label saying why", () => {
    const files = renderSite({ catalog: catalogOf(6), from: "c", now });
    const list = files.get("index.html") ?? "";
    expect(list.match(/aria-label="not ready: [a-z ]+"/g)).toEqual([
      'aria-label="not ready: last build failed"',
      'aria-label="not ready: building"',
      'aria-label="not ready: last build cancelled"',
    ]);
  });
});

describe("usableBy", () => {
  it("is the global images and those that name the group", () => {
    const catalog = catalogOf(20);
    for (const image of usableBy(catalog, "vision"))
      expect(image.global || image.groups.includes("vision")).toBe(true);
    expect(usableBy(catalog, "vision").length).toBe(
      catalog.images.filter((i) => i.global || i.groups.includes("vision")).length,
    );
  });
});

describe("servedRecipe", () => {
  const config = { ...defaultConfig(), registry: "registry.acme.dev/ml" };
  const digest = `sha256:${"ab".repeat(32)}`;
  const definition = {
    name: "ds",
    displayName: "ds",
    type: "gpu" as const,
    global: true,
    groups: [],
    file: "images/ds.yaml",
    system: true,
    build: {
      baseImage: "docker.io/library/python:3.12",
      packages: { apt: ["git"], conda: [], pip: ["numpy==2.0.1"] },
      tests: ["python -c 'import numpy'"],
    },
  };
  const recipe = planRecipe(
    definition,
    { from: `docker.io/library/python@${digest}`, digest, user: "jovyan" },
    config,
    {},
  );
  const published: PublishedImage = {
    name: "ds",
    displayName: "ds",
    type: "gpu",
    global: true,
    groups: [],
    system: true,
    status: "ready",
    url: `registry.acme.dev/ml/ds@${digest}`,
    urlForGpu: `registry.acme.dev/ml/ds@${digest}`,
    build: {
      baseImage: "docker.io/library/python:3.12",
      baseDigest: digest,
      packages: definition.build.packages,
      baseUser: "jovyan",
      tests: definition.build.tests,
      recipeHash: recipe.hash,
    },
  };

  it("renders the served recipe again from the build record, exactly", () => {
    expect(servedRecipe(published, config)).toBe(recipe.recipe);
  });

  it("shows nothing rather than a recipe that is not the one built", () => {
    const build = published.build as NonNullable<PublishedImage["build"]>;
    for (const changed of [
      { ...published, build: { ...build, baseUser: undefined } },
      { ...published, build: { ...build, tests: undefined } },
      { ...published, type: "cpu" as const },
      { ...published, build: { ...build, packages: { ...build.packages, apt: ["vim"] } } },
    ])
      expect(servedRecipe(changed as PublishedImage, config)).toBeUndefined();
    expect(servedRecipe(published, { ...config, platform: "linux/arm64" })).toBeUndefined();
  });
});
