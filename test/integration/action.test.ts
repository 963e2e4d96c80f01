import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { seedDebianBase } from "../../scripts/debian-base.mjs";
import type { PublishedCatalog } from "../../src/catalog/index.js";
import type { Plan } from "../../src/stages/plan/index.js";
import {
  type ActionRun,
  annotations,
  dispatchEvent,
  pullRequestEvent,
  pushEvent,
  runAction,
  startAction,
} from "../helpers/action.js";
import { clone, commit as commitTo, git, gitRepository, temp } from "../helpers/git.js";
import { type GitHubApi, startGitHubApi } from "../helpers/github-api.js";
import { imageIn } from "../helpers/published.js";
import { type Recorder, startRecorder } from "../helpers/recorder.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";
import { startPrimeHub } from "../helpers/primehub.js";

const exec = promisify(execFile);

let registry: TestRegistry;
let bases: { plain: string; withUser: string };
let github: GitHubApi;
/** The repository the workflow runs for: a real git repository every job clones afresh. */
let origin: string;

/** Commits files to the repository (null deletes one). */
async function commit(files: Record<string, string | null>): Promise<void> {
  await commitTo(origin, files);
}

/** A fresh runner's checkout: nothing from earlier jobs (no .imagesmith), as on GitHub. */
function checkout(): Promise<string> {
  return clone(origin);
}

/** Every output some run of the Action in this file set (read back from GITHUB_OUTPUT). */
const producedOutputs = new Set<string>();

async function action(
  workspace: string,
  inputs: Record<string, string>,
  event = pushEvent(),
  env: Record<string, string> = {},
): Promise<ActionRun> {
  const run = await runAction({
    workspace,
    inputs: { "github-token": "gh-token", ...inputs },
    event,
    apiUrl: github.url,
    env,
  });
  for (const name of Object.keys(run.outputs)) producedOutputs.add(name);
  return run;
}

async function readCatalog(path: string): Promise<PublishedCatalog> {
  return JSON.parse(await readFile(path, "utf8")) as PublishedCatalog;
}

const image = imageIn;

async function repositories(): Promise<string[]> {
  const response = await fetch(`${registry.url}/v2/_catalog?n=1000`);
  return ((await response.json()) as { repositories: string[] }).repositories;
}

const tools = (apt: string) =>
  `displayName: tools\nbuild:\n  baseImage: ${bases.plain}\n  packages:\n    apt: [${apt}]\nglobal: true\n`;
const other = (apt: string) =>
  `displayName: other\nbuild:\n  baseImage: ${bases.withUser}\n  packages:\n    apt: [${apt}]\ngroups: [research]\n`;

beforeAll(async () => {
  registry = await startRegistry();
  bases = await seedDebianBase(registry.host);
  github = await startGitHubApi({ pageSize: 2, personalTokens: { "pat-alice": "alice" } });
  origin = await gitRepository();
  await commit({
    "imagesmith.yaml": `registry: ${registry.host}/ml\ninsecureRegistries: [${registry.host}]\ngroups: [research, vision]\n`,
    "images/tools.yaml": tools("hello"),
    "images/child.yaml": `displayName: child\nbuild:\n  baseImage: image:tools\n  packages:\n    apt: [tree]\nglobal: true\n`,
    "images/other.yaml": other("hello"),
    "images/debian.yaml": `displayName: debian\nurl: ${bases.plain}\ngroups: [research]\n`,
  });
}, 900_000);

afterAll(async () => {
  await registry?.stop();
  await github?.stop();
});

