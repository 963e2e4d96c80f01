import { describe, expect, it } from "vitest";
import {
  createPrimeHubModel,
  PrimeHubError,
  type PrimeHubModel,
} from "../helpers/primehub/model.js";

const GROUPS = [
  { id: "g-research", name: "research", displayName: "Research" },
  { id: "g-ops", name: "ops" },
  { id: "g-ads", name: "ads", displayName: "Advertising" },
];

/** The error a call must throw. */
function thrown(call: () => unknown): PrimeHubError {
  try {
    call();
  } catch (error) {
    if (error instanceof PrimeHubError) return error;
    throw error;
  }
  throw new Error("expected a PrimeHubError, nothing was thrown");
}

function imageState(model: PrimeHubModel, name: string) {
  return model.state().images.find((image) => image.name === name);
}

describe("PrimeHub model createImage", () => {
  it("stores PrimeHub's defaults for an image given only a name", () => {
    const model = createPrimeHubModel();

    const created = model.createImage({ name: "base" });

    expect(created).toEqual({
      id: "base",
      name: "base",
      displayName: "base",
      description: null,
      type: "both",
      url: null,
      urlForGpu: null,
      useImagePullSecret: "",
      groupName: null,
      isReady: false,
    });
    expect(model.isGlobal("base")).toBe(false);
    expect(model.groupsOfImage("base")).toEqual([]);
  });

  it.each([
    ["both", "gpu.example/x", "gpu.example/x"],
    ["both", undefined, "cpu.example/x"],
    ["cpu", "gpu.example/x", "cpu.example/x"],
    ["gpu", "gpu.example/x", "cpu.example/x"],
  ])("for type %s with GPU URL %s stores the GPU URL %s", (type, urlForGpu, expected) => {
    const model = createPrimeHubModel();

    const created = model.createImage({ name: "x", type, url: "cpu.example/x", urlForGpu });

    expect(created).toMatchObject({
      type,
      url: "cpu.example/x",
      urlForGpu: expected,
      isReady: true,
    });
  });

  it("maps the role to the everyone group for global and to each connected group", () => {
    const model = createPrimeHubModel({ groups: GROUPS });

    model.createImage({
      name: "torch",
      global: true,
      groups: { connect: [{ id: "g-research" }, { id: "g-ads" }] },
    });

    expect(imageState(model, "torch")).toMatchObject({ global: true, groups: ["ads", "research"] });
  });

  it("answers a name already taken with RESOURCE_CONFLICT and changes nothing", () => {
    const model = createPrimeHubModel({ groups: GROUPS });
    model.createImage({ name: "torch", description: "first" });

    const error = thrown(() =>
      model.createImage({ name: "torch", description: "second", global: true }),
    );

    expect(error).toMatchObject({ code: "RESOURCE_CONFLICT", message: "Resource already exist" });
    expect(imageState(model, "torch")).toMatchObject({ description: "first", global: false });
  });

  it("leaves the role behind when Kubernetes refuses the name, so a retry is a conflict", () => {
    const model = createPrimeHubModel();

    const refused = thrown(() => model.createImage({ name: "Not_A_Name" }));
    const retried = thrown(() => model.createImage({ name: "Not_A_Name" }));

    expect(refused).toMatchObject({
      code: "INTERNAL_SERVER_ERROR",
      message: "HTTP request failed",
    });
    expect(retried.code).toBe("RESOURCE_CONFLICT");
    expect(model.images()).toEqual([]);
  });

  it("keeps the image and the known groups when a connected group is unknown", () => {
    const model = createPrimeHubModel({ groups: GROUPS });

    const error = thrown(() =>
      model.createImage({ name: "torch", groups: { connect: [{ id: "nope" }, { id: "g-ops" }] } }),
    );

    expect(error).toMatchObject({
      code: "INTERNAL_SERVER_ERROR",
      message: "Request failed with status code 404",
    });
    expect(imageState(model, "torch")).toMatchObject({ groups: ["ops"] });
  });
});

