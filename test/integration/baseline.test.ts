/**
 * The published catalog is the truth: every plan is a diff against the catalog artifact in the
 * registry, and a publish never replaces it with less. Real git repositories (an origin, and fresh
 * clones as CI runners and people check it out), real buildah builds, a real registry.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDebianBase } from "../../scripts/debian-base.mjs";
import type { PulledCatalog } from "../../src/catalog/index.js";
import { parseImageReference } from "../../src/grammars/image-ref.js";
import { createRegistry } from "../../src/registry/client.js";
import type { Plan, PlannedImage } from "../../src/stages/plan/index.js";
import { pullRequestEvent, pushEvent, runAction } from "../helpers/action.js";
import { imagesmith } from "../helpers/cli.js";
import { clone, commit, git, gitRepository, temp } from "../helpers/git.js";
import { type GitHubApi, startGitHubApi } from "../helpers/github-api.js";
import { startHeaderProxy } from "../helpers/header-proxy.js";
import { imageIn, servedAt } from "../helpers/published.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";

let registry: TestRegistry;
let bases: { plain: string; withUser: string };
let github: GitHubApi;

beforeAll(async () => {
  registry = await startRegistry();
  bases = await seedDebianBase(registry.host);
  github = await startGitHubApi();
}, 900_000);

afterAll(async () => {
  await registry?.stop();
  await github?.stop();
});

/** imagesmith.yaml for a catalog published under `prefix`. */
function config(prefix: string, extra = ""): string {
  return `registry: ${registry.host}/${prefix}\ninsecureRegistries: [${registry.host}]\npullSecret: our-registry\ngroups: [research, vision, nlp]\n${extra}`;
}

const servedNow = (prefix: string) => servedAt(registry.host, prefix);
const image = imageIn;

function entry(plan: Plan, name: string): PlannedImage {
  const found = plan.images.find((e) => e.name === name);
  if (!found) throw new Error(`${name} is not in the plan`);
  return found;
}

async function planJson(root: string): Promise<Plan> {
  const run = await imagesmith(["plan", "--root", root, "--format", "json"]);
  expect(run.code, run.err).toBe(0);
  return JSON.parse(run.out) as Plan;
}

/** `imagesmith run` in a fresh clone of `origin`; expects it to succeed. */
async function runFresh(origin: string, url: string): Promise<string> {
  const workspace = await clone(origin, url);
  const run = await imagesmith(["run", "--root", workspace]);
  expect(run.code, run.out + run.err).toBe(0);
  return run.out;
}

