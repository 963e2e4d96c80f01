import { describe, expect, it } from "vitest";

import { matchesGlob } from "./glob.js";

describe("matchesGlob", () => {
  it.each([
    ["py37_0", "py37_0", true],
    ["py37_0", "py37_1", false],
    ["py37_0", "py37", false],
    ["py37", "py37_0", false],
    ["py37_0", "py37_*", true],
    ["py37_", "py37_*", true],
    ["py38_0", "py37_*", false],
    ["py310_cuda12_0", "*cuda*", true],
    ["cuda", "*cuda*", true],
    ["cud", "*cuda*", false],
    ["abcabd", "*abd", true],
    ["aab", "*a*b", true],
    ["ab", "a**b", true],
    ["", "*", true],
    ["", "", true],
    ["a", "", false],
    ["1.2.3", "1.*.3", true],
    ["1.2.30", "1.*.3", false],
    ["1x2", "1.2", false],
    ["a+b", "a+b", true],
  ])("matches %j against %j: %s", (text, pattern, expected) => {
    expect(matchesGlob(text, pattern)).toBe(expected);
  });

  it("treats regular-expression characters literally", () => {
    expect(matchesGlob("1.2", "1?2")).toBe(false);
    expect(matchesGlob("1?2", "1?2")).toBe(true);
    expect(matchesGlob("a", "[a]")).toBe(false);
  });

  it("stays fast where a backtracking regular expression would not", () => {
    const pattern = `${"*a".repeat(20)}*b`;
    const text = "a".repeat(10_000);
    const start = Date.now();

    const result = matchesGlob(text, pattern);

    expect(result).toBe(false);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
