import { describe, expect, it } from "vitest";
import type { PublishedCatalog, PublishedImage } from "../../catalog/index.js";
import { formatImageReference, type ImageReference } from "../../grammars/image-ref.js";
import { type Catalog, defaultConfig, type ImageDefinition } from "../../model.js";
import type { ImageConfig, ManifestInfo, Registry, ResolveOptions } from "../../registry/types.js";
import { type Plan, planCatalog, type PlannedImage, startPlan } from "./index.js";

const REGISTRY = "registry.acme/ml";
const BASE = "registry.acme/upstream/debian:12";
const BASE_DIGEST = `sha256:${"b".repeat(64)}`;

/**
 * The registry port over a map of references to digests: what a plan needs to ask. It answers a
 * tag with the digest it holds, whatever was expected, as an honest registry does.
 */
function fakeRegistry(manifests: Record<string, string>): Registry & { asked: string[] } {
  const asked: string[] = [];
  const key = (ref: ImageReference) => formatImageReference(ref);
  return {
    asked,
    async resolve(
      ref: ImageReference,
      options?: ResolveOptions,
    ): Promise<ManifestInfo | undefined> {
      asked.push(`${key(ref)}${options?.expect ? " (expecting)" : ""}`);
      const digest = ref.digest ?? manifests[key(ref)];
      return digest === undefined ? undefined : { digest, mediaType: "", size: 0 };
    },
    async imageConfig(): Promise<ImageConfig> {
      return {
        manifestDigest: BASE_DIGEST,
        digest: BASE_DIGEST,
        user: "1000",
        env: [],
        labels: {},
      };
    },
    async tags() {
      return [];
    },
    catalog: () => Promise.reject(new Error("not used")),
    getManifest: () => Promise.reject(new Error("not used")),
    getBlob: () => Promise.reject(new Error("not used")),
    pushBlob: () => Promise.reject(new Error("not used")),
    pushManifest: () => Promise.reject(new Error("not used")),
    referrers: () => Promise.reject(new Error("not used")),
    requestCount: 0,
  };
}

function built(name: string, apt: string[], extra: Partial<ImageDefinition> = {}): ImageDefinition {
  return {
    name,
    displayName: name,
    type: "cpu",
    global: true,
    groups: [],
    build: { baseImage: BASE, packages: { apt, conda: [], pip: [] } },
    file: `images/${name}.yaml`,
    system: true,
    ...extra,
  };
}

function catalogOf(images: ImageDefinition[], config: Partial<Catalog["config"]> = {}): Catalog {
  return {
    root: "/catalog",
    config: {
      ...defaultConfig(),
      registry: REGISTRY,
      pullSecret: "our-registry",
      groups: ["research", "vision", "nlp"],
      ...config,
    },
    images,
  };
}

async function plan(
  catalog: Catalog,
  manifests: Record<string, string>,
  previous?: PublishedImage[],
): Promise<Plan> {
  return planCatalog({
    catalog,
    registry: fakeRegistry({ [BASE]: BASE_DIGEST, ...manifests }),
    ...(previous ? { previous: published(previous) } : {}),
    baseline: { from: "registry", ref: `${REGISTRY}/imagesmith-catalog:latest` },
  });
}

function published(images: PublishedImage[]): PublishedCatalog {
  return { apiVersion: "imagesmith/v1", kind: "ImageCatalog", source: {}, images };
}

function entry(planned: Plan, name: string): PlannedImage {
  const found = planned.images.find((e) => e.name === name);
  if (!found) throw new Error(`${name} is not in the plan`);
  return found;
}

function digest(char: string): string {
  return `sha256:${char.repeat(64)}`;
}

/** The catalog entry serving `planned` at `at` (what publish writes after its build). */
function serving(
  definition: ImageDefinition,
  planned: PlannedImage,
  at: string,
  extra: Partial<PublishedImage> = {},
): PublishedImage {
  const url = `${REGISTRY}/${definition.name}@${at}`;
  return {
    name: definition.name,
    displayName: definition.displayName,
    type: definition.type,
    url,
    urlForGpu: url,
    pullSecret: "our-registry",
    global: definition.global,
    groups: definition.groups,
    system: true,
    status: "ready",
    build: {
      baseImage: BASE,
      baseDigest: BASE_DIGEST,
      packages: { apt: definition.build?.packages.apt ?? [], conda: [], pip: [] },
      recipeHash: planned.recipeHash ?? "",
    },
    ...extra,
  };
}

