import { createTwoFilesPatch } from "diff";
import type { AccessChange, Plan, PlannedImage } from "../stages/plan/index.js";
import { PLAN_ACTIONS } from "../stages/plan/index.js";
import { plural, renderTable } from "./table.js";

/** `plan --format json`: the artefact reviewers approve and the build job executes. */
export function formatPlanJson(plan: Plan): string {
  return JSON.stringify(plan, null, 2);
}

function describeAccess(change: AccessChange): string {
  switch (change.change) {
    case "became-global":
      return `${change.image} is now usable by every group (global)`;
    case "no-longer-global":
      return `${change.image} is no longer global`;
    case "group-added":
      return `group ${change.group} gains ${change.image}`;
    case "group-removed":
      return `group ${change.group} loses ${change.image}`;
  }
}

function summaryLine(plan: Plan): string {
  return PLAN_ACTIONS.map((action) => `${plan.summary[action]} ${action}`).join(", ");
}

/** `plan` in a terminal: one row per image, access changes, errors, a summary. */
export function formatPlanText(plan: Plan): string {
  const lines = [
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
  const current = recipeOf(entry.dockerfile);
  const before = entry.previousDockerfile ?? "";
  const patch = createTwoFilesPatch(
    `a/${entry.name}/Dockerfile`,
    `b/${entry.name}/Dockerfile`,
    before,
    current,
    "",
    "",
    { context: 3 },
  );
  const body = patch.split("\n").slice(2).join("\n").trimEnd();
  return body === "" ? undefined : body;
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
  if (options.note) out.push(`> ${options.note}`, "");
  if (plan.errors.length > 0) {
    out.push("### :x: Errors", "");
    for (const error of plan.errors)
      out.push(
        `- **${error.image}**${error.file ? ` (\`${error.file}\`)` : ""}: ${escapeMarkdown(error.message)}`,
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
      `| ${entry.name} | ${entry.action} | ${entry.reasons.join(", ")} | \`${entry.ref}\` |`,
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
        "```diff",
        diff,
        "```",
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

function escapeMarkdown(text: string): string {
  return text.replace(/([|*_`<>[\]])/g, "\\$1");
}