describe("the Action on a pull request", () => {
  it("marks each validation problem on its file and line, and posts the problems as the plan comment", async () => {
    const workspace = await checkout();
    await writeFile(
      join(workspace, "images/bad.yaml"),
      "displayName: bad\nbuild:\n  baseImage: debian:12\n  packages:\n    apt: [git, 'vim;rm -rf /']\nglobal: true\n",
    );

    const run = await action(workspace, { command: "plan" }, pullRequestEvent(7));

    expect(run.code).toBe(1);
    const errors = annotations(run.stdout).filter((a) => a.level === "error");
    expect(errors).toContainEqual(
      expect.objectContaining({
        properties: expect.objectContaining({ file: "images/bad.yaml", line: "5", col: "23" }),
      }),
    );
    const comments = github.comments.filter((comment) => comment.issue === 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toMatch(/^<!-- imagesmith:plan root=\. -->\n/);
    expect(comments[0]?.body).toContain("The catalog is invalid");
    expect(comments[0]?.body).toContain("`images/bad.yaml:5:23`");
    expect(run.summary).toContain("The catalog is invalid");
  });

  it("posts the plan as one comment, edited in place on every push, with access changes first", async () => {
    // Other people's comments come first, over more than one page; one copies our marker.
    for (const body of ["LGTM", "<!-- someone else --> hi", "please add scipy"])
      github.addComment(7, body, "reviewer");
    const fake = github.addComment(7, "<!-- imagesmith:plan root=. -->\nskip review", "mallory");
    const workspace = await checkout();

    const run = await action(workspace, { command: "plan" }, pullRequestEvent(7));
    await writeFile(join(workspace, "images/other.yaml"), other("hello, jq"));
    const again = await action(workspace, { command: "plan" }, pullRequestEvent(7));

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const ours = github.comments.filter(
      (c) => c.issue === 7 && c.body.startsWith("<!-- imagesmith:plan") && c.user.type === "Bot",
    );
    expect(ours).toHaveLength(1);
    expect(github.comments).toContainEqual(fake);
    expect(fake.body).toBe("<!-- imagesmith:plan root=. -->\nskip review");
    expect(github.writes().filter((w) => w.method === "POST")).toHaveLength(1);
    expect(github.writes().filter((w) => w.method === "PATCH")).toHaveLength(2);
    expect(ours[0]?.body).toContain("jq");
    expect(ours[0]?.body).toContain(
      "imagesmith plan for commit 5eb1c0ffee5e · [workflow run](http://127.0.0.1:9/acme/ml-images/actions/runs/4242/attempts/1)",
    );
    expect(
      github.requests.every(
        (r) => r.authorization === undefined || r.authorization === "token gh-token",
      ),
    ).toBe(true);

    const plan = JSON.parse(run.outputs.plan ?? "") as Plan;
    expect(plan.summary.build).toBe(3);
    expect(run.outputs["has-changes"]).toBe("true");
    expect(run.outputs.changed).toBe("other,tools,child");
    expect(JSON.parse(run.outputs.matrix ?? "")).toEqual({
      include: [
        { unit: "unit-1", images: "tools,child" },
        { unit: "unit-2", images: "other" },
      ],
    });
    expect(run.summary.indexOf("### Access changes")).toBeLessThan(
      run.summary.indexOf("### Summary"),
    );
    expect(await repositories()).not.toContain("ml/tools");
  });

  it("with a personal token, edits the comment its user wrote", async () => {
    const workspace = await checkout();
    const inputs = { command: "plan", "github-token": "pat-alice" };

    await action(workspace, inputs, pullRequestEvent(8));
    await writeFile(join(workspace, "images/other.yaml"), other("hello, tree"));
    const again = await action(workspace, inputs, pullRequestEvent(8));

    expect(again.code, again.stdout + again.stderr).toBe(0);
    const ours = github.comments.filter((c) => c.issue === 8);
    expect(ours).toHaveLength(1);
    expect(ours[0]?.user).toEqual({ login: "alice", type: "User" });
    expect(ours[0]?.body).toContain("tree");
    expect(again.stdout).toMatch(/the plan comment on pull request #8 is updated/);
  });

  it("never pushes from a fork, even when asked to run, and says why; the password is masked before anything else", async () => {
    const workspace = await checkout();
    const before = await repositories();
    const writesBefore = github.writes().length;
    github.readOnly = true;
    const password = "fork-pa55word-that-must-not-show";

    const run = await action(
      workspace,
      {
        command: "run",
        "registry-username": "ci",
        "registry-password": password,
        "github-token": "gh-token",
      },
      pullRequestEvent(8, true),
    ).finally(() => {
      github.readOnly = false;
    });

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(
      "comes from a fork (mallory/ml-images): it never pushes or publishes",
    );
    expect(await repositories()).toEqual(before);
    const writes = github.writes().slice(writesBefore);
    for (const write of writes) {
      expect(write.url).toMatch(/\/issues\/8\/comments$/);
      expect(JSON.stringify(write.body)).toContain("imagesmith plan");
    }
    expect(run.stdout).toContain(
      "could not post the plan on pull request #8 (a pull request from a fork gets a read-only token)",
    );
    expect(run.stdout.split("\n")[0]).toBe(`::add-mask::${password}`);
    const shown = run.stdout.split("\n").slice(1).join("\n");
    expect(shown + run.stderr + JSON.stringify(run.outputs) + run.summary).not.toContain(password);
  });
});

/** The log without the lines that ask the runner to mask a secret (they name it, to mask it). */
function unmasked(stdout: string): string {
  return stdout
    .split("\n")
    .filter((line) => !line.startsWith("::add-mask::"))
    .join("\n");
}

describe("the Action on a pull request that moves the push target", () => {
  let recorder: Recorder;

  beforeAll(async () => {
    recorder = await startRecorder();
  });

  afterAll(async () => {
    await recorder?.stop();
  });

  async function hijacked(): Promise<string> {
    const workspace = await checkout();
    const config = await readFile(join(workspace, "imagesmith.yaml"), "utf8");
    await writeFile(
      join(workspace, "imagesmith.yaml"),
      config
        .replace(`registry: ${registry.host}/ml`, `registry: ${recorder.host}/ml`)
        .replace("insecureRegistries: [", `insecureRegistries: [${recorder.host}, `),
    );
    return workspace;
  }

  it("sends the password nowhere but the registry input, fails on the registry line and says the push target changed", async () => {
    const password = `pw-${"7".repeat(20)}`;
    const workspace = await hijacked();

    const run = await action(
      workspace,
      {
        command: "plan",
        registry: `${registry.host}/ml`,
        "registry-username": "admin",
        "registry-password": password,
      },
      pullRequestEvent(31),
    );

    expect(run.code).toBe(1);
    expect(recorder.calls).toEqual([]);
    const found = annotations(run.stdout).find(
      (a) => a.properties.title === "imagesmith push-target",
    );
    expect(found).toMatchObject({
      level: "error",
      properties: { file: "imagesmith.yaml", line: "1" },
    });
    expect(found?.message).toContain(
      `push target changed: this catalog pushes to "${recorder.host}/ml"`,
    );
    const body = github.comments.find((c) => c.issue === 31)?.body ?? "";
    expect(body).toContain("push target changed");
    expect(`${unmasked(run.stdout)}${run.stderr}${body}`).not.toContain(password);
  });

  it("uses no credentials at all on a pull request when the workflow names no registry", async () => {
    const password = `pw-${"8".repeat(20)}`;
    const workspace = await hijacked();

    const run = await action(
      workspace,
      { command: "plan", "registry-username": "admin", "registry-password": password },
      pullRequestEvent(32),
    );

    expect(run.stdout).toContain("the registry credentials are not used");
    expect(recorder.calls.filter((call) => call.authorization !== undefined)).toEqual([]);
    expect(`${unmasked(run.stdout)}${run.stderr}`).not.toContain(password);
  });
});

describe("the Action on the default branch", () => {
  const resultsDir = () => temp("imagesmith-results-");

  /** One matrix job: a fresh checkout builds its unit and leaves its result in `results/<unit>/`. */
  async function buildUnit(
    entry: { unit: string; images: string },
    results: string,
    extra: Record<string, string> = {},
  ) {
    const workspace = await checkout();
    const out = join(workspace, "result");
    const run = await action(workspace, {
      command: "build",
      only: entry.images,
      unit: entry.unit,
      results: "result",
      ...extra,
    });
    // What actions/upload-artifact + download-artifact do: one folder per artifact.
    await cp(out, join(results, `result-${entry.unit}`), { recursive: true }).catch(
      () => undefined,
    );
    return run;
  }

  it("fans the builds out over a matrix and publishes one catalog from the units' results", async () => {
    const plan = await action(await checkout(), { command: "plan" });
    const matrix = JSON.parse(plan.outputs.matrix ?? "") as {
      include: { unit: string; images: string }[];
    };
    const results = await resultsDir();
    // What the plan artifact gives each build job: the plan job's plan, executed as it is.
    const planned = join(await temp("imagesmith-plan-artifact-"), "plan.json");
    await cp(plan.outputs["plan-file"] ?? "", planned);

    const builds = [];
    for (const entry of matrix.include)
      builds.push(await buildUnit(entry, results, { "plan-file": planned }));
    const workspace = await checkout();
    const publish = await action(workspace, { command: "publish", results: results });

    expect(plan.code, plan.stdout).toBe(0);
    expect(matrix.include.map((e) => e.images)).toEqual(["tools,child", "other"]);
    for (const run of builds) expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(builds[0]?.stdout).toContain(`executing the plan ${planned}, not planning again`);
    expect(builds[0]?.stdout).toMatch(/^child {2}done in \d+\.\d s$/m);
    expect(builds[0]?.stdout).not.toMatch(/\[other\] /);
    expect(builds[0]?.outputs.result).toMatch(/result\/unit-1\.json$/);
    expect(builds[0]?.stdout).toContain("::group::imagesmith: plan");
    expect(builds[0]?.stdout).toContain("::group::imagesmith: build (2)");
    const pushed = JSON.parse(builds[0]?.outputs.digests ?? "{}") as Record<string, string>;
    expect(Object.keys(pushed).sort()).toEqual(["child", "tools"]);
    expect(pushed.tools).toMatch(/\/ml\/tools@sha256:[0-9a-f]{64}$/);
    expect(publish.code, publish.stdout + publish.stderr).toBe(0);
    const catalog = await readCatalog(publish.outputs.catalog ?? "");
    for (const name of ["tools", "child", "other", "debian"]) {
      expect(image(catalog, name)).toMatchObject({ status: "ready" });
      expect(image(catalog, name).url).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
    expect(image(catalog, "tools").build?.builtAt).toBeDefined();
    // The facts each build job measured travel in its result file to the published catalog.
    for (const name of ["tools", "child", "other"]) {
      const build = image(catalog, name).build;
      expect(build?.sbom).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(build?.installed?.apt).toBeGreaterThan(50);
      expect(build?.size?.compressed).toBeGreaterThan(0);
    }
    expect(image(catalog, "tools").build?.logUrl).toBe(
      "http://127.0.0.1:9/acme/ml-images/actions/runs/4242/attempts/1",
    );
    expect(catalog.source.commit).toBe(await git(origin, "rev-parse", "HEAD"));
    const served = JSON.parse(publish.outputs.digests ?? "{}") as Record<string, string>;
    expect(served).toEqual(
      Object.fromEntries(catalog.images.map((entry) => [entry.name, entry.url])),
    );
    expect(await repositories()).toContain("ml/imagesmith-catalog");
    expect(publish.summary).toContain("## imagesmith catalog");
  });

  it("syncs PrimeHub from the published catalog on main, and only shows the sync on a pull request", async () => {
    const hub = await startPrimeHub({
      token: "ph-secret-7d1e",
      groups: [
        { id: "g-research", name: "research" },
        { id: "g-vision", name: "vision" },
      ],
    });
    try {
      const inputs = {
        command: "sync-primehub",
        "primehub-endpoint": hub.url,
        "primehub-token": "ph-secret-7d1e",
      };
      const preview = await action(await checkout(), inputs, pullRequestEvent(21));
      expect(preview.code, preview.stdout).toBe(0);
      expect(preview.stdout).toContain("PrimeHub is not changed");
      expect(hub.mutations).toEqual([]);

      const run = await action(await checkout(), inputs);
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout.split("\n")[0]).toBe("::add-mask::ph-secret-7d1e");
      expect(run.stdout.split("\n").slice(1).join("\n")).not.toContain("ph-secret-7d1e");
      expect(run.summary).toContain("## imagesmith sync primehub");
      const names = hub
        .state()
        .images.map((image) => image.name)
        .sort();
      expect(names).toEqual(["child", "debian", "other", "tools"]);
      expect(hub.state().images.find((image) => image.name === "other")?.groups).toEqual([
        "research",
      ]);
    } finally {
      await hub.stop();
    }
  });

  it("writes the catalog site from what the registry serves, for GitHub Pages", async () => {
    const run = await action(await checkout(), { command: "site" });
    expect(run.code, run.stdout).toBe(0);
    const site = run.outputs.site ?? "";
    expect(site).toMatch(/\.imagesmith\/site$/);
    const list = await readFile(join(site, "index.html"), "utf8");
    for (const name of ["tools", "child", "other", "debian"])
      expect(list).toContain(`href="images/${name}.html"`);
    const tools = await readFile(join(site, "images/tools.html"), "utf8");
    expect(tools).toContain("<h2>Dockerfile</h2>");
    expect(run.summary).toContain("## imagesmith site");
  });

  it("plans nothing once everything is published, reading the last catalog from the registry", async () => {
    const run = await action(await checkout(), { command: "plan" });

    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs["has-changes"]).toBe("false");
    expect(run.outputs.changed).toBe("");
    expect(JSON.parse(run.outputs.matrix ?? "")).toEqual({ include: [] });
  });

  it("shows a pull request's access changes first, against the catalog the registry holds", async () => {
    const workspace = await checkout();
    await writeFile(
      join(workspace, "images/other.yaml"),
      other("hello").replace("groups: [research]", "groups: [research, vision]"),
    );

    const run = await action(workspace, { command: "plan" }, pullRequestEvent(9));

    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.changed).toBe("");
    expect(run.outputs["has-changes"]).toBe("true");
    const body = github.comments.find((c) => c.issue === 9)?.body ?? "";
    expect(body).toContain("group vision gains other");
    expect(body.indexOf("group vision gains other")).toBeLessThan(body.indexOf("### Summary"));
  });

  it("verifies a pull request: the plan comment gains the builds, contracts and package delta, and nothing is pushed", async () => {
    const tags = async () =>
      Promise.all(
        (await repositories()).map(async (repository) => {
          const response = await fetch(`${registry.url}/v2/${repository}/tags/list`);
          return [repository, (await response.json()) as unknown] as const;
        }),
      );
    const before = await tags();
    const workspace = await checkout();
    await writeFile(join(workspace, "images/tools.yaml"), tools("hello, bc"));

    const plan = await action(workspace, { command: "plan" }, pullRequestEvent(12));
    expect(plan.code, plan.stdout).toBe(0);
    const run = await action(workspace, { command: "verify" }, pullRequestEvent(12));

    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.verified).toBe("true");
    const ours = github.comments.filter((c) => c.issue === 12);
    expect(ours).toHaveLength(1);
    const body = ours[0]?.body ?? "";
    expect(body.indexOf("## imagesmith plan")).toBeLessThan(body.indexOf("## imagesmith verify"));
    expect(body).toMatch(/\| tools \| ✓ \| ✓ 2 \| .* MB → .* MB \(\+/);
    expect(body).toMatch(/\| added \| apt \| `bc` \| 1\.\d/);
    expect(run.summary).toContain("## imagesmith verify");
    expect(await tags()).toEqual(before);

    // From a fork, with a package Debian does not have: the step fails, saying why, folded.
    await writeFile(join(workspace, "images/tools.yaml"), tools("hello, nosuchpkg-imagesmith"));
    const fork = await action(workspace, { command: "verify" }, pullRequestEvent(13, true));
    expect(fork.code).not.toBe(0);
    expect(fork.outputs.verified).toBe("false");
    expect(fork.stdout).toContain("::group::tools: the end of its build log");
    expect(fork.stdout).toContain("E: Unable to locate package nosuchpkg-imagesmith");
    expect(fork.stdout).toMatch(/::error title=imagesmith%3A tools did not verify::/);
    expect(fork.summary).toContain("E: Unable to locate package nosuchpkg-imagesmith");
    expect(await tags()).toEqual(before);
  });

  it("marks the images of a unit that left no result failed, and keeps their last good digests", async () => {
    const published = await readCatalog(
      (await action(await checkout(), { command: "publish" })).outputs.catalog ?? "",
    );
    await commit({
      "images/tools.yaml": tools("hello, tree"),
      "images/other.yaml": other("hello, jq"),
    });
    const plan = await action(await checkout(), { command: "plan" });
    const matrix = JSON.parse(plan.outputs.matrix ?? "") as {
      include: { unit: string; images: string }[];
    };
    const results = await resultsDir();

    // unit-1 (tools and its child) never reports: its runner died before uploading anything.
    const built = await buildUnit(
      matrix.include.find((e) => e.images === "other") ?? { unit: "", images: "" },
      results,
    );
    const publish = await action(await checkout(), { command: "publish", results });

    expect(built.code, built.stdout + built.stderr).toBe(0);
    expect(publish.code, publish.stdout + publish.stderr).toBe(0);
    const catalog = await readCatalog(publish.outputs.catalog ?? "");
    for (const name of ["tools", "child"]) {
      expect(image(catalog, name)).toMatchObject({
        status: "failed",
        url: image(published, name).url,
      });
      expect(image(catalog, name).message).toContain("left no result");
    }
    expect(image(catalog, "other").status).toBe("ready");
    expect(image(catalog, "other").url).not.toBe(image(published, "other").url);
    expect(publish.stdout).toMatch(/::warning.*tools.*failed/);
  });

  it("rebuilds the images a workflow_dispatch names, and cancelling records them cancelled with the last good kept", async () => {
    const before = await readCatalog(
      (await action(await checkout(), { command: "publish" })).outputs.catalog ?? "",
    );
    await commit({ "images/other.yaml": other("hello, jq, python3-pip") });
    const event = dispatchEvent("other");
    const plan = await action(await checkout(), { command: "plan", rebuild: "other" }, event);
    const workspace = await checkout();
    const started = await startAction({
      workspace,
      inputs: {
        command: "build",
        only: "other",
        rebuild: "other",
        unit: "unit-9",
        results: "result",
        verbose: "true",
      },
      event,
      apiUrl: github.url,
    });
    await waitFor(() => /\[other\] .*(Get:|Hit:|Reading)/.test(started.output()), started.output);

    started.child.kill("SIGINT");
    const cancelled = await started.done;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const results = await resultsDir();
    await cp(join(workspace, "result"), join(results, "result-unit-9"), { recursive: true });
    const publish = await action(await checkout(), { command: "publish", results }, event);

    const entry = (JSON.parse(plan.outputs.plan ?? "") as Plan).images.find(
      (e) => e.name === "other",
    );
    expect(entry?.action).toBe("build");
    expect((plan.outputs.changed ?? "").split(",")).toContain("other");
    expect(cancelled.code).not.toBe(0);
    expect(cancelled.stdout).toContain("cancelled");
    const result = JSON.parse(await readFile(join(workspace, "result/unit-9.json"), "utf8")) as {
      images: { name: string; state: string }[];
    };
    expect(result.images).toEqual([expect.objectContaining({ name: "other", state: "cancelled" })]);
    const catalog = await readCatalog(publish.outputs.catalog ?? "");
    expect(image(catalog, "other")).toMatchObject({
      status: "cancelled",
      url: image(before, "other").url,
    });
    const { stdout } = await exec("ps", ["-eo", "args"]);
    expect(
      stdout
        .split("\n")
        .filter((line) => line.includes(workspace) || /apt-get.* jq python3-pip/.test(line)),
    ).toEqual([]);
  });

  it("fails naming an image given to only that the catalog does not have, building nothing", async () => {
    const run = await action(await checkout(), { command: "build", only: "tools, nope" });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "cannot build only (--only, only) nope: no such image in the catalog",
    );
    expect(run.stdout).not.toMatch(/^tools /m);
  });

  it("refuses a plan-file that does not fit the checkout, building nothing", async () => {
    const plan = await action(await checkout(), { command: "plan", rebuild: "other" });
    const text = await readFile(plan.outputs["plan-file"] ?? "", "utf8");
    const dir = await temp("imagesmith-plan-artifact-");
    const write = async (name: string, change: (entry: Record<string, unknown>) => void) => {
      const data = JSON.parse(text) as { images: Record<string, unknown>[] };
      const entry = data.images.find((e) => e.name === "other");
      if (!entry) throw new Error("other is not in the plan");
      change(entry);
      await writeFile(join(dir, name), JSON.stringify(data));
      return join(dir, name);
    };
    const lean = await write("lean.json", (entry) => delete entry.dockerfile);
    const foreign = await write("foreign.json", (entry) => (entry.name = "gone"));

    const runs = [
      await action(await checkout(), { command: "build", only: "other", "plan-file": lean }),
      await action(await checkout(), { command: "build", "plan-file": foreign }),
      await action(await checkout(), { command: "plan", "plan-file": lean }),
    ];

    expect(plan.code, plan.stdout).toBe(0);
    expect(runs.map((run) => run.code)).toEqual([1, 1, 1]);
    expect(runs[0]?.stdout).toContain(
      `the plan ${lean} cannot be used: it builds other but holds no Dockerfile for it`,
    );
    expect(runs[1]?.stdout).toContain(
      `the plan ${foreign} cannot be used: it builds gone, which the catalog here does not define`,
    );
    expect(runs[2]?.stdout).toContain("input plan-file: only build and run execute a plan");
    for (const run of runs) expect(run.stdout).not.toMatch(/\[other\] /);
  });

  it("does not push from another branch, and says why", async () => {
    const before = await repositories();
    await commit({
      "images/extra.yaml": other("hello").replace("displayName: other", "displayName: extra"),
    });

    const run = await action(await checkout(), { command: "run" }, pushEvent("feature"));

    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("refs/heads/feature is not the default branch (main)");
    expect(await repositories()).toEqual(before);
    expect(run.outputs.changed).toContain("extra");
    await commit({ "images/extra.yaml": null });
  });
});

