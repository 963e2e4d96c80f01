import { describe, expect, it } from "vitest";

import {
  buildPredicate,
  compareCondaVersions,
  condaVersionPredicate,
  matchSpecVersion,
  parseCondaVersion,
  startsWith,
} from "./conda-version.js";

const POST = Number.POSITIVE_INFINITY;

/** A version spec's verdict on an installed version, as conda's VersionSpec(spec).match(version). */
function matches(spec: string, version: string): boolean {
  const predicate = condaVersionPredicate(spec);
  const parsed = parseCondaVersion(version);
  if (predicate === undefined) throw new Error(`${spec} does not compile`);
  if (parsed === undefined) throw new Error(`${version} does not parse`);
  return predicate(version, parsed);
}

function parsed(version: string) {
  const result = parseCondaVersion(version);
  if (result === undefined) throw new Error(`${version} does not parse`);
  return result;
}

// conda, tests/models/test_version.py (test_version_order): each version, its components, in
// conda's order from lowest to highest.
const ORDERED: [string, unknown[][]][] = [
  ["0.4", [[0n], [0n], [4n]]],
  ["0.4.0", [[0n], [0n], [4n], [0n]]],
  ["0.4.1a.vc11", [[0n], [0n], [4n], [1n, "a"], [0n, "vc", 11n]]],
  ["0.4.1.rc", [[0n], [0n], [4n], [1n], [0n, "rc"]]],
  ["0.4.1.vc11", [[0n], [0n], [4n], [1n], [0n, "vc", 11n]]],
  ["0.4.1", [[0n], [0n], [4n], [1n]]],
  ["0.5*", [[0n], [0n], [5n, "*"]]],
  ["0.5a1", [[0n], [0n], [5n, "a", 1n]]],
  ["0.5b3", [[0n], [0n], [5n, "b", 3n]]],
  ["0.5C1", [[0n], [0n], [5n, "c", 1n]]],
  ["0.5z", [[0n], [0n], [5n, "z"]]],
  ["0.5za", [[0n], [0n], [5n, "za"]]],
  ["0.5", [[0n], [0n], [5n]]],
  ["0.5_5", [[0n], [0n], [5n], [5n]]],
  ["0.5-5", [[0n], [0n], [5n], [5n]]],
  ["0.9.6", [[0n], [0n], [9n], [6n]]],
  ["0.960923", [[0n], [0n], [960923n]]],
  ["1.0", [[0n], [1n], [0n]]],
  ["1.0.4a3", [[0n], [1n], [0n], [4n, "a", 3n]]],
  ["1.0.4b1", [[0n], [1n], [0n], [4n, "b", 1n]]],
  ["1.0.4", [[0n], [1n], [0n], [4n]]],
  ["1.1dev1", [[0n], [1n], [1n, "DEV", 1n]]],
  ["1.1_", [[0n], [1n], [1n, "_"]]],
  ["1.1a1", [[0n], [1n], [1n, "a", 1n]]],
  ["1.1.dev1", [[0n], [1n], [1n], [0n, "DEV", 1n]]],
  ["1.1.a1", [[0n], [1n], [1n], [0n, "a", 1n]]],
  ["1.1", [[0n], [1n], [1n]]],
  ["1.1.post1", [[0n], [1n], [1n], [0n, POST, 1n]]],
  ["1.1.1dev1", [[0n], [1n], [1n], [1n, "DEV", 1n]]],
  ["1.1.1rc1", [[0n], [1n], [1n], [1n, "rc", 1n]]],
  ["1.1.1", [[0n], [1n], [1n], [1n]]],
  ["1.1.1post1", [[0n], [1n], [1n], [1n, POST, 1n]]],
  ["1.1post1", [[0n], [1n], [1n, POST, 1n]]],
  ["2g6", [[0n], [2n, "g", 6n]]],
  ["2.0b1pr0", [[0n], [2n], [0n, "b", 1n, "pr", 0n]]],
  ["2.2be.ta29", [[0n], [2n], [2n, "be"], [0n, "ta", 29n]]],
  ["2.2be5ta29", [[0n], [2n], [2n, "be", 5n, "ta", 29n]]],
  ["2.2beta29", [[0n], [2n], [2n, "beta", 29n]]],
  ["2.2.0.1", [[0n], [2n], [2n], [0n], [1n]]],
  ["3.1.1.6", [[0n], [3n], [1n], [1n], [6n]]],
  ["3.2.p.r0", [[0n], [3n], [2n], [0n, "p"], [0n, "r", 0n]]],
  ["3.2.pr0", [[0n], [3n], [2n], [0n, "pr", 0n]]],
  ["3.2.pr.1", [[0n], [3n], [2n], [0n, "pr"], [1n]]],
  ["5.5.kw", [[0n], [5n], [5n], [0n, "kw"]]],
  ["11g", [[0n], [11n, "g"]]],
  ["14.3.1", [[0n], [14n], [3n], [1n]]],
  [
    "14.3.1.post26.g9d75ca2",
    [[0n], [14n], [3n], [1n], [0n, POST, 26n], [0n, "g", 9n, "d", 75n, "ca", 2n]],
  ],
  ["1996.07.12", [[0n], [1996n], [7n], [12n]]],
  ["1!0.4.1", [[1n], [0n], [4n], [1n]]],
  ["1!3.1.1.6", [[1n], [3n], [1n], [1n], [6n]]],
  ["2!0.4.1", [[2n], [0n], [4n], [1n]]],
];

