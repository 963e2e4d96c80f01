#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PLAN_ACTIONS
} from "./chunk-X4LKITOK.js";
import {
  plural,
  renderTable
} from "./chunk-YCP7WCHU.js";
import {
  escapeMarkdown,
  fencedBlock,
  inlineCode
} from "./chunk-MK5LT3LH.js";
import "./chunk-B6HO2RR2.js";
import "./chunk-IBEICT4M.js";
import "./chunk-SCQLJQHS.js";
import "./chunk-EESE7KYM.js";
import "./chunk-5A2P77KC.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-MV6IGXHU.js";
import "./chunk-T4E4HH4Z.js";
import "./chunk-TQMSZ7SH.js";
import "./chunk-WSEJIW4R.js";
import "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-V4OKTXNJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";

// node_modules/diff/libesm/diff/base.js
var Diff = class {
  diff(oldStr, newStr, options = {}) {
    let callback;
    if (typeof options === "function") {
      callback = options;
      options = {};
    } else if ("callback" in options) {
      callback = options.callback;
    }
    const oldString = this.castInput(oldStr, options);
    const newString = this.castInput(newStr, options);
    const oldTokens = this.removeEmpty(this.tokenize(oldString, options));
    const newTokens = this.removeEmpty(this.tokenize(newString, options));
    return this.diffWithOptionsObj(oldTokens, newTokens, options, callback);
  }
  diffWithOptionsObj(oldTokens, newTokens, options, callback) {
    var _a;
    const done = (value) => {
      value = this.postProcess(value, options);
      if (callback) {
        setTimeout(function() {
          callback(value);
        }, 0);
        return void 0;
      } else {
        return value;
      }
    };
    const newLen = newTokens.length, oldLen = oldTokens.length;
    let editLength = 1;
    let maxEditLength = newLen + oldLen;
    if (options.maxEditLength != null) {
      maxEditLength = Math.min(maxEditLength, options.maxEditLength);
    }
    const maxExecutionTime = (_a = options.timeout) !== null && _a !== void 0 ? _a : Infinity;
    const abortAfterTimestamp = Date.now() + maxExecutionTime;
    const bestPath = [{ oldPos: -1, lastComponent: void 0 }];
    let newPos = this.extractCommon(bestPath[0], newTokens, oldTokens, 0, options);
    if (bestPath[0].oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
      return done(this.buildValues(bestPath[0].lastComponent, newTokens, oldTokens));
    }
    let minDiagonalToConsider = -Infinity, maxDiagonalToConsider = Infinity;
    const execEditLength = () => {
      for (let diagonalPath = Math.max(minDiagonalToConsider, -editLength); diagonalPath <= Math.min(maxDiagonalToConsider, editLength); diagonalPath += 2) {
        let basePath;
        const removePath = bestPath[diagonalPath - 1], addPath = bestPath[diagonalPath + 1];
        if (removePath) {
          bestPath[diagonalPath - 1] = void 0;
        }
        let canAdd = false;
        if (addPath) {
          const addPathNewPos = addPath.oldPos - diagonalPath;
          canAdd = addPath && 0 <= addPathNewPos && addPathNewPos < newLen;
        }
        const canRemove = removePath && removePath.oldPos + 1 < oldLen;
        if (!canAdd && !canRemove) {
          bestPath[diagonalPath] = void 0;
          continue;
        }
        if (!canRemove || canAdd && removePath.oldPos < addPath.oldPos) {
          basePath = this.addToPath(addPath, true, false, 0, options);
        } else {
          basePath = this.addToPath(removePath, false, true, 1, options);
        }
        newPos = this.extractCommon(basePath, newTokens, oldTokens, diagonalPath, options);
        if (basePath.oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
          return done(this.buildValues(basePath.lastComponent, newTokens, oldTokens)) || true;
        } else {
          bestPath[diagonalPath] = basePath;
          if (basePath.oldPos + 1 >= oldLen) {
            maxDiagonalToConsider = Math.min(maxDiagonalToConsider, diagonalPath - 1);
          }
          if (newPos + 1 >= newLen) {
            minDiagonalToConsider = Math.max(minDiagonalToConsider, diagonalPath + 1);
          }
        }
      }
      editLength++;
    };
    if (callback) {
      (function exec() {
        setTimeout(function() {
          if (editLength > maxEditLength || Date.now() > abortAfterTimestamp) {
            return callback(void 0);
          }
          if (!execEditLength()) {
            exec();
          }
        }, 0);
      })();
    } else {
      while (editLength <= maxEditLength && Date.now() <= abortAfterTimestamp) {
        const ret = execEditLength();
        if (ret) {
          return ret;
        }
      }
    }
  }
  addToPath(path, added, removed, oldPosInc, options) {
    const last = path.lastComponent;
    if (last && !options.oneChangePerToken && last.added === added && last.removed === removed) {
      return {
        oldPos: path.oldPos + oldPosInc,
        lastComponent: { count: last.count + 1, added, removed, previousComponent: last.previousComponent }
      };
    } else {
      return {
        oldPos: path.oldPos + oldPosInc,
        lastComponent: { count: 1, added, removed, previousComponent: last }
      };
    }
  }
  extractCommon(basePath, newTokens, oldTokens, diagonalPath, options) {
    const newLen = newTokens.length, oldLen = oldTokens.length;
    let oldPos = basePath.oldPos, newPos = oldPos - diagonalPath, commonCount = 0;
    while (newPos + 1 < newLen && oldPos + 1 < oldLen && this.equals(oldTokens[oldPos + 1], newTokens[newPos + 1], options)) {
      newPos++;
      oldPos++;
      commonCount++;
      if (options.oneChangePerToken) {
        basePath.lastComponent = { count: 1, previousComponent: basePath.lastComponent, added: false, removed: false };
      }
    }
    if (commonCount && !options.oneChangePerToken) {
      basePath.lastComponent = { count: commonCount, previousComponent: basePath.lastComponent, added: false, removed: false };
    }
    basePath.oldPos = oldPos;
    return newPos;
  }
  equals(left, right, options) {
    if (options.comparator) {
      return options.comparator(left, right);
    } else {
      return left === right || !!options.ignoreCase && left.toLowerCase() === right.toLowerCase();
    }
  }
  removeEmpty(array) {
    const ret = [];
    for (let i = 0; i < array.length; i++) {
      if (array[i]) {
        ret.push(array[i]);
      }
    }
    return ret;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  castInput(value, options) {
    return value;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  tokenize(value, options) {
    return Array.from(value);
  }
  join(chars) {
    return chars.join("");
  }
  postProcess(changeObjects, options) {
    return changeObjects;
  }
  get useLongestToken() {
    return false;
  }
  buildValues(lastComponent, newTokens, oldTokens) {
    const components = [];
    let nextComponent;
    while (lastComponent) {
      components.push(lastComponent);
      nextComponent = lastComponent.previousComponent;
      delete lastComponent.previousComponent;
      lastComponent = nextComponent;
    }
    components.reverse();
    const componentLen = components.length;
    let componentPos = 0, newPos = 0, oldPos = 0;
    for (; componentPos < componentLen; componentPos++) {
      const component = components[componentPos];
      if (!component.removed) {
        if (!component.added && this.useLongestToken) {
          let value = newTokens.slice(newPos, newPos + component.count);
          value = value.map(function(value2, i) {
            const oldValue = oldTokens[oldPos + i];
            return oldValue.length > value2.length ? oldValue : value2;
          });
          component.value = this.join(value);
        } else {
          component.value = this.join(newTokens.slice(newPos, newPos + component.count));
        }
        newPos += component.count;
        if (!component.added) {
          oldPos += component.count;
        }
      } else {
        component.value = this.join(oldTokens.slice(oldPos, oldPos + component.count));
        oldPos += component.count;
      }
    }
    return components;
  }
};

// node_modules/diff/libesm/diff/line.js
var LineDiff = class extends Diff {
  constructor() {
    super(...arguments);
    this.tokenize = tokenize;
  }
  equals(left, right, options) {
    if (options.ignoreWhitespace) {
      if (!options.newlineIsToken || !left.includes("\n")) {
        left = left.trim();
      }
      if (!options.newlineIsToken || !right.includes("\n")) {
        right = right.trim();
      }
    } else if (options.ignoreNewlineAtEof && !options.newlineIsToken) {
      if (left.endsWith("\n")) {
        left = left.slice(0, -1);
      }
      if (right.endsWith("\n")) {
        right = right.slice(0, -1);
      }
    }
    return super.equals(left, right, options);
  }
};
var lineDiff = new LineDiff();
function diffLines(oldStr, newStr, options) {
  return lineDiff.diff(oldStr, newStr, options);
}
function tokenize(value, options) {
  if (options.stripTrailingCr) {
    value = value.replace(/\r\n/g, "\n");
  }
  const retLines = [], linesAndNewlines = value.split(/(\n|\r\n)/);
  if (!linesAndNewlines[linesAndNewlines.length - 1]) {
    linesAndNewlines.pop();
  }
  for (let i = 0; i < linesAndNewlines.length; i++) {
    const line = linesAndNewlines[i];
    if (i % 2 && !options.newlineIsToken) {
      retLines[retLines.length - 1] += line;
    } else {
      retLines.push(line);
    }
  }
  return retLines;
}

// node_modules/diff/libesm/patch/create.js
var INCLUDE_HEADERS = {
  includeIndex: true,
  includeUnderline: true,
  includeFileHeaders: true
};
function structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options) {
  let optionsObj;
  if (!options) {
    optionsObj = {};
  } else if (typeof options === "function") {
    optionsObj = { callback: options };
  } else {
    optionsObj = options;
  }
  if (typeof optionsObj.context === "undefined") {
    optionsObj.context = 4;
  }
  const context = optionsObj.context;
  if (optionsObj.newlineIsToken) {
    throw new Error("newlineIsToken may not be used with patch-generation functions, only with diffing functions");
  }
  if (!optionsObj.callback) {
    return diffLinesResultToPatch(diffLines(oldStr, newStr, optionsObj));
  } else {
    const { callback } = optionsObj;
    diffLines(oldStr, newStr, Object.assign(Object.assign({}, optionsObj), { callback: (diff) => {
      const patch = diffLinesResultToPatch(diff);
      callback(patch);
    } }));
  }
  function diffLinesResultToPatch(diff) {
    if (!diff) {
      return;
    }
    diff.push({ value: "", lines: [] });
    function contextLines(lines2) {
      return lines2.map(function(entry) {
        return " " + entry;
      });
    }
    const hunks = [];
    let oldRangeStart = 0, newRangeStart = 0, curRange = [], oldLine = 1, newLine = 1;
    for (let i = 0; i < diff.length; i++) {
      const current = diff[i], lines2 = current.lines || splitLines(current.value);
      current.lines = lines2;
      if (current.added || current.removed) {
        if (!oldRangeStart) {
          const prev = diff[i - 1];
          oldRangeStart = oldLine;
          newRangeStart = newLine;
          if (prev) {
            curRange = context > 0 ? contextLines(prev.lines.slice(-context)) : [];
            oldRangeStart -= curRange.length;
            newRangeStart -= curRange.length;
          }
        }
        for (const line of lines2) {
          curRange.push((current.added ? "+" : "-") + line);
        }
        if (current.added) {
          newLine += lines2.length;
        } else {
          oldLine += lines2.length;
        }
      } else {
        if (oldRangeStart) {
          if (lines2.length <= context * 2 && i < diff.length - 2) {
            for (const line of contextLines(lines2)) {
              curRange.push(line);
            }
          } else {
            const contextSize = Math.min(lines2.length, context);
            for (const line of contextLines(lines2.slice(0, contextSize))) {
              curRange.push(line);
            }
            const hunk = {
              oldStart: oldRangeStart,
              oldLines: oldLine - oldRangeStart + contextSize,
              newStart: newRangeStart,
              newLines: newLine - newRangeStart + contextSize,
              lines: curRange
            };
            hunks.push(hunk);
            oldRangeStart = 0;
            newRangeStart = 0;
            curRange = [];
          }
        }
        oldLine += lines2.length;
        newLine += lines2.length;
      }
    }
    for (const hunk of hunks) {
      for (let i = 0; i < hunk.lines.length; i++) {
        if (hunk.lines[i].endsWith("\n")) {
          hunk.lines[i] = hunk.lines[i].slice(0, -1);
        } else {
          hunk.lines.splice(i + 1, 0, "\\ No newline at end of file");
          i++;
        }
      }
    }
    return {
      oldFileName,
      newFileName,
      oldHeader,
      newHeader,
      hunks
    };
  }
}
function formatPatch(patch, headerOptions) {
  if (!headerOptions) {
    headerOptions = INCLUDE_HEADERS;
  }
  if (Array.isArray(patch)) {
    if (patch.length > 1 && !headerOptions.includeFileHeaders) {
      throw new Error("Cannot omit file headers on a multi-file patch. (The result would be unparseable; how would a tool trying to apply the patch know which changes are to which file?)");
    }
    return patch.map((p) => formatPatch(p, headerOptions)).join("\n");
  }
  const ret = [];
  if (headerOptions.includeIndex && patch.oldFileName == patch.newFileName) {
    ret.push("Index: " + patch.oldFileName);
  }
  if (headerOptions.includeUnderline) {
    ret.push("===================================================================");
  }
  if (headerOptions.includeFileHeaders) {
    ret.push("--- " + patch.oldFileName + (typeof patch.oldHeader === "undefined" ? "" : "	" + patch.oldHeader));
    ret.push("+++ " + patch.newFileName + (typeof patch.newHeader === "undefined" ? "" : "	" + patch.newHeader));
  }
  for (let i = 0; i < patch.hunks.length; i++) {
    const hunk = patch.hunks[i];
    if (hunk.oldLines === 0) {
      hunk.oldStart -= 1;
    }
    if (hunk.newLines === 0) {
      hunk.newStart -= 1;
    }
    ret.push("@@ -" + hunk.oldStart + "," + hunk.oldLines + " +" + hunk.newStart + "," + hunk.newLines + " @@");
    for (const line of hunk.lines) {
      ret.push(line);
    }
  }
  return ret.join("\n") + "\n";
}
function createTwoFilesPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options) {
  if (typeof options === "function") {
    options = { callback: options };
  }
  if (!(options === null || options === void 0 ? void 0 : options.callback)) {
    const patchObj = structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options);
    if (!patchObj) {
      return;
    }
    return formatPatch(patchObj, options === null || options === void 0 ? void 0 : options.headerOptions);
  } else {
    const { callback } = options;
    structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, Object.assign(Object.assign({}, options), { callback: (patchObj) => {
      if (!patchObj) {
        callback(void 0);
      } else {
        callback(formatPatch(patchObj, options.headerOptions));
      }
    } }));
  }
}
function splitLines(text) {
  const hasTrailingNl = text.endsWith("\n");
  const result = text.split("\n").map((line) => line + "\n");
  if (hasTrailingNl) {
    result.pop();
  } else {
    result.push(result.pop().slice(0, -1));
  }
  return result;
}

