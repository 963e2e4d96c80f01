/**
 * A verification as people read it: per image built, whether it built and passed its contracts,
 * its size before → after, and the packages it adds, removes and changes against the image the
 * platform serves now. Text for a terminal, markdown for the pull-request comment, JSON for tools.
 *
 * Everything shown comes from the pull request or from the image it built (package names and
 * versions, command output, build logs): the markdown escapes it or fences it, the text drops
 * control characters, so neither can take over the page or the terminal.
 */
import type { VerifyResult } from "../pipeline.js";
import {
  formatBytes,
  type PackageChange,
  type PackageDelta,
  type VerifiedImage,
} from "../verify/index.js";
import { escapeMarkdown, fencedBlock, inlineCode } from "./markdown.js";

/** Package changes listed per image before "and N more": the rest are in `--format json`. */
export const MAX_PACKAGE_ROWS = 25;
/** Output lines of a failed contract shown (its last ones). */
const MAX_OUTPUT_LINES = 30;

/** Whether a verification passed: every image built and passed every contract. */
export function verifyPassed(result: VerifyResult): boolean {
  if (!result.plan || result.plan.errors.length > 0 || result.cancelled) return false;
  return (result.verified ?? []).every(
    (image) => image.state === "done" && image.contracts.every((c) => c.ok),
  );
}

/** One line: "2 images verified: 1 passed, 1 failed (ds)". */
export function verifySummary(result: VerifyResult): string {
  const images = result.verified ?? [];
  if (!result.plan) return "the catalog is invalid: nothing verified";
  if (result.plan.errors.length > 0)
    return `the plan has errors (${result.plan.errors.map((e) => e.image).join(", ")}): nothing verified`;
  if (images.length === 0) return "nothing to build, so nothing to verify";
  const failed = images.filter((image) => !passed(image));
  const word = images.length === 1 ? "image" : "images";
  if (result.cancelled) return `verification cancelled (${images.length} ${word} planned)`;
  return failed.length === 0
    ? `${images.length} ${word} verified: every build and contract passed`
    : `${images.length} ${word} verified: ${images.length - failed.length} passed, ${failed.length} failed (${failed.map((image) => image.name).join(", ")})`;
}

function passed(image: VerifiedImage): boolean {
  return image.state === "done" && image.contracts.every((c) => c.ok);
}

/** `verify` in a terminal. */
export function formatVerifyText(result: VerifyResult): string {
  const out: string[] = [];
  for (const image of result.verified ?? []) {
    const mark = passed(image) ? "✓" : "✗";
    const size = sizeText(image.size);
    out.push(
      `${mark} ${image.name}  ${buildText(image)}${size ? `, ${size}` : ""}${contractsText(image)}`,
    );
    if (image.error && image.state !== "done") out.push(`    ${safe(image.error)}`);
    for (const warning of image.warnings ?? []) out.push(`    warning: ${safe(warning)}`);
    for (const contract of image.contracts.filter((c) => !c.ok)) {
      out.push(`    contract ${safe(contract.name)} failed:`);
      for (const line of lastLines(contract.output ?? "")) out.push(`      ${safe(line)}`);
    }
    if (image.logTail?.length) {
      out.push("    the end of its build log:");
      for (const line of image.logTail) out.push(`      ${safe(line)}`);
    }
    if (image.delta) out.push(...deltaText(image.delta).map((line) => `    ${line}`));
  }
  out.push(verifySummary(result));
  return `${out.join("\n")}\n`;
}

function buildText(image: VerifiedImage): string {
  switch (image.state) {
    case "done":
      return "built";
    case "failed":
      return image.contracts.some((c) => !c.ok) ? "built" : "build failed";
    case "cancelled":
      return "cancelled";
    case "skipped":
      return "not built";
  }
}

function contractsText(image: VerifiedImage): string {
  if (image.contracts.length === 0) return "";
  const failed = image.contracts.filter((c) => !c.ok);
  return failed.length === 0
    ? `, ${image.contracts.length} contracts passed`
    : `, contracts failed: ${failed.map((c) => c.name).join(", ")}`;
}

