#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  formatBytes
} from "./chunk-ALID3MX5.js";
import "./chunk-FXXF4CZO.js";
import {
  escapeMarkdown,
  fencedBlock,
  inlineCode
} from "./chunk-MK5LT3LH.js";
import "./chunk-SCQLJQHS.js";
import "./chunk-MV6IGXHU.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-V4OKTXNJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";

// src/report/verify.ts
var MAX_PACKAGE_ROWS = 25;
var MAX_OUTPUT_LINES = 30;
function verifyPassed(result) {
  if (!result.plan || result.plan.errors.length > 0 || result.cancelled) return false;
  return (result.verified ?? []).every(
    (image) => image.state === "done" && image.contracts.every((c) => c.ok)
  );
}
function verifySummary(result) {
  const images = result.verified ?? [];
  if (!result.plan) return "the catalog is invalid: nothing verified";
  if (result.plan.errors.length > 0)
    return `the plan has errors (${result.plan.errors.map((e) => e.image).join(", ")}): nothing verified`;
  if (images.length === 0) return "nothing to build, so nothing to verify";
  const failed = images.filter((image) => !passed(image));
  const word = images.length === 1 ? "image" : "images";
  if (result.cancelled) return `verification cancelled (${images.length} ${word} planned)`;
  return failed.length === 0 ? `${images.length} ${word} verified: every build and contract passed` : `${images.length} ${word} verified: ${images.length - failed.length} passed, ${failed.length} failed (${failed.map((image) => image.name).join(", ")})`;
}
function passed(image) {
  return image.state === "done" && image.contracts.every((c) => c.ok);
}
function formatVerifyText(result) {
  const out = [];
  for (const image of result.verified ?? []) {
    const mark = passed(image) ? "\u2713" : "\u2717";
    const size = sizeText(image.size);
    out.push(
      `${mark} ${image.name}  ${buildText(image)}${size ? `, ${size}` : ""}${contractsText(image)}`
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
  return `${out.join("\n")}
`;
}
function buildText(image) {
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
function contractsText(image) {
  if (image.contracts.length === 0) return "";
  const failed = image.contracts.filter((c) => !c.ok);
  return failed.length === 0 ? `, ${image.contracts.length} contracts passed` : `, contracts failed: ${failed.map((c) => c.name).join(", ")}`;
}
function sizeText(size) {
  if (size.after === void 0) return "";
  if (size.before === void 0) return `${formatBytes(size.after)} unpacked`;
  const change = size.after - size.before;
  const sign = change > 0 ? "+" : change < 0 ? "\u2212" : "\xB1";
  return `${formatBytes(size.before)} \u2192 ${formatBytes(size.after)} unpacked (${sign}${formatBytes(Math.abs(change))})`;
}
function deltaText(delta) {
  if (delta.baseline === "no-sbom")
    return ["(the served image has no SBOM: its packages cannot be compared)"];
  const rows = deltaRows(delta);
  if (rows.length === 0) return ["no package changes"];
  const lines = rows.slice(0, MAX_PACKAGE_ROWS).map(
    (row) => `${row.sign} ${row.change.manager} ${safe(row.change.name)} ${safe(row.versions)}`
  );
  if (rows.length > MAX_PACKAGE_ROWS) lines.push(`\u2026 and ${rows.length - MAX_PACKAGE_ROWS} more`);
  return [`packages: ${deltaCounts(delta)}`, ...lines];
}
function deltaRows(delta) {
  return [
    ...delta.added.map((change) => ({ sign: "+", change, versions: change.after ?? "" })),
    ...delta.changed.map((change) => ({
      sign: "~",
      change,
      versions: `${change.before ?? ""} \u2192 ${change.after ?? ""}`
    })),
    ...delta.removed.map((change) => ({
      sign: "-",
      change,
      versions: change.before ?? ""
    }))
  ];
}
function deltaCounts(delta) {
  return `${delta.added.length} added, ${delta.changed.length} changed, ${delta.removed.length} removed`;
}
function fitVerifyMarkdown(result, limit, where) {
  const whole = formatVerifyMarkdown(result);
  if (whole.length <= limit) return whole;
  const images = (result.verified ?? []).length;
  const elsewhere = "`imagesmith verify --format markdown` prints all of it";
  const failedOnly = formatVerifyMarkdown(result, {
    details: "failed",
    note: `The verification is too long for ${where}: the sections of the images that passed are left out; ${elsewhere}.`
  });
  if (failedOnly.length <= limit) return failedOnly;
  const note = `The verification is too long for ${where}: ${images} images. Each image's log, contracts and packages are left out; ${elsewhere}.`;
  let rows = images;
  let text = formatVerifyMarkdown(result, { details: "none", note });
  while (text.length > limit && rows > 0) {
    rows = Math.floor(rows / 2);
    text = formatVerifyMarkdown(result, { details: "none", note, maxRows: rows });
  }
  return text.length <= limit ? text : `${text.slice(0, Math.max(0, limit - 2))}\u2026
`;
}
function formatVerifyMarkdown(result, options = {}) {
  const out = [
    "## imagesmith verify",
    "",
    `**${escapeMarkdown(verifySummary(result))}**`,
    ""
  ];
  if (options.note) out.push(`> ${options.note}`, "");
  const verified = result.verified ?? [];
  if (verified.length === 0) return out.join("\n");
  const ordered = options.maxRows === void 0 ? verified : [...verified.filter((image) => !passed(image)), ...verified.filter(passed)];
  const images = ordered.slice(0, options.maxRows ?? ordered.length);
  out.push(
    "| image | build | contracts | size (unpacked) | packages |",
    "| --- | --- | --- | --- | --- |"
  );
  for (const image of images) {
    const build = image.state === "done" || image.contracts.length > 0 ? "\u2713" : `\u2717 ${image.state === "failed" ? "failed" : escapeMarkdown(image.state)}`;
    const failed = image.contracts.filter((c) => !c.ok);
    const contracts = image.contracts.length === 0 ? "\u2014" : failed.length === 0 ? `\u2713 ${image.contracts.length}` : `\u2717 ${failed.map((c) => escapeMarkdown(c.name)).join(", ")}`;
    const packages = image.delta ? image.delta.baseline === "no-sbom" ? "served image has no SBOM" : deltaCounts(image.delta) : "\u2014";
    out.push(
      `| ${escapeMarkdown(image.name)} | ${build} | ${contracts} | ${sizeText(image.size).replace(/ unpacked/, "") || "\u2014"} | ${packages} |`
    );
  }
  if (images.length < verified.length)
    out.push(`| \u2026 ${verified.length - images.length} more images | | | | |`);
  out.push("");
  const detailed = options.details ?? "all";
  for (const image of images) {
    if (detailed === "none" || detailed === "failed" && passed(image)) continue;
    const details = imageDetails(image);
    if (details.length === 0) continue;
    out.push(`### ${passed(image) ? "\u2713" : "\u2717"} ${escapeMarkdown(image.name)}`, "", ...details);
  }
  return out.join("\n");
}
function imageDetails(image) {
  const out = [];
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
      ""
    );
  for (const contract of image.contracts.filter((c) => !c.ok)) {
    out.push(
      `<details><summary>contract ${escapeMarkdown(contract.name)} failed</summary>`,
      "",
      fencedBlock(lastLines(contract.output ?? "").join("\n")),
      "",
      "</details>",
      ""
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
        "| --- | --- | --- | --- |"
      );
      for (const row of rows.slice(0, MAX_PACKAGE_ROWS))
        out.push(
          `| ${row.sign === "~" ? "changed" : row.sign === "+" ? "added" : "removed"} | ${row.change.manager} | ${inlineCode(row.change.name)} | ${escapeMarkdown(row.versions)} |`
        );
      if (rows.length > MAX_PACKAGE_ROWS)
        out.push(`| \u2026 | | ${rows.length - MAX_PACKAGE_ROWS} more | |`);
      out.push("", "</details>", "");
    }
  }
  return out;
}
function formatVerifyJson(result) {
  return `${JSON.stringify(
    {
      passed: verifyPassed(result),
      summary: verifySummary(result),
      ...result.plan ? { errors: result.plan.errors } : { problems: result.validation.problems },
      images: result.verified ?? []
    },
    null,
    2
  )}
`;
}
function lastLines(text) {
  const lines = text.trimEnd().split("\n");
  return lines.length > MAX_OUTPUT_LINES ? ["\u2026", ...lines.slice(-MAX_OUTPUT_LINES)] : lines;
}
function safe(text) {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "?");
}
export {
  MAX_PACKAGE_ROWS,
  fitVerifyMarkdown,
  formatVerifyJson,
  formatVerifyMarkdown,
  formatVerifyText,
  verifyPassed,
  verifySummary
};
