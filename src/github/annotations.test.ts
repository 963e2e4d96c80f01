import { describe, expect, it } from "vitest";
import { cappedNotice, annotationsFor } from "./annotations.js";

describe("annotationsFor", () => {
  it("puts each problem on its file, line and column, relative to the repository", () => {
    const found = annotationsFor(
      [
        {
          file: "images/nlp.yaml",
          line: 7,
          column: 9,
          rule: "apt-package",
          message: 'apt package "Vim": write "vim"',
          severity: "error",
          pointer: "/build/packages/apt/0",
        },
        {
          file: "images/old.yaml",
          line: 1,
          column: 1,
          rule: "deprecated",
          message: "old",
          severity: "warning",
          pointer: "",
        },
      ],
      [{ image: "python", file: "images/python.yaml", message: "401 unauthorized" }],
      { root: "/ws/catalogs/ml", workspace: "/ws" },
    );

    expect(found).toEqual([
      {
        level: "error",
        message: 'apt package "Vim": write "vim"',
        title: "imagesmith apt-package",
        file: "catalogs/ml/images/nlp.yaml",
        startLine: 7,
        startColumn: 9,
      },
      {
        level: "warning",
        message: "old",
        title: "imagesmith deprecated",
        file: "catalogs/ml/images/old.yaml",
        startLine: 1,
        startColumn: 1,
      },
      {
        level: "error",
        message: "python: 401 unauthorized",
        title: "imagesmith plan",
        file: "catalogs/ml/images/python.yaml",
      },
    ]);
  });
});

describe("cappedNotice", () => {
  it("says how many annotations there are when GitHub will show only ten of a kind", () => {
    const of = (errors: number, warnings: number) => [
      ...Array.from({ length: errors }, () => ({ level: "error" as const })),
      ...Array.from({ length: warnings }, () => ({ level: "warning" as const })),
    ];
    expect(cappedNotice(of(10, 10))).toBeUndefined();
    expect(cappedNotice(of(11, 2))).toBe(
      "11 errors and 2 warnings: GitHub shows only the first 10 of each kind as annotations; every one is in the job summary and in this log",
    );
    expect(cappedNotice(of(1, 12))).toMatch(/^1 error and 12 warnings:/);
  });
});
