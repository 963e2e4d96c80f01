/**
 * conda's version order and version specs, with the semantics of `conda/models/version.py`
 * (`VersionOrder`, `VersionSpec`, `treeify`) and of `MatchSpec`'s build-string globs.
 *
 * A version is split into an epoch ("N!"), the version and a local version ("+..."), the last two
 * into components at "." and "_", and each component into runs of digits (numbers) and of other
 * characters (strings, lowercased). A component that starts with a string gets a 0 in front, so
 * 1.1.a1 == 1.1.0a1; "dev" sorts below every other string, "post" above every number, strings
 * below numbers, and a missing component or run counts as 0, so 1.1 == 1.1.0.
 */
import { matchesGlob } from "./glob.js";
import { compareBigints, compareStrings, isPlausible } from "./installed.js";

/** A run of a component: a number, "post" (Infinity, above every number) or a string. */
type Run = bigint | number | string;

export interface CondaVersion {
  /** The epoch, then each component of the version, as runs. */
  version: Run[][];
  /** The components of the local version; empty without one. */
  local: Run[][];
  /** The version as conda prints it: trimmed, lowercase, "-" read as "_". */
  normalized: string;
}

/** VersionOrder's characters, after lowercasing. */
const VERSION_CHARACTERS = /^[*.+!_0-9a-z]+$/;
const RUNS = /[0-9]+|\*+|[^0-9*]+/g;
/** conda upper-cases "dev" so that it sorts below every other (lowercase) string, and above "*". */
const DEV = "DEV";
const POST = Number.POSITIVE_INFINITY;

/** Parses a version as conda's VersionOrder does; undefined where conda raises InvalidVersionSpec. */
export function parseCondaVersion(text: string): CondaVersion | undefined {
  if (!isPlausible(text)) return undefined;
  let normalized = text.trim().toLowerCase();
  if (normalized === "") return undefined;
  // conda accepts "-" in place of "_", as long as the version does not mix the two.
  if (
    !VERSION_CHARACTERS.test(normalized) &&
    normalized.includes("-") &&
    !normalized.includes("_")
  ) {
    normalized = normalized.replaceAll("-", "_");
  }
  if (!VERSION_CHARACTERS.test(normalized)) return undefined;

  const epochParts = normalized.split("!");
  if (epochParts.length > 2) return undefined;
  const epoch = epochParts.length === 2 ? (epochParts[0] ?? "") : "0";
  if (!/^[0-9]+$/.test(epoch)) return undefined;

  const localParts = (epochParts[epochParts.length - 1] ?? "").split("+");
  if (localParts.length > 2) return undefined;
  const main = localParts[0] ?? "";
  if (main === "") return undefined;
  const local =
    localParts.length === 2 ? (localParts[1] ?? "").replaceAll("_", ".").split(".") : [];

  const version = [epoch, ...splitMain(main)].map(runsOf);
  const localRuns = local.map(runsOf);
  if (version.includes(undefined) || localRuns.includes(undefined)) return undefined;
  return {
    version: version.filter((runs) => runs !== undefined),
    local: localRuns.filter((runs) => runs !== undefined),
    normalized,
  };
}

/** Components at "." and "_"; a trailing "_" stays on the last one (openssl's 1.0.1_ < 1.0.1a). */
function splitMain(main: string): string[] {
  if (!main.endsWith("_")) return main.replaceAll("_", ".").split(".");
  const components = main.slice(0, -1).replaceAll("_", ".").split(".");
  components[components.length - 1] += "_";
  return components;
}

/** The runs of one component, with a 0 in front of a leading string; undefined when it is empty. */
function runsOf(component: string): Run[] | undefined {
  const runs: Run[] = (component.match(RUNS) ?? []).map((run) => {
    if (/^[0-9]/.test(run)) return BigInt(run);
    if (run === "post") return POST;
    if (run === "dev") return DEV;
    return run;
  });
  if (runs.length === 0) return undefined;
  return /^[0-9]/.test(component) ? runs : [0n, ...runs];
}

/**
 * conda's version order: -1, 0 or 1. The local version only counts between equal versions.
 * Total on any input: what conda cannot parse sorts before every version, and such strings among
 * themselves by code unit.
 */
export function compareCondaVersions(a: string, b: string): number {
  const left = parseCondaVersion(a);
  const right = parseCondaVersion(b);
  if (left !== undefined && right !== undefined) return compareParsed(left, right);
  if (left !== undefined) return 1;
  if (right !== undefined) return -1;
  return compareStrings(String(a), String(b));
}

export function compareParsed(a: CondaVersion, b: CondaVersion): number {
  return compareComponents(a.version, b.version) || compareComponents(a.local, b.local);
}

/** Component by component, run by run; what is missing counts as the number 0. */
function compareComponents(a: readonly Run[][], b: readonly Run[][]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const left = a[i] ?? [];
    const right = b[i] ?? [];
    for (let j = 0; j < Math.max(left.length, right.length); j += 1) {
      const order = compareRuns(left[j] ?? 0n, right[j] ?? 0n);
      if (order !== 0) return order;
    }
  }
  return 0;
}