// src/report/plan.ts
function formatPlanJson(plan) {
  return JSON.stringify(plan, null, 2);
}
function describeAccess(change) {
  const list = (groups) => groups.join(", ");
  switch (change.change) {
    case "became-global":
      return `${change.image} is now usable by every group (global)${change.groups?.length ? `: ${list(change.groups)} gain${change.groups.length === 1 ? "s" : ""} it` : ""}`;
    case "no-longer-global": {
      const keeps = change.keeps?.length ? `; only ${list(change.keeps)} keep${change.keeps.length === 1 ? "s" : ""} it` : "; no group keeps it";
      if (change.groups === void 0)
        return `${change.image} is no longer global: every group loses it${keeps} (list the groups in imagesmith.yaml to have them named)`;
      return `${change.image} is no longer global: ${change.groups.length ? `${list(change.groups)} lose${change.groups.length === 1 ? "s" : ""} it` : "no listed group loses it"}${keeps}`;
    }
    case "group-added":
      return `group ${change.group} gains ${change.image}`;
    case "group-removed":
      return `group ${change.group} loses ${change.image}`;
  }
}
var PLAIN = { text: (words) => words, code: (value) => value };
var MARKDOWN = { text: escapeMarkdown, code: inlineCode };
function describeBaseline(baseline, words = PLAIN) {
  const { text, code } = words;
  const ref = code(baseline.ref ?? "");
  const warnings = [];
  let line;
  switch (baseline.from) {
    case "none":
      line = text("No registry is configured: nothing is published, so every image is new.");
      break;
    case "file":
      line = `${text("Compared with the file")} ${ref} ${text("(--previous), not with the published catalog: a review only, never published from.")}`;
      break;
    case "registry":
      if (baseline.error !== void 0) {
        line = `${text("The published catalog")} ${ref} ${text("could not be read.")}`;
        warnings.push(
          `${text("The published catalog")} ${ref} ${text(`could not be read (${baseline.error}): this plan compares with nothing, so it may show as new what is served already and cannot show what would be lost. Publishing from it is refused.`)}`
        );
      } else if (baseline.digest === void 0) {
        line = `${text("Nothing is published at")} ${ref} ${text("yet: every image is new.")}`;
      } else {
        const about = [
          baseline.commit ? `commit ${baseline.commit.slice(0, 12)}` : "",
          baseline.images === void 0 ? "" : plural(baseline.images, "image")
        ].filter(Boolean);
        line = `${text("Compared with the published catalog")} ${code(`${stripTag(baseline.ref ?? "")}@${baseline.digest}`)}${about.length ? ` ${text(`(${about.join(", ")})`)}` : ""}.`;
      }
  }
  if (baseline.history === "not-ancestor")
    warnings.push(
      text(
        `The published catalog was made from commit ${baseline.commit ?? ""}, which this checkout's HEAD does not contain: the checkout is stale or diverged, so this plan would undo what was published since. Publishing from it is refused.`
      )
    );
  if (baseline.history === "unknown")
    warnings.push(
      text(
        `The published catalog was made from commit ${baseline.commit ?? ""}, which this checkout does not have (it is behind, or a shallow clone: fetch-depth: 0), so nothing shows that HEAD is newer. Publishing from it is refused.`
      )
    );
  return { line, warnings };
}
function stripTag(ref) {
  const colon = ref.lastIndexOf(":");
  return colon > ref.lastIndexOf("/") ? ref.slice(0, colon) : ref;
}
function showValue(field, value) {
  if (value === void 0) return "(none)";
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[${value.join(", ")}]`;
  if (typeof value === "boolean") return String(value);
  return field === "description" || field === "displayName" ? JSON.stringify(value) : value;
}
function beforeAfter(entry, change, words) {
  const after = words.code(showValue(change.field, change.after));
  return {
    before: words.code(showValue(change.field, change.before)),
    after: entry.action === "build" && change.field.startsWith("url") ? `${after} (built by this run)` : after
  };
}
function changeLines(entry) {
  return entry.changes.map((change) => {
    const { before, after } = beforeAfter(entry, change, PLAIN);
    return `${change.field}: ${before} \u2192 ${after}`;
  });
}
function changeSummary(entry) {
  if (entry.action === "remove") return "removed from the catalog";
  if (entry.changes.length > 0 && entry.changes.every((change) => change.before === void 0))
    return "new in the catalog";
  return void 0;
}
function changedEntries(plan) {
  return plan.images.filter((entry) => entry.changes.length > 0);
}
function summaryLine(plan) {
  return PLAN_ACTIONS.map((action) => `${plan.summary[action]} ${action}`).join(", ");
}
function formatPlanText(plan) {
  const baseline = describeBaseline(plan.baseline);
  const lines2 = [
    ...baseline.warnings.map((warning) => `WARNING: ${warning}`),
    baseline.line,
    "",
    renderTable(
      ["NAME", "ACTION", "REASONS", "REF"],
      plan.images.map((entry) => [entry.name, entry.action, entry.reasons.join(","), entry.ref])
    )
  ];
  if (plan.accessChanges.length > 0) {
    lines2.push(
      "",
      "Access changes:",
      ...plan.accessChanges.map((change) => `  ${describeAccess(change)}`)
    );
  }
  const changed = changedEntries(plan);
  if (changed.length > 0) {
    lines2.push("", "Changes (published \u2192 after this plan):");
    for (const entry of changed) {
      const summary = changeSummary(entry);
      lines2.push(`  ${entry.name} (${entry.action}${summary ? `: ${summary}` : ""})`);
      if (!summary) lines2.push(...changeLines(entry).map((line) => `    ${line}`));
    }
  }
  if (plan.errors.length > 0) {
    lines2.push(
      "",
      "Errors:",
      ...plan.errors.map(
        (error) => `  ${error.file ?? error.image}: error plan: ${error.image}: ${error.message}`
      )
    );
  }
  lines2.push(
    "",
    `${summaryLine(plan)}${plan.errors.length > 0 ? `; ${plural(plan.errors.length, "error")}` : ""}`
  );
  return lines2.join("\n");
}
function formatRunStart(plan, builds) {
  const baseline = describeBaseline(plan.baseline);
  const lines2 = [...baseline.warnings.map((warning) => `WARNING: ${warning}`), baseline.line];
  if (plan.accessChanges.length > 0)
    lines2.push("Access changes:", ...plan.accessChanges.map((c) => `  ${describeAccess(c)}`));
  lines2.push(
    builds.length === 0 ? "Nothing to build." : `Building ${plural(builds.length, "image")}: ${builds.map((entry) => `${entry.name} (${entry.reasons.join(", ")})`).join(", ")}`
  );
  const others = plan.images.filter((entry) => entry.action !== "build" && entry.action !== "skip");
  if (others.length > 0)
    lines2.push(
      `Catalog changes without a build: ${others.map((entry) => `${entry.name} (${entry.action}: ${entry.reasons.join(", ")})`).join(", ")}`
    );
  else if (builds.length === 0) lines2.push("The published catalog already serves every image.");
  return lines2.join("\n");
}
function recipeOf(dockerfile) {
  const at = dockerfile.indexOf("\nLABEL ");
  return at < 0 ? dockerfile : dockerfile.slice(0, at + 1);
}
function nodeId(name) {
  return "i_" + name.replace(/[^A-Za-z0-9_]/g, "_");
}
function mermaidGraph(plan) {
  const edges = plan.images.flatMap(
    (entry) => entry.dependsOn.map((parent) => [parent, entry.name])
  );
  if (edges.length === 0) return void 0;
  const inTree = new Set(edges.flat());
  const lines2 = ["```mermaid", "graph TD"];
  for (const entry of plan.images.filter((e) => inTree.has(e.name))) {
    lines2.push(`  ${nodeId(entry.name)}["${entry.name}"]`);
  }
  for (const [parent, child] of edges) lines2.push(`  ${nodeId(parent)} --> ${nodeId(child)}`);
  const changed = plan.images.filter((e) => inTree.has(e.name) && e.action !== "skip").map((e) => nodeId(e.name));
  if (changed.length > 0) {
    lines2.push(
      "  classDef changed fill:#fff3b0,stroke:#b58900,stroke-width:2px",
      `  class ${changed.join(",")} changed`
    );
  }
  lines2.push("```");
  return lines2.join("\n");
}
function recipeDiff(entry) {
  if (!entry.dockerfile) return void 0;
  const patches = [
    patchOf(`${entry.name}/Dockerfile`, entry.previousDockerfile ?? "", recipeOf(entry.dockerfile))
  ];
  if (entry.contracts)
    patches.push(
      patchOf(
        `${entry.name}/contracts`,
        lines(entry.contracts.before),
        lines(entry.contracts.after)
      )
    );
  const body = patches.filter(Boolean).join("\n");
  return body === "" ? void 0 : body;
}
function lines(items) {
  return items.map((item) => `${item}
`).join("");
}
function patchOf(path, before, after) {
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, "", "", {
    context: 3
  });
  if (!patch.includes("\n@@")) return "";
  return patch.split("\n").slice(2).join("\n").trimEnd();
}
function fitPlanMarkdown(plan, limit, where) {
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
  return text.length <= limit ? text : text.slice(0, limit - 2) + "\u2026\n";
}
function formatPlanMarkdown(plan, options = {}) {
  const out = ["## imagesmith plan", ""];
  const baseline = describeBaseline(plan.baseline, MARKDOWN);
  for (const warning of baseline.warnings) out.push(`> [!WARNING]`, `> ${warning}`, "");
  out.push(baseline.line, "");
  if (options.note) out.push(`> ${options.note}`, "");
  if (plan.errors.length > 0) {
    out.push("### :x: Errors", "");
    for (const error of plan.errors)
      out.push(
        `- **${escapeMarkdown(error.image)}**${error.file ? ` (${inlineCode(error.file)})` : ""}: ${escapeMarkdown(error.message)}`
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
      "| --- | --- | --- | --- |"
    );
    const rows2 = [];
    for (const entry of changed) {
      const summary = changeSummary(entry);
      if (summary) {
        rows2.push(`| ${entry.name} | | | ${summary} |`);
        continue;
      }
      for (const change of entry.changes) {
        const { before, after } = beforeAfter(entry, change, MARKDOWN);
        rows2.push(`| ${entry.name} | ${change.field} | ${before} | ${after} |`);
      }
    }
    const shown2 = rows2.slice(0, options.maxRows ?? rows2.length);
    out.push(...shown2);
    if (shown2.length < rows2.length) out.push(`| \u2026 | ${rows2.length - shown2.length} more | | |`);
    out.push("");
  }
  out.push(
    "### Summary",
    "",
    `**${summaryLine(plan)}**`,
    "",
    "| image | action | reasons | reference |",
    "| --- | --- | --- | --- |"
  );
  const rows = [...plan.images].sort(
    (a, b) => Number(a.action === "skip") - Number(b.action === "skip")
  );
  const shown = rows.slice(0, options.maxRows ?? rows.length);
  for (const entry of shown) {
    out.push(
      `| ${entry.name} | ${entry.action} | ${entry.reasons.join(", ")} | ${inlineCode(entry.ref)} |`
    );
  }
  if (shown.length < rows.length) out.push(`| \u2026 | ${rows.length - shown.length} more | | |`);
  out.push("");
  const diffs = plan.images.filter((entry) => options.recipes !== false && entry.action === "build").map((entry) => [entry, recipeDiff(entry)]);
  if (diffs.some(([, diff]) => diff !== void 0)) {
    out.push("### Recipes", "");
    for (const [entry, diff] of diffs) {
      if (diff === void 0) continue;
      out.push(
        `<details><summary><b>${entry.name}</b>: build (${entry.reasons.join(", ")})</summary>`,
        "",
        fencedBlock(diff, "diff"),
        "",
        "</details>",
        ""
      );
    }
  }
  const graph = options.recipes === false ? void 0 : mermaidGraph(plan);
  if (graph) out.push("### Build graph", "", graph, "");
  return out.join("\n");
}
export {
  describeAccess,
  describeBaseline,
  fitPlanMarkdown,
  formatPlanJson,
  formatPlanMarkdown,
  formatPlanText,
  formatRunStart
};