function sizeText(size: VerifiedImage["size"]): string {
  if (size.after === undefined) return "";
  if (size.before === undefined) return `${formatBytes(size.after)} unpacked`;
  const change = size.after - size.before;
  const sign = change > 0 ? "+" : change < 0 ? "−" : "±";
  return `${formatBytes(size.before)} → ${formatBytes(size.after)} unpacked (${sign}${formatBytes(Math.abs(change))})`;
}

function deltaText(delta: PackageDelta & { baseline: string }): string[] {
  if (delta.baseline === "no-sbom")
    return ["(the served image has no SBOM: its packages cannot be compared)"];
  const rows = deltaRows(delta);
  if (rows.length === 0) return ["no package changes"];
  const lines = rows
    .slice(0, MAX_PACKAGE_ROWS)
    .map(
      (row) => `${row.sign} ${row.change.manager} ${safe(row.change.name)} ${safe(row.versions)}`,
    );
  if (rows.length > MAX_PACKAGE_ROWS) lines.push(`… and ${rows.length - MAX_PACKAGE_ROWS} more`);
  return [`packages: ${deltaCounts(delta)}`, ...lines];
}

interface DeltaRow {
  sign: "+" | "-" | "~";
  change: PackageChange;
  versions: string;
}

/** Added first (what a change is usually for), then changed, then removed. */
function deltaRows(delta: PackageDelta): DeltaRow[] {
  return [
    ...delta.added.map((change) => ({ sign: "+" as const, change, versions: change.after ?? "" })),
    ...delta.changed.map((change) => ({
      sign: "~" as const,
      change,
      versions: `${change.before ?? ""} → ${change.after ?? ""}`,
    })),
    ...delta.removed.map((change) => ({
      sign: "-" as const,
      change,
      versions: change.before ?? "",
    })),
  ];
}

function deltaCounts(delta: PackageDelta): string {
  return `${delta.added.length} added, ${delta.changed.length} changed, ${delta.removed.length} removed`;
}

/** How much of a verification the markdown holds, when it has to fit a comment or a summary. */
interface VerifyMarkdownOptions {
  /** Each image's section (log, failed contracts, packages): of every image, of failed ones, of none. */
  details?: "all" | "failed" | "none";
  /** At most this many rows in the table, failed images first. */
  maxRows?: number;
  /** Said under the summary line: what was left out, and where it is. */
  note?: string;
}

/**
 * The verification's markdown within `limit` characters, for `where` (a comment, a job summary):
 * whole when it fits, else without the sections of images that passed, then without any image's
 * section, then with fewer table rows (failed images first). Never cut inside a table or a fold.
 */
export function fitVerifyMarkdown(result: VerifyResult, limit: number, where: string): string {
  const whole = formatVerifyMarkdown(result);
  if (whole.length <= limit) return whole;
  const images = (result.verified ?? []).length;
  const elsewhere = "`imagesmith verify --format markdown` prints all of it";
  const failedOnly = formatVerifyMarkdown(result, {
    details: "failed",
    note: `The verification is too long for ${where}: the sections of the images that passed are left out; ${elsewhere}.`,
  });
  if (failedOnly.length <= limit) return failedOnly;
  const note = `The verification is too long for ${where}: ${images} images. Each image's log, contracts and packages are left out; ${elsewhere}.`;
  let rows = images;
  let text = formatVerifyMarkdown(result, { details: "none", note });
  while (text.length > limit && rows > 0) {
    rows = Math.floor(rows / 2);
    text = formatVerifyMarkdown(result, { details: "none", note, maxRows: rows });
  }
  return text.length <= limit ? text : `${text.slice(0, Math.max(0, limit - 2))}…\n`;
}