/** Strings below numbers; strings by code unit ("*" < "DEV" < "_" < letters); numbers by value. */
function compareRuns(a: Run, b: Run): number {
  if (typeof a === "string" || typeof b === "string") {
    if (typeof a !== "string") return 1;
    if (typeof b !== "string") return -1;
    return compareStrings(a, b);
  }
  if (a === b) return 0;
  if (a === POST) return 1;
  if (b === POST) return -1;
  return compareBigints(BigInt(a), BigInt(b));
}

function equalRuns(a: Run, b: Run): boolean {
  return compareRuns(a, b) === 0;
}

/**
 * VersionOrder.startswith: whether `version` lies in the series `prefix` names. All components of
 * the prefix but the last must be equal; in the last one all runs but the last must be equal, and
 * then a last number must be equal while a last string need only begin the installed one (so
 * 0.4.1p1 starts with 0.4.1p). With a local part in the prefix the versions must be equal and
 * the local parts are compared that way instead.
 */
export function startsWith(version: CondaVersion, prefix: CondaVersion): boolean {
  if (prefix.local.length > 0 && compareComponents(version.version, prefix.version) !== 0) {
    return false;
  }
  const ours = prefix.local.length > 0 ? version.local : version.version;
  const theirs = prefix.local.length > 0 ? prefix.local : prefix.version;
  const last = theirs.length - 1;
  const lastTheirs = theirs[last];
  if (lastTheirs === undefined) return false;
  if (compareComponents(ours.slice(0, last), theirs.slice(0, last)) !== 0) return false;
  const lastOurs = ours[last] ?? [];
  const lastRun = lastTheirs.length - 1;
  if (compareComponents([lastOurs.slice(0, lastRun)], [lastTheirs.slice(0, lastRun)]) !== 0) {
    return false;
  }
  const mine = lastOurs[lastRun] ?? 0n;
  const wanted = lastTheirs[lastRun] ?? 0n;
  if (typeof wanted === "string") return typeof mine === "string" && mine.startsWith(wanted);
  return equalRuns(mine, wanted);
}

// --- version specs -----------------------------------------------------------------------------

/** Whether an installed version (as written, and as parsed) satisfies a version spec. */
export type CondaVersionPredicate = (raw: string, version: CondaVersion) => boolean;

/**
 * Compiles a conda version spec (`1.8.*`, `>=1.10,<2`, `1.5|(1.6,!=1.6.2)`, `^1\.7\..*$`) into a
 * predicate; undefined where conda's VersionSpec would raise. "," is "and" and binds tighter than
 * "|", "or"; parentheses group; a term from "^" to "$" is a regular expression.
 */
export function condaVersionPredicate(spec: string): CondaVersionPredicate | undefined {
  const tokens = tokenize(spec);
  if (tokens === undefined) return undefined;
  const parser = { tokens, next: 0 };
  const predicate = parseAlternatives(parser);
  return parser.next === tokens.length ? predicate : undefined;
}

interface Parser {
  tokens: string[];
  next: number;
}

/**
 * treeify's tokens: a regular expression from "^" to the next "$", one of "(", ")", "|", ",", or
 * a run of anything else; whitespace around tokens does not count.
 */
function tokenize(spec: string): string[] | undefined {
  const tokens: string[] = [];
  let rest = spec;
  for (;;) {
    rest = rest.trimStart();
    if (rest === "") return tokens;
    const token = /^(?:\^[^$]*\$|[()|,]|[^()|,]+)/.exec(rest)?.[0];
    if (token === undefined) return undefined;
    tokens.push(token.trim());
    rest = rest.slice(token.length);
  }
}

// alternatives := conjunction ("|" conjunction)*
function parseAlternatives(parser: Parser): CondaVersionPredicate | undefined {
  const options = [parseConjunction(parser)];
  while (parser.tokens[parser.next] === "|") {
    parser.next += 1;
    options.push(parseConjunction(parser));
  }
  const compiled = options.filter((option) => option !== undefined);
  if (compiled.length !== options.length) return undefined;
  const [only] = compiled;
  if (compiled.length === 1) return only;
  return (raw, version) => compiled.some((option) => option(raw, version));
}

// conjunction := group ("," group)*
function parseConjunction(parser: Parser): CondaVersionPredicate | undefined {
  const parts = [parseGroup(parser)];
  while (parser.tokens[parser.next] === ",") {
    parser.next += 1;
    parts.push(parseGroup(parser));
  }
  const compiled = parts.filter((part) => part !== undefined);
  if (compiled.length !== parts.length) return undefined;
  const [only] = compiled;
  if (compiled.length === 1) return only;
  return (raw, version) => compiled.every((part) => part(raw, version));
}

// group := "(" alternatives ")" | term
function parseGroup(parser: Parser): CondaVersionPredicate | undefined {
  const token = parser.tokens[parser.next];
  if (token === undefined || token === ")" || token === "|" || token === ",") return undefined;
  parser.next += 1;
  if (token !== "(") return compileTerm(token);
  const inner = parseAlternatives(parser);
  if (parser.tokens[parser.next] !== ")") return undefined;
  parser.next += 1;
  return inner;
}

