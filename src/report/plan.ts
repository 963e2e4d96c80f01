import { createTwoFilesPatch } from "diff";
import type { Baseline, FieldChange, ServedValue } from "../catalog/index.js";
import type { AccessChange, Plan, PlannedImage } from "../stages/plan/index.js";
import { PLAN_ACTIONS } from "../stages/plan/index.js";
import { escapeMarkdown, fencedBlock, inlineCode } from "./markdown.js";
import { plural, renderTable } from "./table.js";

/** `plan --format json`: the artefact reviewers approve and the build job executes. */
export function formatPlanJson(plan: Plan): string {
  return JSON.stringify(plan, null, 2);
}

/** One access change in words, naming every group that gains or loses the image. */
export function describeAccess(change: AccessChange): string {
  const list = (groups: readonly string[]) => groups.join(", ");
  switch (change.change) {
    case "became-global":
      return `${change.image} is now usable by every group (global)${change.groups?.length ? `: ${list(change.groups)} gain${change.groups.length === 1 ? "s" : ""} it` : ""}`;
    case "no-longer-global": {
      const keeps = change.keeps?.length
        ? `; only ${list(change.keeps)} keep${change.keeps.length === 1 ? "s" : ""} it`
        : "; no group keeps it";
      if (change.groups === undefined)
        return `${change.image} is no longer global: every group loses it${keeps} (list the groups in imagesmith.yaml to have them named)`;
      return `${change.image} is no longer global: ${change.groups.length ? `${list(change.groups)} lose${change.groups.length === 1 ? "s" : ""} it` : "no listed group loses it"}${keeps}`;
    }
    case "group-added":
      return `group ${change.group} gains ${change.image}`;
    case "group-removed":
      return `group ${change.group} loses ${change.image}`;
  }
}

/** How the words of a report are written: plain for terminals, escaped and with code spans for markdown. */
interface Words {
  /** Prose that may quote values. */
  text(words: string): string;
  /** A reference, a digest, a path. */
  code(value: string): string;
}

const PLAIN: Words = { text: (words) => words, code: (value) => value };
const MARKDOWN: Words = { text: escapeMarkdown, code: inlineCode };

/**
 * What the plan compared with, and (first, loud) when that is not the published catalog or the
 * checkout is not newer than it: a reviewer must know what "no changes" means.
 */
export function describeBaseline(
  baseline: Baseline,
  words: Words = PLAIN,
): { line: string; warnings: string[] } {
  const { text, code } = words;
  const ref = code(baseline.ref ?? "");
  const warnings: string[] = [];
  let line: string;
  switch (baseline.from) {
    case "none":
      line = text("No registry is configured: nothing is published, so every image is new.");
      break;
    case "file":
      line = `${text("Compared with the file")} ${ref} ${text("(--previous), not with the published catalog: a review only, never published from.")}`;
      break;
    case "registry":
      if (baseline.error !== undefined) {
        line = `${text("The published catalog")} ${ref} ${text("could not be read.")}`;
        warnings.push(
          `${text("The published catalog")} ${ref} ${text(`could not be read (${baseline.error}): this plan compares with nothing, so it may show as new what is served already and cannot show what would be lost. Publishing from it is refused.`)}`,
        );
      } else if (baseline.digest === undefined) {
        line = `${text("Nothing is published at")} ${ref} ${text("yet: every image is new.")}`;
      } else {
        const about = [
          baseline.commit ? `commit ${baseline.commit.slice(0, 12)}` : "",
          baseline.images === undefined ? "" : plural(baseline.images, "image"),
        ].filter(Boolean);
        line = `${text("Compared with the published catalog")} ${code(`${stripTag(baseline.ref ?? "")}@${baseline.digest}`)}${about.length ? ` ${text(`(${about.join(", ")})`)}` : ""}.`;
      }
  }
  if (baseline.history === "not-ancestor")
    warnings.push(
      text(
        `The published catalog was made from commit ${baseline.commit ?? ""}, which this checkout's HEAD does not contain: the checkout is stale or diverged, so this plan would undo what was published since. Publishing from it is refused.`,
      ),
    );
  if (baseline.history === "unknown")
    warnings.push(
      text(
        `The published catalog was made from commit ${baseline.commit ?? ""}, which this checkout does not have (it is behind, or a shallow clone: fetch-depth: 0), so nothing shows that HEAD is newer. Publishing from it is refused.`,
      ),
    );
  return { line, warnings };
}

