import { describe, expect, it } from "vitest";
import type { VerifyResult } from "../pipeline.js";
import type { VerifiedImage } from "../verify/index.js";
import { fitVerifyMarkdown, formatVerifyMarkdown } from "./verify.js";

function image(name: string, failed = false): VerifiedImage {
  return {
    name,
    reasons: ["recipe-changed"],
    state: failed ? "failed" : "done",
    ...(failed
      ? { error: "apt-get install exited 100", logTail: ["E: Unable to locate package nope"] }
      : {}),
    contracts: failed ? [] : [{ name: "packages", ok: true, seconds: 0.1 }],
    size: { before: 100_000_000, after: 120_000_000 },
    delta: {
      baseline: "served",
      added: Array.from({ length: 30 }, (_, i) => ({
        manager: "apt" as const,
        name: `lib${name}-${i}`,
        after: "1.0",
      })),
      removed: [],
      changed: [],
    },
  };
}

function result(count: number, failed: string[] = []): VerifyResult {
  return {
    validation: { valid: true, problems: [] },
    plan: { errors: [], images: [] },
    verified: Array.from({ length: count }, (_, i) => image(`img${i}`, failed.includes(`img${i}`))),
  } as unknown as VerifyResult;
}

/** Every fold is closed and every table row ends: nothing was cut mid-way. */
function wellFormed(markdown: string): void {
  expect(markdown.match(/<details/g)?.length ?? 0).toBe(
    markdown.match(/<\/details>/g)?.length ?? 0,
  );
  for (const line of markdown.split("\n").filter((l) => l.startsWith("|")))
    expect(line, line).toMatch(/ \|$/);
  expect(markdown).not.toMatch(/…\n$/);
}

describe("fitVerifyMarkdown", () => {
  it("is the whole verification when it fits", () => {
    const small = result(2);
    expect(fitVerifyMarkdown(small, 60_000, "a comment")).toBe(formatVerifyMarkdown(small));
  });

  it("drops the sections of images that passed first, keeping the failed image's log", () => {
    const many = result(40, ["img7"]);
    const whole = formatVerifyMarkdown(many);
    const limit = Math.floor(whole.length / 3);

    const fitted = fitVerifyMarkdown(many, limit, "a comment");

    expect(whole.length).toBeGreaterThan(limit);
    expect(fitted.length).toBeLessThanOrEqual(limit);
    expect(fitted).toContain("too long for a comment");
    expect(fitted).toContain("E: Unable to locate package nope");
    expect(fitted).not.toContain("libimg3-0");
    expect(fitted).toContain("| img39 |");
    wellFormed(fitted);
  });

  it("then keeps fewer rows, failed images first, and says how many are left out", () => {
    const huge = result(2_000, ["img1500"]);

    const fitted = fitVerifyMarkdown(huge, 20_000, "a comment");

    expect(fitted.length).toBeLessThanOrEqual(20_000);
    expect(fitted).toContain("| img1500 | ✗ failed |");
    expect(fitted).toMatch(/\| … \d+ more images \|/);
    expect(fitted.split("\n")[2]).toContain("1999 passed, 1 failed");
    wellFormed(fitted);
  });
});