describe("PrimeHub model updateImage", () => {
  it("keeps fields left out but removes a pull secret and a group name not sent again", () => {
    const model = createPrimeHubModel();
    model.createImage({
      name: "torch",
      displayName: "Torch",
      description: "d",
      url: "u",
      useImagePullSecret: "pull",
      groupName: "research",
    });

    const updated = model.updateImage("torch", { description: "new" });

    expect(updated).toMatchObject({
      displayName: "Torch",
      description: "new",
      url: "u",
      useImagePullSecret: null,
      groupName: null,
    });
  });

  it("moves a universal image's own GPU URL to the new URL when only the URL is sent", () => {
    const model = createPrimeHubModel();
    model.createImage({ name: "torch", type: "both", url: "cpu:1", urlForGpu: "gpu:1" });

    const urlOnly = model.updateImage("torch", { url: "cpu:2" });
    const both = model.updateImage("torch", { url: "cpu:3", urlForGpu: "gpu:3" });
    const neither = model.updateImage("torch", { description: "d" });

    expect(urlOnly).toMatchObject({ url: "cpu:2", urlForGpu: "cpu:2" });
    expect(both).toMatchObject({ url: "cpu:3", urlForGpu: "gpu:3" });
    expect(neither).toMatchObject({ url: "cpu:3", urlForGpu: "gpu:3" });
  });

  it("works the URLs out again when the type changes", () => {
    const model = createPrimeHubModel();
    model.createImage({ name: "a", type: "cpu", url: "cpu:1" });
    model.createImage({ name: "b", type: "gpu", url: "gpu:1" });
    model.createImage({ name: "c", type: "both", url: "cpu:1", urlForGpu: "gpu:1" });

    const toBoth = model.updateImage("a", { type: "both" });
    const toBothWithUrls = model.updateImage("b", {
      type: "both",
      url: "cpu:2",
      urlForGpu: "gpu:2",
    });
    const toGpu = model.updateImage("c", { type: "gpu" });

    expect(toBoth).toMatchObject({ type: "both", url: "cpu:1", urlForGpu: "cpu:1" });
    expect(toBothWithUrls).toMatchObject({ type: "both", url: "cpu:2", urlForGpu: "gpu:2" });
    expect(toGpu).toMatchObject({ type: "gpu", url: "cpu:1", urlForGpu: "cpu:1" });
  });

  it("answers an unknown id with RESOURCE_NOT_FOUND", () => {
    const model = createPrimeHubModel();

    const error = thrown(() => model.updateImage("ghost", { description: "d" }));

    expect(error).toMatchObject({ code: "RESOURCE_NOT_FOUND", message: "HTTP request failed" });
  });

  it("changes global without touching the groups, and the groups without touching global", () => {
    const model = createPrimeHubModel({ groups: GROUPS });
    model.createImage({ name: "torch", global: true, groups: { connect: [{ id: "g-ops" }] } });

    model.updateImage("torch", { global: false });
    const afterGlobal = imageState(model, "torch");
    model.updateImage("torch", {
      groups: { connect: [{ id: "g-ads" }], disconnect: [{ id: "g-ops" }] },
    });
    const afterGroups = imageState(model, "torch");
    model.updateImage("torch", { global: null });

    expect(afterGlobal).toMatchObject({ global: false, groups: ["ops"] });
    expect(afterGroups).toMatchObject({ global: false, groups: ["ads"] });
    expect(model.isGlobal("torch")).toBe(false);
  });

  it("applies global and the group changes of one update together", () => {
    const model = createPrimeHubModel({ groups: GROUPS });
    model.createImage({ name: "torch", groups: { connect: [{ id: "g-ops" }] } });

    model.updateImage("torch", {
      global: true,
      groups: { connect: [{ id: "g-research" }], disconnect: [{ id: "g-ops" }] },
    });

    expect(imageState(model, "torch")).toMatchObject({ global: true, groups: ["research"] });
  });

  it("disconnects after connecting, so a group in both lists ends without the image", () => {
    const model = createPrimeHubModel({ groups: GROUPS });
    model.createImage({ name: "torch" });

    model.updateImage("torch", {
      groups: { connect: [{ id: "g-ops" }], disconnect: [{ id: "g-ops" }] },
    });

    expect(imageState(model, "torch")?.groups).toEqual([]);
  });

  it("keeps the patch and the known connects but skips the disconnects when a group is unknown", () => {
    const model = createPrimeHubModel({ groups: GROUPS });
    model.createImage({ name: "torch", groups: { connect: [{ id: "g-ops" }] } });

    const error = thrown(() =>
      model.updateImage("torch", {
        description: "patched",
        groups: { connect: [{ id: "g-ads" }, { id: "nope" }], disconnect: [{ id: "g-ops" }] },
      }),
    );

    expect(error.code).toBe("INTERNAL_SERVER_ERROR");
    expect(imageState(model, "torch")).toMatchObject({
      description: "patched",
      groups: ["ads", "ops"],
    });
  });
});

