import { describe, expect, it } from "vitest";

import {
  type Pep440Version,
  comparePep440,
  normalizePep440,
  parsePep440,
  pipSpecifierPredicate,
} from "./pep440.js";

describe("parsePep440", () => {
  it.each<[string, Pep440Version]>([
    ["1.0", { epoch: 0n, release: [1n, 0n] }],
    ["2!1.0.0", { epoch: 2n, release: [1n, 0n, 0n] }],
    ["1.0rc1", { epoch: 0n, release: [1n, 0n], pre: { phase: "rc", number: 1n } }],
    ["1.0.post2", { epoch: 0n, release: [1n, 0n], post: 2n }],
    ["1.0.dev3", { epoch: 0n, release: [1n, 0n], dev: 3n }],
    ["2.3.0+cu121", { epoch: 0n, release: [2n, 3n, 0n], local: ["cu121"] }],
    ["1.0+ubuntu-1_2", { epoch: 0n, release: [1n, 0n], local: ["ubuntu", 1n, 2n] }],
    [
      "1!2.0b3.post4.dev5+abc.6",
      {
        epoch: 1n,
        release: [2n, 0n],
        pre: { phase: "b", number: 3n },
        post: 4n,
        dev: 5n,
        local: ["abc", 6n],
      },
    ],
  ])("splits %s into its parts", (input, expected) => {
    expect(parsePep440(input)).toEqual(expected);
  });

  it("keeps release numbers of any size exactly", () => {
    const huge = "123456789012345678901234567890";

    const version = parsePep440(`${huge}.1`);

    expect(version?.release).toEqual([BigInt(huge), 1n]);
  });

  // pypa/packaging, tests/test_version.py (test_invalid_versions), and malformed spellings.
  it.each([
    "french toast",
    "1.0+a+",
    "1.0++",
    "1.0+_foobar",
    "1.0+foo&asd",
    "1.0+1+1",
    "",
    " ",
    "v",
    "1..0",
    "1.0.",
    ".1",
    "1.0-",
    "1.0a1a2",
    "1.0+",
    "1!",
    "!1",
    "1.0.*",
    "1.0-SNAPSHOT",
    "1.0\n",
    "1.0\u0000",
  ])("refuses %j", (input) => {
    expect(parsePep440(input)).toBeUndefined();
  });

  it("refuses values that are no strings or too long to be versions", () => {
    expect(parsePep440(1 as unknown as string)).toBeUndefined();
    expect(parsePep440(undefined as unknown as string)).toBeUndefined();
    expect(parsePep440("1".repeat(257))).toBeUndefined();
    expect(parsePep440(`1.${"0.".repeat(120)}0`)).toBeDefined();
  });
});

describe("normalizePep440", () => {
  // pypa/packaging, tests/test_version.py (test_normalized_versions), ASCII whitespace only.
  it.each([
    ["1.0dev", "1.0.dev0"],
    ["1.0.dev", "1.0.dev0"],
    ["1.0-dev1", "1.0.dev1"],
    ["1.0.DEV1", "1.0.dev1"],
    ["1.0a", "1.0a0"],
    ["1.0.a1", "1.0a1"],
    ["1.0-alpha1", "1.0a1"],
    ["1.0ALPHA", "1.0a0"],
    ["1.0b", "1.0b0"],
    ["1.0.beta1", "1.0b1"],
    ["1.0-B1", "1.0b1"],
    ["1.0c", "1.0rc0"],
    ["1.0.c1", "1.0rc1"],
    ["1.0-rc", "1.0rc0"],
    ["1.0pre2", "1.0rc2"],
    ["1.0preview2", "1.0rc2"],
    ["1.0.RC1", "1.0rc1"],
    ["1.0post", "1.0.post0"],
    ["1.0.post", "1.0.post0"],
    ["1.0-post1", "1.0.post1"],
    ["1.0POST1", "1.0.post1"],
    ["1.0r", "1.0.post0"],
    ["1.0rev", "1.0.post0"],
    ["1.0.r1", "1.0.post1"],
    ["1.0-5", "1.0.post5"],
    ["1.0-r5", "1.0.post5"],
    ["1.0-rev5", "1.0.post5"],
    ["1.0+AbC", "1.0+abc"],
    ["1.01", "1.1"],
    ["1.0a05", "1.0a5"],
    ["1.0c056", "1.0rc56"],
    ["1.0.post000", "1.0.post0"],
    ["1.1.dev09000", "1.1.dev9000"],
    ["00!1.2", "1.2"],
    ["0100!0.0", "100!0.0"],
    ["v1.0", "1.0"],
    ["  V1.0  ", "1.0"],
    ["1.0_a_1_post_2_dev_3+x_y", "1.0a1.post2.dev3+x.y"],
  ])("spells %j as %j", (input, expected) => {
    expect(normalizePep440(input)).toBe(expected);
  });

  it("returns undefined for what is not a version", () => {
    expect(normalizePep440("nope")).toBeUndefined();
  });
});