function stripTag(ref: string): string {
  const colon = ref.lastIndexOf(":");
  return colon > ref.lastIndexOf("/") ? ref.slice(0, colon) : ref;
}

/** A served value as a reviewer reads it. */
function showValue(field: FieldChange["field"], value: ServedValue | undefined): string {
  if (value === undefined) return "(none)";
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[${value.join(", ")}]`;
  if (typeof value === "boolean") return String(value);
  return field === "description" || field === "displayName" ? JSON.stringify(value) : value;
}

/** A change's before and after as shown, a build's new url marked as such. */
function beforeAfter(
  entry: PlannedImage,
  change: FieldChange,
  words: Words,
): { before: string; after: string } {
  const after = words.code(showValue(change.field, change.after));
  return {
    before: words.code(showValue(change.field, change.before)),
    after:
      entry.action === "build" && change.field.startsWith("url")
        ? `${after} (built by this run)`
        : after,
  };
}

/** One line per changed field: `field: before → after`. */
function changeLines(entry: PlannedImage): string[] {
  return entry.changes.map((change) => {
    const { before, after } = beforeAfter(entry, change, PLAIN);
    return `${change.field}: ${before} → ${after}`;
  });
}

/** What an image's entry in the catalog becomes, in a few words when it is new or removed. */
function changeSummary(entry: PlannedImage): string | undefined {
  if (entry.action === "remove") return "removed from the catalog";
  if (entry.changes.length > 0 && entry.changes.every((change) => change.before === undefined))
    return "new in the catalog";
  return undefined;
}

/** Entries whose catalog entry changes, in plan order. */
function changedEntries(plan: Plan): PlannedImage[] {
  return plan.images.filter((entry) => entry.changes.length > 0);
}

function summaryLine(plan: Plan): string {
  return PLAN_ACTIONS.map((action) => `${plan.summary[action]} ${action}`).join(", ");
}

/** `plan` in a terminal: the baseline, one row per image, access changes, field changes, errors, a summary. */
export function formatPlanText(plan: Plan): string {
  const baseline = describeBaseline(plan.baseline);
  const lines = [
    ...baseline.warnings.map((warning) => `WARNING: ${warning}`),
    baseline.line,
    "",
    renderTable(
      ["NAME", "ACTION", "REASONS", "REF"],
      plan.images.map((entry) => [entry.name, entry.action, entry.reasons.join(","), entry.ref]),
    ),
  ];
  if (plan.accessChanges.length > 0) {
    lines.push(
      "",
      "Access changes:",
      ...plan.accessChanges.map((change) => `  ${describeAccess(change)}`),
    );
  }
  const changed = changedEntries(plan);
  if (changed.length > 0) {
    lines.push("", "Changes (published → after this plan):");
    for (const entry of changed) {
      const summary = changeSummary(entry);
      lines.push(`  ${entry.name} (${entry.action}${summary ? `: ${summary}` : ""})`);
      if (!summary) lines.push(...changeLines(entry).map((line) => `    ${line}`));
    }
  }
  if (plan.errors.length > 0) {
    lines.push(
      "",
      "Errors:",
      ...plan.errors.map(
        (error) => `  ${error.file ?? error.image}: error plan: ${error.image}: ${error.message}`,
      ),
    );
  }
  lines.push(
    "",
    `${summaryLine(plan)}${plan.errors.length > 0 ? `; ${plural(plan.errors.length, "error")}` : ""}`,
  );
  return lines.join("\n");
}

/**
 * What `run` and `build` say before building: what the plan compared with, who gains or loses
 * what, which images are built and why, what else the catalog changes; "nothing to build" when
 * nothing is.
 */
export function formatRunStart(plan: Plan, builds: readonly PlannedImage[]): string {
  const baseline = describeBaseline(plan.baseline);
  const lines = [...baseline.warnings.map((warning) => `WARNING: ${warning}`), baseline.line];
  if (plan.accessChanges.length > 0)
    lines.push("Access changes:", ...plan.accessChanges.map((c) => `  ${describeAccess(c)}`));
  lines.push(
    builds.length === 0
      ? "Nothing to build."
      : `Building ${plural(builds.length, "image")}: ${builds.map((entry) => `${entry.name} (${entry.reasons.join(", ")})`).join(", ")}`,
  );
  const others = plan.images.filter((entry) => entry.action !== "build" && entry.action !== "skip");
  if (others.length > 0)
    lines.push(
      `Catalog changes without a build: ${others.map((entry) => `${entry.name} (${entry.action}: ${entry.reasons.join(", ")})`).join(", ")}`,
    );
  else if (builds.length === 0) lines.push("The published catalog already serves every image.");
  return lines.join("\n");
}

/** The recipe part of a Dockerfile: everything before the labels. */
function recipeOf(dockerfile: string): string {
  const at = dockerfile.indexOf("\nLABEL ");
  return at < 0 ? dockerfile : dockerfile.slice(0, at + 1);
}

/** A mermaid id: names may hold "." and "-", which mermaid reads as syntax. */
function nodeId(name: string): string {
  return "i_" + name.replace(/[^A-Za-z0-9_]/g, "_");
}

function mermaidGraph(plan: Plan): string | undefined {
  const edges = plan.images.flatMap((entry) =>
    entry.dependsOn.map((parent) => [parent, entry.name] as const),
  );
  if (edges.length === 0) return undefined;
  const inTree = new Set(edges.flat());
  const lines = ["```mermaid", "graph TD"];
  for (const entry of plan.images.filter((e) => inTree.has(e.name))) {
    lines.push(`  ${nodeId(entry.name)}["${entry.name}"]`);
  }
  for (const [parent, child] of edges) lines.push(`  ${nodeId(parent)} --> ${nodeId(child)}`);
  const changed = plan.images
    .filter((e) => inTree.has(e.name) && e.action !== "skip")
    .map((e) => nodeId(e.name));
  if (changed.length > 0) {
    lines.push(
      "  classDef changed fill:#fff3b0,stroke:#b58900,stroke-width:2px",
      `  class ${changed.join(",")} changed`,
    );
  }
  lines.push("```");
  return lines.join("\n");
}

