import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import type { PublishedCatalog, PublishedImage } from "../catalog/index.js";
import { validateCatalogDocument } from "../catalog/index.js";
import { primeHubResources, toPrimeHubImages } from "./primehub.js";

const REGISTRY = "registry.acme/images";

function digest(char: string): string {
  return `sha256:${char.repeat(64)}`;
}

function pinned(repository: string, char: string): string {
  return `${repository}@${digest(char)}`;
}

const BUILD = {
  baseImage: "quay.io/jupyter/base-notebook:2024-06-17",
  baseDigest: digest("b"),
  packages: { apt: ["git"], conda: ["-c conda-forge::numpy==1.17*"], pip: ["torch==2.3.0"] },
  recipeHash: "0123456789abcdef",
};

/** One image of each kind the catalog can hold. */
const IMAGES: PublishedImage[] = [
  {
    name: "broken",
    displayName: "broken",
    type: "cpu",
    global: true,
    groups: [],
    system: true,
    status: "failed",
    message: "the build failed; see .imagesmith/logs/broken.log",
    build: { ...BUILD, log: ".imagesmith/logs/broken.log" },
  },
  {
    name: "datascience",
    displayName: "datascience",
    description: "Jupyter with the PyData stack, built by imagesmith",
    type: "universal",
    url: pinned(`${REGISTRY}/datascience`, "1"),
    urlForGpu: pinned(`${REGISTRY}/datascience`, "1"),
    pullSecret: "our-registry",
    global: true,
    groups: [],
    system: true,
    status: "ready",
    build: {
      ...BUILD,
      builtAt: "2024-07-01T11:58:00.000Z",
      log: ".imagesmith/logs/datascience.log",
    },
  },
  {
    name: "new-gpu",
    displayName: "new-gpu",
    type: "gpu",
    pullSecret: "our-registry",
    global: false,
    groups: ["research"],
    system: true,
    status: "building",
    build: BUILD,
  },
  {
    name: "python",
    displayName: "python",
    description: "Plain Python 3.11",
    type: "cpu",
    url: pinned("docker.io/library/python", "2"),
    urlForGpu: pinned("docker.io/library/python", "2"),
    global: false,
    groups: ["ml-team", "research"],
    system: true,
    status: "ready",
  },
  {
    name: "pytorch-2.3",
    displayName: "pytorch-2.3",
    description: "PyTorch 2.3 with CUDA 12.1",
    type: "universal",
    url: pinned("docker.io/pytorch/pytorch", "3"),
    urlForGpu: pinned("docker.io/pytorch/pytorch", "4"),
    pullSecret: "dockerhub-readonly",
    global: true,
    groups: [],
    system: true,
    status: "ready",
  },
  {
    name: "rebuilding",
    displayName: "rebuilding",
    type: "gpu",
    url: pinned(`${REGISTRY}/rebuilding`, "5"),
    urlForGpu: pinned(`${REGISTRY}/rebuilding`, "5"),
    pullSecret: "our-registry",
    global: true,
    groups: [],
    system: true,
    status: "cancelled",
    message: "the build was cancelled",
    build: BUILD,
  },
  {
    name: "team-notebook",
    displayName: "team-notebook",
    type: "cpu",
    url: pinned("quay.io/acme/notebook", "6"),
    urlForGpu: pinned("quay.io/acme/notebook", "6"),
    pullSecret: "quay-readonly",
    global: false,
    groups: ["ml-team"],
    system: false,
    groupName: "ml-team",
    status: "ready",
  },
];

const CATALOG: PublishedCatalog = {
  apiVersion: "imagesmith/v1",
  kind: "ImageCatalog",
  source: {
    repo: "https://github.com/acme/images",
    commit: "0123456789abcdef0123456789abcdef01234567",
  },
  generatedAt: "2024-07-01T12:00:00.000Z",
  images: IMAGES,
};

