/**
 * `imagesmith sync primehub` as a user runs it (the bundled CLI), against a stand-in PrimeHub that
 * validates every operation against PrimeHub's image and group schema, keeps its state in memory
 * as PrimeHub's resolvers do, and records every request and mutation.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PublishedCatalog, PublishedImage } from "../../src/catalog/types.js";
import { siteCatalog } from "../../scripts/site-catalog.mjs";
import { imagesmith, startImagesmith } from "../helpers/cli.js";
import { PRIMEHUB_TOKEN, type PrimeHubStub, startPrimeHub } from "../helpers/primehub.js";
import { startRegistry } from "../helpers/registry.js";

const digest = (n: number) => `sha256:${String(n).padStart(2, "0").repeat(32)}`;
const GROUPS = [
  { id: "g-research", name: "research" },
  { id: "g-vision", name: "vision" },
  { id: "g-nlp", name: "nlp" },
  { id: "g-platform", name: "platform" },
];

let work: string;
let hub: PrimeHubStub;
let counter = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "imagesmith-sync-"));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});
afterEach(async () => {
  await hub?.stop();
});

function image(name: string, extra: Partial<PublishedImage> = {}): PublishedImage {
  return {
    name,
    displayName: name,
    type: "cpu",
    url: `reg.acme.dev/ml/${name}@${digest(1)}`,
    urlForGpu: `reg.acme.dev/ml/${name}@${digest(1)}`,
    global: false,
    groups: ["research"],
    system: true,
    status: "ready",
    ...extra,
  };
}

function catalogOf(images: PublishedImage[]): PublishedCatalog {
  return { apiVersion: "imagesmith/v1", kind: "ImageCatalog", source: {}, images };
}

/** `imagesmith sync primehub` of a catalog file, against the stand-in, with its token. */
function sync(
  root: string,
  catalog: string,
  extra: string[] = [],
  env: Record<string, string> = {},
) {
  return imagesmith(
    ["sync", "primehub", "--endpoint", hub.url, "--root", root, "--catalog", catalog, ...extra],
    { PRIMEHUB_API_TOKEN: PRIMEHUB_TOKEN, ...env },
  );
}

/** A workspace: the catalog file and the ledger file a sync keeps (no registry here). */
async function workspace() {
  counter++;
  const dir = join(work, `ws-${counter}`);
  const catalog = join(dir, "catalog.json");
  const ledger = join(dir, "ledger.json");
  await rm(dir, { recursive: true, force: true });
  const { mkdir } = await import("node:fs/promises");
  await mkdir(dir, { recursive: true });
  return {
    dir,
    ledger,
    async publish(images: PublishedImage[]) {
      const sorted = [...images].sort((a, b) => a.name.localeCompare(b.name));
      await writeFile(catalog, JSON.stringify(catalogOf(sorted)));
    },
    sync(extra: string[] = [], env: Record<string, string> = {}) {
      return sync(dir, catalog, ["--ledger", ledger, ...extra], env);
    },
  };
}

const mutationsSince = (from: number) => hub.mutations.slice(from);

