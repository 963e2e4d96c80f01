import { readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { validate } from "../../src/pipeline.js";
import { configSchema, imageSchema } from "../../src/stages/validate/schema.js";
import { planSchema } from "../../src/stages/plan/plan-file.js";

const ROOT = join(import.meta.dirname, "../..");

/** Every definition of this repository's example catalogs: images/ and examples/<name>/images/. */
async function exampleDefinitions(): Promise<string[]> {
  const examples = await readdir(join(ROOT, "examples"));
  const folders = ["images", ...examples.map((name) => `examples/${name}/images`)];
  const files: string[] = [];
  for (const folder of folders) {
    const found = await readdir(join(ROOT, folder), { recursive: true }).catch(() => []);
    for (const file of found) {
      if (file.endsWith(".yaml")) files.push(`${folder}/${file.split("\\").join("/")}`);
    }
  }
  return files.sort();
}

/** The schema a file's yaml-language-server modeline names, resolved as the editor resolves it. */
function modelineSchema(file: string, text: string): string | undefined {
  const match = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
  return match?.[1] && resolve(ROOT, dirname(file), match[1]);
}

/** A plan of one build entry, with `entry` merged into it. */
function plan(entry: Record<string, unknown>): unknown {
  return {
    apiVersion: "imagesmith/v1",
    kind: "Plan",
    source: {},
    baseline: { from: "none" },
    images: [
      {
        name: "tools",
        action: "build",
        reasons: ["new"],
        ref: "ghcr.io/acme/tools:0123456789abcdef",
        recipeHash: "0123456789abcdef",
        dependsOn: [],
        changes: [],
        ...entry,
      },
    ],
    accessChanges: [],
    summary: { build: 1, skip: 0, register: 0, update: 0, remove: 0 },
    errors: [],
  };
}

function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  ajv.addKeyword({ keyword: "x-rule", schemaType: "string" });
  ajv.addKeyword({ keyword: "errorMessage", schemaType: "string" });
  return ajv;
}

describe("schemas", () => {
  it.each([
    ["image", imageSchema],
    ["config", configSchema],
    ["plan", planSchema],
  ])("the %s schema is valid JSON Schema 2020-12 and compiles in strict mode", (_name, schema) => {
    const ajv = strictAjv();

    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it.each([
    ["a definition without displayName", {}],
    ["an unknown field", { displayName: "a", imageSpec: {} }],
    ["an unknown type", { displayName: "a", type: "both" }],
    ["global as a string", { displayName: "a", global: "yes" }],
    ["a build without baseImage", { displayName: "a", build: { packages: {} } }],
    [
      "a package manager that is not apt, conda or pip",
      { displayName: "a", build: { baseImage: "x", packages: { yum: [] } } },
    ],
    [
      "a package list of numbers",
      { displayName: "a", build: { baseImage: "x", packages: { apt: [1] } } },
    ],
    ["a display name with capitals", { displayName: "PyTorch" }],
    ["a pull secret with an underscore", { displayName: "a", pullSecret: "my_secret" }],
    ["a definition with neither url nor build", { displayName: "a", global: true }],
    [
      "a definition with both url and build",
      { displayName: "a", url: "debian", build: { baseImage: "debian" } },
    ],
    ["global with groups", { displayName: "a", url: "debian", global: true, groups: ["ml"] }],
    ["urlForGpu on an image that defaults to cpu", { displayName: "a", url: "a", urlForGpu: "b" }],
    ["urlForGpu on a gpu image", { displayName: "a", type: "gpu", url: "a", urlForGpu: "b" }],
  ])("the image schema rejects %s", (_name, data) => {
    const validate = strictAjv().compile(imageSchema);

    expect(validate(data)).toBe(false);
  });

  it.each([
    ["an unknown builder", { builder: "kaniko" }],
    ["an unknown field", { registyr: "x" }],
    ["a group that is not a Kubernetes name", { groups: ["ML"] }],
    ["mirrors as a list", { mirrors: ["a"] }],
  ])("the config schema rejects %s", (_name, data) => {
    const validate = strictAjv().compile(configSchema);

    expect(validate(data)).toBe(false);
  });

  it.each([
    [
      "a plan without its baseline",
      {
        apiVersion: "imagesmith/v1",
        kind: "Plan",
        source: {},
        images: [],
        accessChanges: [],
        summary: { build: 0, skip: 0, register: 0, update: 0, remove: 0 },
        errors: [],
      },
    ],
    ["an unknown action", plan({ action: "deploy" })],
    ["a Dockerfile next to a script", plan({ script: "curl | sh" })],
    ["a change of a field the catalog does not serve", plan({ changes: [{ field: "build" }] })],
  ])("the plan schema rejects %s", (_name, data) => {
    expect(strictAjv().compile(planSchema)(data)).toBe(false);
  });

  it("the config schema accepts an empty imagesmith.yaml", () => {
    expect(strictAjv().compile(configSchema)(null)).toBe(true);
  });

  it.each([
    ["an existing image", { displayName: "a", url: "debian", global: true }],
    ["a build", { displayName: "a", build: { baseImage: "debian" }, groups: ["ml"] }],
    ["global with no groups listed", { displayName: "a", url: "debian", global: true, groups: [] }],
    [
      "urlForGpu on a universal image",
      { displayName: "a", type: "universal", url: "a", urlForGpu: "b", global: false },
    ],
  ])("the image schema accepts %s", (_name, data) => {
    const validate = strictAjv().compile(imageSchema);

    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe("the example catalog", () => {
  it("heads every definition with a modeline naming this repository's image schema", async () => {
    const files = await exampleDefinitions();

    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const text = await readFile(join(ROOT, file), "utf8");
      expect(modelineSchema(file, text), file).toBe(join(ROOT, "schemas/image.schema.json"));
    }
  });

  it.each(["imagesmith.yaml", "examples/demo/imagesmith.yaml"])(
    "heads %s with a modeline naming the config schema",
    async (file) => {
      const text = await readFile(join(ROOT, file), "utf8");

      expect(modelineSchema(file, text)).toBe(join(ROOT, "schemas/config.schema.json"));
    },
  );

  it("is valid, with no warnings", async () => {
    const result = await validate({ root: ROOT });

    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("uses every feature the issue names", async () => {
    const { catalog } = await validate({ root: ROOT });
    const images = catalog.images;
    const raw = await Promise.all(
      images.map(
        async (i) => parse(await readFile(join(ROOT, i.file), "utf8")) as Record<string, unknown>,
      ),
    );

    expect(images.length).toBeGreaterThanOrEqual(6);
    expect(images.some((i) => i.url && i.type === "cpu")).toBe(true);
    expect(images.some((i) => i.type === "universal" && i.urlForGpu && i.pullSecret)).toBe(true);
    const builds = images.filter((i) => i.build && !i.build.baseImage.startsWith("image:"));
    expect(
      builds.some(
        (i) =>
          i.build?.packages.apt.length &&
          i.build.packages.conda.length &&
          i.build.packages.pip.length,
      ),
    ).toBe(true);
    expect(images.some((i) => i.build?.packages.conda.some((c) => c.startsWith("-c ")))).toBe(true);
    expect(images.some((i) => i.build?.baseImage.startsWith("image:"))).toBe(true);
    expect(images.some((i) => !i.system && i.groupName)).toBe(true);
    expect(images.some((i) => i.global)).toBe(true);
    expect(
      raw.some(
        (r) =>
          typeof (r.build as { packages?: { pip?: unknown } } | undefined)?.packages?.pip ===
          "string",
      ),
    ).toBe(true);
  });
});
