/**
 * A PrimeHub sync as people read it, in the plan's style: access changes first (each group that
 * gains or loses an image, by name), then the images created, updated (each field before → after)
 * and deleted, then conflicts and errors. A dry run says what would change; a sync what it did.
 */
import type { SyncAccessChange, SyncAction, SyncResult } from "../sync/index.js";
import { escapeMarkdown, inlineCode } from "./markdown.js";

export function describeSyncAccess(change: SyncAccessChange): string {
  const groups = change.groups.join(", ");
  switch (change.change) {
    case "new":
      return change.global
        ? `${change.image} is new in PrimeHub, for every group`
        : `${change.image} is new in PrimeHub: ${groups || "no group"} ${change.groups.length === 1 ? "gains" : "gain"} it`;
    case "removed":
      return `${change.image} is deleted from PrimeHub: ${change.global ? "every group loses" : `${groups || "no group"} ${change.groups.length === 1 ? "loses" : "lose"}`} it`;
    case "became-global":
      return `${change.image} becomes usable by every group (global)`;
    case "no-longer-global":
      return `${change.image} is no longer usable by every group (not global)`;
    case "group-added":
      return `group ${groups} ${change.groups.length === 1 ? "gains" : "gain"} ${change.image}`;
    case "group-removed":
      return `group ${groups} ${change.groups.length === 1 ? "loses" : "lose"} ${change.image}`;
  }
}

function actionLines(action: SyncAction): string[] {
  if (action.kind === "create") return [`create ${action.name} (${action.fields.url})`];
  if (action.kind === "delete") return [`delete ${action.name}`];
  const lines = [`update ${action.name}`];
  for (const change of action.changes)
    lines.push(`  ${change.field}: ${change.before ?? "(none)"} → ${change.after ?? "(none)"}`);
  return lines;
}

function outcomeOf(result: SyncResult, action: SyncAction): string {
  const outcome = result.outcomes.find((o) => o.action === action);
  if (!outcome) return "";
  return outcome.ok ? "" : ` — FAILED: ${outcome.error ?? ""}`;
}

export function syncFailed(result: SyncResult): boolean {
  return (
    result.plan.conflicts.length > 0 ||
    result.plan.errors.length > 0 ||
    result.outcomes.some((outcome) => !outcome.ok)
  );
}

export function formatSyncText(result: SyncResult): string {
  const { plan } = result;
  const out: string[] = [];
  const would = result.dryRun ? "would change" : "changed";
  out.push(
    `Access (${plan.access.length === 0 ? "no image gains or loses a group" : `${plan.access.length} changes`}):`,
  );
  for (const change of plan.access) out.push(`  ${describeSyncAccess(change)}`);
  out.push(
    `Images (${plan.actions.length} to ${result.dryRun ? "change" : "apply"}, ${plan.unchanged} unchanged):`,
  );
  for (const action of plan.actions) {
    const [first, ...rest] = actionLines(action);
    out.push(`  ${first}${outcomeOf(result, action)}`, ...rest.map((line) => `  ${line}`));
  }
  for (const conflict of plan.conflicts) out.push(`conflict: ${conflict.reason}`);
  for (const error of plan.errors) out.push(`error: ${error.message}`);
  for (const skipped of plan.skipped) out.push(`not offered: ${skipped.name}: ${skipped.reason}`);
  const failed = result.outcomes.filter((o) => !o.ok).length;
  out.push(
    `${result.dryRun ? "Dry run: PrimeHub " + would + " nothing." : `PrimeHub: ${result.outcomes.length - failed} of ${plan.actions.length} changes applied${failed ? `, ${failed} failed (run sync again to finish)` : ""}.`} ${result.requests} request${result.requests === 1 ? "" : "s"} to PrimeHub; the ledger is ${result.ledger}.`,
  );
  return `${out.join("\n")}\n`;
}

export function formatSyncMarkdown(result: SyncResult): string {
  const { plan } = result;
  const out = [
    `## imagesmith sync primehub${result.dryRun ? " (dry run)" : ""}`,
    "",
    "### Access changes",
    "",
  ];
  if (plan.access.length === 0) out.push("No image gains or loses a group.", "");
  else
    out.push(...plan.access.map((change) => `- ${escapeMarkdown(describeSyncAccess(change))}`), "");
  out.push("### Images", "", `${plan.actions.length} to change, ${plan.unchanged} unchanged.`, "");
  if (plan.actions.length > 0) {
    out.push("| image | action | field | before | after |", "| --- | --- | --- | --- | --- |");
    for (const action of plan.actions) {
      const failed = outcomeOf(result, action);
      if (action.kind !== "update" || action.changes.length === 0)
        out.push(
          `| ${escapeMarkdown(action.name)} | ${action.kind}${failed ? " ✗" : ""} | | | ${action.kind === "create" ? inlineCode(action.fields.url) : ""} |`,
        );
      else
        for (const change of action.changes)
          out.push(
            `| ${escapeMarkdown(action.name)} | update${failed ? " ✗" : ""} | ${change.field} | ${change.before === null ? "" : inlineCode(change.before)} | ${change.after === null ? "" : inlineCode(change.after)} |`,
          );
    }
    out.push("");
  }
  for (const conflict of plan.conflicts) out.push(`- :warning: ${escapeMarkdown(conflict.reason)}`);
  for (const error of plan.errors) out.push(`- :x: ${escapeMarkdown(error.message)}`);
  return `${out.join("\n")}\n`;
}

export function formatSyncJson(result: SyncResult): string {
  return `${JSON.stringify(
    {
      dryRun: result.dryRun,
      failed: syncFailed(result),
      access: result.plan.access,
      actions: result.plan.actions.map((action) => {
        const outcome = result.outcomes.find((o) => o.action === action);
        return {
          ...action,
          ...(outcome
            ? { ok: outcome.ok, ...(outcome.error ? { error: outcome.error } : {}) }
            : {}),
        };
      }),
      unchanged: result.plan.unchanged,
      conflicts: result.plan.conflicts,
      errors: result.plan.errors,
      skipped: result.plan.skipped,
      requests: result.requests,
      ledger: result.ledger,
    },
    null,
    2,
  )}\n`;
}
