import { describe, expect, it } from "vitest";
import { type CatalogConfig, defaultConfig, type ImageDefinition } from "../../model.js";
import {
  pinReference,
  PublishError,
  type PublishedCatalog,
  type PublishedImage,
  serializeCatalog,
  validateCatalogDocument,
} from "../../catalog/index.js";
import { planOf } from "../../../test/helpers/plan.js";
import type { Plan, PlannedImage } from "../plan/index.js";
import { buildCatalog, type BuildCatalogInput, type ImageOutcome } from "./index.js";

const REGISTRY = "registry.acme/images";
const NOW = new Date("2024-07-01T12:00:00.000Z");
const COMMIT = "0123456789abcdef0123456789abcdef01234567";

/** A sha256 digest made of one repeated hex character: easy to tell apart in failures. */
function digest(char: string): string {
  return `sha256:${char.repeat(64)}`;
}

function config(): CatalogConfig {
  return { ...defaultConfig(), registry: REGISTRY, pullSecret: "our-registry" };
}

function built(name: string, extra: Partial<ImageDefinition> = {}): ImageDefinition {
  return {
    name,
    displayName: name,
    type: "cpu",
    global: true,
    groups: [],
    build: {
      baseImage: "quay.io/jupyter/base-notebook:2024-06-17",
      packages: { apt: ["git"], conda: [], pip: ["torch==2.3.0"] },
    },
    file: `images/${name}.yaml`,
    system: true,
    ...extra,
  };
}

function existing(
  name: string,
  url: string,
  extra: Partial<ImageDefinition> = {},
): ImageDefinition {
  return {
    name,
    displayName: name,
    type: "cpu",
    url,
    global: false,
    groups: ["research"],
    file: `images/${name}.yaml`,
    system: true,
    ...extra,
  };
}

/** The plan entry of a built image; `digest` only when it is in the registry already. */
function planBuilt(
  name: string,
  action: "build" | "skip" | "update",
  hash: string,
  extra: Partial<PlannedImage> = {},
): PlannedImage {
  return {
    name,
    action,
    reasons: action === "build" ? ["new"] : ["unchanged"],
    ref: `${REGISTRY}/${name}:${hash}`,
    recipeHash: hash,
    dependsOn: [],
    file: `images/${name}.yaml`,
    base: {
      image: "quay.io/jupyter/base-notebook:2024-06-17",
      from: `quay.io/jupyter/base-notebook@${digest("b")}`,
      digest: digest("b"),
    },
    changes: [],
    ...extra,
  };
}

function planRegister(
  name: string,
  url: string,
  resolved: string,
  extra: Partial<PlannedImage> = {},
): PlannedImage {
  return {
    name,
    action: "register",
    reasons: ["new"],
    ref: url,
    recipeHash: null,
    digest: resolved,
    dependsOn: [],
    changes: [],
    ...extra,
  };
}

function plan(images: PlannedImage[], errors: Plan["errors"] = []): Plan {
  return planOf(images, { errors });
}

function catalogOf(images: PublishedImage[]): PublishedCatalog {
  return { apiVersion: "imagesmith/v1", kind: "ImageCatalog", source: {}, images };
}

/** A previous entry for a built image that was ready at `url`. */
function wasReady(name: string, url: string, hash = "1111111111111111"): PublishedImage {
  return {
    name,
    displayName: name,
    type: "cpu",
    url,
    urlForGpu: url,
    pullSecret: "our-registry",
    global: true,
    groups: [],
    system: true,
    status: "ready",
    build: {
      baseImage: "quay.io/jupyter/base-notebook:2024-06-17",
      baseDigest: digest("b"),
      packages: { apt: ["git"], conda: [], pip: ["torch==2.3.0"] },
      recipeHash: hash,
      builtAt: "2024-06-01T08:00:00.000Z",
      log: ".imagesmith/logs/tools.log",
    },
  };
}