function recipeDiff(entry: PlannedImage): string | undefined {
  if (!entry.dockerfile) return undefined;
  const patches = [
    patchOf(`${entry.name}/Dockerfile`, entry.previousDockerfile ?? "", recipeOf(entry.dockerfile)),
  ];
  // The checks run before the push: not in the Dockerfile, part of what is reviewed.
  if (entry.contracts)
    patches.push(
      patchOf(
        `${entry.name}/contracts`,
        lines(entry.contracts.before),
        lines(entry.contracts.after),
      ),
    );
  const body = patches.filter(Boolean).join("\n");
  return body === "" ? undefined : body;
}

function lines(items: readonly string[]): string {
  return items.map((item) => `${item}\n`).join("");
}

function patchOf(path: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, "", "", {
    context: 3,
  });
  if (!patch.includes("\n@@")) return "";
  return patch.split("\n").slice(2).join("\n").trimEnd();
}

export interface MarkdownOptions {
  /** Show each build's Dockerfile diff and the build graph (default true). */
  recipes?: boolean;
  /** At most this many rows in the summary table; the rest are counted. */
  maxRows?: number;
  /** A line under the heading, e.g. why the plan is shortened. */
  note?: string;
}

/**
 * The plan's markdown within `limit` characters (a comment holds 65,536, a job summary 1 MiB):
 * whole if it fits, else without the Dockerfile diffs, else with fewer table rows. Access changes
 * and errors are never dropped.
 */
