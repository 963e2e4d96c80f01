import { describe, expect, it } from "vitest";
import { planOf } from "../../test/helpers/plan.js";
import type { Plan, PlannedImage } from "../stages/plan/index.js";
import { fitPlanMarkdown, formatPlanMarkdown } from "./plan.js";

function entry(index: number, action: PlannedImage["action"]): PlannedImage {
  const name = `image-${String(index).padStart(4, "0")}`;
  return {
    name,
    action,
    reasons: action === "build" ? ["recipe-changed"] : ["in-registry"],
    ref: `ghcr.io/acme/${name}:0123456789abcdef`,
    recipeHash: "0123456789abcdef",
    dependsOn: [],
    dockerfile: `FROM debian@sha256:${"0".repeat(64)}\nRUN ${"x".repeat(400)}\n`,
    previousDockerfile: `FROM debian@sha256:${"0".repeat(64)}\nRUN ${"y".repeat(400)}\n`,
    changes: [],
  };
}

function bigPlan(count: number): Plan {
  const images = Array.from({ length: count }, (_, i) => entry(i, i % 10 === 0 ? "build" : "skip"));
  return planOf(images, { accessChanges: [{ image: "image-0003", change: "became-global" }] });
}

describe("fitPlanMarkdown", () => {
  it("gives the whole plan when it fits", () => {
    const plan = bigPlan(10);

    expect(fitPlanMarkdown(plan, 65_536, "a comment")).toBe(formatPlanMarkdown(plan));
  });

  it("drops the Dockerfile diffs, then rows of skipped images, to fit a comment; access changes stay", () => {
    const plan = bigPlan(2000);

    const text = fitPlanMarkdown(plan, 65_536, "a comment");

    expect(formatPlanMarkdown(plan).length).toBeGreaterThan(65_536);
    expect(text.length).toBeLessThanOrEqual(65_536);
    expect(text).toContain("The plan is too long for a comment");
    expect(text).toContain("image-0003 is now usable by every group");
    expect(text).not.toContain("```diff");
    expect(text).toMatch(/\| … \| \d+ more \|/);
    // What changes is listed before what is skipped, so a shortened table keeps it.
    expect(text).toContain("| image-1990 | build |");
  });
});
