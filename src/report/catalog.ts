import type { ImageDefinition, Problem } from "../model.js";
import type { ValidationResult } from "../stages/validate/index.js";
import { escapeMarkdown, inlineCode } from "./markdown.js";
import { plural, renderTable } from "./table.js";

/** One problem as a line a terminal, an editor or a CI log can jump to. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.severity} ${problem.rule}: ${problem.message}`;
}

export function accessOf(image: ImageDefinition): string {
  if (image.global) return "global";
  return image.groups.length === 0 ? "nobody" : image.groups.join(",");
}

/** The catalog's images as a table: what `list` prints and `validate` prints on success. */
export function formatImageTable(images: readonly ImageDefinition[]): string {
  return renderTable(
    ["NAME", "TYPE", "SOURCE", "ACCESS", "SCOPE"],
    images.map((image) => [
      image.name,
      image.type,
      image.build ? "build" : "existing",
      accessOf(image),
      image.groupName === undefined ? "system" : `group ${image.groupName}`,
    ]),
  );
}

/** "2 errors, 1 warning" or "no problems". */
export function problemCounts(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  if (problems.length === 0) return "no problems";
  return [errors && plural(errors, "error"), warnings && plural(warnings, "warning")]
    .filter(Boolean)
    .join(", ");
}

/** `validate` in text: every problem, then either the catalog table or the count of errors. */
export function formatValidationText(result: ValidationResult): string {
  const lines = result.problems.map(formatProblem);
  const { images } = result.catalog;
  if (result.valid) {
    if (lines.length > 0) lines.push("");
    lines.push(formatImageTable(images), "", validLine(result));
  } else {
    const files = new Set(result.problems.filter((p) => p.severity === "error").map((p) => p.file));
    lines.push("", `${problemCounts(result.problems)} in ${plural(files.size, "file")}`);
  }
  return lines.join("\n");
}

/** "2 images valid (1 system, 1 group; 0 built, 2 existing), no problems". */
export function validLine(result: ValidationResult): string {
  const { images } = result.catalog;
  const built = images.filter((i) => i.build).length;
  const system = images.filter((i) => i.system).length;
  return `${plural(images.length, "image")} valid (${system} system, ${images.length - system} group; ${built} built, ${images.length - built} existing), ${problemCounts(result.problems)}`;
}

/** `validate --format json`: the contract scripts rely on. */
export function formatValidationJson(result: ValidationResult): string {
  return JSON.stringify(
    {
      valid: result.valid,
      images: result.catalog.images.map((image) => ({
        name: image.name,
        file: image.file,
        displayName: image.displayName,
        type: image.type,
        source: image.build ? "build" : "existing",
        system: image.system,
        ...(image.groupName === undefined ? {} : { groupName: image.groupName }),
      })),
      problems: result.problems,
    },
    null,
    2,
  );
}

/**
 * An invalid catalog in markdown (the pull-request comment when nothing could be planned): every
 * problem as a row, at most `maxRows`, in the order validate prints them.
 */
export function formatValidationMarkdown(problems: readonly Problem[], maxRows = 200): string {
  const out = [
    "## imagesmith plan",
    "",
    `### :x: The catalog is invalid: ${problemCounts(problems)}`,
    "",
    "Nothing was planned. Fix these (each is also marked on its line in the diff), then push again.",
    "",
    "| where | severity | rule | problem |",
    "| --- | --- | --- | --- |",
    ...problems
      .slice(0, maxRows)
      .map(
        (p) =>
          `| ${inlineCode(`${p.file}:${p.line}:${p.column}`)} | ${p.severity} | ${p.rule} | ${escapeMarkdown(p.message)} |`,
      ),
  ];
  if (problems.length > maxRows) out.push(`| … | | | ${problems.length - maxRows} more |`);
  return out.join("\n") + "\n";
}
