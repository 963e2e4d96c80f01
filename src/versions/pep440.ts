/**
 * PEP 440 versions (the "Version specifiers" specification of packaging.python.org): parsing in
 * every spelling pip normalises, the total order, and the matching of a version specifier such as
 * `>=1.0,<2`, with the operator semantics of pypa/packaging (and so pip).
 *
 * Pre-releases are matched like packaging's `contains(version, prereleases=True)`: a version that
 * is installed is judged by the comparisons alone, since the question is whether it is allowed,
 * not whether pip would have picked it.
 */
import { compareBigints, compareStrings, isPlausible, sign } from "./installed.js";

export type PrePhase = "a" | "b" | "rc";

export interface Pep440Version {
  epoch: bigint;
  /** The release numbers as written: trailing zeros are kept, since `==1.0.*` and `~=1.0` count them. */
  release: bigint[];
  pre?: { phase: PrePhase; number: bigint };
  post?: bigint;
  dev?: bigint;
  /** The local label's segments ("+ubuntu.1" is ["ubuntu", 1n]), strings lowercased. */
  local?: (bigint | string)[];
}

/**
 * A version in any spelling PEP 440 normalises: an optional "v", epoch "N!", release, then
 * pre-release, post-release (also the implicit "-N"), development release and local label, each
 * optionally separated by "-", "_" or "."; case-insensitive, surrounding whitespace allowed.
 * Every part is anchored between fixed separators, so the pattern does not backtrack badly.
 */
const VERSION = new RegExp(
  [
    "^\\s*v?",
    "(?:(?<epoch>[0-9]+)!)?",
    "(?<release>[0-9]+(?:\\.[0-9]+)*)",
    "(?:[-_.]?(?<prePhase>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pre>[0-9]+)?)?",
    "(?:-(?<implicitPost>[0-9]+)|[-_.]?(?<postMark>post|rev|r)[-_.]?(?<post>[0-9]+)?)?",
    "(?:[-_.]?(?<devMark>dev)[-_.]?(?<dev>[0-9]+)?)?",
    "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
    "\\s*$",
  ].join(""),
  "i",
);

const PRE_PHASES: Readonly<Record<string, PrePhase>> = {
  a: "a",
  alpha: "a",
  b: "b",
  beta: "b",
  c: "rc",
  pre: "rc",
  preview: "rc",
  rc: "rc",
};

const PHASE_ORDER: Readonly<Record<PrePhase, number>> = { a: 0, b: 1, rc: 2 };

/** Parses a PEP 440 version; undefined when it is not one (or is implausible input). */
export function parsePep440(text: string): Pep440Version | undefined {
  if (!isPlausible(text)) return undefined;
  const groups = VERSION.exec(text)?.groups;
  if (groups?.release === undefined) return undefined;
  const version: Pep440Version = {
    epoch: BigInt(groups.epoch ?? "0"),
    release: groups.release.split(".").map((part) => BigInt(part)),
  };
  if (groups.prePhase !== undefined) {
    version.pre = {
      phase: PRE_PHASES[groups.prePhase.toLowerCase()] ?? "rc",
      number: BigInt(groups.pre ?? "0"),
    };
  }
  // "1.0-1" is post 1, and a marker without a number ("1.0.post") is post 0.
  if (groups.implicitPost !== undefined) version.post = BigInt(groups.implicitPost);
  else if (groups.postMark !== undefined) version.post = BigInt(groups.post ?? "0");
  if (groups.devMark !== undefined) version.dev = BigInt(groups.dev ?? "0");
  if (groups.local !== undefined) {
    version.local = groups.local
      .toLowerCase()
      .split(/[-_.]/)
      .map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part));
  }
  return version;
}

/**
 * The canonical spelling of a version (packaging's `str(Version(text))`): "1.0-RC1" is "1.0rc1",
 * "v1.0.POST" is "1.0.post0", "00!01.2" is "1.2"; undefined when it is not a version.
 */
export function normalizePep440(text: string): string | undefined {
  const version = parsePep440(text);
  if (version === undefined) return undefined;
  let out = version.epoch === 0n ? "" : `${version.epoch}!`;
  out += version.release.join(".");
  if (version.pre !== undefined) out += `${version.pre.phase}${version.pre.number}`;
  if (version.post !== undefined) out += `.post${version.post}`;
  if (version.dev !== undefined) out += `.dev${version.dev}`;
  if (version.local !== undefined) out += `+${version.local.join(".")}`;
  return out;
}