describe("the Action pushing with a password", () => {
  it("builds and publishes with registry-password and never shows it in stdout, stderr, outputs or the summary", async () => {
    const secure = await startRegistry({ auth: "htpasswd" });
    try {
      const creds = { username: secure.username ?? "", password: secure.password ?? "" };
      const seeded = await seedDebianBase(secure.host, () => undefined, creds);
      const workspace = await temp("imagesmith-secure-");
      await git(workspace, "init", "-q", "-b", "main");
      await writeFile(
        join(workspace, "imagesmith.yaml"),
        `registry: ${secure.host}/secret\ninsecureRegistries: [${secure.host}]\n`,
      );
      await mkdir(join(workspace, "images"));
      await writeFile(
        join(workspace, "images/a.yaml"),
        `displayName: a\nbuild:\n  baseImage: ${seeded.plain}\n  packages:\n    apt: [hello]\nglobal: true\n`,
      );

      const run = await action(workspace, {
        command: "run",
        "registry-username": creds.username,
        "registry-password": creds.password,
      });

      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(image(await readCatalog(run.outputs.catalog ?? ""), "a").status).toBe("ready");
      const masks = run.stdout.split("\n").filter((line) => line.startsWith("::add-mask::"));
      expect(masks[0]).toBe(`::add-mask::${creds.password}`);
      const shown = run.stdout
        .split("\n")
        .filter((line) => !line.startsWith("::add-mask::"))
        .join("\n");
      const base64 = Buffer.from(`${creds.username}:${creds.password}`).toString("base64");
      for (const text of [shown, run.stderr, JSON.stringify(run.outputs), run.summary]) {
        expect(text).not.toContain(creds.password);
        expect(text).not.toContain(base64);
      }
    } finally {
      await secure.stop();
    }
  });
});