describe("a revert, a re-apply and a catalog-wide pull secret", () => {
  const url = "https://example.invalid/acme/revert.git";
  let origin: string;
  const tools = (apt: string) =>
    `displayName: tools\nbuild:\n  baseImage: ${bases.plain}\n  packages:\n    apt: [${apt}]\nglobal: true\n`;
  let first: string;
  let second: string;

  beforeAll(async () => {
    origin = await gitRepository(url);
    await commit(origin, {
      "imagesmith.yaml": config("revert"),
      "images/tools.yaml": tools("hello"),
      "images/debian.yaml": `displayName: debian\nurl: ${bases.plain}\ngroups: [research]\n`,
    });
    await runFresh(origin, url);
    first = image((await servedNow("revert")).catalog, "tools").url ?? "";
    await commit(origin, { "images/tools.yaml": tools("hello, tree") });
    await runFresh(origin, url);
    second = image((await servedNow("revert")).catalog, "tools").url ?? "";
  });

  it("serves the image already built again when a change is reverted: an update with the url before and after, has-changes, no build", async () => {
    await git(origin, "revert", "--no-edit", "HEAD");

    const plan = await planJson(await clone(origin, url));
    const action = await runAction({
      workspace: await clone(origin, url),
      inputs: { command: "plan" },
      event: pushEvent(),
      apiUrl: github.url,
    });
    const out = await runFresh(origin, url);

    expect(second).not.toBe(first);
    expect(entry(plan, "tools")).toMatchObject({ action: "update", reasons: ["digest-changed"] });
    expect(entry(plan, "tools").changes).toEqual([
      { field: "url", before: second, after: first },
      { field: "urlForGpu", before: second, after: first },
    ]);
    expect(entry(plan, "tools").previousDockerfile).toContain('"tree"]');
    expect(plan.summary.build).toBe(0);
    expect(action.code, action.stdout).toBe(0);
    expect(action.outputs["has-changes"]).toBe("true");
    expect(action.outputs.changed).toBe("");
    expect(out).not.toMatch(/\[tools\] /);
    expect(image((await servedNow("revert")).catalog, "tools").url).toBe(first);
  });

  it("serves the later image again when the revert is reverted, still without building", async () => {
    await git(origin, "revert", "--no-edit", "HEAD");

    const plan = await planJson(await clone(origin, url));
    const out = await runFresh(origin, url);

    expect(entry(plan, "tools")).toMatchObject({ action: "update", reasons: ["digest-changed"] });
    expect(entry(plan, "tools").changes[0]).toEqual({ field: "url", before: first, after: second });
    expect(out).not.toMatch(/\[tools\] /);
    expect(image((await servedNow("revert")).catalog, "tools").url).toBe(second);
  });

  it("shows a catalog-wide pull secret change on every built image, before and after, and publishes it", async () => {
    await commit(origin, {
      "imagesmith.yaml": config("revert").replace("our-registry", "ghcr-pull"),
    });

    const workspace = await clone(origin, url);
    const plan = await planJson(workspace);
    const text = await imagesmith(["plan", "--root", workspace]);
    await runFresh(origin, url);

    expect(entry(plan, "tools")).toMatchObject({
      action: "update",
      reasons: ["pull-secret-changed"],
      changes: [{ field: "pullSecret", before: "our-registry", after: "ghcr-pull" }],
    });
    // An existing image is pulled with its own secret: the catalog's does not touch it.
    expect(entry(plan, "debian")).toMatchObject({ action: "skip", reasons: ["unchanged"] });
    expect(text.out).toContain("pullSecret: our-registry → ghcr-pull");
    const served = (await servedNow("revert")).catalog;
    expect(image(served, "tools")).toMatchObject({ pullSecret: "ghcr-pull", url: second });
  });
});