/**
 * The PEP 440 order of two versions: -1, 0 or 1. Trailing zeros of the release do not count
 * (1.0 == 1.0.0); a dev release of a final version sorts before its pre-releases; a local label
 * sorts after the same public version, numeric segments after alphanumeric ones.
 *
 * Total on any input, so a list of installed versions can always be sorted: what is not a PEP 440
 * version sorts before every version, and such strings among themselves by code unit.
 */
export function comparePep440(a: string, b: string): number {
  const left = parsePep440(a);
  const right = parsePep440(b);
  if (left !== undefined && right !== undefined) return compareVersions(left, right);
  if (left !== undefined) return 1;
  if (right !== undefined) return -1;
  return compareStrings(String(a), String(b));
}

/** The order of two parsed versions, local labels included. */
export function compareVersions(a: Pep440Version, b: Pep440Version): number {
  return comparePublic(a, b) || compareLocal(a.local, b.local);
}

/** The order of two versions without their local labels. */
function comparePublic(a: Pep440Version, b: Pep440Version): number {
  return (
    compareBigints(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    compareRank(preRank(a), preRank(b)) ||
    compareRank(postRank(a), postRank(b)) ||
    compareRank(devRank(a), devRank(b))
  );
}

/** Release numbers, the shorter padded with zeros. */
function compareRelease(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const order = compareBigints(a[i] ?? 0n, b[i] ?? 0n);
    if (order !== 0) return order;
  }
  return 0;
}

/** A sort key: a tier (what kind of value it is), then numbers compared in order. */
type Rank = readonly (number | bigint)[];

function compareRank(a: Rank, b: Rank): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i] ?? -1;
    const y = b[i] ?? -1;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** 1.0.dev1 < 1.0a1 < 1.0b1 < 1.0rc1 < 1.0 (and 1.0.post1, which has no pre-release either). */
function preRank(version: Pep440Version): Rank {
  if (version.pre !== undefined) return [1, PHASE_ORDER[version.pre.phase], version.pre.number];
  if (version.post === undefined && version.dev !== undefined) return [0];
  return [2];
}

/** No post-release sorts before any post-release. */
function postRank(version: Pep440Version): Rank {
  return version.post === undefined ? [0] : [1, version.post];
}

/** A development release sorts before the same version without one. */
function devRank(version: Pep440Version): Rank {
  return version.dev === undefined ? [1] : [0, version.dev];
}

/** No label < any label; segment by segment, strings < numbers; a longer label wins a tie. */
function compareLocal(
  a: readonly (bigint | string)[] | undefined,
  b: readonly (bigint | string)[] | undefined,
): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (typeof x !== typeof y) return typeof x === "string" ? -1 : 1;
    const order =
      typeof x === "string" ? compareStrings(x, String(y)) : compareBigints(x, BigInt(y));
    if (order !== 0) return order;
  }
  return sign(a.length - b.length);
}

// --- specifiers --------------------------------------------------------------------------------

/** Whether an installed version satisfies a specifier; never throws. */
export type VersionPredicate = (version: string) => boolean;

const CLAUSE = /^(===|==|!=|<=|>=|~=|<|>)(.+)$/;

/**
 * Compiles a version specifier as the pep508 grammar reports it (clauses joined by ",", no
 * whitespace, e.g. `>=1.0,!=1.3.*,<2`) into a predicate over installed versions: every clause
 * must hold. A clause that does not compile makes the predicate refuse everything, so a
 * disagreement with the grammar shows up as "not allowed" instead of passing silently.
 */
export function pipSpecifierPredicate(specifier: string): VersionPredicate {
  const clauses = specifier.split(",").map(compileClause);
  if (clauses.some((clause) => clause === undefined)) return () => false;
  const compiled = clauses.filter((clause): clause is Clause => clause !== undefined);
  return (version) => {
    if (!isPlausible(version)) return false;
    const parsed = parsePep440(version);
    return compiled.every((clause) => clause(version, parsed));
  };
}

/** One clause over the raw installed version and its parse (undefined when it is no PEP 440 version). */
type Clause = (raw: string, parsed: Pep440Version | undefined) => boolean;

function compileClause(text: string): Clause | undefined {
  const match = CLAUSE.exec(text.trim());
  const operator = match?.[1];
  const operand = match?.[2]?.trim();
  if (operator === undefined || operand === undefined || operand === "") return undefined;
  // Arbitrary equality compares strings, so it also matches versions that are not PEP 440 ones.
  if (operator === "===") return (raw) => raw.toLowerCase() === operand.toLowerCase();
  const wildcard = operand.endsWith(".*");
  const spec = parsePep440(wildcard ? operand.slice(0, -2) : operand);
  if (spec === undefined) return undefined;
  const holds = comparison(operator, spec, wildcard);
  if (holds === undefined) return undefined;
  return (_raw, parsed) => parsed !== undefined && holds(parsed);
}