/** `verify --format markdown`: the section the pull-request comment gets once verify finishes. */
export function formatVerifyMarkdown(
  result: VerifyResult,
  options: VerifyMarkdownOptions = {},
): string {
  const out: string[] = [
    "## imagesmith verify",
    "",
    `**${escapeMarkdown(verifySummary(result))}**`,
    "",
  ];
  if (options.note) out.push(`> ${options.note}`, "");
  const verified = result.verified ?? [];
  if (verified.length === 0) return out.join("\n");
  // Failed images first when rows are cut: those are what a reviewer must see.
  const ordered =
    options.maxRows === undefined
      ? verified
      : [...verified.filter((image) => !passed(image)), ...verified.filter(passed)];
  const images = ordered.slice(0, options.maxRows ?? ordered.length);
  out.push(
    "| image | build | contracts | size (unpacked) | packages |",
    "| --- | --- | --- | --- | --- |",
  );
  for (const image of images) {
    const build =
      image.state === "done" || image.contracts.length > 0
        ? "✓"
        : `✗ ${image.state === "failed" ? "failed" : escapeMarkdown(image.state)}`;
    const failed = image.contracts.filter((c) => !c.ok);
    const contracts =
      image.contracts.length === 0
        ? "—"
        : failed.length === 0
          ? `✓ ${image.contracts.length}`
          : `✗ ${failed.map((c) => escapeMarkdown(c.name)).join(", ")}`;
    const packages = image.delta
      ? image.delta.baseline === "no-sbom"
        ? "served image has no SBOM"
        : deltaCounts(image.delta)
      : "—";
    out.push(
      `| ${escapeMarkdown(image.name)} | ${build} | ${contracts} | ${sizeText(image.size).replace(/ unpacked/, "") || "—"} | ${packages} |`,
    );
  }
  if (images.length < verified.length)
    out.push(`| … ${verified.length - images.length} more images | | | | |`);
  out.push("");
  const detailed = options.details ?? "all";
  for (const image of images) {
    if (detailed === "none" || (detailed === "failed" && passed(image))) continue;
    const details = imageDetails(image);
    if (details.length === 0) continue;
    out.push(`### ${passed(image) ? "✓" : "✗"} ${escapeMarkdown(image.name)}`, "", ...details);
  }
  return out.join("\n");
}

function imageDetails(image: VerifiedImage): string[] {
  const out: string[] = [];
  if (image.error && image.state !== "done" && !image.contracts.some((c) => !c.ok))
    out.push(`${escapeMarkdown(image.error)}`, "");
  for (const warning of image.warnings ?? [])
    out.push(`> [!WARNING]`, `> ${escapeMarkdown(warning)}`, "");
  if (image.logTail?.length)
    out.push(
      "<details open><summary>The end of its build log</summary>",
      "",
      fencedBlock(image.logTail.join("\n")),
      "",
      "</details>",
      "",
    );
  for (const contract of image.contracts.filter((c) => !c.ok)) {
    out.push(
      `<details><summary>contract ${escapeMarkdown(contract.name)} failed</summary>`,
      "",
      fencedBlock(lastLines(contract.output ?? "").join("\n")),
      "",
      "</details>",
      "",
    );
  }
  const delta = image.delta;
  if (delta && delta.baseline !== "no-sbom") {
    const rows = deltaRows(delta);
    if (rows.length > 0) {
      out.push(
        `<details><summary>Packages: ${deltaCounts(delta)}${delta.baseline === "new" ? " (a new image)" : ""}</summary>`,
        "",
        "| | manager | package | version |",
        "| --- | --- | --- | --- |",
      );
      for (const row of rows.slice(0, MAX_PACKAGE_ROWS))
        out.push(
          `| ${row.sign === "~" ? "changed" : row.sign === "+" ? "added" : "removed"} | ${row.change.manager} | ${inlineCode(row.change.name)} | ${escapeMarkdown(row.versions)} |`,
        );
      if (rows.length > MAX_PACKAGE_ROWS)
        out.push(`| … | | ${rows.length - MAX_PACKAGE_ROWS} more | |`);
      out.push("", "</details>", "");
    }
  }
  return out;
}

/** `verify --format json`. */
export function formatVerifyJson(result: VerifyResult): string {
  return `${JSON.stringify(
    {
      passed: verifyPassed(result),
      summary: verifySummary(result),
      ...(result.plan ? { errors: result.plan.errors } : { problems: result.validation.problems }),
      images: result.verified ?? [],
    },
    null,
    2,
  )}\n`;
}

function lastLines(text: string): string[] {
  const lines = text.trimEnd().split("\n");
  return lines.length > MAX_OUTPUT_LINES ? ["…", ...lines.slice(-MAX_OUTPUT_LINES)] : lines;
}

/** Text for a terminal: control characters (escape sequences among them) shown as "?". */
function safe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "?");
}