describe("parseCondaVersion", () => {
  it.each(ORDERED)("splits %s into conda's components", (version, components) => {
    const result = parsed(version);

    expect(result.version).toEqual(components);
    expect(result.normalized).toBe(version.toLowerCase().replace("-", "_"));
  });

  it("splits the local version after + into its own components", () => {
    const result = parsed("1.7.0.post123+gabc_def9");

    expect(result.local).toEqual([
      [0n, "gabc"],
      [0n, "def", 9n],
    ]);
  });

  it("trims and lowercases before it reads", () => {
    expect(parsed("  0.4.1.RC  ").normalized).toBe("0.4.1.rc");
  });

  // conda, tests/models/test_version.py: what VersionOrder refuses, and what VersionSpec refuses
  // of a bare version (empty components, a local part without a version).
  it.each([
    "",
    "  ",
    "3.5&1",
    "5.5++",
    "5.5..mw",
    "!",
    "a!1.0",
    "a!b!1.0",
    "1!2!3",
    "1.2+",
    "+1.2",
    "+1.2+",
    "++",
    "1.2+3+4",
    "1.2.",
    ".1.2",
    "1-2_3",
    "1.0\t",
    "x".repeat(300),
  ])("refuses %j", (version) => {
    expect(parseCondaVersion(version)).toBeUndefined();
  });

  it('reads "-" as "_" when the version has no "_"', () => {
    expect(compareCondaVersions("0.5-5", "0.5_5")).toBe(0);
  });
});

