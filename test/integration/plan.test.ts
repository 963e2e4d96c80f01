import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { pinReference, type PublishedCatalog, readBaseline } from "../../src/catalog/index.js";
import { plan, type PlanOptions, publish } from "../../src/pipeline.js";
import { registryPort } from "../../src/ports.js";
import type { Registry } from "../../src/registry/types.js";
import { loadCatalog } from "../../src/stages/load.js";
import { FileBaseConfigCache } from "../../src/stages/plan/base-cache.js";
import { type Plan, planCatalog, type PlannedImage } from "../../src/stages/plan/index.js";
import { planSchema } from "../../src/stages/plan/plan-file.js";
import { parseReference } from "../../src/stages/plan/recipe.js";
import { validateCatalog } from "../../src/stages/validate/index.js";
import { compileSchema } from "../../src/schemas.js";
import { writeCatalog } from "../helpers/catalog.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";
import { pushImage } from "../helpers/seed.js";

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});

afterAll(async () => {
  await registry?.stop();
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t + "\n"), err: (t) => (err += t + "\n") });
  return { code, out, err };
}

async function planJson(root: string, ...extra: string[]): Promise<Plan> {
  const { code, out, err } = await run("plan", "--root", root, "--format", "json", ...extra);
  expect(err, err).not.toMatch(/error/);
  expect(code).toBe(0);
  const plan: unknown = JSON.parse(out);
  // Every plan the planner writes is a plan file a build job can be given.
  const validate = compileSchema(planSchema);
  expect(validate(plan), JSON.stringify(validate.errors)).toBe(true);
  return plan as Plan;
}

function byName(plan: Plan): Record<string, PlannedImage> {
  return Object.fromEntries(plan.images.map((entry) => [entry.name, entry]));
}

/** What publish will write after a successful run: enough of it for the plan to compare with. */
interface Definition {
  name: string;
  global?: boolean;
  groups?: string[];
  packages?: Partial<Record<"apt" | "conda" | "pip", string[]>>;
}

function published(plan: Plan, catalog: Definition[]): PublishedCatalog {
  return {
    apiVersion: "imagesmith/v1",
    kind: "ImageCatalog",
    source: {},
    images: plan.images.map((entry) => {
      const definition = catalog.find((c) => c.name === entry.name);
      const url = pinReference(entry.ref, entry.digest ?? "sha256:" + "0".repeat(64));
      return {
        name: entry.name,
        displayName: entry.name,
        type: "cpu" as const,
        url,
        urlForGpu: url,
        ...(entry.recipeHash === null ? { from: { url: entry.ref } } : {}),
        global: definition?.global ?? false,
        groups: definition?.groups ?? [],
        system: true,
        status: "ready" as const,
        ...(entry.recipeHash && entry.base
          ? {
              build: {
                baseImage: entry.base.image,
                baseDigest: entry.base.digest,
                packages: { apt: [], conda: [], pip: [], ...(definition?.packages ?? {}) },
                recipeHash: entry.recipeHash,
              },
            }
          : {}),
      };
    }),
  };
}

/** Pushes an image at every reference the plan would build, as a successful run would. */
async function buildAll(plan: Plan): Promise<void> {
  for (const entry of plan.images.filter((e) => e.action === "build"))
    await pushImage(entry.ref, { content: entry.name });
}

