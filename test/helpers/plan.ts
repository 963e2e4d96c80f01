import type { Plan, PlannedImage } from "../../src/stages/plan/index.js";
import { PLAN_ACTIONS } from "../../src/stages/plan/index.js";

/** A plan of these entries, compared with nothing published, its summary counted. */
export function planOf(images: PlannedImage[], extra: Partial<Plan> = {}): Plan {
  const summary = Object.fromEntries(PLAN_ACTIONS.map((action) => [action, 0])) as Plan["summary"];
  for (const entry of images) summary[entry.action] += 1;
  return {
    apiVersion: "imagesmith/v1",
    kind: "Plan",
    source: {},
    baseline: { from: "registry", ref: "registry.acme/images/imagesmith-catalog:latest" },
    images,
    accessChanges: [],
    summary,
    errors: [],
    ...extra,
  };
}