describe("compareCondaVersions", () => {
  // conda holds these adjacent pairs of the list equal; Python's stable sort keeps them in place.
  const ties = new Set(["0.4 0.4.0", "0.5_5 0.5-5"]);

  it("keeps conda's example versions in their order", () => {
    const versions = ORDERED.map(([version]) => version);
    const shuffled = [...versions.slice(20), ...versions.slice(0, 20)].reverse();

    const result = shuffled.sort(compareCondaVersions);

    expect(result.map((version, i) => compareCondaVersions(version, versions[i] ?? ""))).toEqual(
      versions.map(() => 0),
    );
  });

  it.each(
    ORDERED.slice(1).map(([version], i): [string, string] => [ORDERED[i]?.[0] ?? "", version]),
  )("orders %s before %s, or holds them equal as conda does", (lower, higher) => {
    const tied = ties.has(`${lower} ${higher}`);

    expect(compareCondaVersions(lower, higher)).toBe(tied ? 0 : -1);
    expect(compareCondaVersions(higher, lower)).toBe(tied ? 0 : 1);
  });

  // conda, tests/models/test_version.py (test_version_order, "check __eq__").
  it.each([
    ["  0.4.rc  ", "0.4.RC"],
    ["0.4", "0.4.0"],
    ["0.4.a1", "0.4.0a1"],
    ["1.1.0dev1", "1.1.dev1"],
    ["1.1.0post1", "1.1.post1"],
    ["1.1", "1.1.0.0"],
  ])("holds %j and %j equal", (a, b) => {
    expect(compareCondaVersions(a, b)).toBe(0);
  });

  it.each([
    ["0.4", "0.4.1"],
    ["0.4.a1", "0.4.1a1"],
  ])("holds %j and %j different", (a, b) => {
    expect(compareCondaVersions(a, b)).not.toBe(0);
  });

  // conda, tests/models/test_version.py (test_openssl_convention).
  it("follows the openssl convention: 1.0.1_ sorts before 1.0.1a", () => {
    const openssl = [
      "1.0.1dev",
      "1.0.1_",
      "1.0.1a",
      "1.0.1b",
      "1.0.1c",
      "1.0.1d",
      "1.0.1r",
      "1.0.1rc",
      "1.0.1rc1",
      "1.0.1rc2",
      "1.0.1s",
      "1.0.1",
      "1.0.1post.a",
      "1.0.1post.b",
      "1.0.1post.z",
      "1.0.1post.za",
      "1.0.2",
    ];

    const result = [...openssl].reverse().sort(compareCondaVersions);

    expect(result).toEqual(openssl);
  });

  // conda, tests/models/test_version.py (test_pep440 and test_hexrd).
  it("sorts PEP 440 versions as PEP 440 does", () => {
    const pep440 = [
      "1.0a1",
      "1.0a2.dev456",
      "1.0a12.dev456",
      "1.0a12",
      "1.0b1.dev456",
      "1.0b2",
      "1.0b2.post345.dev456",
      "1.0b2.post345",
      "1.0c1.dev456",
      "1.0c1",
      "1.0c3",
      "1.0rc2",
      "1.0.dev456",
      "1.0",
      "1.0.post456.dev34",
      "1.0.post456",
      "1.1.dev1",
      "1.2.r32+123456",
      "1.2.rev33+123456",
      "1.2+abc",
      "1.2+abc123def",
      "1.2+abc123",
      "1.2+123abc",
      "1.2+123abc456",
      "1.2+1234.abc",
      "1.2+123456",
      "1!1.0a1",
      "1!1.0.dev456",
      "1!1.2+123456",
    ];

    const result = [...pep440].reverse().sort(compareCondaVersions);

    expect(result).toEqual(pep440);
    expect(compareCondaVersions("0.3.0.dev", "0.3.3")).toBe(-1);
  });

  it("compares numbers of any size exactly", () => {
    expect(compareCondaVersions("1.123456789012345678901", "1.123456789012345678902")).toBe(-1);
  });

  it("sorts what conda cannot read before every version, and such strings by code unit", () => {
    expect(compareCondaVersions("3.5&1", "0")).toBe(-1);
    expect(compareCondaVersions("0", "3.5&1")).toBe(1);
    expect(compareCondaVersions("b&", "a&")).toBe(1);
  });
});

describe("startsWith", () => {
  // conda, tests/models/test_version.py (test_version_order, "check startswith").
  it.each([
    ["0.4.1", "0", true],
    ["0.4.1", "0.4", true],
    ["0.4.1p1", "0.4", true],
    ["0.4.1p1", "0.4.1p", true],
    ["0.4.1p1", "0.4.1q1", false],
    ["0.4", "0.4.1", false],
    ["0.4.1+1.3", "0.4.1", true],
    ["0.4.1+1.3", "0.4.1+1", true],
    ["0.4.1", "0.4.1+1.3", false],
    ["0.4.1+1", "0.4.1+1.3", false],
    ["1.2a", "1.2", true],
    ["1.20", "1.2", false],
  ])("%s starts with %s: %s", (version, prefix, expected) => {
    expect(startsWith(parsed(version), parsed(prefix))).toBe(expected);
  });
});

