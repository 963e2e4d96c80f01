import { describe, expect, it } from "vitest";
import { planOf } from "../../../test/helpers/plan.js";
import type { Plan, PlannedImage } from "./index.js";
import { planUnits } from "./units.js";

function entry(name: string, action: PlannedImage["action"], parent?: string): PlannedImage {
  return {
    name,
    action,
    reasons: [],
    ref: `r/${name}:x`,
    recipeHash: "x",
    dependsOn: parent ? [parent] : [],
    changes: [],
  };
}

function plan(images: PlannedImage[]): Plan {
  return planOf(images);
}

describe("planUnits", () => {
  it("keeps an image with the children built on it in one unit, parents first", () => {
    const units = planUnits(
      plan([
        entry("base", "build"),
        entry("solo", "build"),
        entry("ds", "build", "base"),
        entry("nlp", "build", "ds"),
        entry("cached", "skip"),
      ]),
    );

    expect(units).toEqual([
      { unit: "unit-1", images: ["base", "ds", "nlp"] },
      { unit: "unit-2", images: ["solo"] },
    ]);
  });

  it("splits siblings whose parent is not rebuilt: each only needs the registry", () => {
    const units = planUnits(
      plan([entry("base", "skip"), entry("a", "build", "base"), entry("b", "build", "base")]),
    );

    expect(units.map((u) => u.images)).toEqual([["a"], ["b"]]);
  });

  it("deals chains out to at most maxUnits, evening the number of images", () => {
    const images = Array.from({ length: 10 }, (_, i) => entry(`i${i}`, "build"));

    const units = planUnits(plan(images), 3);

    expect(units).toHaveLength(3);
    expect(units.map((u) => u.images.length).sort()).toEqual([3, 3, 4]);
    expect(units.flatMap((u) => u.images).sort()).toEqual(images.map((i) => i.name).sort());
  });

  it("never exceeds GitHub's 256 jobs, and gives no unit when nothing is built", () => {
    const images = Array.from({ length: 300 }, (_, i) => entry(`i${i}`, "build"));

    expect(planUnits(plan(images), 1000)).toHaveLength(256);
    expect(planUnits(plan([entry("a", "skip")]))).toEqual([]);
  });
});