describe("a fresh clone, a stale checkout, and two catalogs on one registry prefix", () => {
  const url = "https://example.invalid/acme/stale.git";
  let origin: string;
  let stale: string;
  let before: PulledCatalog;

  beforeAll(async () => {
    origin = await gitRepository(url);
    await commit(origin, {
      "imagesmith.yaml": config("stale"),
      "images/a.yaml": `displayName: a\nurl: ${bases.plain}\ngroups: [research]\n`,
      "images/b.yaml": `displayName: b\nurl: ${bases.withUser}\nglobal: true\n`,
    });
    stale = await clone(origin, url);
    await commit(origin, {
      "images/a.yaml": `displayName: a\nurl: ${bases.plain}\ngroups: [research, vision]\n`,
      "images/c.yaml": `displayName: c\nurl: ${bases.plain}\ngroups: [nlp]\n`,
      "images/b.yaml": `displayName: b\nurl: ${bases.withUser}\ngroups: [vision]\n`,
    });
    await runFresh(origin, url);
    before = await servedNow("stale");
  });

  it("plans nothing to change from a fresh clone: the published catalog is the baseline, not a local file", async () => {
    const workspace = await clone(origin, url);

    const plan = await planJson(workspace);
    const text = await imagesmith(["plan", "--root", workspace]);

    expect(plan.baseline).toMatchObject({
      from: "registry",
      digest: before.digest,
      commit: await git(origin, "rev-parse", "HEAD"),
      history: "same",
      images: 3,
    });
    expect(plan.images.map((e) => e.action)).toEqual(["skip", "skip", "skip"]);
    expect(plan.accessChanges).toEqual([]);
    expect(text.out).toContain(
      `Compared with the published catalog ${registry.host}/stale/imagesmith-catalog@${before.digest}`,
    );
    expect(text.out).not.toContain("Access changes");
  });

  it("shows a stale checkout what publishing from it would undo, and refuses to publish from it", async () => {
    const behind = await imagesmith(["plan", "--root", stale]);
    const refused = await imagesmith(["run", "--root", stale]);
    // Fetched but not merged: git can tell that HEAD does not contain the published commit.
    await git(stale, "fetch", "-q", origin, "main");
    const plan = await imagesmith(["plan", "--root", stale]);
    const json = await planJson(stale);
    const run = await imagesmith(["run", "--root", stale]);

    expect(behind.out).toMatch(
      /^WARNING: The published catalog was made from commit [0-9a-f]{40}, which this checkout does not have \(it is behind/,
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("which this checkout does not have");

    expect(plan.out).toMatch(
      /^WARNING: The published catalog was made from commit [0-9a-f]{40}, which this checkout's HEAD does not contain/,
    );
    expect(json.baseline.history).toBe("not-ancestor");
    expect(entry(json, "c")).toMatchObject({ action: "remove" });
    expect(plan.out).toContain("group vision loses a");
    expect(plan.out).toContain("b is now usable by every group (global): nlp, research gain it");
    expect(run.code).toBe(1);
    expect(run.err).toContain("not publishing: the published catalog was made from commit");
    expect(run.err).toContain("this checkout is stale or has diverged");
    expect((await servedNow("stale")).digest).toBe(before.digest);
  });

  it("refuses to publish over the catalog of another repository that shares its registry prefix", async () => {
    const other = await gitRepository("https://example.invalid/acme/other.git");
    await commit(other, {
      "imagesmith.yaml": config("stale"),
      "images/z.yaml": `displayName: z\nurl: ${bases.plain}\nglobal: true\n`,
    });
    const workspace = await clone(other, "https://example.invalid/acme/other.git");

    const run = await imagesmith(["run", "--root", workspace]);

    expect(run.code).toBe(1);
    expect(run.err).toContain("not publishing: the published catalog was made from commit");
    expect(run.err).toContain(
      "of https://example.invalid/acme/stale, not of this repository (https://example.invalid/acme/other): two catalogs share the registry prefix",
    );
    expect((await servedNow("stale")).digest).toBe(before.digest);
  });

  it("publishes from the stale checkout only when told to, and then says so", async () => {
    const run = await imagesmith(["publish", "--root", stale, "--force-publish"]);

    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain("publishing anyway (--force-publish)");
    expect((await servedNow("stale")).catalog.images.map((i) => i.name)).toEqual(["a", "b"]);
    // Put back what main says, for the platform's sake.
    await runFresh(origin, url);
    expect((await servedNow("stale")).catalog.images.map((i) => i.name)).toEqual(["a", "b", "c"]);
  });
});

describe("a published catalog that cannot be read", () => {
  it("says so before anything else, refuses to publish over it, and publishes only when told to", async () => {
    const url = "https://example.invalid/acme/unread.git";
    const origin = await gitRepository(url);
    await commit(origin, {
      "imagesmith.yaml": config("unread"),
      "images/a.yaml": `displayName: a\nurl: ${bases.plain}\nglobal: true\n`,
    });
    // Someone pushed an image where the catalog lives.
    const client = createRegistry({ insecureRegistries: [registry.host] });
    const parsed = parseImageReference(`${registry.host}/unread/imagesmith-catalog:latest`);
    if (!parsed.ok) throw new Error("bad reference");
    const layer = new TextEncoder().encode("not a catalog\n");
    const empty = new TextEncoder().encode("{}");
    await client.pushBlob(parsed.value, empty);
    const pushed = await client.pushBlob(parsed.value, layer);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: (await client.pushBlob(parsed.value, empty)).digest,
        size: 2,
      },
      layers: [
        {
          mediaType: "application/vnd.oci.image.layer.v1.tar",
          digest: pushed.digest,
          size: pushed.size,
        },
      ],
    });
    await client.pushManifest(
      parsed.value,
      new TextEncoder().encode(manifest),
      "application/vnd.oci.image.manifest.v1+json",
    );
    const workspace = await clone(origin, url);

    const plan = await imagesmith(["plan", "--root", workspace]);
    const json = await planJson(workspace);
    const refused = await imagesmith(["run", "--root", workspace]);
    const forced = await imagesmith(["run", "--root", workspace, "--force-publish"]);

    expect(plan.out).toMatch(
      new RegExp(
        `^WARNING: The published catalog ${registry.host}/unread/imagesmith-catalog:latest could not be read \\(pulling the catalog`,
      ),
    );
    expect(plan.out).toContain("is this an image rather than the catalog?");
    expect(json.baseline.error).toContain(
      "has no layer of type application/vnd.imagesmith.catalog.v1+json",
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("not publishing: the published catalog");
    expect(refused.err).toContain("could not be read");
    expect(forced.code, forced.err).toBe(0);
    expect(forced.err).toContain("publishing anyway (--force-publish)");
    expect((await servedNow("unread")).catalog.images.map((i) => i.name)).toEqual(["a"]);
  });
});