describe("planCatalog against the published catalog", () => {
  it("plans a revert to a recipe already in the registry as an update that serves its digest again, with no build", async () => {
    const v1 = built("tools", ["hello"]);
    const v2 = built("tools", ["hello", "tree"]);
    const first = entry(await plan(catalogOf([v1]), {}), "tools");
    const second = entry(await plan(catalogOf([v2]), {}), "tools");

    const reverted = await plan(
      catalogOf([v1]),
      { [first.ref]: digest("1"), [second.ref]: digest("2") },
      [serving(v2, second, digest("2"))],
    );

    expect(entry(reverted, "tools")).toMatchObject({
      action: "update",
      reasons: ["digest-changed"],
      digest: digest("1"),
      changes: [
        {
          field: "url",
          before: `${REGISTRY}/tools@${digest("2")}`,
          after: `${REGISTRY}/tools@${digest("1")}`,
        },
        {
          field: "urlForGpu",
          before: `${REGISTRY}/tools@${digest("2")}`,
          after: `${REGISTRY}/tools@${digest("1")}`,
        },
      ],
    });
    expect(entry(reverted, "tools").previousDockerfile).toContain('"tree"]');
    expect(reverted.summary).toMatchObject({ build: 0, update: 1 });
  });

  it("plans a failed image whose definition is back at what it serves as a recovery", async () => {
    const v1 = built("tools", ["hello"]);
    const first = entry(await plan(catalogOf([v1]), {}), "tools");
    const failed = serving(v1, first, digest("1"), {
      status: "failed",
      message: "the rebuild failed",
      attempt: { status: "failed", recipeHash: "ffffffffffffffff", at: "2024-07-01T00:00:00.000Z" },
    });

    const planned = await plan(catalogOf([v1]), { [first.ref]: digest("1") }, [failed]);

    expect(entry(planned, "tools")).toMatchObject({
      action: "update",
      reasons: ["status-changed"],
      changes: [{ field: "status", before: "failed", after: "ready" }],
    });
  });

  it("confirms a digest the catalog serves with a HEAD, and asks without expecting anything for the rest", async () => {
    const v1 = built("tools", ["hello"]);
    const first = entry(await plan(catalogOf([v1]), {}), "tools");
    const registry = fakeRegistry({ [BASE]: BASE_DIGEST, [first.ref]: digest("1") });

    const planned = await planCatalog({
      catalog: catalogOf([v1, built("fresh", ["jq"])]),
      registry,
      previous: published([serving(v1, first, digest("1"))]),
      baseline: { from: "registry" },
    });

    expect(entry(planned, "tools")).toMatchObject({ action: "skip", reasons: ["unchanged"] });
    expect(registry.asked).toContain(`${first.ref} (expecting)`);
    expect(registry.asked).toContain(`${BASE} (expecting)`);
    expect(registry.asked.filter((a) => a.includes("/fresh:"))).toEqual([
      expect.not.stringContaining("expecting"),
    ]);
  });

  it("adds a recipe the registry has but the catalog lacks, without building it", async () => {
    const v1 = built("tools", ["hello"]);
    const first = entry(await plan(catalogOf([v1]), {}), "tools");

    const planned = await plan(catalogOf([v1]), { [first.ref]: digest("1") });

    expect(entry(planned, "tools")).toMatchObject({
      action: "update",
      reasons: ["new", "in-registry"],
    });
  });

  it("shows a change of the catalog-wide pull secret on every built image", async () => {
    const v1 = built("tools", ["hello"]);
    const first = entry(await plan(catalogOf([v1]), {}), "tools");

    const planned = await plan(
      catalogOf([v1], { pullSecret: "ghcr-pull" }),
      { [first.ref]: digest("1") },
      [serving(v1, first, digest("1"))],
    );

    expect(entry(planned, "tools")).toMatchObject({
      action: "update",
      reasons: ["pull-secret-changed"],
      changes: [{ field: "pullSecret", before: "our-registry", after: "ghcr-pull" }],
    });
  });

  it("names the groups of imagesmith.yaml that lose an image when it stops being global, and the ones that keep it", async () => {
    const v1 = built("tools", ["hello"]);
    const first = entry(await plan(catalogOf([v1]), {}), "tools");
    const limited = built("tools", ["hello"], { global: false, groups: ["research"] });

    const planned = await plan(catalogOf([limited]), { [first.ref]: digest("1") }, [
      serving(v1, first, digest("1")),
    ]);

    expect(planned.accessChanges).toEqual([
      {
        image: "tools",
        change: "no-longer-global",
        groups: ["nlp", "vision"],
        keeps: ["research"],
      },
    ]);
    expect(entry(planned, "tools").reasons).toEqual(["access-changed"]);
  });

  it("shows a child rebuilt for its parent with the one FROM line that moved", async () => {
    const parent = built("tools", ["hello"]);
    const child = built("child", ["tree"], {
      build: { baseImage: "image:tools", packages: { apt: ["tree"], conda: [], pip: [] } },
    });
    const firstPlan = await plan(catalogOf([parent, child]), {});
    const tools = entry(firstPlan, "tools");
    const kid = entry(firstPlan, "child");
    const previous = [
      serving(parent, tools, digest("1")),
      {
        ...serving(child, kid, digest("3")),
        build: {
          baseImage: "image:tools",
          baseDigest: `recipe:${tools.recipeHash}`,
          packages: { apt: ["tree"], conda: [], pip: [] },
          recipeHash: kid.recipeHash ?? "",
        },
      },
    ];

    const planned = await plan(catalogOf([built("tools", ["hello", "jq"]), child]), {}, previous);

    const moved = entry(planned, "child");
    expect(moved).toMatchObject({ action: "build", reasons: ["parent-rebuilt"] });
    const before = (moved.previousDockerfile ?? "").trimEnd().split("\n");
    const after = (moved.dockerfile ?? "").split("\n").slice(0, before.length);
    const differing = before.filter((line, index) => line !== after[index]);
    expect(differing).toEqual([`FROM ${tools.ref}`]);
  });
});