describe("PrimeHub model deleteImage", () => {
  it("removes the image and its role, so its access goes and the name is free again", () => {
    const model = createPrimeHubModel({ groups: GROUPS });
    model.createImage({ name: "torch", global: true, groups: { connect: [{ id: "g-ops" }] } });

    const deleted = model.deleteImage("torch");

    expect(deleted).toMatchObject({ id: "torch", name: "torch" });
    expect(model.image("torch")).toBeNull();
    expect(model.isGlobal("torch")).toBe(false);
    expect(model.groupsOfImage("torch")).toEqual([]);
    expect(model.createImage({ name: "torch" }).name).toBe("torch");
    expect(model.isGlobal("torch")).toBe(false);
  });

  it("answers an unknown id with RESOURCE_NOT_FOUND", () => {
    const model = createPrimeHubModel();

    expect(thrown(() => model.deleteImage("ghost")).code).toBe("RESOURCE_NOT_FOUND");
  });
});

describe("PrimeHub model queries", () => {
  function seeded(): PrimeHubModel {
    return createPrimeHubModel({
      groups: GROUPS,
      images: [
        { name: "tf", description: "TensorFlow", global: true },
        { name: "torch", displayName: "PyTorch", groups: ["research"] },
        { name: "mine", groupName: "research", groups: ["research"] },
      ],
    });
  }

  it("lists images by name and narrows them by mode", () => {
    const model = seeded();

    const all = model.images().map((image) => image.name);
    const system = model.images("SYSTEM_ONLY").map((image) => image.name);
    const group = model.images("GROUP_ONLY").map((image) => image.name);

    expect(all).toEqual(["mine", "tf", "torch"]);
    expect(system).toEqual(["tf", "torch"]);
    expect(group).toEqual(["mine"]);
  });

  it("filters images case-sensitively by *_contains and case-insensitively by search", () => {
    const model = seeded();

    expect(model.images(null, { displayName_contains: "Py" }).map((i) => i.name)).toEqual([
      "torch",
    ]);
    expect(model.images(null, { displayName_contains: "py" })).toEqual([]);
    expect(model.images(null, { search: "tensor" }).map((i) => i.name)).toEqual(["tf"]);
    expect(model.images(null, { id: "tf" }).map((i) => i.name)).toEqual(["tf"]);
  });

  it("lists groups by name and looks one up by id ignoring the other filters", () => {
    const model = seeded();

    expect(model.groups().map((group) => group.name)).toEqual(["ads", "ops", "research"]);
    expect(model.groups({ search: "adv" }).map((group) => group.name)).toEqual(["ads"]);
    expect(model.groups({ id: "g-ops", name_contains: "zzz" })).toEqual([
      { id: "g-ops", name: "ops", displayName: null },
    ]);
    expect(model.group("nope")).toBeNull();
  });

  it("lists a group's own images, not those it reaches as global", () => {
    const model = seeded();

    expect(model.imagesOfGroup("g-research").map((image) => image.name)).toEqual(["mine", "torch"]);
    expect(model.imagesOfGroup("g-research", "SYSTEM_ONLY").map((image) => image.name)).toEqual([
      "torch",
    ]);
    expect(model.imagesOfGroup("g-ops")).toEqual([]);
  });

  it("hands out copies, so a test cannot change the stored state by accident", () => {
    const model = seeded();

    const state = model.state();
    state.images[0]?.groups.push("ops");
    if (state.groups[0]) state.groups[0].name = "renamed";

    expect(model.state().images[0]?.groups).toEqual(["research"]);
    expect(model.groups()[0]?.name).toBe("ads");
  });

  it("refuses a seed image that names an unknown group", () => {
    expect(() => createPrimeHubModel({ images: [{ name: "x", groups: ["nope"] }] })).toThrow(
      "seed image x names an unknown group nope",
    );
  });
});