describe("plan against a real registry", () => {
  let root: string;
  const files = (host: string, extra: Record<string, string> = {}) => ({
    "imagesmith.yaml": `registry: ${host}/catalog\ninsecureRegistries: [${host}]\n`,
    "images/tools.yaml": `displayName: tools\nbuild:\n  baseImage: ${host}/upstream/debian:12\n  packages:\n    apt: [git]\nglobal: true\n`,
    "images/science.yaml":
      "displayName: science\nbuild:\n  baseImage: image:tools\n  packages:\n    pip: [numpy]\ngroups: [research]\n",
    "images/ml.yaml":
      "displayName: ml\nbuild:\n  baseImage: image:science\n  packages:\n    pip: [torch]\ngroups: [research]\n",
    "images/python.yaml": `displayName: python\nurl: ${host}/upstream/python:3.11\nglobal: true\n`,
    ...extra,
  });
  const definitions: Definition[] = [
    { name: "tools", global: true, packages: { apt: ["git"] } },
    { name: "science", groups: ["research"], packages: { pip: ["numpy"] } },
    { name: "ml", groups: ["research"], packages: { pip: ["torch"] } },
    { name: "python", global: true },
  ];
  let debianDigest: string;
  let pythonDigest: string;

  beforeAll(async () => {
    debianDigest = await pushImage(`${registry.host}/upstream/debian:12`, {
      user: "1000",
      content: "debian one",
    });
    pythonDigest = await pushImage(`${registry.host}/upstream/python:3.11`, { content: "python" });
    root = await writeCatalog(files(registry.host));
  });

  it("plans a chain of three image: bases in order, each built on its parent's tag", async () => {
    const plan = await planJson(root);

    expect(plan.images.map((e) => e.name)).toEqual(["python", "tools", "science", "ml"]);
    const images = byName(plan);
    expect(images.tools).toMatchObject({ action: "build", reasons: ["new"], dependsOn: [] });
    expect(images.science).toMatchObject({
      action: "build",
      reasons: ["parent-rebuilt"],
      dependsOn: ["tools"],
    });
    expect(images.ml).toMatchObject({
      action: "build",
      reasons: ["parent-rebuilt"],
      dependsOn: ["science"],
    });
    expect(images.python).toMatchObject({
      action: "register",
      reasons: ["new"],
      digest: pythonDigest,
      recipeHash: null,
    });
    expect(images.tools?.ref).toBe(`${registry.host}/catalog/tools:${images.tools?.recipeHash}`);
    expect(images.tools?.base).toMatchObject({
      digest: debianDigest,
      user: "1000",
      from: `${registry.host}/upstream/debian@${debianDigest}`,
    });
    expect(images.science?.dockerfile).toContain(`FROM ${images.tools?.ref}\n`);
    expect(images.ml?.dockerfile).toContain(`FROM ${images.science?.ref}\n`);
    for (const name of ["tools", "science", "ml"])
      expect(images[name]?.dockerfile).toMatch(/\nUSER 1000\n/);
    expect(plan.summary).toEqual({ build: 3, skip: 0, register: 1, update: 0, remove: 0 });
  });

  it("builds no recipe already in the registry, and adds it to a catalog that lacks it", async () => {
    await buildAll(await planJson(root));

    const plan = await planJson(root);

    expect(plan.images.filter((e) => e.action === "build")).toEqual([]);
    expect(byName(plan).tools).toMatchObject({ action: "update", reasons: ["new", "in-registry"] });
    expect(byName(plan).tools?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("rebuilds a forced image and its children, and nothing else", async () => {
    const plan = await planJson(root, "--force", "science");

    const images = byName(plan);
    expect(images.tools?.action).toBe("update");
    expect(images.science).toMatchObject({ action: "build", reasons: ["forced"] });
    expect(images.ml).toMatchObject({ action: "build", reasons: ["parent-rebuilt"] });
  });

  it("exits 2 for --force of an image that does not exist", async () => {
    const { code, err } = await run("plan", "--root", root, "--force", "nope");

    expect(code).toBe(2);
    expect(err).toContain("cannot rebuild (--force, rebuild) nope: no such image in the catalog");
  });

  it("reports only metadata and access changes as update, with the access changes listed", async () => {
    const before = published(await planJson(root), definitions);
    await writeFile(join(root, "previous.json"), JSON.stringify(before));
    await writeFile(
      join(root, "images/science.yaml"),
      "displayName: science\nbuild:\n  baseImage: image:tools\n  packages:\n    pip: [numpy]\nglobal: true\n",
    );

    const plan = await planJson(root, "--previous", join(root, "previous.json"));

    expect(byName(plan).science).toMatchObject({ action: "update", reasons: ["access-changed"] });
    expect(byName(plan).python).toMatchObject({ action: "skip", reasons: ["unchanged"] });
    // Global is every group: research, named before, neither gains nor loses it.
    expect(plan.accessChanges).toEqual([{ image: "science", change: "became-global" }]);
    expect(byName(plan).science?.changes).toEqual([
      { field: "global", before: false, after: true },
      { field: "groups", before: ["research"], after: [] },
    ]);
    await writeFile(join(root, "images/science.yaml"), files(registry.host)["images/science.yaml"]);
  });

  it("rebuilds exactly the changed image when its recipe changes", async () => {
    const before = published(await planJson(root), definitions);
    await writeFile(join(root, "previous.json"), JSON.stringify(before));
    await writeFile(
      join(root, "images/ml.yaml"),
      "displayName: ml\nbuild:\n  baseImage: image:science\n  packages:\n    pip: [torch, torchvision]\ngroups: [research]\n",
    );

    const plan = await planJson(root, "--previous", join(root, "previous.json"));

    expect(plan.images.filter((e) => e.action === "build").map((e) => [e.name, e.reasons])).toEqual(
      [["ml", ["recipe-changed"]]],
    );
    expect(byName(plan).ml?.previousDockerfile).toContain('"torch"]');
    const markdown = await run(
      "plan",
      "--root",
      root,
      "--format",
      "markdown",
      "--previous",
      join(root, "previous.json"),
    );
    expect(markdown.out).toContain('+     "torchvision"]');
    expect(markdown.out.indexOf("### Access changes")).toBeLessThan(
      markdown.out.indexOf("### Summary"),
    );
    expect(markdown.out).toContain("```mermaid");
    expect(markdown.out).toContain("class i_ml changed");
    await writeFile(join(root, "images/ml.yaml"), files(registry.host)["images/ml.yaml"]);
  });

  it("rebuilds an image whose base tag moved, and its children", async () => {
    const before = published(await planJson(root), definitions);
    await writeFile(join(root, "previous.json"), JSON.stringify(before));
    const moved = await pushImage(`${registry.host}/upstream/debian:12`, {
      user: "1000",
      content: "debian two",
    });

    const plan = await planJson(root, "--previous", join(root, "previous.json"));

    const images = byName(plan);
    expect(moved).not.toBe(debianDigest);
    expect(images.tools).toMatchObject({ action: "build", reasons: ["base-moved"] });
    expect(images.tools?.base?.digest).toBe(moved);
    expect(images.science).toMatchObject({ action: "build", reasons: ["parent-rebuilt"] });
    expect(images.ml).toMatchObject({ action: "build", reasons: ["parent-rebuilt"] });
    expect(images.python?.action).toBe("skip");
  });

  it("lists images gone from the catalog as remove, and who loses them", async () => {
    const before = published(await planJson(root), definitions);
    before.images.push({
      name: "old",
      displayName: "old",
      type: "cpu",
      url: "registry.acme/x@sha256:" + "1".repeat(64),
      urlForGpu: "registry.acme/x@sha256:" + "1".repeat(64),
      global: false,
      groups: ["vision"],
      system: true,
      status: "ready",
    });
    await writeFile(join(root, "previous.json"), JSON.stringify(before));

    const plan = await planJson(root, "--previous", join(root, "previous.json"));

    expect(byName(plan).old).toMatchObject({ action: "remove", reasons: ["deleted"] });
    expect(plan.accessChanges).toContainEqual({
      image: "old",
      change: "group-removed",
      group: "vision",
    });
    expect(plan.summary.remove).toBe(1);
  });

  it("writes the plan to --out and the Dockerfiles with render", async () => {
    const out = join(root, "out");

    const planned = await run(
      "plan",
      "--root",
      root,
      "--out",
      join(out, "plan.md"),
      "--format",
      "markdown",
    );
    // A folder that does not exist yet: render makes it.
    const rendered = await run("render", "--root", root, "--out", join(out, "rendered"));

    expect(planned.code).toBe(0);
    expect(await readFile(join(out, "plan.md"), "utf8")).toContain("## imagesmith plan");
    expect(rendered.code, rendered.err).toBe(0);
    expect(await readFile(join(out, "rendered", "ml", "Dockerfile"), "utf8")).toContain("FROM ");
    expect(rendered.out.trim().split("\n")).toHaveLength(3);
  });
});

describe("plan errors", () => {
  it("fails naming an existing image that is not in its registry, and what the registry said", async () => {
    const root = await writeCatalog({
      "imagesmith.yaml": `registry: ${registry.host}/catalog\ninsecureRegistries: [${registry.host}]\n`,
      "images/gone.yaml": `displayName: gone\nurl: ${registry.host}/upstream/nothing:1\nglobal: true\n`,
    });

    const { code, err } = await run("plan", "--root", root);

    expect(code).toBe(1);
    expect(err).toContain(
      `images/gone.yaml: error plan: gone: ${registry.host}/upstream/nothing:1 does not exist`,
    );
  });

  it("fails with exit 1 when the registry cannot be reached", async () => {
    const root = await writeCatalog({
      "imagesmith.yaml": "registry: 127.0.0.1:9/catalog\ninsecureRegistries: ['127.0.0.1:9']\n",
      "images/a.yaml": "displayName: a\nurl: 127.0.0.1:9/upstream/a:1\nglobal: true\n",
    });

    const { code, err } = await run("plan", "--root", root);

    expect(code).toBe(1);
    expect(err).toContain("127.0.0.1:9");
  });

  it("fails with exit 1 and the problems for an invalid catalog", async () => {
    const root = await writeCatalog({ "images/a.yaml": "displayName: A\n" });

    const { code, err } = await run("plan", "--root", root);

    expect(code).toBe(1);
    expect(err).toContain("images/a.yaml:1:14: error display-name");
  });
});

describe("plan layouts and mirrors", () => {
  it("puts every built image in one repository with singleRepository, and lists its tags to know what is built", async () => {
    await pushImage(`${registry.host}/upstream/debian:12`, { user: "1000", content: "layout" });
    const root = await writeCatalog({
      "imagesmith.yaml": `registry: ${registry.host}/all-images\nsingleRepository: true\ninsecureRegistries: [${registry.host}]\n`,
      "images/a.yaml": `displayName: a\nbuild:\n  baseImage: ${registry.host}/upstream/debian:12\n  packages: {apt: [git]}\nglobal: true\n`,
    });

    const plan = await planJson(root);

    expect(plan.images[0]?.ref).toBe(`${registry.host}/all-images:a-${plan.images[0]?.recipeHash}`);
    await pushImage(plan.images[0]?.ref ?? "", { content: "single" });
    const again = await planJson(root);
    expect(again.images[0]).toMatchObject({ action: "update", reasons: ["new", "in-registry"] });
    expect(again.images[0]?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("takes a recipe the previous catalog records as ready on trust with --trust-published, and asks the registry without it", async () => {
    await pushImage(`${registry.host}/upstream/debian:12`, { user: "1000", content: "trust" });
    const root = await writeCatalog({
      "imagesmith.yaml": `registry: ${registry.host}/trust\ninsecureRegistries: [${registry.host}]\n`,
      "images/a.yaml": `displayName: a\nbuild:\n  baseImage: ${registry.host}/upstream/debian:12\n  packages: {apt: [git]}\nglobal: true\n`,
      "images/py.yaml": `displayName: py\nurl: ${registry.host}/upstream/trusty:1\nglobal: true\n`,
    });
    await pushImage(`${registry.host}/upstream/trusty:1`, { content: "trusty" });
    const first = await planJson(root);
    const recorded = `sha256:${"ab".repeat(32)}`;
    const previous = published(
      { ...first, images: first.images.map((e) => ({ ...e, digest: recorded })) },
      [
        { name: "a", global: true, packages: { apt: ["git"] } },
        { name: "py", global: true },
      ],
    );
    // The existing image's pin, and the reference it was pinned from.
    for (const image of previous.images)
      if (image.name === "py") {
        image.urlForGpu = image.url = `${registry.host}/upstream/trusty@${recorded}`;
        image.from = { url: `${registry.host}/upstream/trusty:1` };
      }
    await writeFile(join(root, "previous.json"), JSON.stringify(previous));
    const from = ["--previous", join(root, "previous.json")];

    const trusted = await planJson(root, ...from, "--trust-published");
    const checked = await planJson(root, ...from);

    expect(byName(trusted).a).toMatchObject({ action: "skip", digest: recorded });
    expect(byName(checked).a).toMatchObject({ action: "build", reasons: ["missing"] });
    expect(byName(trusted).py).toMatchObject({ action: "skip", digest: recorded });
    expect(byName(checked).py).toMatchObject({ action: "register", reasons: ["digest-changed"] });
  });

  it("resolves bases through a mirror", async () => {
    const digest = await pushImage(`${registry.host}/dockerhub/library/debian:12`, {
      user: "app",
      content: "mirrored",
    });
    const root = await writeCatalog({
      "imagesmith.yaml": `registry: ${registry.host}/catalog\ninsecureRegistries: [${registry.host}]\nmirrors:\n  docker.io: ${registry.host}/dockerhub\n`,
      "images/a.yaml":
        "displayName: a\nbuild:\n  baseImage: debian:12\n  packages: {apt: [git]}\nglobal: true\n",
    });

    const plan = await planJson(root);

    expect(plan.images[0]?.base).toMatchObject({
      digest,
      user: "app",
      from: `${registry.host}/dockerhub/library/debian@${digest}`,
    });
  });
});

describe("a plan made while its catalog is validated", () => {
  // As the doors make it: with the run's cancel, which a plan's call-off must never trip.
  const run = new AbortController();
  const ports = registryPort({}, run.signal);
  /** The registry ports a plan made, with the call-off each was given and every call made through them. */
  function recordingPort(): {
    port: PlanOptions["registry"];
    made: { registry: Registry; callOff?: AbortSignal }[];
    calls: Promise<unknown>[];
  } {
    const made: { registry: Registry; callOff?: AbortSignal }[] = [];
    const calls: Promise<unknown>[] = [];
    return {
      made,
      calls,
      port: async (config, callOff) => {
        const registry = await ports(config, callOff);
        made.push({ registry, ...(callOff ? { callOff } : {}) });
        return new Proxy(registry, {
          get(target, key) {
            const value: unknown = Reflect.get(target, key, target);
            if (typeof value !== "function") return value;
            return (...args: unknown[]) => {
              const call = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
              calls.push(call);
              return call;
            };
          },
        });
      },
    };
  }

  /** Tags what `from` holds as `to` too, through the distribution API (no build). */
  async function copyImage(registry: Registry, from: string, to: string): Promise<void> {
    const source = parseReference(from);
    const target = parseReference(to);
    const manifest = await registry.getManifest(source);
    const body = JSON.parse(new TextDecoder().decode(manifest.body)) as {
      config: { digest: string };
      layers: { digest: string }[];
    };
    for (const digest of [body.config.digest, ...body.layers.map((layer) => layer.digest)])
      await registry.pushBlob(target, await registry.getBlob(source, digest));
    await registry.pushManifest(target, manifest.body, manifest.mediaType);
  }

  /** 120 definitions of every kind: existing (cpu and universal), built on two bases, chains of image: bases, group images. */
  function generated(host: string, round: number): Record<string, string> {
    const files: Record<string, string> = {
      "imagesmith.yaml": `registry: ${host}/ahead\ninsecureRegistries: [${host}]\ngroups: [research, vision]\npullSecret: ahead-pull\n`,
    };
    const builtNames: string[] = [];
    for (let i = 0; i < 120; i++) {
      const name = `img-${String(i).padStart(3, "0")}`;
      const group = i % 7 === 6 ? (i % 2 ? "research" : "vision") : undefined;
      const access = group ? "" : i % 3 ? "global: true\n" : "groups: [research]\n";
      let body: string;
      if (i % 6 === 0) body = `url: ${host}/upstream/ahead-existing:${i % 12 ? "a" : "b"}\n`;
      else if (i % 6 === 1)
        body = `type: universal\nurl: ${host}/upstream/ahead-existing:a\nurlForGpu: ${host}/upstream/ahead-existing:b\n`;
      else {
        const parent = !group && i % 5 === 0 && builtNames.length > 3;
        const base = parent
          ? `image:${builtNames[(i * 7) % builtNames.length]}`
          : `${host}/upstream/ahead-base-${i % 2}:1`;
        // The second round changes what a few images install: those are rebuilt, with their children.
        const pip = round > 0 && i % 17 === 2 ? `"numpy>=1.${i}", tqdm` : `"numpy>=1.${i}"`;
        body = `build:\n  baseImage: ${base}\n  packages:\n    apt: [git]\n    pip: [${pip}]\n`;
        if (!parent && !group) builtNames.push(name);
      }
      // The second round deletes a few images and changes the description of others.
      if (round > 0 && i % 29 === 28 && !builtNames.includes(name)) continue;
      const description = round > 0 && i % 11 === 3 ? "description: changed\n" : "";
      const file = group ? `images/groups/${group}/${name}.yaml` : `images/${name}.yaml`;
      files[file] = `displayName: ${name}\n${description}${body}${access}`;
    }
    return files;
  }

  it("plans a generated catalog as the stages do one after another, with the same requests", async () => {
    await pushImage(`${registry.host}/upstream/ahead-base-0:1`, { user: "1000", content: "b0" });
    await pushImage(`${registry.host}/upstream/ahead-base-1:1`, { content: "b1" });
    await pushImage(`${registry.host}/upstream/ahead-existing:a`, { content: "a" });
    await pushImage(`${registry.host}/upstream/ahead-existing:b`, { content: "b" });
    const root = await writeCatalog(generated(registry.host, 0));
    const seeding = await ports(validateCatalog(await loadCatalog(root)).catalog.config);
    const first = await plan({ root, registry: ports });
    const builds = (first.plan?.images ?? []).filter((entry) => entry.action === "build");
    for (const entry of builds.filter((_, index) => index % 2 === 0))
      await copyImage(seeding, `${registry.host}/upstream/ahead-base-1:1`, entry.ref);
    await publish({ root, registry: ports, forcePublish: true });
    const changed = generated(registry.host, 1);
    await rm(join(root, "images"), { recursive: true });
    for (const [file, text] of Object.entries(changed)) {
      await mkdir(dirname(join(root, file)), { recursive: true });
      await writeFile(join(root, file), text);
    }
    const recording = recordingPort();

    const ahead = await plan({ root, registry: recording.port });
    const { catalog } = validateCatalog(await loadCatalog(root));
    const alone = await ports(catalog.config);
    const read = await readBaseline(alone, catalog.config);
    const inTurn = await planCatalog({
      catalog,
      registry: alone,
      ...(read.catalog ? { previous: read.catalog } : {}),
      baseline: read.baseline,
      force: [],
      source: {},
      baseConfigs: await FileBaseConfigCache.open(undefined),
    });

    expect(JSON.stringify(ahead.plan)).toBe(JSON.stringify(inTurn));
    const summary = inTurn.summary;
    expect([summary.build, summary.skip, summary.update, summary.remove].every((n) => n > 0)).toBe(
      true,
    );
    expect(recording.made).toHaveLength(1);
    expect(recording.made[0]?.registry.requestCount).toBe(alone.requestCount);
    expect(recording.made[0]?.callOff?.aborted).toBe(false);
  });

  it("reports every problem of a catalog whose last file is invalid, plans nothing, and calls off the requests it started", async () => {
    // A registry that accepts connections and never answers: a request to it ends only when called off.
    const silent: Socket[] = [];
    const hole = createServer((socket) => silent.push(socket));
    await new Promise<void>((resolve) => hole.listen(0, "127.0.0.1", resolve));
    const host = `127.0.0.1:${(hole.address() as AddressInfo).port}`;
    const files: Record<string, string> = {
      "imagesmith.yaml": `registry: ${host}/silent\ninsecureRegistries: [${host}]\n`,
      "images/zz.yaml": `displayName: ZZ\nurl: ${host}/upstream/zz:1\nglobal: true\n`,
    };
    // Enough definitions that the registry is asked long before the last one is checked.
    for (let i = 0; i < 1500; i++)
      files[`images/a-${i}.yaml`] =
        `displayName: a-${i}\nurl: ${host}/upstream/a:${i}\nglobal: true\n`;
    const root = await writeCatalog(files);
    const recording = recordingPort();

    try {
      const result = await plan({ root, registry: recording.port });
      const settled = await Promise.race([
        Promise.allSettled(recording.calls),
        new Promise<"still waiting">((resolve) => setTimeout(() => resolve("still waiting"), 5000)),
      ]);

      expect(result.plan).toBeUndefined();
      expect(
        result.validation.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.rule}`),
      ).toEqual(["images/zz.yaml:1:14 display-name"]);
      expect(recording.made).toHaveLength(1);
      expect(recording.made[0]?.callOff?.aborted).toBe(true);
      expect(recording.calls.length).toBeGreaterThan(0);
      expect(settled).not.toBe("still waiting");
      expect(run.signal.aborted).toBe(false);
    } finally {
      for (const socket of silent) socket.destroy();
      hole.close();
    }
  });
});