export function fitPlanMarkdown(plan: Plan, limit: number, where: string): string {
  const whole = formatPlanMarkdown(plan);
  if (whole.length <= limit) return whole;
  const note = `The plan is too long for ${where}: ${plan.images.length} images. The Dockerfile diffs and the build graph are left out; \`imagesmith plan --format markdown\` prints them.`;
  const lean = formatPlanMarkdown(plan, { recipes: false, note });
  if (lean.length <= limit) return lean;
  let rows = plan.images.length;
  let text = lean;
  while (text.length > limit && rows > 0) {
    rows = Math.floor(rows / 2);
    text = formatPlanMarkdown(plan, { recipes: false, note, maxRows: rows });
  }
  return text.length <= limit ? text : text.slice(0, limit - 2) + "…\n";
}

/** `plan --format markdown`: what the pull-request comment shows. */
export function formatPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const out: string[] = ["## imagesmith plan", ""];
  const baseline = describeBaseline(plan.baseline, MARKDOWN);
  for (const warning of baseline.warnings) out.push(`> [!WARNING]`, `> ${warning}`, "");
  out.push(baseline.line, "");
  if (options.note) out.push(`> ${options.note}`, "");
  if (plan.errors.length > 0) {
    out.push("### :x: Errors", "");
    for (const error of plan.errors)
      out.push(
        `- **${escapeMarkdown(error.image)}**${error.file ? ` (${inlineCode(error.file)})` : ""}: ${escapeMarkdown(error.message)}`,
      );
    out.push("");
  }
  out.push("### Access changes", "");
  if (plan.accessChanges.length === 0) out.push("No image gains or loses a group.", "");
  else {
    for (const change of plan.accessChanges)
      out.push(`- ${escapeMarkdown(describeAccess(change))}`);
    out.push("");
  }
  const changed = changedEntries(plan);
  if (changed.length > 0) {
    out.push(
      "### Changes",
      "",
      "What the platform serves now, and after this plan is published.",
      "",
      "| image | field | published | after |",
      "| --- | --- | --- | --- |",
    );
    const rows: string[] = [];
    for (const entry of changed) {
      const summary = changeSummary(entry);
      if (summary) {
        rows.push(`| ${entry.name} | | | ${summary} |`);
        continue;
      }
      for (const change of entry.changes) {
        const { before, after } = beforeAfter(entry, change, MARKDOWN);
        rows.push(`| ${entry.name} | ${change.field} | ${before} | ${after} |`);
      }
    }
    const shown = rows.slice(0, options.maxRows ?? rows.length);
    out.push(...shown);
    if (shown.length < rows.length) out.push(`| … | ${rows.length - shown.length} more | | |`);
    out.push("");
  }
  out.push(
    "### Summary",
    "",
    `**${summaryLine(plan)}**`,
    "",
    "| image | action | reasons | reference |",
    "| --- | --- | --- | --- |",
  );
  // Rows that change something first, so a shortened table still shows them.
  const rows = [...plan.images].sort(
    (a, b) => Number(a.action === "skip") - Number(b.action === "skip"),
  );
  const shown = rows.slice(0, options.maxRows ?? rows.length);
  for (const entry of shown) {
    out.push(
      `| ${entry.name} | ${entry.action} | ${entry.reasons.join(", ")} | ${inlineCode(entry.ref)} |`,
    );
  }
  if (shown.length < rows.length) out.push(`| … | ${rows.length - shown.length} more | | |`);
  out.push("");
  const diffs = plan.images
    .filter((entry) => options.recipes !== false && entry.action === "build")
    .map((entry) => [entry, recipeDiff(entry)] as const);
  if (diffs.some(([, diff]) => diff !== undefined)) {
    out.push("### Recipes", "");
    for (const [entry, diff] of diffs) {
      if (diff === undefined) continue;
      out.push(
        `<details><summary><b>${entry.name}</b>: build (${entry.reasons.join(", ")})</summary>`,
        "",
        fencedBlock(diff, "diff"),
        "",
        "</details>",
        "",
      );
    }
  }
  const graph = options.recipes === false ? undefined : mermaidGraph(plan);
  if (graph) out.push("### Build graph", "", graph, "");
  return out.join("\n");
}