describe("a registry proxy whose Docker-Content-Digest lies", () => {
  it("pins what the manifest bytes say, for an existing image and a base, and plans nothing on the next run", async () => {
    const lie = `sha256:${"d".repeat(64)}`;
    // Every manifest it answers (GET and HEAD) carries a digest of its choosing.
    const proxy = await startHeaderProxy(registry.url, (request, headers) => {
      if (!request.url.includes("/manifests/") || !headers["docker-content-digest"]) return false;
      if (request.method !== "GET" && request.method !== "HEAD") return false;
      headers["docker-content-digest"] = lie;
      return true;
    });
    try {
      const through = (ref: string) => ref.replace(registry.host, proxy.host);
      const url = "https://example.invalid/acme/lies.git";
      const origin = await gitRepository(url);
      await commit(origin, {
        "imagesmith.yaml": `registry: ${registry.host}/lies\ninsecureRegistries: [${registry.host}, ${proxy.host}]\n`,
        "images/debian.yaml": `displayName: debian\nurl: ${through(bases.plain)}\nglobal: true\n`,
        "images/plain.yaml": `displayName: plain\nbuild:\n  baseImage: ${through(bases.withUser)}\nglobal: true\n`,
      });
      const client = createRegistry({ insecureRegistries: [registry.host] });
      const truth = async (ref: string) => {
        const parsed = parseImageReference(ref);
        if (!parsed.ok) throw new Error(ref);
        return (await client.getManifest(parsed.value)).digest;
      };

      await runFresh(origin, url);
      const again = await planJson(await clone(origin, url));

      const served = (await servedNow("lies")).catalog;
      expect(proxy.rewritten()).toBeGreaterThan(0);
      expect(image(served, "debian").url).toBe(
        `${proxy.host}/${bases.plain.split("/").slice(1).join("/").split(":")[0]}@${await truth(bases.plain)}`,
      );
      expect(image(served, "plain")).toMatchObject({ status: "ready" });
      expect(image(served, "plain").build?.baseDigest).toBe(await truth(bases.withUser));
      expect(JSON.stringify(served)).not.toContain(lie);
      expect(again.images.map((e) => [e.name, e.action])).toEqual([
        ["debian", "skip"],
        ["plain", "skip"],
      ]);
    } finally {
      await proxy.stop();
    }
  });
});

