#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

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
  escapeMarkdown,
  inlineCode,
  fencedBlock
};