/** The meaning of `operator` with `spec`, as packaging's version ranges define it. */
function comparison(
  operator: string,
  spec: Pep440Version,
  wildcard: boolean,
): ((version: Pep440Version) => boolean) | undefined {
  if (wildcard) {
    if (operator === "==") return (v) => inSeries(v, spec);
    if (operator === "!=") return (v) => !inSeries(v, spec);
    return undefined;
  }
  switch (operator) {
    case "==":
      return (v) => equal(v, spec);
    case "!=":
      return (v) => !equal(v, spec);
    case ">=":
      return (v) => compareVersions(v, spec) >= 0;
    case "<=":
      // <=V also takes V's local versions (V+cpu), which sort after V.
      return (v) => comparePublic(v, spec) <= 0;
    case "<":
      return lessThan(spec);
    case ">":
      return greaterThan(spec);
    case "~=":
      return compatibleWith(spec);
    default:
      return undefined;
  }
}

/**
 * `==V`: with a local label in V the whole version must be equal; without one the installed
 * version's local label is ignored (torch 2.3.0+cu121 is ==2.3.0).
 */
function equal(version: Pep440Version, spec: Pep440Version): boolean {
  return spec.local === undefined
    ? comparePublic(version, spec) === 0
    : compareVersions(version, spec) === 0;
}

/**
 * `==V.*`: the same epoch and release numbers starting with V's, the installed release padded with
 * zeros (2 is in 2.0.*), whatever pre-, post-, dev or local part follows.
 */
function inSeries(version: Pep440Version, prefix: Pep440Version): boolean {
  if (version.epoch !== prefix.epoch) return false;
  return prefix.release.every((number, i) => (version.release[i] ?? 0n) === number);
}

/**
 * `<V` excludes V's own pre-releases unless V is one: `<2` refuses 2.0rc1 and 2.0.dev1, so it is
 * "below V.dev0", the earliest pre-release of V.
 */
function lessThan(spec: Pep440Version): (version: Pep440Version) => boolean {
  const isPre = spec.pre !== undefined || spec.dev !== undefined;
  const bound: Pep440Version = isPre ? spec : { ...withoutLocal(spec), dev: 0n };
  return (v) => compareVersions(v, bound) < 0;
}

/**
 * `>V` excludes V's post-releases and local versions unless V is itself a post-release: `>2`
 * refuses 2.0.post1 and 2.0+local. For V.devN the next version is V.dev(N+1); for V.postN it is
 * V.post(N+1).dev0, so their local versions are out too.
 */
function greaterThan(spec: Pep440Version): (version: Pep440Version) => boolean {
  if (spec.dev !== undefined) {
    const bound = { ...withoutLocal(spec), dev: spec.dev + 1n };
    return (v) => compareVersions(v, bound) >= 0;
  }
  if (spec.post !== undefined) {
    const bound = { ...withoutLocal(spec), post: spec.post + 1n, dev: 0n };
    return (v) => compareVersions(v, bound) >= 0;
  }
  return (v) => compareVersions(v, spec) > 0 && !samePreRelease(v, spec);
}

/** Same epoch, release and pre-release: V itself, or one of its post or local versions. */
function samePreRelease(version: Pep440Version, spec: Pep440Version): boolean {
  return (
    version.epoch === spec.epoch &&
    compareRelease(version.release, spec.release) === 0 &&
    version.pre?.phase === spec.pre?.phase &&
    version.pre?.number === spec.pre?.number
  );
}

/** `~=V.N` is `>=V.N, ==V.*`: at least the version, within the series of all but its last number. */
function compatibleWith(spec: Pep440Version): ((version: Pep440Version) => boolean) | undefined {
  if (spec.release.length < 2) return undefined;
  const series: Pep440Version = { epoch: spec.epoch, release: spec.release.slice(0, -1) };
  return (v) => compareVersions(v, spec) >= 0 && inSeries(v, series);
}

function withoutLocal(version: Pep440Version): Pep440Version {
  const copy: Pep440Version = { epoch: version.epoch, release: version.release };
  if (version.pre !== undefined) copy.pre = version.pre;
  if (version.post !== undefined) copy.post = version.post;
  if (version.dev !== undefined) copy.dev = version.dev;
  return copy;
}
