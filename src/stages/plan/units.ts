import type { Plan } from "./index.js";

/** A set of images one runner builds: whole dependency chains, parents first. */
export interface BuildUnit {
  /** Stable within one plan: `unit-1`, `unit-2`, …, largest first. */
  unit: string;
  /** The images to build, in build order. */
  images: string[];
}

/** GitHub Actions refuses a matrix of more than 256 jobs. */
export const MAX_UNITS = 256;

/**
 * Splits the plan's builds into at most `maxUnits` units for separate runners. An image and the
 * images built on it (its `image:` children that are also being built) always share a unit, since a
 * child's build needs its parent's freshly pushed recipe. Chains are dealt out largest first to the
 * unit with the fewest images, so runners finish at about the same time.
 */
export function planUnits(plan: Plan, maxUnits: number = MAX_UNITS): BuildUnit[] {
  const limit = Math.max(1, Math.min(MAX_UNITS, Math.floor(maxUnits)));
  const builds = plan.images.filter((entry) => entry.action === "build");
  const index = new Map(builds.map((entry, position) => [entry.name, position]));

  // Union-find over the build entries, joined along parent → child edges inside the builds.
  const root = builds.map((_, position) => position);
  const find = (position: number): number => {
    while (root[position] !== position) {
      root[position] = root[root[position] as number] as number;
      position = root[position] as number;
    }
    return position;
  };
  for (const [position, entry] of builds.entries()) {
    for (const parent of entry.dependsOn) {
      const other = index.get(parent);
      if (other !== undefined) root[find(position)] = find(other);
    }
  }
  const chains = new Map<number, string[]>();
  for (const [position, entry] of builds.entries()) {
    const key = find(position);
    chains.set(key, [...(chains.get(key) ?? []), entry.name]);
  }

  const ordered = [...chains.values()].sort(
    (a, b) => b.length - a.length || ((a[0] ?? "") < (b[0] ?? "") ? -1 : 1),
  );
  const bins: string[][] = [];
  for (const chain of ordered) {
    if (bins.length < limit) {
      bins.push([...chain]);
      continue;
    }
    let smallest = bins[0] as string[];
    for (const bin of bins) if (bin.length < smallest.length) smallest = bin;
    smallest.push(...chain);
  }
  // Each unit lists its images in the plan's order: parents before children.
  return bins.map((bin, position) => ({
    unit: `unit-${position + 1}`,
    images: [...bin].sort((a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0)),
  }));
}