describe("toPrimeHubImages", () => {
  it("uses a catalog that is itself valid", () => {
    expect(validateCatalogDocument(CATALOG)).toEqual([]);
  });

  it("matches the snapshot for a catalog with one image of each kind", async () => {
    const text = toPrimeHubImages(CATALOG, { namespace: "hub" });

    await expect(text).toMatchFileSnapshot("../../test/unit/__snapshots__/primehub-images.yaml");
  });

  it("writes one Image document per image that has a url, in catalog order", () => {
    const documents = parseAllDocuments(toPrimeHubImages(CATALOG, { namespace: "hub" }));

    const resources = Array.isArray(documents)
      ? documents.map((doc) => doc.toJS() as Record<string, unknown>)
      : [];
    expect(resources.map((resource) => (resource.metadata as { name: string }).name)).toEqual([
      "datascience",
      "python",
      "pytorch-2.3",
      "rebuilding",
      "team-notebook",
    ]);
    expect(
      resources.every(
        (resource) => resource.apiVersion === "primehub.io/v1alpha1" && resource.kind === "Image",
      ),
    ).toBe(true);
  });

  it("calls universal both, keeps a universal image's own GPU url, and gives other images url as urlForGpu", () => {
    const { resources } = primeHubResources(CATALOG);

    const byName = Object.fromEntries(
      resources.map((resource) => [resource.metadata.name, resource.spec]),
    );
    expect(byName["datascience"]).toMatchObject({
      type: "both",
      urlForGpu: byName["datascience"]?.url,
    });
    expect(byName["pytorch-2.3"]).toMatchObject({
      type: "both",
      url: pinned("docker.io/pytorch/pytorch", "3"),
      urlForGpu: pinned("docker.io/pytorch/pytorch", "4"),
    });
    expect(byName["python"]).toMatchObject({ type: "cpu", urlForGpu: byName["python"]?.url });
  });

  it("writes no imageSpec, so PrimeHub never rebuilds an image imagesmith has built", () => {
    const { resources } = primeHubResources(CATALOG);

    expect(resources.some((resource) => "imageSpec" in resource.spec)).toBe(false);
    expect(
      resources.find((resource) => resource.metadata.name === "datascience")?.metadata.annotations,
    ).toMatchObject({
      "imagesmith.dev/base-image": BUILD.baseImage,
      "imagesmith.dev/recipe-hash": BUILD.recipeHash,
    });
  });

  it("gives groupName to group images only", () => {
    const { resources } = primeHubResources(CATALOG);

    const withGroup = resources.filter((resource) => resource.spec.groupName !== undefined);
    expect(withGroup.map((resource) => [resource.metadata.name, resource.spec.groupName])).toEqual([
      ["team-notebook", "ml-team"],
    ]);
  });

  it("carries global and groups as annotations, because PrimeHub grants images to groups through roles", () => {
    const { resources } = primeHubResources(CATALOG);

    const python = resources.find((resource) => resource.metadata.name === "python");
    expect(python?.metadata.annotations).toMatchObject({
      "imagesmith.dev/global": "false",
      "imagesmith.dev/groups": "ml-team,research",
    });
  });

  it("leaves out images with nothing to pull yet, and says why", () => {
    const { omitted } = primeHubResources(CATALOG);
    const text = toPrimeHubImages(CATALOG);

    expect(omitted).toEqual([
      { name: "broken", reason: "it has never been built successfully (its build failed)" },
      { name: "new-gpu", reason: "its first build is under way" },
    ]);
    expect(text).toContain("#   broken: it has never been built successfully (its build failed)\n");
    expect(text).not.toMatch(/name: (broken|new-gpu)\n/);
  });

  it("quotes what YAML 1.1 readers such as kubectl would not read as a string", () => {
    const catalog = {
      ...CATALOG,
      images: IMAGES.map((image) => ({ ...image, groups: ["on", "yes"] })),
    };

    const text = toPrimeHubImages(catalog);

    const documents = parseAllDocuments(text, { version: "1.1" });
    const annotations = (Array.isArray(documents) ? documents : []).flatMap((doc) =>
      Object.values(
        (doc.toJS() as { metadata: { annotations: Record<string, unknown> } }).metadata.annotations,
      ),
    );
    expect(annotations.length).toBeGreaterThan(0);
    expect(annotations.every((value) => typeof value === "string")).toBe(true);
    expect(text).toContain('imagesmith.dev/built-at: "2024-07-01T11:58:00.000Z"');
  });

  it("sets metadata.namespace only when asked", () => {
    const without = primeHubResources(CATALOG).resources[0];
    const within = primeHubResources(CATALOG, { namespace: "hub" }).resources[0];

    expect(without?.metadata).not.toHaveProperty("namespace");
    expect(within?.metadata.namespace).toBe("hub");
  });

  it("writes only the header for a catalog with no images", () => {
    const text = toPrimeHubImages({ ...CATALOG, images: [] });

    expect(text).toBe(
      "# Generated by imagesmith from https://github.com/acme/images at 0123456789abcdef0123456789abcdef01234567; edit the image definitions, not this file.\n",
    );
  });
});
