import { describe, expect, it } from "vitest";
import { defaultConfig, type ImageDefinition } from "../model.js";
import { definitionServed, diffServed, readyServed, servedOf } from "./served.js";
import type { PublishedImage } from "./types.js";

const URL = `ghcr.io/acme/tools@sha256:${"a".repeat(64)}`;

function definition(extra: Partial<ImageDefinition> = {}): ImageDefinition {
  return {
    name: "tools",
    displayName: "tools",
    type: "cpu",
    global: false,
    groups: ["vision", "research"],
    build: { baseImage: "debian:12", packages: { apt: ["git"], conda: [], pip: [] } },
    file: "images/tools.yaml",
    system: true,
    ...extra,
  };
}

describe("diffServed", () => {
  it("lists every served field that differs, access first, with before and after", () => {
    const before = readyServed(definition(), { pullSecret: "old" }, URL);
    const after = readyServed(
      definition({ global: true, groups: [], description: "Tools" }),
      { pullSecret: "new" },
      URL,
    );

    expect(diffServed(before, after)).toEqual([
      { field: "global", before: false, after: true },
      { field: "groups", before: ["research", "vision"], after: [] },
      { field: "pullSecret", before: "old", after: "new" },
      { field: "description", after: "Tools" },
    ]);
  });

  it("finds nothing to say when only the order of groups differs", () => {
    const before = definitionServed(definition({ groups: ["a", "b"] }), { status: "ready" });
    const after = definitionServed(definition({ groups: ["b", "a"] }), { status: "ready" });

    expect(diffServed(before, after)).toEqual([]);
  });

  it("gives every field of a removed image as before only", () => {
    const served = servedOf({
      ...readyServed(definition(), {}, URL),
      name: "tools",
      build: { baseImage: "x", packages: { apt: [], conda: [], pip: [] }, recipeHash: "0123abcd" },
    } as PublishedImage);

    const changes = diffServed(served, undefined);

    expect(changes.map((change) => change.field)).toEqual([
      "global",
      "groups",
      "url",
      "urlForGpu",
      "status",
      "type",
      "displayName",
      "system",
    ]);
    expect(changes.every((change) => change.after === undefined)).toBe(true);
  });
});

describe("readyServed", () => {
  it("gives a built image the catalog's pull secret, and an existing one its own", () => {
    const config = { ...defaultConfig(), pullSecret: "catalog-secret" };

    expect(readyServed(definition(), config, URL).pullSecret).toBe("catalog-secret");
    expect(
      readyServed(
        definition({ build: undefined, url: "debian:12", pullSecret: "own" }),
        config,
        URL,
      ).pullSecret,
    ).toBe("own");
  });

  it("serves urlForGpu as url unless an existing universal image names its own", () => {
    const gpu = `ghcr.io/acme/tools-gpu@sha256:${"b".repeat(64)}`;

    expect(readyServed(definition({ type: "gpu" }), {}, URL, gpu).urlForGpu).toBe(URL);
    expect(readyServed(definition({ type: "universal" }), {}, URL, gpu).urlForGpu).toBe(gpu);
  });
});