describe("startPlan, a plan started before its catalog is known", () => {
  /** A catalog of every kind the planner tells apart: existing, built, chains of image: bases. */
  function mixedCatalog(): { catalog: Catalog; manifests: Record<string, string> } {
    const images: ImageDefinition[] = [
      built("tools", ["git"]),
      built("science", ["tree"], {
        build: { baseImage: "image:tools", packages: { apt: [], conda: [], pip: ["numpy"] } },
      }),
      built("ml", ["jq"], {
        build: { baseImage: "image:science", packages: { apt: [], conda: [], pip: ["torch"] } },
      }),
      built("on-python", ["curl"], {
        build: { baseImage: "image:python", packages: { apt: ["curl"], conda: [], pip: [] } },
      }),
      {
        name: "python",
        displayName: "python",
        type: "universal",
        url: "registry.acme/upstream/python:3.11",
        urlForGpu: "registry.acme/upstream/python:3.11-cuda",
        global: true,
        groups: [],
        file: "images/python.yaml",
        system: true,
      },
      {
        name: "gone",
        displayName: "gone",
        type: "cpu",
        url: "registry.acme/upstream/gone:1",
        global: false,
        groups: ["research"],
        file: "images/gone.yaml",
        system: true,
      },
    ];
    return {
      catalog: catalogOf(images),
      manifests: {
        "registry.acme/upstream/python:3.11": digest("5"),
        "registry.acme/upstream/python:3.11-cuda": digest("6"),
      },
    };
  }

  it("makes the plan planCatalog makes, with the same questions asked, when images are added one by one and children before their parents", async () => {
    const { catalog, manifests } = mixedCatalog();
    const first = await plan(catalog, manifests);
    const tools = entry(first, "tools");
    const previous = published([serving(catalog.images[0] as ImageDefinition, tools, digest("1"))]);
    const known = { [BASE]: BASE_DIGEST, [tools.ref]: digest("1"), ...manifests };
    const batchRegistry = fakeRegistry(known);
    const aheadRegistry = fakeRegistry(known);
    const inputs = { previous, baseline: { from: "registry" as const }, force: ["ml"] };

    const batch = await planCatalog({ catalog, registry: batchRegistry, ...inputs });
    const planner = startPlan({ config: catalog.config, registry: aheadRegistry, ...inputs });
    for (const image of [...catalog.images].reverse()) planner.add(image);
    const ahead = await planner.finish(catalog);

    expect(JSON.stringify(ahead)).toBe(JSON.stringify(batch));
    expect([...aheadRegistry.asked].sort()).toEqual([...batchRegistry.asked].sort());
    expect(entry(ahead, "tools")).toMatchObject({ action: "skip", reasons: ["unchanged"] });
    expect(entry(ahead, "ml").reasons).toEqual(["forced", "parent-rebuilt"]);
    expect(ahead.errors).toEqual([
      {
        image: "gone",
        file: "images/gone.yaml",
        message: expect.stringContaining("registry.acme/upstream/gone:1 does not exist"),
      },
    ]);
  });

  it("plans at finish the images that were never added, and fails a child whose parent is not in the catalog", async () => {
    const { catalog, manifests } = mixedCatalog();
    const orphan = built("orphan", ["jq"], {
      build: { baseImage: "image:missing", packages: { apt: ["jq"], conda: [], pip: [] } },
    });
    const planner = startPlan({
      config: catalog.config,
      registry: fakeRegistry({ [BASE]: BASE_DIGEST, ...manifests }),
      baseline: { from: "registry" },
    });
    planner.add(orphan);
    planner.add(catalog.images[1] as ImageDefinition);

    const planned = await planner.finish({ ...catalog, images: [...catalog.images, orphan] });

    expect(planned.images.map((e) => e.name).sort()).toEqual(
      ["ml", "on-python", "python", "science", "tools"].sort(),
    );
    expect(planned.errors.map((e) => [e.image, e.message])).toEqual([
      ["gone", expect.stringContaining("does not exist")],
      ["orphan", "its base image:missing is not in the catalog"],
    ]);
  });
});

