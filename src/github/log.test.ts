import { describe, expect, it } from "vitest";
import { runnerSafe } from "./log.js";

describe("runnerSafe", () => {
  it.each([
    ["a workflow command", "::add-mask::hunter2"],
    ["one behind spaces", "   ::error::forged"],
    ["the legacy form", "##[error]forged"],
  ])("guards %s so the runner does not read it", (_name, line) => {
    const safe = runnerSafe(line);

    expect(safe).not.toMatch(/^\s*(::|##\[)/);
    expect(safe.replace("\u200b", "")).toBe(line);
  });

  it("guards every line of a message, whatever line break splits it", () => {
    const safe = runnerSafe("images/a\n::add-mask::x.yaml\r::error::y\u2028::warning::z");

    expect(safe.split("\n").filter((line) => /^\s*::/.test(line))).toEqual([]);
    expect(safe.split("\n")).toHaveLength(4);
  });

  it("leaves ordinary lines as they are", () => {
    expect(runnerSafe("[tools] Get:1 http://deb.debian.org ...")).toBe(
      "[tools] Get:1 http://deb.debian.org ...",
    );
  });
});