describe("comparePep440", () => {
  // pypa/packaging, tests/test_version.py (VERSIONS): PEP 440's order, lowest first.
  const sorted = [
    "1.0.dev0",
    "1.0.dev456",
    "1.0.dev456+local",
    "1.0a0",
    "1.0a0.post0.dev0",
    "1.0a0.post0",
    "1.0a1.dev1",
    "1.0a1.dev1+local",
    "1.0a1",
    "1.0a1+local",
    "1.0b0",
    "1.0b1.dev456",
    "1.0b2",
    "1.0b2.post345.dev456",
    "1.0b2.post345",
    "1.0b2-346",
    "1.0rc0",
    "1.0rc1.dev1",
    "1.0c1",
    "1.0rc2",
    "1.0",
    "1.0.post0.dev0",
    "1.0.post0",
    "1.0.post456.dev34",
    "1.0.post456",
    "1.0.post456+local",
    "1.0.1.dev1",
    "1.0.1a1",
    "1.0.1",
    "1.0.1+local",
    "1.0.1.post1",
    "1.1.dev1",
    "1.2+a",
    "1.2+abc",
    "1.2+abcdef",
    "1.2+def",
    "1.2+0",
    "1.2+1",
    "1.2+1.abc",
    "1.2+1.1",
    "1.2+1.1.0",
    "1.2+2",
    "1.2+123",
    "1.2+123456",
    "1.2.r32+123456",
    "1.2.rev33+123456",
    "1!1.0.dev0",
    "1!1.0a1",
    "1!1.0",
    "1!1.0.post456+local",
    "1!1.2.rev33+123456",
  ];

  it("puts PEP 440's example versions in their order", () => {
    const shuffled = [...sorted.slice(17), ...sorted.slice(0, 17)].reverse();

    const result = shuffled.sort(comparePep440);

    expect(result).toEqual(sorted);
  });

  it.each(sorted.slice(1).map((version, i) => [sorted[i] ?? "", version]))(
    "orders %s before %s, and not the other way",
    (lower, higher) => {
      expect(comparePep440(lower, higher)).toBe(-1);
      expect(comparePep440(higher, lower)).toBe(1);
    },
  );

  it.each([
    ["1.0", "1.0.0"],
    ["1.0", "1"],
    ["1.0c1", "1.0rc1"],
    ["1.0-1", "1.0.post1"],
    ["v1.0", "1.0"],
    ["0!1.0", "1.0"],
    ["1.0+AbC", "1.0+abc"],
    ["1.0+1", "1.0+01"],
    ["1.0+a-b", "1.0+a.b"],
  ])("holds %s and %s equal", (a, b) => {
    expect(comparePep440(a, b)).toBe(0);
  });

  it("sorts what is not a version before every version, and such strings by code unit", () => {
    expect(comparePep440("garbage", "0.dev0")).toBe(-1);
    expect(comparePep440("0.dev0", "garbage")).toBe(1);
    expect(comparePep440("a", "b")).toBe(-1);
    expect(comparePep440("b", "b")).toBe(0);
  });
});

