import { describe, expect, it } from "vitest";
import { BuildError, buildErrorFrom, failureLine } from "./types.js";

describe("failureLine", () => {
  it("picks apt's error over buildah's wrap-up lines", () => {
    const output = [
      "STEP 3/3: RUN apt-get install nosuchpkg",
      "Reading package lists...",
      "E: Unable to locate package nosuchpkg",
      "subprocess exited with status 100",
      'Error: building at STEP "RUN apt-get install nosuchpkg": exit status 100',
    ].join("\n");

    expect(failureLine(output)).toBe("E: Unable to locate package nosuchpkg");
  });

  it("picks pip's error out of BuildKit's prefixed progress lines", () => {
    const output = [
      "#7 [3/3] RUN pip install torch==9.9",
      "#7 1.234 ERROR: Could not find a version that satisfies the requirement torch==9.9",
      "#7 1.240 ERROR: No matching distribution found for torch==9.9",
      '#7 ERROR: process "/bin/sh -c pip install torch==9.9" did not complete successfully: exit code: 1',
      "------",
      'ERROR: failed to solve: process "/bin/sh -c pip install" did not complete successfully: exit code: 1',
    ].join("\n");

    expect(failureLine(output)).toBe("ERROR: No matching distribution found for torch==9.9");
  });

  it("falls back to the tool's own error, without its Error: prefix, when nothing else says more", () => {
    const output = [
      "STEP 1/2: FROM registry.test/base:1",
      "Error: creating build container: reading manifest 1 in registry.test/base: unauthorized",
    ].join("\n");

    expect(failureLine(output)).toBe(
      "creating build container: reading manifest 1 in registry.test/base: unauthorized",
    );
  });

  it("shortens a very long line", () => {
    expect(failureLine(`E: ${"x".repeat(1000)}`)).toHaveLength(300);
  });
});

describe("buildErrorFrom", () => {
  it("says what failed, the exit code and the line, or that it was cancelled", () => {
    const failed = buildErrorFrom(new Error("x"), "push to r/ds:1", {
      exitCode: 125,
      output: "Error: pushing: 401 unauthorized",
    });
    const cancelled = buildErrorFrom(new Error("x"), "build", { cancelled: true, exitCode: 143 });

    expect(failed).toBeInstanceOf(BuildError);
    expect(failed.message).toBe("push to r/ds:1 failed (exit 125): pushing: 401 unauthorized");
    expect(failed.cancelled).toBe(false);
    expect(cancelled.message).toBe("build cancelled");
    expect(cancelled.cancelled).toBe(true);
  });
});
