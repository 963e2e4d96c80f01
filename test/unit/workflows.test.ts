import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  NoOperationTraceWriter,
  convertWorkflowTemplate,
  isMapping,
  isString,
  parseWorkflow,
} from "@actions/workflow-parser";
import { convertActionTemplate, parseAction } from "@actions/workflow-parser/actions/index";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/index";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");

// The first major of each action that runs on node24: `runs.using: node24` in its action.yml at
// the vN tag of github.com/<action> (read at each major's tag, December 2026; GitHub deprecated
// the node20 runtime for actions). actions/upload-pages-artifact is a composite action: v5 is the
// first whose upload step is actions/upload-artifact@v7 (node24); v4 still used v4 (node20).
// imagesmith/imagesmith is this repository's action.yml, asserted below. A new action goes here
// only after reading its action.yml.
const FIRST_NODE24_MAJOR: Readonly<Record<string, number>> = {
  "actions/checkout": 5,
  "actions/setup-node": 5,
  "actions/upload-artifact": 6,
  "actions/download-artifact": 7,
  "actions/cache": 5,
  "actions/cache/restore": 5,
  "actions/cache/save": 5,
  "actions/upload-pages-artifact": 5,
  "actions/deploy-pages": 5,
  "imagesmith/imagesmith": 1,
};

function read(path: string): string {
  return readFileSync(join(ROOT, path), "utf8");
}

function usesProblem(uses: string): string | undefined {
  if (uses.startsWith("./") || uses.startsWith("docker://")) return undefined;
  const [action = "", ref = ""] = uses.split("@");
  const first = FIRST_NODE24_MAJOR[action];
  if (first === undefined)
    return `${uses}: not known to run on node24; read its action.yml and add it to FIRST_NODE24_MAJOR`;
  const major = /^v(\d+)$/.exec(ref)?.[1];
  if (major === undefined) return `${uses}: use a major tag (v${first} or later)`;
  if (Number(major) < first) return `${uses}: runs on an older Node; use v${first} or later`;
  return undefined;
}

function permissionsProblem(where: string, token: TemplateToken | undefined): string | undefined {
  if (token === undefined) return `${where} has no permissions:`;
  if (isString(token))
    return `${where} grants permissions: ${token.value}; name the scopes it needs`;
  return undefined;
}

/**
 * Every problem GitHub's parser or our conventions find in a workflow: parse errors, then the
 * workflow's and each job's permissions and timeout, then each action's major.
 */
async function workflowProblems(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map(String);
  if (errors.length > 0 || parsed.value === undefined || !isMapping(parsed.value)) return errors;
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors !== undefined) return template.errors.map((error) => error.Message);

  const problems: string[] = [];
  const top = parsed.value.find("permissions");
  const topProblem = permissionsProblem("the workflow", top);
  if (topProblem !== undefined) problems.push(topProblem);
  else if (top !== undefined && isMapping(top))
    for (const { key, value } of top)
      if (`${key.toString()}: ${value.toString()}` !== "contents: read")
        problems.push(
          `the workflow grants ${key.toString()}: ${value.toString()}; grant it per job`,
        );

  const jobs = parsed.value.find("jobs");
  for (const job of template.jobs) {
    const id = job.id.value;
    const raw = jobs !== undefined && isMapping(jobs) ? jobs.find(id) : undefined;
    const spec = raw !== undefined && isMapping(raw) ? raw : undefined;
    const jobProblem = permissionsProblem(`job ${id}`, spec?.find("permissions"));
    if (jobProblem !== undefined) problems.push(jobProblem);
    if (spec?.find("timeout-minutes") === undefined)
      problems.push(`job ${id} has no timeout-minutes:`);
    if (job.type !== "job") continue;
    for (const step of job.steps) {
      const problem = "uses" in step ? usesProblem(step.uses.value) : undefined;
      if (problem !== undefined) problems.push(`job ${id}: ${problem}`);
    }
  }
  return problems;
}

describe("the workflows, as GitHub's parser reads them", () => {
  for (const path of [".github/workflows/images.yml", ".github/workflows/ci.yml"])
    it(`finds no parse error, and least permissions, a timeout and node24 actions in every job of ${path}`, async () => {
      const problems = await workflowProblems(path, read(path));

      expect(problems).toEqual([]);
    });

  it("reports a parse error with its line and column", async () => {
    const workflow = [
      "on: push",
      "permissions: {}",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-24.04",
      "    permissions: {}",
      "    timeout-minutes: soon",
      "    steps:",
      "      - run: true",
    ].join("\n");

    const problems = await workflowProblems("bad.yml", workflow);

    expect(problems).toEqual(["bad.yml (Line: 7, Col: 22): Unexpected value 'soon'"]);
  });

  it("rejects broad permissions, a job without permissions or timeout, and actions on an older Node", async () => {
    const workflow = [
      "on: push",
      "permissions:",
      "  contents: read",
      "  packages: write",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-24.04",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "      - uses: actions/cache@0400d5f644dc74513175e3cd8d07132dd4860809",
      "      - uses: someone/else@v9",
      "      - uses: ./local",
      "  b:",
      "    runs-on: ubuntu-24.04",
      "    permissions: write-all",
      "    timeout-minutes: 5",
      "    steps:",
      "      - uses: actions/setup-node@v7",
    ].join("\n");

    const problems = await workflowProblems("broad.yml", workflow);

    expect(problems).toEqual([
      "the workflow grants packages: write; grant it per job",
      "job a has no permissions:",
      "job a has no timeout-minutes:",
      "job a: actions/checkout@v4: runs on an older Node; use v5 or later",
      "job a: actions/cache@0400d5f644dc74513175e3cd8d07132dd4860809: use a major tag (v5 or later)",
      "job a: someone/else@v9: not known to run on node24; read its action.yml and add it to FIRST_NODE24_MAJOR",
      "job b grants permissions: write-all; name the scopes it needs",
    ]);
  });

  it("accepts permissions: {} at the workflow level", async () => {
    const workflow = [
      "on: push",
      "permissions: {}",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-24.04",
      "    permissions:",
      "      contents: read",
      "    timeout-minutes: 5",
      "    steps:",
      "      - uses: actions/checkout@v7",
    ].join("\n");

    const problems = await workflowProblems("empty.yml", workflow);

    expect(problems).toEqual([]);
  });
});

describe("action.yml, as GitHub's parser reads it", () => {
  it("parses without errors and runs on node24", () => {
    const parsed = parseAction(
      { name: "action.yml", content: read("action.yml") },
      new NoOperationTraceWriter(),
    );
    const errors = parsed.context.errors.getErrors().map(String);
    const action =
      parsed.value === undefined ? undefined : convertActionTemplate(parsed.context, parsed.value);

    expect(errors).toEqual([]);
    expect(action?.runs).toMatchObject({ using: "node24", main: "dist/index.js" });
  });
});