describe("pipSpecifierPredicate", () => {
  // pypa/packaging, tests/test_specifiers.py (test_specifiers), the cases it holds true.
  it.each([
    ["2.0", "==2"],
    ["2.0", "==2.0.0"],
    ["2.0+deadbeef", "==2"],
    ["2.0+deadbeef", "==2.0+deadbeef"],
    ["2.0+deadbeef", "==2.0.0+deadbeef"],
    ["2.0+deadbeef.0", "==2.0.0+deadbeef.00"],
    ["2.dev1", "==2.*"],
    ["2a1", "==2.*"],
    ["2a1.post1", "==2.*"],
    ["2c1.post1.dev1", "==2.0.*"],
    ["2rc1", "==2.0.*"],
    ["2", "==2.0.0.*"],
    ["2", "==0!2.*"],
    ["0!2", "==2.*"],
    ["2.0.0.0", "==2.0.*"],
    ["2.1+local.version", "==2.1.*"],
    ["2.1", "!=2"],
    ["2.0.1", "!=2.0.0"],
    ["2.0", "!=2.0+deadbeef"],
    ["2.0", "!=3.*"],
    ["2.1", "!=2.0.*"],
    ["2.1.0.0", "!=2.0.*"],
    ["2.0", ">=2.0.0"],
    ["2.0.post1.dev1", ">=2"],
    ["3.0.0a8", ">=3.0.0a7"],
    ["2.0", "<=2"],
    ["2.0.dev1", "<=2"],
    ["2.0c1.post1.dev1", "<=2"],
    ["2.0+local", "<=2"],
    ["3.0.0a7", "<=3.0.0a8"],
    ["3", ">2"],
    ["2.0.1", ">2"],
    ["2.1.post1", ">2"],
    ["2.1+local.version", ">2"],
    ["3.0.0a8", ">3.0.0a7"],
    ["1.0+local", ">1.0.dev1"],
    ["4.1.0a2.dev1235+local", ">4.1.0a2.dev1234"],
    ["1.0a2+local", ">1.0a1"],
    ["1.0.post2+local", ">1.0.post1"],
    ["1.0.post1.dev2+local", ">1.0.post1.dev1"],
    ["1", "<2"],
    ["2.0.dev0", "<2.1"],
    ["3.0.0a7", "<3.0.0a8"],
    ["1", "~=1.0"],
    ["1.0.1", "~=1.0"],
    ["1.9999999", "~=1.0"],
    ["1.1", "~=1.0a1"],
    ["2022.01.01", "~=2022.01.01"],
    ["2!1.0", "~=2!1.0"],
    ["2!1.0.0", "==2!1.0.0.0.*"],
    ["1.0", "!=2!1.0"],
    ["1.0", "<=2!0.1"],
    ["2!1.0", ">2.0"],
    ["2.0.5", ">2.0dev"],
    // PEP 440's own examples of ~= and of the exclusive comparisons.
    ["2.2.post3", "~=2.2.post3"],
    ["2.9", "~=2.2.post3"],
    ["1.4.5a4", "~=1.4.5a4"],
    ["1.4.9", "~=1.4.5a4"],
    ["1.7.1", ">1.7"],
    ["1.7.0.post3", ">1.7.post2"],
    ["1.6.9", "<1.7"],
    ["1.7.0rc1", "<1.7.0rc2"],
    // Arbitrary equality compares strings, so it also matches versions PEP 440 refuses.
    ["1.0-SNAPSHOT", "===1.0-snapshot"],
    ["1.0", "===1.0"],
  ])("allows %s for %s", (version, specifier) => {
    expect(pipSpecifierPredicate(specifier)(version)).toBe(true);
  });

  // pypa/packaging, tests/test_specifiers.py (test_specifiers), the cases it holds false.
  it.each([
    ["2.1", "==2"],
    ["2.1", "==2.0.0"],
    ["2.0", "==2.0+deadbeef"],
    ["2.0", "==3.*"],
    ["2.1", "==2.0.*"],
    ["3", "==2.0.0.*"],
    ["2.1.0.0", "==2.0.*"],
    ["2.0", "!=2"],
    ["2.0+deadbeef", "!=2.0"],
    ["2.0+deadbeef", "!=2+deadbeef"],
    ["2.0+deadbeef.0", "!=2.0.0+deadbeef.00"],
    ["2.dev1", "!=2.*"],
    ["2c1.post1.dev1", "!=2.0.*"],
    ["2", "!=2.0.0.*"],
    ["2.0.0.0", "!=2.0.*"],
    ["2.0.dev1", ">=2"],
    ["2.0rc1", ">=2"],
    ["1", ">=2"],
    ["2.0.post1", "<=2"],
    ["2.0.post1.dev1", "<=2"],
    ["3", "<=2"],
    ["1", ">2"],
    ["2.0.dev1", ">2"],
    ["2.0rc1", ">2"],
    ["2.0", ">2"],
    ["2.0.post1", ">2"],
    ["2.0.post1.dev1", ">2"],
    ["2.0+local.version", ">2"],
    ["4.1.0a2.dev1234+local", ">4.1.0a2.dev1234"],
    ["1.0a1+local", ">1.0a1"],
    ["1.0.post1+local", ">1.0.post1"],
    ["1.0.dev1+local", ">1.0.dev1"],
    ["1.0.post1.dev1+local", ">1.0.post1.dev1"],
    ["2.0.dev1", "<2"],
    ["2.0a1", "<2"],
    ["2.0b2.dev1", "<2"],
    ["2.0rc1", "<2"],
    ["2.0", "<2"],
    ["2.post1", "<2"],
    ["3", "<2"],
    ["2.0", "~=1.0"],
    ["1.1.0", "~=1.0.0"],
    ["1.1.post1", "~=1.0.0"],
    ["1.0", "~=2!1.0"],
    ["2!1.0", "~=1.0"],
    ["2!1.0", "==1.0"],
    ["1.0", "==2!1.0"],
    ["2!1.0", "==1.0.0.*"],
    ["1.0", "==2!1.*"],
    ["2!1.0", "!=2!1.0"],
    ["3.0", "~=2.2.post3"],
    ["2.2.post2", "~=2.2.post3"],
    ["1.5.0", "~=1.4.5a4"],
    ["1.7.0.post1", ">1.7"],
    ["1.7.0rc1", "<1.7"],
    ["1.0.post1.dev1", "<1.0.post1"],
    ["1.0", "===1.0.0"],
  ])("refuses %s for %s", (version, specifier) => {
    expect(pipSpecifierPredicate(specifier)(version)).toBe(false);
  });

  it("allows an installed pre-release when the comparisons hold", () => {
    const predicate = pipSpecifierPredicate(">=1.0");

    expect(predicate("2.0rc1")).toBe(true);
    expect(predicate("2.0.dev3")).toBe(true);
  });

  it("requires every clause of a list to hold", () => {
    const predicate = pipSpecifierPredicate(">=1.0,!=1.3.*,<2");

    expect(predicate("1.2.9")).toBe(true);
    expect(predicate("1.3.1")).toBe(false);
    expect(predicate("2.0")).toBe(false);
    expect(predicate("0.9")).toBe(false);
  });

  it('reads the "v" prefix and other spellings in the specifier', () => {
    expect(pipSpecifierPredicate("==v1.0-RC1")("1.0rc1")).toBe(true);
    expect(pipSpecifierPredicate(">=1.0.POST")("1.0.post0")).toBe(true);
  });

  it("refuses an installed version that is not PEP 440 unless === names it", () => {
    expect(pipSpecifierPredicate(">=0")("1.0-SNAPSHOT")).toBe(false);
    expect(pipSpecifierPredicate("===1.0-SNAPSHOT,>=1")("1.0-SNAPSHOT")).toBe(false);
  });

  it("refuses everything when the specifier does not compile", () => {
    for (const specifier of ["", ">=", "=>1.0", "<1.0.*", "~=1", "==1.0.*.*", ">=nope"]) {
      expect(pipSpecifierPredicate(specifier)("1.0")).toBe(false);
    }
  });

  it("refuses implausible installed values without throwing", () => {
    const predicate = pipSpecifierPredicate(">=0");

    for (const value of ["", "9".repeat(300), "1.0\r\n", null, 42, {}]) {
      expect(predicate(value as string)).toBe(false);
    }
  });
});
