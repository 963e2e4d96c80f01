#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

// src/report/table.ts
function renderTable(header, rows) {
  const widths = header.map(
    (title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length))
  );
  const line = (cells) => cells.map(
    (cell, column) => column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)
  ).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

// src/report/markdown.ts
function escapeMarkdown(text) {
  return oneLine(text).replace(/([\\`*_{}[\]()<>#+!|~@&])/g, "\\$1");
}
function inlineCode(text) {
  const clean = oneLine(text).replace(/\|/g, "\\|");
  const runs = clean.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((run) => run.length)) + 1);
  const padded = clean.startsWith("`") || clean.endsWith("`") ? ` ${clean} ` : clean;
  return `${fence}${padded}${fence}`;
}
function fencedBlock(content, info = "") {
  const runs = content.match(/`{3,}/g) ?? [];
  const fence = "`".repeat(Math.max(2, ...runs.map((run) => run.length)) + 1);
  return `${fence}${info}
${content}
${fence}`;
}
function oneLine(text) {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ");
}

export {
  renderTable,
  plural,
  escapeMarkdown,
  inlineCode,
  fencedBlock
};