describe("contracts in the plan", () => {
  it("a test added to a served build is contracts-changed, with the contracts before and after, and its diff", async () => {
    const v1 = built("tools", ["jq"]);
    const v2 = built("tools", ["jq"], {
      build: {
        baseImage: BASE,
        packages: { apt: ["jq"], conda: [], pip: [] },
        tests: ["jq --version"],
      },
    });
    const first = entry(await plan(catalogOf([v1]), {}), "tools");
    const served = serving(v1, first, digest("1"));

    const second = await plan(catalogOf([v2]), {}, [served]);
    const tools = entry(second, "tools");

    expect(tools.action).toBe("build");
    expect(tools.reasons).toEqual(["contracts-changed"]);
    expect(tools.contracts).toEqual({ before: [], after: ["test: jq --version"] });
    const { formatPlanMarkdown } = await import("../../report/plan.js");
    const markdown = formatPlanMarkdown(second);
    expect(markdown).toContain("+++ b/tools/contracts");
    expect(markdown).toContain("+test: jq --version");
    // The Dockerfile did not change: no empty diff of it.
    expect(markdown).not.toContain("b/tools/Dockerfile");
  });

  it("a package and a type change are recipe-changed and contracts-changed (cuda)", async () => {
    const v1 = built("tools", ["jq"]);
    const v2 = built("tools", ["jq", "tree"], { type: "gpu" });
    const first = entry(await plan(catalogOf([v1]), {}), "tools");

    const tools = entry(
      await plan(catalogOf([v2]), {}, [serving(v1, first, digest("1"))]),
      "tools",
    );

    expect(tools.reasons).toEqual(["recipe-changed", "contracts-changed"]);
    expect(tools.contracts).toEqual({ before: [], after: ["cuda"] });
  });

  it("the same contracts say nothing of them", async () => {
    const v1 = built("tools", ["jq"], {
      build: { baseImage: BASE, packages: { apt: ["jq"], conda: [], pip: [] }, tests: ["true"] },
    });
    const v2 = built("tools", ["jq", "tree"], {
      build: {
        baseImage: BASE,
        packages: { apt: ["jq", "tree"], conda: [], pip: [] },
        tests: ["true"],
      },
    });
    const first = entry(await plan(catalogOf([v1]), {}), "tools");
    const served = serving(v1, first, digest("1"));
    if (served.build) served.build.tests = ["true"];

    const tools = entry(await plan(catalogOf([v2]), {}, [served]), "tools");

    expect(tools.reasons).toEqual(["recipe-changed"]);
    expect(tools.contracts).toBeUndefined();
  });
});