function run(
  input: Partial<BuildCatalogInput> & Pick<BuildCatalogInput, "images" | "plan">,
): PublishedCatalog {
  const catalog = buildCatalog({
    config: config(),
    source: { repo: "https://github.com/acme/images", commit: COMMIT },
    outcomes: new Map(),
    now: NOW,
    ...input,
  });
  // Whatever the case, what buildCatalog makes must be publishable.
  expect(validateCatalogDocument(JSON.parse(serializeCatalog(catalog)))).toEqual([]);
  return catalog;
}

function entry(catalog: PublishedCatalog, name: string): PublishedImage {
  const found = catalog.images.find((image) => image.name === name);
  if (!found) throw new Error(`${name} is not in the catalog`);
  return found;
}

const OLD_URL = `${REGISTRY}/tools@${digest("1")}`;
const NEW_HASH = "2222222222222222";

describe("buildCatalog", () => {
  it("marks a new image as building, with no url, before its first build", () => {
    const images = [built("tools")];

    const catalog = run({
      images,
      plan: plan([planBuilt("tools", "build", NEW_HASH)]),
      outcomes: undefined,
    });

    const tools = entry(catalog, "tools");
    expect(tools.status).toBe("building");
    expect(tools).not.toHaveProperty("url");
    expect(tools).not.toHaveProperty("urlForGpu");
    expect(tools).not.toHaveProperty("build");
    expect(tools.attempt).toEqual({
      status: "building",
      recipeHash: NEW_HASH,
      at: NOW.toISOString(),
    });
  });

  it("keeps serving the last good url while a rebuild is under way", () => {
    const previous = catalogOf([wasReady("tools", OLD_URL)]);

    const catalog = run({
      images: [built("tools")],
      plan: plan([planBuilt("tools", "build", NEW_HASH, { reasons: ["recipe-changed"] })]),
      previous,
      outcomes: undefined,
    });

    const tools = entry(catalog, "tools");
    expect(tools).toMatchObject({ status: "building", url: OLD_URL, urlForGpu: OLD_URL });
    expect(tools.build).toEqual(wasReady("tools", OLD_URL).build);
    expect(tools.attempt).toMatchObject({ status: "building", recipeHash: NEW_HASH });
  });

  it("publishes a finished build as ready at its new digest, with its build time and log", () => {
    const previous = catalogOf([wasReady("tools", OLD_URL)]);
    const outcomes = new Map<string, ImageOutcome>([
      [
        "tools",
        {
          state: "done",
          digest: digest("2"),
          finishedAt: "2024-07-01T11:59:00.000Z",
          logFile: "/work/catalog/.imagesmith/logs/tools.log",
        },
      ],
    ]);

    const catalog = run({
      images: [built("tools")],
      plan: plan([planBuilt("tools", "build", NEW_HASH)]),
      previous,
      outcomes,
      root: "/work/catalog",
    });

    expect(entry(catalog, "tools")).toMatchObject({
      status: "ready",
      url: `${REGISTRY}/tools@${digest("2")}`,
      urlForGpu: `${REGISTRY}/tools@${digest("2")}`,
      build: {
        recipeHash: NEW_HASH,
        builtAt: "2024-07-01T11:59:00.000Z",
        log: ".imagesmith/logs/tools.log",
      },
    });
    expect(entry(catalog, "tools")).not.toHaveProperty("message");
    expect(entry(catalog, "tools")).not.toHaveProperty("attempt");
  });

  it.each([
    ["failed", "failed", `the rebuild failed; see .imagesmith/logs/tools/${NEW_HASH}.log`],
    ["cancelled", "cancelled", "the build was cancelled"],
  ] as const)(
    "keeps the served build untouched, url, digest, build time and log, when the rebuild %s, and records the attempt beside it",
    (state, status, message) => {
      const previous = catalogOf([wasReady("tools", OLD_URL)]);
      const outcomes = new Map<string, ImageOutcome>([
        [
          "tools",
          {
            state,
            logFile: `/work/catalog/.imagesmith/logs/tools/${NEW_HASH}.log`,
            finishedAt: "2024-07-01T11:59:00.000Z",
          },
        ],
      ]);

      const catalog = run({
        images: [built("tools")],
        plan: plan([planBuilt("tools", "build", NEW_HASH)]),
        previous,
        outcomes,
        root: "/work/catalog",
      });

      const tools = entry(catalog, "tools");
      expect(tools).toMatchObject({
        status,
        url: OLD_URL,
        urlForGpu: OLD_URL,
        pullSecret: "our-registry",
        message,
      });
      expect(tools.build).toEqual(wasReady("tools", OLD_URL).build);
      expect(tools.attempt).toMatchObject({
        status,
        recipeHash: NEW_HASH,
        at: "2024-07-01T11:59:00.000Z",
        log: `.imagesmith/logs/tools/${NEW_HASH}.log`,
      });
    },
  );

  it("says why a build failed, naming its log relative to the catalog root", () => {
    const logFile = "/work/catalog/.imagesmith/logs/tools.log";
    const outcomes = new Map<string, ImageOutcome>([
      [
        "tools",
        {
          state: "failed",
          logFile,
          error: `buildah exited with 100: E: Unable to locate package no-such-pkg; see ${logFile}`,
        },
      ],
    ]);

    const catalog = run({
      images: [built("tools")],
      plan: plan([planBuilt("tools", "build", NEW_HASH)]),
      outcomes,
      root: "/work/catalog",
    });

    expect(entry(catalog, "tools").message).toBe(
      "the build failed: buildah exited with 100: E: Unable to locate package no-such-pkg; see .imagesmith/logs/tools.log",
    );
    expect(entry(catalog, "tools").attempt?.error).toBe(
      "buildah exited with 100: E: Unable to locate package no-such-pkg",
    );
  });

  it("keeps a valid catalog when a universal image with its own GPU url becomes a cpu build", () => {
    const gpuUrl = `docker.io/pytorch/pytorch@${digest("6")}`;
    const previous = catalogOf([
      { ...wasReady("tools", OLD_URL), type: "universal", urlForGpu: gpuUrl, build: undefined },
    ]);

    const catalog = run({
      images: [built("tools")],
      plan: plan([planBuilt("tools", "build", NEW_HASH)]),
      previous,
      outcomes: undefined,
    });

    expect(entry(catalog, "tools")).toMatchObject({ url: OLD_URL, urlForGpu: OLD_URL });
  });

  it("publishes a first build that failed as failed, with no url", () => {
    const outcomes = new Map<string, ImageOutcome>([["tools", { state: "failed" }]]);

    const catalog = run({
      images: [built("tools")],
      plan: plan([planBuilt("tools", "build", NEW_HASH)]),
      outcomes,
    });

    expect(entry(catalog, "tools")).toMatchObject({
      status: "failed",
      message: "the build failed",
      attempt: { status: "failed", recipeHash: NEW_HASH },
    });
    expect(entry(catalog, "tools")).not.toHaveProperty("url");
    expect(entry(catalog, "tools")).not.toHaveProperty("build");
  });

  it("marks a child skipped because its parent failed as failed, naming the parent, and keeps its last good url", () => {
    const childUrl = `${REGISTRY}/child@${digest("3")}`;
    const previous = catalogOf([
      wasReady("tools", OLD_URL),
      { ...wasReady("child", childUrl), name: "child", displayName: "child" },
    ]);
    const images = [
      built("tools"),
      built("child", {
        build: { baseImage: "image:tools", packages: { apt: [], conda: [], pip: [] } },
      }),
    ];
    const outcomes = new Map<string, ImageOutcome>([
      ["tools", { state: "failed" }],
      ["child", { state: "skipped" }],
    ]);

    const catalog = run({
      images,
      plan: plan([
        planBuilt("tools", "build", NEW_HASH),
        planBuilt("child", "build", "3333333333333333", { dependsOn: ["tools"] }),
      ]),
      previous,
      outcomes,
    });

    expect(entry(catalog, "child")).toMatchObject({
      status: "failed",
      url: childUrl,
      message: "not built: its base image:tools failed to build",
    });
  });

  it("marks a grandchild of a cancelled build as cancelled", () => {
    const images = [built("a"), built("b"), built("c")];
    const outcomes = new Map<string, ImageOutcome>([
      ["a", { state: "cancelled" }],
      ["b", { state: "skipped" }],
      ["c", { state: "skipped" }],
    ]);

    const catalog = run({
      images,
      plan: plan([
        planBuilt("a", "build", "aaaaaaaaaaaaaaaa"),
        planBuilt("b", "build", "bbbbbbbbbbbbbbbb", { dependsOn: ["a"] }),
        planBuilt("c", "build", "cccccccccccccccc", { dependsOn: ["b"] }),
      ]),
      outcomes,
    });

    expect(entry(catalog, "c")).toMatchObject({
      status: "cancelled",
      message: "not built: its base image:a was cancelled",
    });
  });

  it("publishes a registered image as ready, pinned to the resolved digest, with its own pull secret", () => {
    const images = [existing("py", "python:3.11", { pullSecret: "dockerhub" })];

    const catalog = run({ images, plan: plan([planRegister("py", "python:3.11", digest("4"))]) });

    expect(entry(catalog, "py")).toMatchObject({
      status: "ready",
      url: `docker.io/library/python@${digest("4")}`,
      urlForGpu: `docker.io/library/python@${digest("4")}`,
      pullSecret: "dockerhub",
    });
  });

  it("gives an existing universal image its own pinned GPU url", () => {
    const images = [
      existing("torch", "pytorch/pytorch:2.3.0-cpu", {
        type: "universal",
        urlForGpu: "pytorch/pytorch:2.3.0-cuda12.1",
      }),
    ];
    const planned = planRegister("torch", "pytorch/pytorch:2.3.0-cpu", digest("5"), {
      gpuRef: "pytorch/pytorch:2.3.0-cuda12.1",
      gpuDigest: digest("6"),
    });

    const catalog = run({ images, plan: plan([planned]), outcomes: undefined });

    expect(entry(catalog, "torch")).toMatchObject({
      type: "universal",
      url: `docker.io/pytorch/pytorch@${digest("5")}`,
      urlForGpu: `docker.io/pytorch/pytorch@${digest("6")}`,
    });
  });

  it("publishes a built image the registry has already as ready, keeping its build time when the recipe is the same", () => {
    const previous = catalogOf([wasReady("tools", `${REGISTRY}/tools@${digest("1")}`, NEW_HASH)]);

    const catalog = run({
      images: [built("tools")],
      plan: plan([planBuilt("tools", "skip", NEW_HASH, { digest: digest("1") })]),
      previous,
      outcomes: undefined,
    });

    expect(entry(catalog, "tools")).toMatchObject({
      status: "ready",
      url: `${REGISTRY}/tools@${digest("1")}`,
      build: {
        recipeHash: NEW_HASH,
        builtAt: "2024-06-01T08:00:00.000Z",
        log: ".imagesmith/logs/tools.log",
      },
    });
  });

  it("gives built images the pull secret of imagesmith.yaml", () => {
    const images = [
      built("tools", {
        build: { baseImage: "quay.io/x/y:1", packages: { apt: [], conda: [], pip: [] } },
      }),
    ];

    const catalog = run({
      images,
      plan: plan([planBuilt("tools", "update", NEW_HASH, { digest: digest("7") })]),
    });

    expect(entry(catalog, "tools").pullSecret).toBe("our-registry");
  });

  it("serves a built universal image at the same pinned url for CPU and GPU", () => {
    const images = [built("nb", { type: "universal" })];
    const outcomes = new Map<string, ImageOutcome>([
      ["nb", { state: "done", digest: digest("8") }],
    ]);

    const catalog = run({ images, plan: plan([planBuilt("nb", "build", NEW_HASH)]), outcomes });

    const nb = entry(catalog, "nb");
    expect(nb.url).toBe(`${REGISTRY}/nb@${digest("8")}`);
    expect(nb.urlForGpu).toBe(nb.url);
    expect(nb.build?.builtAt).toBe(NOW.toISOString());
  });

  it("publishes a group image as not system, with its groupName", () => {
    const images = [
      existing("team-nb", "quay.io/acme/nb:1", {
        system: false,
        groupName: "ml-team",
        groups: ["ml-team"],
        file: "images/groups/ml-team/team-nb.yaml",
      }),
    ];

    const catalog = run({
      images,
      plan: plan([planRegister("team-nb", "quay.io/acme/nb:1", digest("9"))]),
    });

    expect(entry(catalog, "team-nb")).toMatchObject({
      system: false,
      groupName: "ml-team",
      groups: ["ml-team"],
    });
    expect(
      entry(
        run({
          images: [built("tools")],
          plan: plan([planBuilt("tools", "skip", NEW_HASH, { digest: digest("1") })]),
        }),
        "tools",
      ),
    ).not.toHaveProperty("groupName");
  });

  it("keeps the previous entry unchanged for an image the plan could not decide on, and leaves out a new one", () => {
    const before = {
      ...wasReady("tools", OLD_URL),
      status: "failed" as const,
      message: "the rebuild failed",
    };
    const images = [built("tools"), existing("missing", "quay.io/acme/missing:1")];
    const errors = [
      { image: "tools", message: "resolving the base image: 503" },
      { image: "missing", message: "quay.io/acme/missing:1 does not exist" },
    ];

    const catalog = run({ images, plan: plan([], errors), previous: catalogOf([before]) });

    expect(catalog.images).toEqual([before]);
  });

  it("serves the recipe it already had again after a failed attempt, its build record intact and the attempt gone", () => {
    const served = wasReady("tools", OLD_URL, "1111111111111111");
    const failed: PublishedImage = {
      ...served,
      status: "failed",
      message: "the rebuild failed",
      attempt: { status: "failed", recipeHash: NEW_HASH, at: "2024-06-30T00:00:00.000Z" },
    };

    const catalog = run({
      images: [built("tools")],
      plan: plan([planBuilt("tools", "update", "1111111111111111", { digest: digest("1") })]),
      previous: catalogOf([failed]),
    });

    expect(entry(catalog, "tools")).toEqual(served);
  });

  it("keeps what an image serves when its build was not attempted, with the definition's new access", () => {
    const served: PublishedImage = {
      ...wasReady("tools", OLD_URL),
      status: "failed",
      message: "the rebuild failed",
      attempt: { status: "failed", recipeHash: NEW_HASH, at: "2024-06-30T00:00:00.000Z" },
    };

    const catalog = run({
      images: [built("tools", { global: false, groups: ["vision"] })],
      plan: plan([planBuilt("tools", "build", NEW_HASH)]),
      previous: catalogOf([served]),
    });

    expect(entry(catalog, "tools")).toEqual({ ...served, global: false, groups: ["vision"] });
  });

  it("leaves out an image whose definition was deleted", () => {
    const planned = plan([
      {
        name: "gone",
        action: "remove",
        reasons: ["deleted"],
        ref: OLD_URL,
        recipeHash: null,
        dependsOn: [],
        changes: [],
      },
    ]);

    const catalog = run({
      images: [],
      plan: planned,
      previous: catalogOf([wasReady("gone", OLD_URL)]),
    });

    expect(catalog.images).toEqual([]);
  });

  it("sorts images by name and groups within an image, so the same input gives the same bytes", () => {
    const images = [
      existing("zeta", "quay.io/acme/zeta:1", { groups: ["b-team", "a-team"] }),
      existing("alpha", "quay.io/acme/alpha:1"),
      existing("mid", "quay.io/acme/mid:1"),
    ];
    const planned = plan([
      planRegister("mid", "quay.io/acme/mid:1", digest("c")),
      planRegister("zeta", "quay.io/acme/zeta:1", digest("a")),
      planRegister("alpha", "quay.io/acme/alpha:1", digest("b")),
    ]);

    const first = run({ images, plan: planned });
    const second = run({
      images: [...images].reverse(),
      plan: { ...planned, images: [...planned.images].reverse() },
    });

    expect(first.images.map((image) => image.name)).toEqual(["alpha", "mid", "zeta"]);
    expect(entry(first, "zeta").groups).toEqual(["a-team", "b-team"]);
    expect(serializeCatalog(second)).toBe(serializeCatalog(first));
  });

  it("records the source and the time it was made", () => {
    const catalog = run({ images: [], plan: plan([]) });

    expect(catalog.source).toEqual({ repo: "https://github.com/acme/images", commit: COMMIT });
    expect(catalog.generatedAt).toBe("2024-07-01T12:00:00.000Z");
  });

  it("refuses a plan entry with no digest for an image it says is in the registry", () => {
    const images = [existing("py", "python:3.11")];
    const planned = plan([
      { ...planRegister("py", "python:3.11", digest("4")), digest: undefined },
    ]);

    expect(() => run({ images, plan: planned })).toThrow(PublishError);
    expect(() => run({ images, plan: planned })).toThrow(/no digest for py/);
  });

  it("matches the catalog snapshot for one image of each kind", async () => {
    const previous = catalogOf([
      wasReady("tools", OLD_URL),
      wasReady("child", `${REGISTRY}/child@${digest("3")}`),
    ]);
    const images = [
      built("tools", { description: "Tools on the Jupyter base" }),
      built("child", {
        build: {
          baseImage: "image:tools",
          packages: { apt: [], conda: [], pip: ["transformers==4.41.2"] },
        },
      }),
      built("fresh", { type: "gpu", global: false, groups: ["research"] }),
      existing("py", "python:3.11", { pullSecret: "dockerhub" }),
      existing("team-nb", "quay.io/acme/nb:1", {
        type: "universal",
        system: false,
        groupName: "ml-team",
        groups: ["ml-team"],
      }),
    ];
    const planned = plan([
      planBuilt("tools", "build", NEW_HASH, { reasons: ["recipe-changed"] }),
      planBuilt("child", "build", "3333333333333333", {
        dependsOn: ["tools"],
        base: {
          image: "image:tools",
          from: `${REGISTRY}/tools:${NEW_HASH}`,
          digest: `recipe:${NEW_HASH}`,
        },
      }),
      planBuilt("fresh", "build", "4444444444444444"),
      planRegister("py", "python:3.11", digest("4")),
      planRegister("team-nb", "quay.io/acme/nb:1", digest("9")),
    ]);
    const outcomes = new Map<string, ImageOutcome>([
      ["tools", { state: "failed", logFile: "/ci/catalog/.imagesmith/logs/tools.log" }],
      ["child", { state: "skipped" }],
      [
        "fresh",
        {
          state: "done",
          digest: digest("d"),
          finishedAt: "2024-07-01T11:58:00Z",
          logFile: "/ci/catalog/.imagesmith/logs/fresh.log",
        },
      ],
    ]);

    const catalog = run({ images, plan: planned, previous, outcomes, root: "/ci/catalog" });

    await expect(serializeCatalog(catalog)).toMatchFileSnapshot(
      "../../../test/unit/__snapshots__/catalog.json",
    );
  });
});

describe("pinReference", () => {
  it("qualifies the reference fully, drops its tag and appends the digest", () => {
    expect(pinReference("python:3.11", digest("1"))).toBe(
      `docker.io/library/python@${digest("1")}`,
    );
    expect(pinReference("127.0.0.1:5000/team/py:1.0", digest("1"))).toBe(
      `127.0.0.1:5000/team/py@${digest("1")}`,
    );
    expect(pinReference(`quay.io/a/b:1@${digest("2")}`, digest("2"))).toBe(
      `quay.io/a/b@${digest("2")}`,
    );
  });

  it("refuses text that is not an image reference", () => {
    expect(() => pinReference("Not A Reference", digest("1"))).toThrow(PublishError);
  });
});
