import { describe, expect, it } from "vitest";
import type { PublishedCatalog, PublishedImage } from "../catalog/types.js";
import { mutationOf } from "./graphql.js";
import { planSync, type PrimeHubImage, type PrimeHubState } from "./primehub.js";

const digest = `sha256:${"ab".repeat(32)}`;

function image(name: string, extra: Partial<PublishedImage> = {}): PublishedImage {
  return {
    name,
    displayName: name,
    type: "cpu",
    url: `reg.acme/ml/${name}@${digest}`,
    urlForGpu: `reg.acme/ml/${name}@${digest}`,
    global: false,
    groups: ["research"],
    system: true,
    status: "ready",
    ...extra,
  };
}

function catalog(images: PublishedImage[]): PublishedCatalog {
  return { apiVersion: "imagesmith/v1", kind: "ImageCatalog", source: {}, images };
}

const groups = [
  { id: "g-research", name: "research" },
  { id: "g-vision", name: "vision" },
];

/** What PrimeHub holds after a sync made `image` there. */
function synced(source: PublishedImage, extra: Partial<PrimeHubImage> = {}): PrimeHubImage {
  return {
    id: source.name,
    name: source.name,
    displayName: source.displayName,
    description: source.description ?? "",
    type: source.type === "universal" ? "both" : source.type,
    url: source.url ?? null,
    urlForGpu: source.urlForGpu ?? null,
    useImagePullSecret: "",
    groupName: null,
    global: source.global,
    groups: source.groups.map((name) => ({ id: `g-${name}`, name })),
    ...extra,
  };
}

function state(images: PrimeHubImage[]): PrimeHubState {
  return { images, groups };
}

describe("planSync", () => {
  it("creates what PrimeHub lacks and claims it, with the right global flag and groups", () => {
    const plan = planSync({
      catalog: catalog([image("a"), image("b", { global: true, groups: [], type: "universal" })]),
      state: state([]),
      owned: [],
    });
    expect(plan.actions).toMatchObject([
      {
        kind: "create",
        name: "a",
        global: false,
        groups: [{ name: "research", id: "g-research" }],
      },
      { kind: "create", name: "b", global: true, groups: [], fields: { type: "both" } },
    ]);
    expect(plan.claims).toEqual(["a", "b"]);
    expect(plan.ledger).toEqual(["a", "b"]);
  });

  it("changes nothing when PrimeHub already matches", () => {
    const a = image("a", { pullSecret: "pull" });
    const plan = planSync({
      catalog: catalog([a]),
      state: state([synced(a, { useImagePullSecret: "pull" })]),
      owned: ["a"],
    });
    expect(plan.actions).toEqual([]);
    expect(plan.unchanged).toBe(1);
    expect(plan.claims).toEqual([]);
  });

  it("connects and disconnects exactly the groups that changed, access first in the report order", () => {
    const before = image("a", { groups: ["research"] });
    const after = image("a", { groups: ["vision"] });
    const plan = planSync({
      catalog: catalog([after]),
      state: state([synced(before)]),
      owned: ["a"],
    });
    expect(plan.actions).toMatchObject([
      {
        kind: "update",
        changes: [],
        connect: [{ name: "vision", id: "g-vision" }],
        disconnect: [{ name: "research", id: "g-research" }],
      },
    ]);
    expect(plan.access.map((c) => [c.change, c.groups])).toEqual([
      ["group-removed", ["research"]],
      ["group-added", ["vision"]],
    ]);
  });

  it("updates changed fields with every field sent, and never touches an image it does not own", () => {
    const mine = image("mine", { description: "new" });
    const theirs = image("theirs");
    const plan = planSync({
      catalog: catalog([mine, theirs]),
      state: state([synced(mine, { description: "old" }), synced(theirs)]),
      owned: ["mine"],
    });
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({
      kind: "update",
      changes: [{ field: "description", before: "old", after: "new" }],
    });
    expect(plan.conflicts.map((c) => c.name)).toEqual(["theirs"]);
    const adopted = planSync({
      catalog: catalog([mine, theirs]),
      state: state([synced(mine, { description: "old" }), synced(theirs, { displayName: "x" })]),
      owned: ["mine"],
      adopt: ["theirs"],
    });
    expect(adopted.conflicts).toEqual([]);
    expect(adopted.claims).toEqual(["theirs"]);
  });

  it("deletes only its own images the catalog no longer has, and releases them", () => {
    const plan = planSync({
      catalog: catalog([]),
      state: state([synced(image("gone")), synced(image("human"))]),
      owned: ["gone", "vanished"],
    });
    expect(plan.actions).toEqual([{ kind: "delete", name: "gone", id: "gone" }]);
    expect(plan.releases.sort()).toEqual(["gone", "vanished"]);
    expect(plan.ledger).toEqual([]);
    expect(plan.access[0]).toMatchObject({
      change: "removed",
      image: "gone",
      groups: ["research"],
    });
  });

  it("offers only images with something to pull, and keeps a failed rebuild's last good url", () => {
    const never = image("never", { url: undefined, urlForGpu: undefined, status: "failed" });
    const failed = image("failed", { status: "failed" });
    const plan = planSync({ catalog: catalog([never, failed]), state: state([]), owned: [] });
    expect(plan.actions.map((a) => a.name)).toEqual(["failed"]);
    expect(plan.actions[0]).toMatchObject({ fields: { url: failed.url } });
    expect(plan.skipped.map((s) => s.name)).toEqual(["never"]);
  });

  it("names a group PrimeHub does not have, and syncs the image without it", () => {
    const plan = planSync({
      catalog: catalog([image("a", { groups: ["research", "ghosts"] })]),
      state: state([]),
      owned: [],
    });
    expect(plan.errors.map((e) => e.message)).toEqual([
      expect.stringContaining("group ghosts, which PrimeHub does not have"),
    ]);
    expect(plan.actions[0]).toMatchObject({ groups: [{ name: "research" }] });
  });

  it("gives a group image to its own group, with its groupName", () => {
    const plan = planSync({
      catalog: catalog([image("g", { system: false, groupName: "vision", groups: [] })]),
      state: state([]),
      owned: [],
    });
    expect(plan.actions[0]).toMatchObject({
      fields: { groupName: "vision" },
      groups: [{ name: "vision", id: "g-vision" }],
    });
  });
});

describe("mutationOf", () => {
  it("aliases one field per action, in order, sending every field of an update", () => {
    const a = image("a");
    const plan = planSync({
      catalog: catalog([image("a", { description: "d" }), image("b")]),
      state: state([synced(a), synced(image("c"))]),
      owned: ["a", "c"],
    });
    const { query, variables } = mutationOf(plan.actions);
    expect(query).toBe(
      "mutation Sync($a0w: ImageWhereUniqueInput!, $a0: ImageUpdateInput!, $a1: ImageCreateInput!, $a2w: ImageWhereUniqueInput!) {\n  a0: updateImage(where: $a0w, data: $a0) { id }\n  a1: createImage(data: $a1) { id }\n  a2: deleteImage(where: $a2w) { id }\n}",
    );
    expect(variables.a0).toEqual({
      displayName: "a",
      description: "d",
      type: "cpu",
      url: a.url,
      urlForGpu: a.urlForGpu,
      useImagePullSecret: "",
      groupName: "",
      global: false,
      groups: { connect: [], disconnect: [] },
    });
    expect(variables.a2w).toEqual({ id: "c" });
  });
});
