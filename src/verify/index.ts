/**
 * What verification learns of a built image before anything is pushed: what it has installed (its
 * inventory), its size, its distribution, and how its contracts went; and how that compares with
 * the image the platform serves now (the package and size delta a reviewer reads).
 */
import { readFile } from "node:fs/promises";
import { BuildError, type BuiltImage } from "../builders/types.js";
import { type InstalledPackage, type Inventory, readInventory } from "../inventory/index.js";
import { readOsRelease } from "../inventory/rootfs.js";
import type { ImageDefinition } from "../model.js";
import { type ContractResult, runContracts } from "./contracts.js";

export type { ContractResult } from "./contracts.js";

export interface Inspection {
  inventory: Inventory;
  /** The sum of the layers' unpacked sizes, when the builder's store says. */
  unpackedBytes?: number;
  distro?: { id: string; versionId?: string };
  contracts: ContractResult[];
}

/** A build that made an image which failed a contract: not pushed, not published. */
export class ContractFailure extends BuildError {
  constructor(readonly failed: ContractResult[]) {
    super(contractSummary(failed), false);
    this.name = "ContractFailure";
  }
}

/** "contract test: python -c 'import x' failed (exit 1: ModuleNotFoundError: ...)" in one line. */
export function contractSummary(failed: readonly ContractResult[]): string {
  const parts = failed.map((result) => {
    const first = lastMeaningfulLine(result.output ?? "");
    return `${result.name}${first ? ` (${first})` : ""}`;
  });
  return `${failed.length === 1 ? "contract" : "contracts"} failed: ${parts.join("; ")}`;
}