/** version_relation_re: an operator not followed by another operator character, then the version. */
const RELATION = /^(=|==|!=|<=|>=|<|>|~=)(?![=<>!~])(\S+)$/;
const OPERATOR_START = /^[=<>!~]/;

/** One term, read as VersionSpec.get_matcher reads a string. */
function compileTerm(term: string): CondaVersionPredicate | undefined {
  if (term.startsWith("^") || term.endsWith("$")) return compileRegex(term);
  if (OPERATOR_START.test(term)) return compileRelation(term);
  if (term === "*") return () => true;
  // A "*" anywhere but at the end makes the term a glob over the version as written.
  if (term.replace(/\*+$/, "").includes("*")) return (raw) => matchesGlob(raw, term);
  if (term.endsWith("*")) {
    const prefix = parseCondaVersion(term.replace(/\*+$/, "").replace(/\.+$/, ""));
    return prefix === undefined ? undefined : (_raw, version) => startsWith(version, prefix);
  }
  // A bare version is exact, in conda's sense of equal: 1.7.1 matches 1.7.1.0.
  const exact = parseCondaVersion(term);
  return exact === undefined ? undefined : (_raw, version) => compareParsed(version, exact) === 0;
}

/**
 * "^...$": a regular expression over the version as written. The expression comes from the
 * definition, not from the image; the installed version it runs over is capped in length.
 */
function compileRegex(term: string): CondaVersionPredicate | undefined {
  if (!term.startsWith("^") || !term.endsWith("$")) return undefined;
  try {
    const pattern = new RegExp(term);
    return (raw) => pattern.test(raw);
  } catch {
    return undefined;
  }
}

function compileRelation(term: string): CondaVersionPredicate | undefined {
  const match = RELATION.exec(term);
  let operator = match?.[1];
  let operand = match?.[2];
  if (operator === undefined || operand === undefined) return undefined;
  if (operand.endsWith(".*")) {
    // conda reads "=1.2.*" and ">=1.2.*" as "=1.2" and ">=1.2", and "!=1.2.*" as "not in 1.2.*";
    // after <, <= and > it drops the ".*" with a deprecation warning.
    if (operator === "~=") return undefined;
    if (operator === "!=") operator = "!=startswith";
    operand = operand.slice(0, -2);
  }
  const target = parseCondaVersion(operand);
  if (target === undefined) return undefined;
  const holds = relation(operator, target);
  return holds === undefined ? undefined : (_raw, version) => holds(version);
}

function relation(
  operator: string,
  target: CondaVersion,
): ((version: CondaVersion) => boolean) | undefined {
  switch (operator) {
    case "==":
      return (v) => compareParsed(v, target) === 0;
    case "!=":
      return (v) => compareParsed(v, target) !== 0;
    case "<=":
      return (v) => compareParsed(v, target) <= 0;
    case ">=":
      return (v) => compareParsed(v, target) >= 0;
    case "<":
      return (v) => compareParsed(v, target) < 0;
    case ">":
      return (v) => compareParsed(v, target) > 0;
    case "=":
      return (v) => startsWith(v, target);
    case "!=startswith":
      return (v) => !startsWith(v, target);
    case "~=":
      return compatibleWith(target);
    default:
      return undefined;
  }
}

/**
 * "~=1.4.2" is ">=1.4.2" and in the series "1.4": conda drops the last "."-separated part of the
 * version as it prints it, so a version without a "." has no series and matches nothing.
 */
function compatibleWith(target: CondaVersion): ((version: CondaVersion) => boolean) | undefined {
  const series = parseCondaVersion(target.normalized.split(".").slice(0, -1).join("."));
  if (series === undefined) return () => false;
  return (v) => compareParsed(v, target) >= 0 && startsWith(v, series);
}

// --- MatchSpec ---------------------------------------------------------------------------------

/**
 * The version field as MatchSpec hands it to VersionSpec (`_sanitize_version_str`): a lone
 * "==1.2" is exact ("1.2"), and "=1.2" is fuzzy ("1.2*") unless a build string follows it, in
 * which case it is exact too (`numpy=1.17=py37_0` is numpy 1.17 with that build). Versions with
 * "=", "," or "|" after the first "=" are left to VersionSpec.
 */
export function matchSpecVersion(version: string, build: string | undefined): string {
  if (version === "=" || version === "==" || !version.startsWith("=")) return version;
  const bare = version.replace(/^=+/, "");
  if (version.startsWith("==") && build === undefined) return bare;
  if (/[=,|]/.test(bare)) return version;
  return build === undefined && !bare.endsWith("*") ? `${bare}*` : bare;
}

/**
 * MatchSpec's build field (GlobStrMatch): "^...$" is a regular expression, a "*" makes a glob,
 * anything else must be equal; case-sensitive.
 */
export function buildPredicate(build: string): ((installed: string) => boolean) | undefined {
  if (build.startsWith("^") && build.endsWith("$")) {
    try {
      const pattern = new RegExp(build);
      return (installed) => pattern.test(installed);
    } catch {
      return undefined;
    }
  }
  if (build.includes("*")) return (installed) => matchesGlob(installed, build);
  return (installed) => installed === build;
}
