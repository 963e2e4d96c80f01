import { planUnits } from "../stages/plan/units.js";
import type { Plan } from "../stages/plan/index.js";

/** How many runners a plan fans out to by default: below the 20 concurrent jobs of GitHub's free plan. */
export const DEFAULT_MAX_UNITS = 16;

/** One `strategy.matrix` entry: the unit's id and its images, comma separated (the `only` input). */
export interface MatrixEntry {
  unit: string;
  images: string;
}

/**
 * The plan's builds as a GitHub Actions matrix, `{"include": [{unit, images}, ...]}`, ready for
 * `strategy.matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}`. No builds, no entries.
 */
export function formatMatrix(plan: Plan, maxUnits = DEFAULT_MAX_UNITS): { include: MatrixEntry[] } {
  return {
    include: planUnits(plan, maxUnits).map((unit) => ({
      unit: unit.unit,
      images: unit.images.join(","),
    })),
  };
}

/** The names the plan builds, in build order. */
export function changedImages(plan: Plan): string[] {
  return plan.images.filter((entry) => entry.action === "build").map((entry) => entry.name);
}

/** Whether publishing would change the catalog: anything to build, register, update or remove. */
export function hasChanges(plan: Plan): boolean {
  return plan.images.some((entry) => entry.action !== "skip");
}
