/**
 * What a build, publish or run job reports besides its log: the job summary's markdown (the
 * catalog published, how each build ended) and the pinned references later steps sign or attest.
 */
import { pinReference, type PublishedCatalog } from "../catalog/index.js";
import type { RunResult } from "../pipeline.js";
import { escapeMarkdown, inlineCode } from "./markdown.js";

/**
 * The `digests` output: image name → the reference pinned by digest, for signing or attestation
 * steps after this one. With a catalog (publish, run), what it serves; for a build job, what it
 * pushed.
 */
export function pinnedReferences(result: RunResult): Record<string, string> {
  const pinned: Record<string, string> = {};
  if (result.catalog) {
    for (const image of result.catalog.images) if (image.url) pinned[image.name] = image.url;
    return pinned;
  }
  const refs = new Map((result.plan?.images ?? []).map((entry) => [entry.name, entry.ref]));
  for (const outcome of result.outcomes ?? []) {
    const ref = refs.get(outcome.name);
    if (outcome.state === "done" && outcome.digest && ref)
      pinned[outcome.name] = pinReference(ref, outcome.digest);
  }
  return pinned;
}

export function catalogMarkdown(catalog: PublishedCatalog | undefined): string {
  if (!catalog) return "";
  const rows = catalog.images.map(
    (image) =>
      `| ${image.name} | ${image.status} | ${image.global ? "every group" : image.groups.join(", ") || "nobody"} | ${image.url ? inlineCode(image.url) : ""} |`,
  );
  return [
    "## imagesmith catalog",
    "",
    "| image | status | access | url |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

export function buildMarkdown(result: RunResult): string {
  const outcomes = result.outcomes ?? [];
  if (outcomes.length === 0) return "## imagesmith build\n\nNothing to build.\n";
  return [
    "## imagesmith build",
    "",
    "| image | result | seconds | digest |",
    "| --- | --- | --- | --- |",
    ...outcomes.map(
      (outcome) =>
        `| ${outcome.name} | ${outcome.state}${outcome.error || outcome.reason ? `: ${escapeMarkdown(outcome.error ?? outcome.reason ?? "")}` : ""} | ${outcome.seconds?.toFixed(1) ?? ""} | ${outcome.digest ? inlineCode(outcome.digest) : ""} |`,
    ),
    "",
  ].join("\n");
}