describe("the Action's doctor", () => {
  it("checks the runner and the catalog into the summary, and fails the step on a check that fails", async () => {
    const workspace = await checkout();

    const ready = await action(workspace, { command: "doctor" });
    await writeFile(join(workspace, "images/broken.yaml"), "displayName: broken\ntype: tpu\n");
    const broken = await action(workspace, { command: "doctor" });

    expect(ready.code, ready.stdout).toBe(0);
    expect(ready.summary).toContain("## imagesmith doctor");
    expect(ready.summary).toMatch(/\| ✓ \| registry \| .*answers|serves/);
    expect(ready.summary).toMatch(/\| ✓ \| builder \| buildah version/);
    expect(broken.code).toBe(1);
    expect(broken.summary).toMatch(/\| ✗ \| catalog \| \d+ errors? in the definitions/);
    expect(broken.stdout).toMatch(/::error title=imagesmith doctor%3A catalog::/);
  });
});

async function waitFor(check: () => boolean, output: () => string, seconds = 180): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > seconds * 1000)
      throw new Error(`timed out; output so far:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Last in this file: every run above has added what it set.
describe("the Action's outputs", () => {
  it("produces every output action.yml declares, across the commands that set them", () => {
    const declared = Object.keys(
      (
        parseYaml(readFileSync(join(import.meta.dirname, "../../action.yml"), "utf8")) as {
          outputs: Record<string, unknown>;
        }
      ).outputs,
    ).sort();
    expect([...producedOutputs].sort()).toEqual(declared);
  });
});
