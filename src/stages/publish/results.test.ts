import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planOf } from "../../../test/helpers/plan.js";
import type { Plan, PlannedImage } from "../plan/index.js";
import { type BuildResult, buildResult, mergeResults, readResults } from "./results.js";

const DIGEST = `sha256:${"a".repeat(64)}`;

function entry(
  name: string,
  action: PlannedImage["action"],
  recipeHash = `${name}-r1`,
): PlannedImage {
  return {
    name,
    action,
    reasons: [],
    ref: `reg/${name}:${recipeHash}`,
    recipeHash,
    dependsOn: [],
    changes: [],
  };
}

function plan(images: PlannedImage[]): Plan {
  return planOf(images);
}

function result(
  images: BuildResult["images"],
  unit = "unit-1",
): { file: string; result: BuildResult } {
  return {
    file: `${unit}.json`,
    result: { apiVersion: "imagesmith/v1", kind: "BuildResult", unit, source: {}, images },
  };
}

describe("buildResult", () => {
  it("names each outcome's recipe, makes its log relative and drops the absolute path from the error", () => {
    const made = buildResult({
      plan: plan([entry("a", "build")]),
      outcomes: [
        {
          name: "a",
          state: "failed",
          error: "exit 100; see /ws/.imagesmith/logs/a.log",
          logFile: "/ws/.imagesmith/logs/a.log",
        },
      ],
      root: "/ws",
      source: { commit: "c0ffee" },
      unit: "unit-3",
    });

    expect(made).toEqual({
      apiVersion: "imagesmith/v1",
      kind: "BuildResult",
      unit: "unit-3",
      source: { commit: "c0ffee" },
      images: [
        {
          name: "a",
          recipeHash: "a-r1",
          state: "failed",
          error: "exit 100",
          log: ".imagesmith/logs/a.log",
        },
      ],
    });
  });
});

describe("mergeResults", () => {
  it("fails an image the plan still builds when no result speaks for it", () => {
    const merged = mergeResults(plan([entry("a", "build"), entry("b", "skip")]), []);

    expect(merged.outcomes.get("a")).toMatchObject({
      state: "failed",
      error: expect.stringContaining("left no result"),
    });
    expect(merged.outcomes.has("b")).toBe(false);
  });

  it("publishes a finished build from its result even though the registry now has it", () => {
    const merged = mergeResults(plan([entry("a", "skip")]), [
      result([
        {
          name: "a",
          recipeHash: "a-r1",
          state: "done",
          digest: DIGEST,
          finishedAt: "2026-11-26T10:00:00Z",
        },
      ]),
    ]);

    expect(merged.plan.images[0]?.action).toBe("build");
    expect(merged.outcomes.get("a")).toEqual({
      state: "done",
      digest: DIGEST,
      finishedAt: "2026-11-26T10:00:00Z",
    });
  });

  it("ignores, and says so, a result of another recipe or of an image the catalog does not build", () => {
    const merged = mergeResults(plan([entry("a", "build")]), [
      result([
        { name: "a", recipeHash: "a-r0", state: "done", digest: DIGEST },
        { name: "ghost", recipeHash: "g", state: "done", digest: DIGEST },
      ]),
    ]);

    expect(merged.outcomes.get("a")?.state).toBe("failed");
    expect(merged.notes).toEqual([
      expect.stringContaining("a was built from recipe a-r0, the catalog's is a-r1"),
      expect.stringContaining("ghost is not an image this catalog builds"),
    ]);
  });

  it("prefers a finished build when a re-run job reported the same image twice", () => {
    const merged = mergeResults(plan([entry("a", "build")]), [
      result(
        [
          {
            name: "a",
            recipeHash: "a-r1",
            state: "done",
            digest: DIGEST,
            finishedAt: "2026-11-26T09:00:00Z",
          },
        ],
        "u1",
      ),
      result(
        [{ name: "a", recipeHash: "a-r1", state: "cancelled", finishedAt: "2026-11-26T10:00:00Z" }],
        "u1-rerun",
      ),
    ]);

    expect(merged.outcomes.get("a")?.state).toBe("done");
  });
});

describe("readResults", () => {
  it("reads every result under the folder, one artifact folder each, and names a broken one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "imagesmith-results-"));
    await mkdir(join(dir, "result-unit-1"));
    await writeFile(join(dir, "result-unit-1/unit-1.json"), JSON.stringify(result([]).result));

    expect((await readResults(dir)).map((r) => r.result.unit)).toEqual(["unit-1"]);
    expect(await readResults(join(dir, "missing"))).toEqual([]);

    await writeFile(
      join(dir, "result-unit-1/bad.json"),
      JSON.stringify({
        kind: "BuildResult",
        apiVersion: "imagesmith/v1",
        images: [{ name: "a", recipeHash: "r", state: "done" }],
      }),
    );
    await expect(readResults(dir)).rejects.toThrow(
      /bad\.json cannot be used: \/images\/0\/digest: a done build needs its sha256 digest/,
    );
  });
});
