#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import "./chunk-XML4HPHG.js";

// src/report/doctor.ts
var MARKS = { ok: "ok  ", warn: "warn", fail: "FAIL" };
function formatDoctorText(checks) {
  const width = Math.max(...checks.map((check) => check.name.length));
  const lines = checks.map(
    (check) => `${MARKS[check.status]}  ${check.name.padEnd(width)}  ${check.detail}`
  );
  const failed = checks.filter((check) => check.status === "fail").length;
  lines.push(
    "",
    failed === 0 ? "ready: nothing keeps this machine from planning, building and publishing this catalog" : `${failed} check${failed === 1 ? "" : "s"} failed: fix ${failed === 1 ? "it" : "them"} before a job runs here`
  );
  return lines.join("\n");
}
export {
  formatDoctorText
};