describe("two publishes at once, and a stale plan finishing after another publish", () => {
  const url = "https://example.invalid/acme/race.git";
  let origin: string;
  const a = (extra: string) => `displayName: a\nurl: ${bases.plain}\n${extra}\n`;

  beforeAll(async () => {
    origin = await gitRepository(url);
    await commit(origin, {
      "imagesmith.yaml": config("race"),
      "images/a.yaml": a("groups: [research]"),
    });
    await runFresh(origin, url);
  });

  it("refuses to publish a plan file once the published catalog moved since it was made", async () => {
    await commit(origin, { "images/a.yaml": a("groups: [research, vision]") });
    const planned = await runAction({
      workspace: await clone(origin, url),
      inputs: { command: "plan" },
      event: pushEvent(),
      apiUrl: github.url,
    });
    const planFile = join(await temp("imagesmith-plan-artifact-"), "plan.json");
    await writeFile(planFile, await readFile(planned.outputs["plan-file"] ?? "", "utf8"));
    const runner = await clone(origin, url);
    // Meanwhile another run, of a newer commit, publishes.
    await commit(origin, { "images/a.yaml": a("groups: [research, vision]\ndescription: newer") });
    await runFresh(origin, url);
    const newer = await servedNow("race");

    const stale = await runAction({
      workspace: runner,
      inputs: { command: "run", "plan-file": planFile },
      event: pushEvent(),
      apiUrl: github.url,
    });

    expect(planned.code, planned.stdout).toBe(0);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain("the published catalog moved since it was made");
    expect((await servedNow("race")).digest).toBe(newer.digest);
    expect(image(newer.catalog, "a").description).toBe("newer");
  });

  it("lets no publish be overwritten unseen: every publish that succeeds is what is served, the others are refused", async () => {
    await commit(origin, { "images/a.yaml": a("groups: [nlp]\ndescription: racing") });
    const workspaces = await Promise.all([1, 2, 3].map(() => clone(origin, url)));

    const runs = await Promise.all(
      workspaces.map((workspace) => imagesmith(["publish", "--root", workspace])),
    );

    const served = await servedNow("race");
    // Each one that succeeded is what is served: it published it, or found it served already.
    const winners = runs.filter((run) => run.code === 0);
    expect(winners.length).toBeGreaterThan(0);
    for (const run of winners) expect(run.out).toContain(served.digest);
    for (const run of runs.filter((r) => r.code !== 0))
      expect(run.err).toMatch(
        /the published catalog moved (since the plan read it|while this publish moved it)/,
      );
    expect(image(served.catalog, "a")).toMatchObject({ groups: ["nlp"], description: "racing" });
  });
});

describe("a pull request that commits .imagesmith/catalog.json", () => {
  it("still shows the access it changes: the plan compares with the registry, never with the checkout", async () => {
    const url = "https://example.invalid/acme/hide.git";
    const origin = await gitRepository(url);
    await commit(origin, {
      "imagesmith.yaml": config("hide"),
      "images/a.yaml": `displayName: a\nurl: ${bases.plain}\ngroups: [research]\n`,
    });
    await runFresh(origin, url);
    const served = await servedNow("hide");
    // The pull request: vision gains a, and a forged catalog claims that was published already,
    // pinned at a digest of its choosing.
    const workspace = await clone(origin, url);
    const forged = structuredClone(served.catalog);
    const fake = `sha256:${"f".repeat(64)}`;
    forged.images[0] = {
      ...image(forged, "a"),
      groups: ["research", "vision"],
      url: `${image(forged, "a").url?.split("@")[0]}@${fake}`,
      urlForGpu: `${image(forged, "a").url?.split("@")[0]}@${fake}`,
    };
    await mkdir(join(workspace, ".imagesmith"), { recursive: true });
    await writeFile(join(workspace, ".imagesmith/catalog.json"), JSON.stringify(forged));
    await writeFile(
      join(workspace, "images/a.yaml"),
      `displayName: a\nurl: ${bases.plain}\ngroups: [research, vision]\n`,
    );
    await git(workspace, "add", "-A");
    await git(workspace, "commit", "-q", "-m", "vision gains a, quietly");

    const action = await runAction({
      workspace,
      inputs: { command: "plan", "github-token": "gh-token" },
      event: pullRequestEvent(41),
      apiUrl: github.url,
    });
    const cli = await planJson(workspace);

    expect(action.code, action.stdout).toBe(0);
    const body = github.comments.find((c) => c.issue === 41)?.body ?? "";
    expect(body).toContain("group vision gains a");
    expect(body).toContain(
      `Compared with the published catalog \`${registry.host}/hide/imagesmith-catalog@${served.digest}\``,
    );
    expect(action.outputs["has-changes"]).toBe("true");
    expect(cli.accessChanges).toEqual([{ image: "a", change: "group-added", group: "vision" }]);
    expect(entry(cli, "a").digest).toBe(image(served.catalog, "a").url?.split("@")[1]);
    expect(JSON.stringify(cli)).not.toContain(fake);
  });
});