describe("sync primehub", () => {
  it("creates the catalog's images with the right global flag and groups, and offers only ready ones", async () => {
    hub = await startPrimeHub({ groups: GROUPS });
    const ws = await workspace();
    await ws.publish([
      image("tools", {
        global: true,
        groups: [],
        pullSecret: "ghcr-pull",
        description: "the tools",
      }),
      image("vision-gpu", {
        type: "universal",
        groups: ["research", "vision"],
        urlForGpu: `reg.acme.dev/ml/vision-gpu-cuda@${digest(2)}`,
      }),
      image("team", { system: false, groupName: "nlp", groups: [] }),
      image("never", { url: undefined, urlForGpu: undefined, status: "building" }),
    ]);

    const run = await ws.sync();

    expect(run.code, run.out + run.err).toBe(0);
    const state = hub.state();
    const find = (name: string) => state.images.find((i) => i.name === name);
    expect(find("tools")).toMatchObject({
      global: true,
      groups: [],
      useImagePullSecret: "ghcr-pull",
      description: "the tools",
      type: "cpu",
    });
    expect(find("vision-gpu")).toMatchObject({
      global: false,
      groups: ["research", "vision"],
      type: "both",
      urlForGpu: `reg.acme.dev/ml/vision-gpu-cuda@${digest(2)}`,
    });
    expect(find("team")).toMatchObject({ groupName: "nlp", groups: ["nlp"], global: false });
    expect(find("never")).toBeUndefined();
    expect(run.out).toContain("not offered: never: its first build is under way");
    expect(run.out.indexOf("Access")).toBeLessThan(run.out.indexOf("Images"));
    expect(JSON.parse(await readFile(ws.ledger, "utf8")).names).toEqual([
      "team",
      "tools",
      "vision-gpu",
    ]);

    // A second sync: one read, no mutation.
    const requests = hub.requests.length;
    const mutations = hub.mutations.length;
    const again = await ws.sync();
    expect(again.code, again.out).toBe(0);
    expect(hub.requests.length - requests).toBe(1);
    expect(mutationsSince(mutations)).toEqual([]);
    expect(hub.requests.every((request) => request.valid)).toBe(true);
  });

  it("connects and disconnects exactly the groups an access change names, in one mutation, shown first on a dry run", async () => {
    hub = await startPrimeHub({ groups: GROUPS });
    const ws = await workspace();
    await ws.publish([image("a", { groups: ["research", "nlp"] }), image("b")]);
    expect((await ws.sync()).code).toBe(0);
    await ws.publish([image("a", { groups: ["vision", "nlp"] }), image("b")]);

    const before = hub.mutations.length;
    const dry = await ws.sync(["--dry-run"]);
    expect(dry.code).toBe(0);
    expect(hub.mutations.length).toBe(before);
    expect(dry.out.split("\n").slice(0, 3)).toEqual([
      "Access (2 changes):",
      "  group research loses a",
      "  group vision gains a",
    ]);
    const markdown = await ws.sync(["--dry-run", "--format", "markdown"]);
    expect(markdown.out).toContain("- group research loses a");

    const run = await ws.sync();
    expect(run.code, run.out).toBe(0);
    const sent = mutationsSince(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      field: "updateImage",
      args: {
        where: { id: "a" },
        data: { groups: { connect: [{ id: "g-vision" }], disconnect: [{ id: "g-research" }] } },
      },
    });
    expect(hub.state().images.find((i) => i.name === "a")?.groups).toEqual(["nlp", "vision"]);
  });

  it("deletes only its own image when a definition goes, and never touches a person's images", async () => {
    hub = await startPrimeHub({
      groups: GROUPS,
      images: [
        { name: "handmade", url: "docker.io/library/python@" + digest(3), global: true },
        { name: "clash", url: "docker.io/library/clash@" + digest(4), groups: ["vision"] },
      ],
    });
    const ws = await workspace();
    await ws.publish([image("keep"), image("drop"), image("clash")]);

    const first = await ws.sync();
    expect(first.code).toBe(1);
    expect(first.out).toContain(
      "conflict: PrimeHub has an image clash that imagesmith did not create; it is left as it is (sync --adopt clash",
    );
    expect(hub.state().images.find((i) => i.name === "clash")).toMatchObject({
      url: "docker.io/library/clash@" + digest(4),
      groups: ["vision"],
    });

    await ws.publish([image("keep"), image("clash")]);
    const before = hub.mutations.length;
    const second = await ws.sync();
    expect(mutationsSince(before).map((m) => [m.field, m.args.where])).toEqual([
      ["deleteImage", { id: "drop" }],
    ]);
    expect(second.out).toContain("drop is deleted from PrimeHub: research loses it");
    expect(
      hub
        .state()
        .images.map((i) => i.name)
        .sort(),
    ).toEqual(["clash", "handmade", "keep"]);
    expect(JSON.parse(await readFile(ws.ledger, "utf8")).names).toEqual(["keep"]);

    // A person edits imagesmith's image in PrimeHub's screen: the next sync puts it back.
    hub.edit("keep", { description: "edited by hand", groups: ["research", "vision"] });
    const third = await ws.sync();
    expect(hub.state().images.find((i) => i.name === "keep")).toMatchObject({
      description: "",
      groups: ["research"],
    });
    expect(third.out).toContain("group vision loses keep");

    const adopted = await ws.sync(["--adopt", "clash"]);
    expect(adopted.code, adopted.out).toBe(0);
    expect(hub.state().images.find((i) => i.name === "clash")).toMatchObject({
      url: `reg.acme.dev/ml/clash@${digest(1)}`,
      groups: ["research"],
    });
    expect(hub.state().images.find((i) => i.name === "handmade")).toMatchObject({ global: true });
  });

  it("finishes next time what a sync cut short left, and names a group PrimeHub lacks", async () => {
    hub = await startPrimeHub({ groups: GROUPS });
    const ws = await workspace();
    const images = Array.from({ length: 60 }, (_, i) => image(`img-${String(i).padStart(2, "0")}`));
    images.push(image("ghostly", { groups: ["research", "ghosts"] }));
    await ws.publish(images);

    // The read and the first chunk of 25 go through; the connection drops on the second.
    hub.failAfter(2, "reset");
    const cut = await ws.sync();
    expect(cut.code).toBe(1);
    expect(cut.out).toMatch(
      /PrimeHub: 25 of 61 changes applied, 36 failed \(run sync again to finish\)/,
    );
    expect(hub.state().images).toHaveLength(25);
    // Claimed before they were created: the images made are imagesmith's.
    expect(JSON.parse(await readFile(ws.ledger, "utf8")).names).toHaveLength(61);

    hub.heal();
    const next = await ws.sync();
    expect(next.code).toBe(1); // the unknown group
    expect(next.out).toContain(
      "error: the catalog gives ghostly to group ghosts, which PrimeHub does not have",
    );
    expect(hub.state().images).toHaveLength(61);
    expect(hub.state().images.find((i) => i.name === "ghostly")?.groups).toEqual(["research"]);
    const last = hub.mutations.length;
    await ws.sync();
    expect(hub.mutations.length).toBe(last);
  });

  it("stops within 2 s on SIGTERM while PrimeHub does not answer, and the next sync finishes", async () => {
    hub = await startPrimeHub({ groups: GROUPS });
    const ws = await workspace();
    await ws.publish(
      Array.from({ length: 40 }, (_, i) => image(`img-${String(i).padStart(2, "0")}`)),
    );
    hub.failAfter(2, "hang");
    const started = startImagesmith(
      [
        "sync",
        "primehub",
        "--endpoint",
        hub.url,
        "--root",
        ws.dir,
        "--catalog",
        join(ws.dir, "catalog.json"),
        "--ledger",
        ws.ledger,
      ],
      { PRIMEHUB_API_TOKEN: PRIMEHUB_TOKEN },
    );
    const deadline = Date.now() + 30_000;
    while (hub.requests.length < 3 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hub.requests.length).toBe(3);
    const at = Date.now();
    started.child.kill("SIGTERM");
    const result = await started.done;
    expect(Date.now() - at).toBeLessThan(2000);
    expect(result.code).toBe(143);
    expect(result.err).toContain("cancelled (SIGTERM)");
    expect(hub.state().images).toHaveLength(25);

    hub.heal();
    const next = await ws.sync();
    expect(next.code, next.out).toBe(0);
    expect(hub.state().images).toHaveLength(40);
  });

  it("keeps the token out of every output, and says what to do when PrimeHub refuses it", async () => {
    hub = await startPrimeHub({ groups: GROUPS });
    const ws = await workspace();
    await ws.publish([image("a")]);
    const wrong = "wrong-token-3f9c1d";
    const refused = await ws.sync([], { PRIMEHUB_API_TOKEN: wrong });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("PrimeHub refused the token");
    expect(refused.out + refused.err).not.toContain(wrong);
    const missing = await ws.sync([], { PRIMEHUB_API_TOKEN: "" });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("set PRIMEHUB_API_TOKEN");
    for (const format of ["text", "json", "markdown"]) {
      const run = await ws.sync(["--format", format]);
      expect(run.out + run.err).not.toContain(PRIMEHUB_TOKEN);
    }
  });

  it("syncs a 500-image catalog against an unchanged PrimeHub with one read, and an access change with one mutation", async () => {
    hub = await startPrimeHub({ groups: GROUPS });
    const ws = await workspace();
    const big = (siteCatalog(500) as PublishedCatalog).images;
    await ws.publish(big);
    const first = await ws.sync();
    expect(first.code, first.out.slice(-500)).toBe(0);

    let requests = hub.requests.length;
    expect((await ws.sync()).code).toBe(0);
    expect(hub.requests.length - requests).toBeLessThanOrEqual(3);
    expect(hub.requests.slice(requests).every((r) => !r.isMutation)).toBe(true);

    const changed = big.map((entry) =>
      entry.name === "image-0007" ? { ...entry, global: !entry.global, groups: [] } : entry,
    );
    await ws.publish(changed);
    requests = hub.requests.length;
    const mutations = hub.mutations.length;
    expect((await ws.sync()).code).toBe(0);
    expect(mutationsSince(mutations)).toHaveLength(1);
    expect(hub.requests.length - requests).toBe(2);
  });

  it("keeps its ledger next to the catalog in the registry, so a fresh runner knows its images", async () => {
    hub = await startPrimeHub({ groups: GROUPS });
    const registry = await startRegistry();
    try {
      const config = `registry: ${registry.host}/ml\ninsecureRegistries: [${registry.host}]\n`;
      const runner = async (images: PublishedImage[]) => {
        counter++;
        const dir = join(work, `runner-${counter}`);
        const { mkdir } = await import("node:fs/promises");
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, "imagesmith.yaml"), config);
        await writeFile(join(dir, "catalog.json"), JSON.stringify(catalogOf(images)));
        return sync(dir, join(dir, "catalog.json"));
      };
      const first = await runner([image("a"), image("b")]);
      expect(first.code, first.out + first.err).toBe(0);
      expect(first.out).toMatch(
        new RegExp(`the ledger is ${registry.host}/ml/imagesmith-catalog:primehub-[0-9a-f]{16}`),
      );

      const mutations = hub.mutations.length;
      const fresh = await runner([image("a")]);
      expect(fresh.code, fresh.out).toBe(0);
      expect(mutationsSince(mutations).map((m) => [m.field, m.args.where])).toEqual([
        ["deleteImage", { id: "b" }],
      ]);
    } finally {
      await registry.stop();
    }
  });
});
