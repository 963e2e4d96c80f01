/** `doctor` in text: one line per check, its mark, its name and what it found. */
import type { DoctorCheck } from "../pipeline.js";

const MARKS: Record<DoctorCheck["status"], string> = { ok: "ok  ", warn: "warn", fail: "FAIL" };

export function formatDoctorText(checks: readonly DoctorCheck[]): string {
  const width = Math.max(...checks.map((check) => check.name.length));
  const lines = checks.map(
    (check) => `${MARKS[check.status]}  ${check.name.padEnd(width)}  ${check.detail}`,
  );
  const failed = checks.filter((check) => check.status === "fail").length;
  lines.push(
    "",
    failed === 0
      ? "ready: nothing keeps this machine from planning, building and publishing this catalog"
      : `${failed} check${failed === 1 ? "" : "s"} failed: fix ${failed === 1 ? "it" : "them"} before a job runs here`,
  );
  return lines.join("\n");
}
