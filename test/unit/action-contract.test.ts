import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "../..");

interface ActionYaml {
  runs: { using: string; main: string };
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
}

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, string | boolean>;
}

interface Workflow {
  on: Record<string, unknown>;
  concurrency: { group: string; "cancel-in-progress": string };
  jobs: Record<
    string,
    {
      needs?: string | string[];
      if?: string;
      outputs?: Record<string, string>;
      steps: Step[];
      permissions?: Record<string, string>;
    }
  >;
}

const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as ActionYaml;
const workflow = parse(
  readFileSync(join(ROOT, ".github/workflows/images.yml"), "utf8"),
) as Workflow;

describe("action.yml", () => {
  it("runs the bundled dist/index.js on node24", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(existsSync(join(ROOT, "dist/index.js"))).toBe(true);
  });

  it("has the inputs and outputs scripts rely on, with their defaults", () => {
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining([
        "command",
        "root",
        "github-token",
        "registry-username",
        "registry-password",
        "comment",
        "rebuild",
        "only",
        "jobs",
        "results",
      ]),
    );
    expect(Object.keys(action.outputs)).toEqual(
      expect.arrayContaining(["plan", "matrix", "changed", "has-changes", "catalog"]),
    );
    expect(action.inputs.command?.default).toBe("plan");
    expect(action.inputs.root?.default).toBe(".");
    expect(action.inputs["github-token"]?.default).toBe("${{ github.token }}");
    expect(action.inputs.comment?.default).toBe("true");
  });

  it("is read by src/action.ts input for input, and its outputs set by src/github/report.ts", () => {
    const source = readFileSync(join(ROOT, "src/action.ts"), "utf8");
    const read = [
      ...source.matchAll(/(?:getInput|booleanInput|listInput|numberInput)\("([a-z-]+)"/g),
    ].map((m) => m[1]);
    // The door reads the inputs; src/github/report.ts sets the outputs.
    const reports = readFileSync(join(ROOT, "src/github/report.ts"), "utf8");
    const set = [...reports.matchAll(/setOutput\("([a-z-]+)"/g)].map((m) => m[1]);

    expect(new Set(read)).toEqual(new Set(Object.keys(action.inputs)));
    expect(new Set(set)).toEqual(new Set(Object.keys(action.outputs)));
  });
});

describe("the reference workflow", () => {
  const ours = Object.entries(workflow.jobs).flatMap(([job, spec]) =>
    spec.steps
      .filter((step) => step.uses?.startsWith("imagesmith/imagesmith@"))
      .map((step) => ({ job, step })),
  );

  it("passes the action only inputs it declares", () => {
    expect(ours.map((o) => o.step.with?.command)).toEqual([
      "plan",
      "verify",
      "build",
      "publish",
      "sync-primehub",
      "site",
    ]);
    for (const { step } of ours)
      for (const input of Object.keys(step.with ?? {}))
        expect(Object.keys(action.inputs)).toContain(input);
  });

  it("reads only outputs the action and the jobs declare", () => {
    const text = readFileSync(join(ROOT, ".github/workflows/images.yml"), "utf8");
    // Outputs of our steps (not of actions/deploy-pages and the like).
    const ids = new Set(ours.map((o) => o.step.id).filter(Boolean));
    for (const [, id, name] of text.matchAll(/steps\.([a-z]+)\.outputs\.([a-z_-]+)/g))
      if (ids.has(id)) expect(Object.keys(action.outputs)).toContain(name);
    expect(ids).toEqual(new Set(["plan", "publish", "site"]));
    for (const [, job, name] of text.matchAll(/needs\.([a-z]+)\.outputs\.([a-z-]+)/g))
      expect(Object.keys(workflow.jobs[job ?? ""]?.outputs ?? {})).toContain(name);
  });

  it("uploads hidden paths (.imagesmith/, where plan-file and catalog point) with include-hidden-files", () => {
    const uploads = Object.values(workflow.jobs)
      .flatMap((job) => job.steps)
      .filter((step) => step.uses?.startsWith("actions/upload-artifact@"));
    const hidden = uploads.filter(({ with: given = {} }) =>
      /(^|\/)\.[^./]|outputs\.(plan-file|catalog)\b/.test(String(given.path ?? "")),
    );

    expect(hidden.map((step) => step.with?.name)).toEqual([
      "plan",
      "verify-logs",
      "logs-${{ matrix.unit }}",
      "catalog",
    ]);
    for (const step of hidden) expect(step.with?.["include-hidden-files"]).toBe(true);
  });

  it("builds each unit from the plan job's plan artifact", () => {
    const build = workflow.jobs.build?.steps ?? [];
    const download = build.find((step) => step.uses?.startsWith("actions/download-artifact@"));
    const ours = build.find((step) => step.with?.command === "build");

    expect(download?.with).toMatchObject({ name: "plan" });
    expect(ours?.with?.["plan-file"]).toBe(`${download?.with?.path}/plan.json`);
    expect(ours?.with?.only).toBe("${{ matrix.images }}");
  });

  it("plans on pull requests, builds on main and on dispatch, and never publishes two runs at once", () => {
    expect(Object.keys(workflow.on)).toEqual([
      "pull_request",
      "push",
      "schedule",
      "workflow_dispatch",
    ]);
    expect(workflow.concurrency["cancel-in-progress"]).toBe(
      "${{ github.event_name == 'pull_request' }}",
    );
    expect(workflow.jobs.plan?.permissions).toMatchObject({ "pull-requests": "write" });
    expect(workflow.jobs.publish?.needs).toEqual(["plan", "build"]);
  });

  it("publishes the catalog site with GitHub Pages after each publish, and only then", () => {
    const publish = workflow.jobs.publish?.steps ?? [];
    const site = publish.findIndex((step) => step.with?.command === "site");
    expect(site).toBeGreaterThan(publish.findIndex((step) => step.with?.command === "publish"));
    expect(publish[site + 1]?.uses).toMatch(/^actions\/upload-pages-artifact@/);
    expect(publish[site + 1]?.with?.path).toBe("${{ steps.site.outputs.site }}");
    const pages = workflow.jobs.pages;
    expect(pages?.needs).toBe("publish");
    expect(pages?.permissions).toEqual({ pages: "write", "id-token": "write" });
    expect(pages?.steps.map((step) => step.uses)).toEqual(["actions/deploy-pages@v5"]);
  });

  it("verifies pull requests after the plan, pushing nothing and writing only the comment", () => {
    const verify = workflow.jobs.verify;
    expect(verify?.needs).toBe("plan");
    expect(verify?.if).toContain("github.event_name == 'pull_request'");
    expect(verify?.permissions).toEqual({
      contents: "read",
      "pull-requests": "write",
      packages: "read",
    });
    const uses = (verify?.steps ?? []).map((step) => step.uses ?? "");
    // The package cache is restored, never saved from a pull request.
    expect(uses.filter((u) => u.startsWith("actions/cache"))).toEqual(["actions/cache/restore@v5"]);
  });
});