function lastMeaningfulLine(output: string): string {
  const lines = output
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const first = lines[0] ?? "";
  // "exit 1:" heads a command's output; its last line says what went wrong.
  const line =
    /^(?:exit \d+|stopped after .*):$/.test(first) && lines.length > 1
      ? `${first.slice(0, -1)}: ${lines[lines.length - 1]}`
      : first;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/**
 * Reads a built image and runs its contracts; writes one line per contract to `log` (the failing
 * ones with their output). Resolves whether or not they pass: the caller decides (see
 * ContractFailure).
 */
export async function inspectBuiltImage(
  image: BuiltImage,
  input: { definition: ImageDefinition; baseUser?: string; timeoutMs: number },
  log: (line: string) => void,
): Promise<Inspection> {
  const [inventory, distro] = await Promise.all([
    readInventory(image.root),
    readOsRelease(image.root),
  ]);
  for (const problem of inventory.problems.slice(0, 20)) log(`imagesmith: inventory: ${problem}`);
  const contracts = await runContracts(image, { ...input, inventory });
  for (const result of contracts) {
    log(
      `imagesmith: contract ${result.name}: ${result.ok ? "passed" : "FAILED"} (${result.seconds.toFixed(1)} s)`,
    );
    if (!result.ok) for (const line of (result.output ?? "").split("\n")) log(`  ${line}`);
  }
  const counts = countByManager(inventory.packages);
  log(
    `imagesmith: installed: ${counts.apt} apt, ${counts.pip} pip, ${counts.conda} conda packages${image.unpackedBytes === undefined ? "" : `; ${formatBytes(image.unpackedBytes)} unpacked`}`,
  );
  return {
    inventory,
    ...(image.unpackedBytes === undefined ? {} : { unpackedBytes: image.unpackedBytes }),
    ...(distro
      ? { distro: { id: distro.id, ...(distro.versionId ? { versionId: distro.versionId } : {}) } }
      : {}),
    contracts,
  };
}

export function countByManager(packages: readonly InstalledPackage[]): {
  apt: number;
  pip: number;
  conda: number;
} {
  const counts = { apt: 0, pip: 0, conda: 0 };
  for (const entry of packages) counts[entry.manager]++;
  return counts;
}

export interface PackageChange {
  manager: InstalledPackage["manager"];
  name: string;
  /** Absent for an added package. */
  before?: string;
  /** Absent for a removed package. */
  after?: string;
}

export interface PackageDelta {
  added: PackageChange[];
  removed: PackageChange[];
  changed: PackageChange[];
}

/**
 * What changes between two inventories, by manager and name (a package installed twice, say for
 * two architectures, is compared by its sorted versions). Sorted by manager, then name.
 */
export function packageDelta(
  before: readonly InstalledPackage[],
  after: readonly InstalledPackage[],
): PackageDelta {
  const index = (packages: readonly InstalledPackage[]): Map<string, string[]> => {
    const map = new Map<string, string[]>();
    for (const entry of packages) {
      const key = `${entry.manager}\u0000${entry.name.toLowerCase()}`;
      map.set(key, [...(map.get(key) ?? []), entry.version]);
    }
    return map;
  };
  const was = index(before);
  const now = index(after);
  const names = new Map<string, string>();
  for (const entry of [...before, ...after])
    names.set(`${entry.manager}\u0000${entry.name.toLowerCase()}`, entry.name);
  const delta: PackageDelta = { added: [], removed: [], changed: [] };
  for (const key of [...names.keys()].sort()) {
    const [manager] = key.split("\u0000") as [InstalledPackage["manager"]];
    const name = names.get(key) as string;
    const from = was.get(key)?.sort().join(", ");
    const to = now.get(key)?.sort().join(", ");
    if (from === undefined && to !== undefined) delta.added.push({ manager, name, after: to });
    else if (to === undefined && from !== undefined)
      delta.removed.push({ manager, name, before: from });
    else if (from !== to)
      delta.changed.push({ manager, name, before: from as string, after: to as string });
  }
  return delta;
}

/** 1.2 GB, 340 MB, 12 kB: decimal units, as registries and `docker images` show sizes. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || Math.abs(value) >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** One image a verification built: how its build and contracts went, and what changes against what is served. */
export interface VerifiedImage {
  name: string;
  /** Why the plan builds it (new, recipe-changed, ...). */
  reasons: string[];
  state: "done" | "failed" | "cancelled" | "skipped";
  /** Not done: one line saying why. */
  error?: string;
  /** Failed: the last meaningful lines of its build log. */
  logTail?: string[];
  logFile?: string;
  /** Empty when the image was not built far enough to be checked. */
  contracts: ContractResult[];
  /** What went wrong without failing the image (contracts that could not be checked, say). */
  warnings?: string[];
  /** Unpacked bytes: of the image served now (when the catalog records it) and of this build. */
  size: { before?: number; after?: number };
  installed?: { apt: number; pip: number; conda: number };
  /**
   * What changes against the image served now: undefined when this build was not inspected.
   * `baseline` says what it was compared with: the served image's SBOM, nothing (a new image, or
   * one that serves nothing yet), or a served image without an SBOM (only sizes compare then).
   */
  delta?: PackageDelta & { baseline: "served" | "new" | "no-sbom" };
}

/** The inventory of the image served now, from its SBOM; undefined when it has none. */
export type ServedInventory = (
  name: string,
) => Promise<{ packages: InstalledPackage[]; unpacked?: number; exists: boolean } | undefined>;

/**
 * Puts a verification together: each built image's outcome, contracts and inspection, compared
 * with what `served` says the platform serves now.
 */
export async function verifiedImages(input: {
  entries: readonly { name: string; reasons: string[] }[];
  outcomes: readonly {
    name: string;
    state: VerifiedImage["state"];
    error?: string;
    reason?: string;
    logFile: string;
    warnings?: string[];
  }[];
  inspections: ReadonlyMap<string, Inspection>;
  served: ServedInventory;
}): Promise<VerifiedImage[]> {
  const outcomes = new Map(input.outcomes.map((outcome) => [outcome.name, outcome]));
  return Promise.all(
    input.entries.map(async (entry): Promise<VerifiedImage> => {
      const outcome = outcomes.get(entry.name);
      const inspection = input.inspections.get(entry.name);
      const state = outcome?.state ?? "skipped";
      const image: VerifiedImage = {
        name: entry.name,
        reasons: entry.reasons,
        state,
        contracts: inspection?.contracts ?? [],
        size: {},
      };
      const why = outcome?.error ?? outcome?.reason;
      if (why !== undefined && state !== "done") image.error = why.replace(/; see \S+$/, "");
      if (outcome?.logFile) image.logFile = outcome.logFile;
      if (outcome?.warnings?.length) image.warnings = [...outcome.warnings];
      // A contract failure is the image's failure, and its output says why: the log adds nothing.
      if (state === "failed" && outcome?.logFile && inspection === undefined)
        image.logTail = await meaningfulTail(outcome.logFile);
      const before = await input.served(entry.name);
      if (before?.unpacked !== undefined) image.size.before = before.unpacked;
      if (inspection) {
        if (inspection.unpackedBytes !== undefined) image.size.after = inspection.unpackedBytes;
        image.installed = countByManager(inspection.inventory.packages);
        const baseline = before === undefined ? "new" : before.exists ? "served" : "no-sbom";
        image.delta = {
          ...packageDelta(
            baseline === "served" ? (before?.packages ?? []) : [],
            inspection.inventory.packages,
          ),
          baseline,
        };
      }
      return image;
    }),
  );
}

/** How many lines of a failed build's log a reviewer is shown. */
const TAIL_LINES = 15;
/** Lines a builder prints that say nothing about why a build failed. */
const NOISE = [
  /^imagesmith: /,
  /^\s*$/,
  /^(?:Error: )?(?:error )?building at STEP/i,
  /^subprocess exited with status/,
  /^Get:\d+ |^Hit:\d+ |^Ign:\d+ |^Fetched \d/,
  /^Reading (?:package lists|state information)|^Building dependency tree/,
];

/** The last lines of a build log that say something: no progress, no imagesmith's own lines. */
export async function meaningfulTail(file: string, count = TAIL_LINES): Promise<string[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  const lines = text
    .split("\n")
    .filter((line) => !NOISE.some((pattern) => pattern.test(line)))
    .map((line) => (line.length > 300 ? `${line.slice(0, 299)}…` : line));
  return lines.slice(-count);
}