describe("condaVersionPredicate", () => {
  // conda, tests/models/test_version.py (test_ver_eval).
  it.each([
    ["1.7.0", "==1.7", true],
    ["1.7.0", "<=1.7", true],
    ["1.7.0", "<1.7", false],
    ["1.7.0", ">=1.7", true],
    ["1.7.0", ">1.7", false],
    ["1.6.7", ">=1.7", false],
    ["2013a", ">2013b", false],
    ["2013k", ">2013b", true],
    ["3.0.0", ">2013b", false],
    ["1.0.0", ">1.0.0a", true],
    ["1.0.0", ">1.0.0*", true],
    ["1.0", "1.0*", true],
    ["1.0.0", "1.0*", true],
    ["1.0", "1.0.0*", true],
    ["1.0.1", "1.0.0*", false],
    ["2013a", "2013a*", true],
    ["2013a", "2013b*", false],
    ["2013ab", "2013a*", true],
    ["1.3.4", "1.2.4*", false],
    ["1.2.3+4.5.6", "1.2.3*", true],
    ["1.2.3+4.5.6", "1.2.3+4*", true],
    ["1.2.3+4.5.6", "1.2.3+5*", false],
    ["1.2.3+4.5.6", "1.2.4+5*", false],
  ])("judges %s against %s: %s", (version, spec, expected) => {
    expect(matches(spec, version)).toBe(expected);
  });

  // conda, tests/models/test_version.py (test_match): every spec against 1.7.1.
  it.each([
    ["1.7.*", true],
    ["1.7.1", true],
    ["1.7.0", false],
    ["1.7", false],
    ["1.5.*", false],
    [">=1.5", true],
    ["!=1.5", true],
    ["!=1.7.1", false],
    ["==1.7.1", true],
    ["==1.7", false],
    ["==1.7.2", false],
    ["==1.7.1.0", true],
    ["1.7.*|1.8.*", true],
    [">1.7,<1.8", true],
    [">1.7.1,<1.8", false],
    ["^1.7.1$", true],
    ["^1\\.7\\.1$", true],
    ["^1\\.7\\.[0-9]+$", true],
    ["^1\\.8.*$", false],
    ["^1\\.[5-8]\\.1$", true],
    ["^[^1].*$", false],
    ["^[0-9+]+\\.[0-9+]+\\.[0-9]+$", true],
    ["^$", false],
    ["^.*$", true],
    ["1.7.*|^0.*$", true],
    ["1.6.*|^0.*$", false],
    ["1.6.*|^0.*$|1.7.1", true],
    ["^0.*$|1.7.1", true],
    ["1.6.*|^.*\\.7\\.1$|0.7.1", true],
    ["*", true],
    ["1.*.1", true],
    ["1.5.*|>1.7,<1.8", true],
    ["1.5.*|>1.7,<1.7.1", false],
    ["( (1.5|((1.6|1.7), 1.8), 1.9 |2.0))|2.1", false],
    ["(1.5|1.7.1),<2", true],
    ["1.5|1.7.1,<1.7", false],
  ])("judges 1.7.1 against %s: %s", (spec, expected) => {
    expect(matches(spec, "1.7.1")).toBe(expected);
  });

  // conda, tests/models/test_version.py (test_local_identifier).
  it.each(["1.7.0", "1.7.0.post123", "1.7.0.post123.gabcdef9", "1.7.0.post123+gabcdef9"])(
    "matches %s against itself",
    (version) => {
      expect(matches(version, version)).toBe(true);
    },
  );

  // conda, tests/models/test_version.py (test_not_eq_star).
  it.each([
    ["=3.3", "3.3.1", true],
    ["=3.3", "3.3", true],
    ["=3.3", "3.4", false],
    ["3.3.*", "3.3.1", true],
    ["3.3.*", "3.3", true],
    ["3.3.*", "3.4", false],
    ["=3.3.*", "3.3.1", true],
    ["=3.3.*", "3.3", true],
    ["=3.3.*", "3.4", false],
    ["!=3.3.*", "3.3.1", false],
    ["!=3.3.*", "3.4", true],
    ["!=3.3.*", "3.4.1", true],
    ["!=3.3", "3.3.1", true],
    ["!=3.3", "3.3.0.0", false],
    ["!=3.3.*", "3.3.0.0", false],
    [">=3.3.*", "3.3", true],
    ["<3.3.*", "3.3", false],
  ])("judges %s against %s: %s", (spec, version, expected) => {
    expect(matches(spec, version)).toBe(expected);
  });

  // conda, tests/models/test_version.py (test_compound_versions).
  it.each([
    ["2.6.8", false],
    ["2.7.2", true],
    ["3.3", false],
    ["3.3.4", false],
    ["3.4", true],
    ["3.4a", true],
  ])("judges %s against >=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*", (version, expected) => {
    expect(matches(">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*", version)).toBe(expected);
  });

  // conda, tests/models/test_version.py (test_compatible_release_versions).
  it.each([
    ["~=1.10", "1.11.0", true],
    ["~=1.10.0", "1.11.0", false],
    ["~=3.3.2", "3.4.0", false],
    ["~=3.3.2", "3.3.1", false],
    ["~=3.3.2", "3.3.2.0", true],
    ["~=3.3.2", "3.3.3", true],
    ["~=3.3.2|==2.2", "2.2.0", true],
    ["~=3.3.2|==2.2", "3.3.3", true],
    ["~=3.3.2|==2.2", "2.2.1", false],
  ])("judges %s against %s: %s", (spec, version, expected) => {
    expect(matches(spec, version)).toBe(expected);
  });

  it('matches a glob with an inner "*" against the version as written', () => {
    expect(matches("1.*.3", "1.2.3")).toBe(true);
    expect(matches("1.*.3", "1.2.30")).toBe(false);
    expect(matches("*.7.*", "1.7.1")).toBe(true);
  });

  // conda, tests/models/test_version.py (test_version_spec_2, test_invalid_version_specs,
  // test_ver_eval_errors, test_pep_440_arbitrary_equality_operator).
  it.each([
    "(1.5",
    "1.5)",
    "1.5||1.6",
    "^1.5",
    "1.5$",
    "~",
    "^",
    "1.2+",
    "+1.2",
    "+1.2+",
    "++",
    "c +, 0/|0 *",
    ")|(",
    "=)(=b",
    "==",
    "=",
    ">=",
    "<=",
    "><2.4.5",
    "!!2.4.5",
    "!",
    "~=3.3.2.*",
    "===3.3.2",
    ">= 1.2",
    "",
    "1.5,",
    "^[$",
  ])("refuses the spec %j", (spec) => {
    expect(condaVersionPredicate(spec)).toBeUndefined();
  });

  it('matches nothing for "~=" on a version without a "."', () => {
    expect(matches("~=1+2", "1+3")).toBe(false);
  });

  it("stays fast on a long hostile version against a glob with many stars", () => {
    const predicate = condaVersionPredicate("1*1*1*1*1*1*1*1*1*1*2.*");
    const hostile = "1".repeat(250);
    const start = Date.now();

    const result = predicate?.(hostile, parsed(hostile));

    expect(result).toBe(false);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});

describe("matchSpecVersion", () => {
  // conda, conda/models/match_spec.py (_sanitize_version_str and its examples).
  it.each<[string, string | undefined, string]>([
    ["=1.2.3", undefined, "1.2.3*"],
    ["=1.2.3", "py37_0", "1.2.3"],
    ["==1.2.3", undefined, "1.2.3"],
    ["==1.2.3", "py37_0", "1.2.3"],
    ["==1.17*", undefined, "1.17*"],
    ["=1.2.*", undefined, "1.2.*"],
    ["=*", undefined, "*"],
    ["=1.2,<1.3", undefined, "=1.2,<1.3"],
    ["=1.2|1.4", undefined, "=1.2|1.4"],
    [">=1.0", undefined, ">=1.0"],
    ["1.2.3", undefined, "1.2.3"],
    ["==", undefined, "=="],
    ["=", undefined, "="],
  ])("reads %j (build %j) as %j", (version, build, expected) => {
    expect(matchSpecVersion(version, build)).toBe(expected);
  });
});

describe("buildPredicate", () => {
  it.each([
    ["py37_0", "py37_0", true],
    ["py37_0", "py37_1", false],
    ["py37_0", "PY37_0", false],
    ["py37_*", "py37_0", true],
    ["py37_*", "py38_0", false],
    ["*cuda*", "py310_cuda12_0", true],
    ["*cuda*", "py310_cpu_0", false],
    ["*", "anything", true],
    ["^py3[0-9]_0$", "py38_0", true],
    ["^py3[0-9]_0$", "py38_1", false],
  ])("judges build %s against %s: %s", (build, installed, expected) => {
    expect(buildPredicate(build)?.(installed)).toBe(expected);
  });

  it("refuses a regular expression that does not compile", () => {
    expect(buildPredicate("^py[$")).toBeUndefined();
  });
});
