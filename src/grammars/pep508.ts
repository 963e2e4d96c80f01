/**
 * pip requirements as PEP 508 defines them ("dependency specifiers"), with the version clauses
 * checked against PEP 440 the way pypa/packaging (and so pip) checks them.
 *
 *   specification  := wsp* (url_req | name_req) wsp*
 *   name_req       := name wsp* extras? wsp* versionspec? wsp* quoted_marker?
 *   url_req        := name wsp* extras? wsp* "@" wsp* URI (wsp+ quoted_marker?)?   wsp := " " | "\t"
 *   name           := letterOrDigit ([-_.]* letterOrDigit)*        (also each extra)
 *   extras         := "[" wsp* (name (wsp* "," wsp* name)*)? wsp* "]"
 *   versionspec    := "(" version_many ")" | version_many
 *   version_many   := version_one (wsp* "," version_one)* (wsp* "," wsp*)?
 *   version_one    := wsp* version_cmp wsp* version wsp*
 *   version_cmp    := "<=" | "<" | "!=" | "===" | "==" | ">=" | ">" | "~="
 *   quoted_marker  := ";" wsp* marker
 *   marker         := marker_and (wsp* "or" marker_and)*
 *   marker_and     := marker_expr (wsp* "and" marker_expr)*
 *   marker_expr    := marker_var marker_op marker_var | wsp* "(" marker wsp* ")"
 *   marker_var     := wsp* (env_var | python_str)
 *   marker_op      := version_cmp | wsp* "in" | wsp* "not" wsp+ "in"
 *
 * Deliberate differences from the letter of PEP 508, each explained where it is decided:
 * chained "and"/"or" and an empty "()" are accepted (packaging accepts them), and so are one
 * trailing "," in a version list (the living spec since 2024), tabs as whitespace, and the
 * pre-PEP 508 marker spellings ("os.name", "python_implementation"), which packaging reads as the
 * modern names; control characters other than the tab, line breaks and non-ASCII text are refused
 * anywhere; the lock-file variables "extras" and "dependency_groups" are refused; after "@" any
 * absolute URI is accepted ("git+ssh://", "file:/x", "gopher:/x"), but not a relative reference
 * ("./dist/x.whl") nor a "scheme://" without a host, which pip cannot fetch from an image build.
 */
import { CONTROL_CHARACTER_BUT_TAB, type ParseResult, type Scanner, parseWith } from "./scanner.js";

export interface PipRequirement {
  /** The distribution name as written. */
  name: string;
  /** The name as PEP 503 compares it: lowercase, each run of "-", "_" and "." turned into "-". */
  normalizedName: string;
  /** The extras as written, in order. */
  extras: string[];
  /** The version clauses joined by ",", without whitespace, e.g. ">=1.0,<2"; absent when none. */
  specifier?: string;
  /** The direct reference of `name @ URL`. */
  url?: string;
  /** The environment marker after ";", with single spaces between its tokens. */
  marker?: string;
}

/** The variables PEP 508 defines for environment markers. */
const MARKER_VARIABLES: ReadonlySet<string> = new Set([
  "python_version",
  "python_full_version",
  "os_name",
  "sys_platform",
  "platform_release",
  "platform_system",
  "platform_version",
  "platform_machine",
  "platform_python_implementation",
  "implementation_name",
  "implementation_version",
  "extra",
]);

/**
 * Spellings from before PEP 508 (PEP 345 and setuptools) that packaging, and so pip, still reads
 * as the modern variable. They are accepted, and reported under their modern name in `marker`.
 */
const LEGACY_MARKER_VARIABLES: ReadonlyMap<string, string> = new Map([
  ["os.name", "os_name"],
  ["sys.platform", "sys_platform"],
  ["platform.version", "platform_version"],
  ["platform.machine", "platform_machine"],
  ["platform.python_implementation", "platform_python_implementation"],
  ["python_implementation", "platform_python_implementation"],
]);

/** PEP 751 variables: pip raises an error when a requirement (rather than a lock file) uses them. */
const LOCK_FILE_MARKER_VARIABLES: ReadonlySet<string> = new Set(["extras", "dependency_groups"]);

const VERSION_OPERATORS = "==, !=, <, <=, >, >=, ~= or ===";
const MARKER_OPERATORS = "==, !=, <, <=, >, >=, ~=, ===, in or not in";
const EXAMPLE = "numpy, requests[security]>=2.8.1 or torch==2.3.0";
/** Parentheses nest by recursion; far beyond any real marker, stop before the stack does. */
const MAX_MARKER_NESTING = 64;

/** The characters PEP 508 allows in a version (`version` rule); PEP 440 then narrows them down. */
const VERSION_CHARACTERS = /[A-Za-z0-9._*+!-]+/;
/** A character that may continue a name, marker keyword or variable, so "in" in "inside" is no keyword. */
const WORD_CHARACTER = /[A-Za-z0-9_.]/;

/**
 * Parses one pip requirement (a PEP 508 dependency specifier such as `requests[security]>=2.8.1`),
 * checking versions against PEP 440. Errors carry the 0-based index of the offending character.
 */
export function parsePipRequirement(input: string): ParseResult<PipRequirement> {
  return parseWith(input, parseSpecification);
}

// specification := wsp* (url_req | name_req) wsp*
function parseSpecification(scanner: Scanner): PipRequirement {
  rejectForbiddenCharacters(scanner);
  scanner.skipSpaces();
  rejectNonRequirements(scanner);

  const name = parseName(scanner);
  const requirement: PipRequirement = {
    name,
    normalizedName: name.toLowerCase().replace(/[-_.]+/g, "-"),
    extras: [],
  };
  scanner.skipSpaces();
  if (scanner.peek() === "[") {
    requirement.extras = parseExtras(scanner);
    scanner.skipSpaces();
  }

  if (scanner.peek() === "@") {
    requirement.url = parseUrlSpec(scanner);
    const urlEnd = scanner.pos;
    scanner.skipSpaces();
    if (!scanner.done && scanner.peek() !== ";") failAfterUrl(scanner, requirement.url, urlEnd);
  } else if (startsVersionSpec(scanner)) {
    const specifier = parseVersionSpec(scanner);
    if (specifier !== "") requirement.specifier = specifier;
  }

  scanner.skipSpaces();
  if (scanner.peek() === ";") {
    requirement.marker = parseQuotedMarker(scanner);
    scanner.skipSpaces();
  }
  if (!scanner.done) failAfterRequirement(scanner, requirement);
  return requirement;
}

/**
 * Characters no part of the grammar allows, refused up front so the message names the character
 * rather than the grammar rule it happened to break. PEP 508 text is ASCII; a tab is PEP 508
 * whitespace and is read as such, any other control character or line break is refused.
 */
function rejectForbiddenCharacters(scanner: Scanner): void {
  const input = scanner.input;
  // A tab is PEP 508 whitespace (wsp := " " | "\t"); every other control character is refused.
  const control = input.search(CONTROL_CHARACTER_BUT_TAB);
  if (control !== -1) {
    const character = input[control] ?? "";
    const kind = /[\n\r\u2028\u2029]/.test(character) ? "a line break" : "a control character";
    scanner.fail(
      `a requirement cannot contain ${kind} (U+${codePointAt(input, control)})`,
      "write one requirement per entry on a single line; retype it if it came from a copy-paste",
      control,
    );
  }
  const nonAscii = input.search(/[^\t\x20-\x7e]/);
  if (nonAscii !== -1) {
    const character = String.fromCodePoint(input.codePointAt(nonAscii) ?? 0);
    scanner.fail(
      `a requirement is ASCII text, but it contains "${character}" (U+${codePointAt(input, nonAscii)})`,
      "retype it without typographic quotes or dashes; in a URL, percent-encode the character",
      nonAscii,
    );
  }
}

function codePointAt(input: string, index: number): string {
  return (input.codePointAt(index) ?? 0).toString(16).toUpperCase().padStart(4, "0");
}

/** Entries that are not requirements at all: nothing, a pip option, a bare URL or a path. */
function rejectNonRequirements(scanner: Scanner): void {
  if (scanner.done) {
    scanner.fail("the requirement is empty", `write a package name, e.g. ${EXAMPLE}`);
  }
  const rest = scanner.rest;
  // pip reads any argument starting with "-" as an option, so such an entry must never get through.
  if (rest.startsWith("-")) {
    const option = /^-{1,2}[^\s=]*/.exec(rest)?.[0] ?? "-";
    scanner.fail(
      `a requirement cannot start with "-": pip would read "${option}" as an option, not a package`,
      optionHint(option),
    );
  }
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(rest);
  if (scheme) {
    scanner.fail(
      "a URL alone is not a requirement: pip needs the package name in front",
      `write it as "name @ ${rest.trim()}"`,
    );
  }
  if (/^(?:\.{1,2}(?:[/\\]|$)|[/\\]|~[/\\])/.test(rest)) {
    scanner.fail(
      "a local path is not a requirement: it must start with a package name",
      'refer to a local archive as "name @ file:///absolute/path/to/archive"',
    );
  }
}

function optionHint(option: string): string {
  const name = option.startsWith("--") ? option : option.slice(0, 2);
  if (["-i", "--index-url", "--extra-index-url", "-f", "--find-links"].includes(name)) {
    return "options are not packages: configure the package index in imagesmith.yaml, not in a package entry";
  }
  if (["--trusted-host", "--no-index"].includes(name)) {
    return "options are not packages: configure pip's index access in imagesmith.yaml, not in a package entry";
  }
  if (["-r", "--requirement", "-c", "--constraint"].includes(name)) {
    return "options are not packages: list each requirement of the file as its own entry";
  }
  if (["-e", "--editable"].includes(name)) {
    return 'options are not packages: editable installs are not supported; use "name @ URL" for a direct reference';
  }
  return "options are not packages: remove the option; a package name starts with a letter or digit";
}

// name := letterOrDigit ([-_.]* letterOrDigit)*
function parseName(scanner: Scanner): string {
  const name = parseIdentifier(scanner, "a package name");
  if (name === undefined) {
    scanner.fail(
      `expected a package name${describeAt(scanner)}`,
      `a package name starts with a letter or digit, e.g. ${EXAMPLE}`,
    );
  }
  const next = scanner.peek();
  // Anything glued to the name that cannot start a later part means the name itself is malformed.
  if (!scanner.done && !/[ \t[(@;<>=!~]/.test(next)) {
    scanner.fail(
      `${describeCharacter(next)} cannot appear in the package name "${name}"`,
      'package names contain only ASCII letters, digits, "-", "_" and "."',
    );
  }
  return name;
}

/**
 * Reads a PEP 508 identifier (a name or an extra): letters and digits, with runs of "-", "_" and
 * "." allowed only between them. Returns undefined when no identifier starts at the cursor.
 * `what` names it for messages, with its article ("a package name").
 */
function parseIdentifier(scanner: Scanner, what: string): string | undefined {
  const identifier = scanner.match(/[A-Za-z0-9](?:[-_.]*[A-Za-z0-9])*/);
  if (identifier === undefined) return undefined;
  // The pattern takes separators only when a letter or digit follows, so any left over are trailing.
  const trailing = /^[-_.]+/.exec(scanner.rest)?.[0];
  if (trailing !== undefined) {
    scanner.fail(
      `${what} must end with a letter or digit, but "${identifier}${trailing}" ends with "${trailing.slice(-1)}"`,
      `remove the trailing "${trailing}"`,
    );
  }
  return identifier;
}

// extras := "[" wsp* (name (wsp* "," wsp* name)*)? wsp* "]"
function parseExtras(scanner: Scanner): string[] {
  scanner.expect("[");
  scanner.skipSpaces();
  const extras: string[] = [];
  // "name[]" is allowed by the grammar: the list inside the brackets is optional.
  if (scanner.eat("]")) return extras;
  for (;;) {
    const extra = parseIdentifier(scanner, "an extra name");
    if (extra === undefined) {
      const afterComma = extras.length > 0;
      scanner.fail(
        afterComma
          ? `expected an extra name after ","${describeAt(scanner)}`
          : `expected an extra name${describeAt(scanner)}`,
        afterComma && scanner.peek() === "]"
          ? 'remove the trailing ","'
          : "extras are names in brackets separated by commas, e.g. requests[security,socks]",
      );
    }
    extras.push(extra);
    scanner.skipSpaces();
    if (scanner.eat("]")) return extras;
    if (scanner.eat(",")) {
      scanner.skipSpaces();
      continue;
    }
    if (scanner.done || /[<>=!~;@(]/.test(scanner.peek())) {
      scanner.fail(
        `expected "]" to close the list of extras${describeAt(scanner)}`,
        `close the list: ${scanner.input.slice(0, scanner.pos).trimEnd()}]`,
      );
    }
    scanner.fail(
      `expected "," between extra names${describeAt(scanner)}`,
      "separate extras with commas, e.g. requests[security,socks]",
    );
  }
}

/** Whether a version specifier (parenthesised or not) starts at the cursor. */
function startsVersionSpec(scanner: Scanner): boolean {
  return /[(<>=!~]/.test(scanner.peek());
}

// versionspec := "(" version_many ")" | version_many
function parseVersionSpec(scanner: Scanner): string {
  if (!scanner.eat("(")) return parseVersionMany(scanner);
  scanner.skipSpaces();
  // PEP 508 wants at least one clause inside, but pip accepts "name()" as "no constraint".
  if (scanner.eat(")")) return "";
  const clauses = parseVersionMany(scanner);
  scanner.skipSpaces();
  if (!scanner.eat(")")) {
    scanner.fail(
      `expected ")" to close the parenthesised version list${describeAt(scanner)}`,
      'add the ")" after the last version clause (the parentheses are optional)',
    );
  }
  return clauses;
}

// version_many := version_one (wsp* "," version_one)* (wsp* "," wsp*)?
function parseVersionMany(scanner: Scanner): string {
  const clauses = [parseVersionOne(scanner)];
  for (;;) {
    const before = scanner.pos;
    scanner.skipSpaces();
    if (!scanner.eat(",")) {
      scanner.pos = before;
      return clauses.join(",");
    }
    scanner.skipSpaces();
    // The living PEP 508 grammar (since June 2024) and packaging allow one trailing ",":
    // version_many := version_one ("," version_one)* ("," wsp*)?
    if (scanner.done || scanner.peek() === ";" || scanner.peek() === ")") {
      return clauses.join(",");
    }
    if (scanner.peek() === ",") {
      scanner.fail(
        `expected a version clause between the two ","${describeAt(scanner)}`,
        'remove one of the ","',
      );
    }
    clauses.push(parseVersionOne(scanner));
  }
}

// version_one := wsp* version_cmp wsp* version wsp*   (the trailing wsp is left to the caller)
function parseVersionOne(scanner: Scanner): string {
  scanner.skipSpaces();
  const operator = parseVersionOperator(scanner);
  scanner.skipSpaces();
  if (operator === "===") {
    // Arbitrary equality is an exact string match, so only PEP 508's character set applies.
    const text = scanner.match(VERSION_CHARACTERS);
    if (text === undefined) failMissingVersion(scanner, operator);
    return operator + text;
  }
  return operator + parseVersion(scanner, operator);
}

// version_cmp := "<=" | "<" | "!=" | "===" | "==" | ">=" | ">" | "~="
function parseVersionOperator(scanner: Scanner): string {
  const operator = scanner.match(/===|==|!=|<=|>=|~=|<|>/);
  if (operator !== undefined) return operator;
  const written = scanner.match(/[<>=!~]+/) ?? "";
  const at = scanner.pos - written.length;
  const fixes: Readonly<Record<string, string>> = {
    "=": "==",
    "=>": ">=",
    "=<": "<=",
    "~": "~=",
    "~>": "~=",
    "!": "!=",
  };
  const fix = fixes[written];
  scanner.fail(
    written === ""
      ? `expected a version operator (${VERSION_OPERATORS})${describeAt(scanner, at)}`
      : `"${written}" is not a version operator; use one of ${VERSION_OPERATORS}`,
    fix === undefined
      ? "write a clause such as >=1.0 or ==2.3.*"
      : `use "${fix}"${fix === "==" ? " for an exact version, e.g. numpy==1.26.4" : ""}`,
    at,
  );
}

function failMissingVersion(scanner: Scanner, operator: string): never {
  scanner.fail(
    `expected a version after "${operator}"${describeAt(scanner)}`,
    `write the version right after the operator, e.g. ${operator}1.0`,
  );
}

/**
 * version (PEP 440, in any of the spellings pip normalises):
 *   "v"? (N "!")? N ("." N)* (".*" | pre? post? dev? local?)
 * where the operator decides what is allowed: ".*" and "+local" only with == and !=, and "~="
 * needs at least two release numbers. Returns the version as written.
 */
function parseVersion(scanner: Scanner, operator: string): string {
  const start = scanner.pos;
  if (!VERSION_CHARACTERS.test(scanner.peek())) failMissingVersion(scanner, operator);
  const matching = operator === "==" || operator === "!=";

  scanner.match(/v/i);
  scanner.match(/[0-9]+!/);
  const release = scanner.match(/[0-9]+(?:\.[0-9]+)*/);
  if (release === undefined) {
    scanner.fail(
      `the version "${versionTokenAt(scanner, start)}" must start with a number`,
      versionHint(operator),
    );
  }
  if (operator === "~=" && !release.includes(".")) {
    scanner.fail(
      `"~=" needs at least two release numbers, but "${release}" has one`,
      `write ~=${release}.0 (compatible with ${release}.x), or use >=${release}`,
      start,
    );
  }

  if (scanner.peek(2) === ".*") {
    if (!matching) {
      scanner.fail(
        `a ".*" wildcard can only be used with == or !=, not with "${operator}"`,
        `write ${operator}${release} without ".*", or ==${release}.* to match the series`,
      );
    }
    scanner.pos += 2;
    if (VERSION_CHARACTERS.test(scanner.peek())) {
      scanner.fail(
        `a ".*" wildcard must end the version, but "${versionTokenAt(scanner, start)}" goes on after it`,
        `write ${operator}${release}.* and nothing after the "*"`,
      );
    }
  } else {
    parseVersionSuffixes(scanner, matching);
  }

  if (VERSION_CHARACTERS.test(scanner.peek())) failInsideVersion(scanner, operator, start);
  return scanner.input.slice(start, scanner.pos);
}

// pre? post? dev? local?   (each optional, in this order, with "-", "_" or "." as separators)
function parseVersionSuffixes(scanner: Scanner, matching: boolean): void {
  scanner.match(/[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*/i);
  scanner.match(/-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*/i);
  scanner.match(/[-_.]?dev[-_.]?[0-9]*/i);
  if (scanner.peek() !== "+") return;
  if (!matching) {
    scanner.fail(
      'a local version label ("+...") can only be used with == or !=',
      "drop the local label, or pin the exact build with ==",
    );
  }
  if (scanner.match(/\+[a-z0-9]+(?:[-_.][a-z0-9]+)*/i) === undefined) {
    scanner.fail(
      'a local version label after "+" must be letters and digits separated by ".", "-" or "_"',
      "write it like 1.0+cu121 or 1.0+ubuntu.1",
      scanner.pos + 1,
    );
  }
}

/** The version characters around `start`, for quoting a version in a message. */
function versionTokenAt(scanner: Scanner, start: number): string {
  const rest = scanner.input.slice(start);
  return /^[A-Za-z0-9._*+!-]*/.exec(rest)?.[0] ?? "";
}

function failInsideVersion(scanner: Scanner, operator: string, start: number): never {
  const version = versionTokenAt(scanner, start);
  const unexpected = scanner.input.slice(scanner.pos, start + version.length);
  if (unexpected.includes(".*")) {
    scanner.fail(
      `a ".*" wildcard must directly follow the release numbers, as in ==1.2.*; "${version}" has it elsewhere`,
      "a wildcard cannot be combined with a pre-, post-, dev or local part",
      start + version.indexOf(".*"),
    );
  }
  scanner.fail(
    `"${version}" is not a valid version: "${unexpected}" is not understood`,
    versionHint(operator),
  );
}

function versionHint(operator: string): string {
  const format = "versions follow PEP 440, e.g. 1.2.3, 2.0rc1, 1.0.post2, 3.1.dev4";
  return operator === "=="
    ? `${format}; to match a non-standard version string exactly, use ===`
    : format;
}

// "@" wsp* URI
function parseUrlSpec(scanner: Scanner): string {
  scanner.expect("@");
  scanner.skipSpaces();
  const start = scanner.pos;
  // The URL runs to the next whitespace: that is why a marker after it needs a space before ";".
  const url = scanner.match(/[^ \t]+/);
  if (url === undefined) {
    scanner.fail(
      'expected a URL after "@"',
      "write a direct reference such as name @ https://example.com/name-1.0.tar.gz",
    );
  }
  checkUrl(scanner, url, start);
  return url;
}

/**
 * PEP 508 allows any URI after "@" (RFC 3986): a scheme, ":" and the rest, so "git+ssh://...",
 * "file:/abs/path" and "gopher:/x" are accepted as packaging accepts them. Refused on purpose are
 * a relative reference ("./dist/x.whl", "x.whl"), which means nothing in the container the image
 * is built in, and a "scheme://" with no host at all (except file:), which names nothing to fetch.
 * Characters are those of RFC 3986.
 */
function checkUrl(scanner: Scanner, url: string, start: number): void {
  const semicolon = url.indexOf(";");
  if (semicolon !== -1 && startsMarker(url.slice(semicolon + 1))) {
    scanner.fail(
      'after a URL, a marker needs whitespace before ";", or the ";" is read as part of the URL',
      `write "${url.slice(0, semicolon)} ;${url.slice(semicolon + 1)}"`,
      start + semicolon,
    );
  }
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(url)?.[0];
  if (scheme === undefined) {
    scanner.fail(
      `"${url}" is not an absolute URL: it needs a scheme such as https: or file:`,
      "write a full URL, e.g. name @ https://example.com/name-1.0.tar.gz or name @ file:///abs/path; a relative path means nothing where the image is built",
      start,
    );
  }
  const afterScheme = start + scheme.length;
  if (url.length === scheme.length) {
    scanner.fail(
      `invalid URL "${url}": nothing follows "${scheme}"`,
      `write ${scheme}//host/path`,
      afterScheme,
    );
  }
  const authority = url.startsWith("//", scheme.length)
    ? (/^[^/?#]*/.exec(url.slice(scheme.length + 2))?.[0] ?? "")
    : undefined;
  if (authority === "" && scheme.toLowerCase() !== "file:") {
    scanner.fail(
      `invalid URL "${url}": the host is missing after "${scheme}//"`,
      `write ${scheme}//host/path`,
      afterScheme + 2,
    );
  }
  const bad = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]|%(?![0-9A-Fa-f]{2})/.exec(url);
  if (bad) {
    scanner.fail(
      `${describeCharacter(bad[0])} is not allowed in a URL`,
      bad[0] === "%"
        ? '"%" must start a percent-encoding such as %20'
        : "percent-encode it (e.g. a space is %20)",
      start + bad.index,
    );
  }
}

/** Whether text after a ";" inside a URL reads as a marker (a URL may contain ";" legitimately). */
function startsMarker(text: string): boolean {
  const trimmed = text.trimStart();
  if (/^['"(]/.test(trimmed)) return true;
  const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(trimmed)?.[0];
  return word !== undefined && (MARKER_VARIABLES.has(word) || LEGACY_MARKER_VARIABLES.has(word));
}

// quoted_marker := ";" wsp* marker
function parseQuotedMarker(scanner: Scanner): string {
  scanner.expect(";");
  scanner.skipSpaces();
  if (scanner.done) {
    scanner.fail(
      'expected an environment marker after ";"',
      `write a condition such as python_version >= "3.10", or remove the ";"`,
    );
  }
  return parseMarker(scanner, 0);
}

/**
 * marker := marker_and (wsp* "or" marker_and)*
 * PEP 508's grammar text allows a single "or" (and "and"), but pip chains them, and so do people.
 */
function parseMarker(scanner: Scanner, depth: number): string {
  const operands = [parseMarkerAnd(scanner, depth)];
  while (eatKeyword(scanner, "or")) operands.push(parseMarkerAnd(scanner, depth));
  return operands.join(" or ");
}

// marker_and := marker_expr (wsp* "and" marker_expr)*
function parseMarkerAnd(scanner: Scanner, depth: number): string {
  const operands = [parseMarkerExpr(scanner, depth)];
  while (eatKeyword(scanner, "and")) operands.push(parseMarkerExpr(scanner, depth));
  return operands.join(" and ");
}

/** Consumes wsp* and `word` if `word` stands there as a whole word; otherwise consumes nothing. */
function eatKeyword(scanner: Scanner, word: string): boolean {
  const before = scanner.pos;
  scanner.skipSpaces();
  if (scanner.input.startsWith(word, scanner.pos)) {
    const after = scanner.input[scanner.pos + word.length] ?? "";
    if (!WORD_CHARACTER.test(after)) {
      scanner.pos += word.length;
      return true;
    }
  }
  scanner.pos = before;
  return false;
}

// marker_expr := marker_var marker_op marker_var | wsp* "(" marker wsp* ")"
function parseMarkerExpr(scanner: Scanner, depth: number): string {
  scanner.skipSpaces();
  if (scanner.peek() === "(") {
    if (depth >= MAX_MARKER_NESTING) {
      scanner.fail(
        `the marker nests parentheses more than ${MAX_MARKER_NESTING} deep`,
        "remove the redundant parentheses",
      );
    }
    scanner.pos += 1;
    const inner = parseMarker(scanner, depth + 1);
    scanner.skipSpaces();
    if (!scanner.eat(")")) {
      scanner.fail(
        `expected ")" to close a "(" of the marker${describeAt(scanner)}`,
        'add the missing ")", or join conditions with "and" / "or"',
      );
    }
    return `(${inner})`;
  }
  const left = parseMarkerVar(scanner);
  const operator = parseMarkerOp(scanner);
  const right = parseMarkerVar(scanner);
  return `${left} ${operator} ${right}`;
}

// marker_var := wsp* (env_var | python_str)
function parseMarkerVar(scanner: Scanner): string {
  scanner.skipSpaces();
  const next = scanner.peek();
  if (next === "'" || next === '"') return parsePythonString(scanner);
  const start = scanner.pos;
  const word = scanner.match(/[A-Za-z0-9_.*+-]+/);
  if (word === undefined) {
    scanner.fail(
      `expected a marker variable or a quoted string${describeAt(scanner)}`,
      'a condition compares a variable with a quoted value, e.g. sys_platform == "linux"',
    );
  }
  if (MARKER_VARIABLES.has(word)) return word;
  const modern = LEGACY_MARKER_VARIABLES.get(word);
  if (modern !== undefined) return modern;
  scanner.fail(unknownVariableMessage(word), unknownVariableHint(word), start);
}

function unknownVariableMessage(word: string): string {
  if (/^[A-Za-z_]/.test(word)) return `"${word}" is not a marker variable`;
  return `the value ${word} must be quoted`;
}

function unknownVariableHint(word: string): string {
  if (!/^[A-Za-z_]/.test(word)) return `write '${word}'`;
  if (LOCK_FILE_MARKER_VARIABLES.has(word)) {
    return `"${word}" only exists in lock files (PEP 751); pip rejects it in a requirement`;
  }
  if (MARKER_VARIABLES.has(word.toLowerCase())) {
    return `marker variables are lowercase: ${word.toLowerCase()}`;
  }
  return `write '${word}' with quotes if it is a value; the variables are ${[...MARKER_VARIABLES].join(", ")}`;
}

/**
 * python_str := "'" (python_str_c | '"')* "'" | '"' (python_str_c | "'")* '"'
 * python_str_c is every printable ASCII character except the backslash: PEP 508 defines no
 * escapes, so a backslash would mean different things to different tools. Kept as written.
 */
function parsePythonString(scanner: Scanner): string {
  const open = scanner.pos;
  const quote = scanner.peek();
  scanner.pos += 1;
  scanner.match(quote === "'" ? /[^'\\]+/ : /[^"\\]+/);
  if (scanner.eat(quote)) return scanner.input.slice(open, scanner.pos);
  if (scanner.done) {
    scanner.fail(
      `the quoted string ${scanner.input.slice(open)} is never closed`,
      `add the closing ${quote}`,
      open,
    );
  }
  scanner.fail(
    "a backslash is not allowed in a marker string (PEP 508 defines no escapes)",
    "remove the backslash; to use a quote inside the string, delimit it with the other quote",
  );
}

// marker_op := version_cmp | wsp* "in" | wsp* "not" wsp+ "in"
function parseMarkerOp(scanner: Scanner): string {
  scanner.skipSpaces();
  // "<>" would otherwise be read as "<" followed by a puzzling ">".
  const operator = scanner.rest.startsWith("<>")
    ? undefined
    : scanner.match(/===|==|!=|<=|>=|~=|<|>/);
  if (operator !== undefined) return operator;
  if (eatKeyword(scanner, "in")) return "in";
  if (eatKeyword(scanner, "not")) {
    scanner.skipSpaces();
    if (!eatKeyword(scanner, "in")) {
      scanner.fail(`expected "in" after "not"${describeAt(scanner)}`, 'write "not in"');
    }
    return "not in";
  }
  const hints: Readonly<Record<string, string>> = {
    notin: 'write "not in" with a space',
    "=": 'use "==" to compare',
    "<>": 'use "!=" to compare',
  };
  const written = /^(?:notin|<>|=)/.exec(scanner.rest)?.[0] ?? "";
  scanner.fail(
    `expected a marker operator (${MARKER_OPERATORS})${describeAt(scanner)}`,
    hints[written] ?? 'a condition looks like python_version >= "3.10" or "linux" in sys_platform',
  );
}

/** Explains what is left over once a whole requirement has been read. */
function failAfterRequirement(scanner: Scanner, requirement: PipRequirement): never {
  const next = scanner.peek();
  if (requirement.marker !== undefined) {
    scanner.fail(
      `expected "and", "or" or the end of the marker${describeAt(scanner)}`,
      'join conditions with "and" / "or", and check that every "(" is closed only once',
    );
  }
  if (/[<>=!~]/.test(next) && requirement.specifier !== undefined) {
    scanner.fail(
      `expected "," between version clauses${describeAt(scanner)}`,
      "separate version clauses with commas, e.g. >=1.0,<2",
    );
  }
  if (next === "@") {
    scanner.fail(
      "a requirement takes either a version specifier or a URL, not both",
      "drop the version clauses, or drop the @ URL",
    );
  }
  if (next === "[") {
    scanner.fail(
      "extras must come directly after the name",
      "write name[extra]>=1.0, not name>=1.0[extra]",
    );
  }
  if (/[0-9]/.test(next) && requirement.specifier === undefined) {
    const version = /^[A-Za-z0-9._*+!-]+/.exec(scanner.rest)?.[0] ?? "";
    scanner.fail(
      `a version needs an operator in front of it${describeAt(scanner)}`,
      `write ${requirement.name}==${version} for exactly that version, or >=${version} for at least it`,
    );
  }
  if (next === "#") {
    scanner.fail(
      "a requirement cannot contain a comment",
      "remove it; put the comment in the YAML file (a # after the entry's quotes)",
    );
  }
  if (/[A-Za-z]/.test(next) && requirement.specifier === undefined) {
    scanner.fail(
      `unexpected "${/^[^ \t]+/.exec(scanner.rest)?.[0] ?? next}" after the package name`,
      "an entry names one package; put each package in its own entry",
    );
  }
  if (next === "-") {
    scanner.fail(
      "pip options cannot follow a requirement here",
      "remove the option; pip settings belong in imagesmith.yaml",
    );
  }
  scanner.fail(
    `unexpected ${describeCharacter(next)} after the requirement${describeAt(scanner)}`,
    `a requirement is name[extras] version-clauses ; marker, e.g. ${EXAMPLE}`,
  );
}

/** What may follow a URL is whitespace and a marker; explains anything else. */
function failAfterUrl(scanner: Scanner, url: string, urlEnd: number): never {
  if (url.endsWith(";")) {
    scanner.fail(
      'after a URL, a marker needs whitespace before ";", or the ";" is read as part of the URL',
      `write "${url.slice(0, -1)} ; ${scanner.rest}"`,
      urlEnd - 1,
    );
  }
  scanner.fail(
    `expected ";" and a marker, or the end, after the URL${describeAt(scanner)}`,
    "a URL ends at the first space, and only a marker may follow it",
  );
}

/** " at "..."", or " at the end", naming what stands at `index`. */
function describeAt(scanner: Scanner, index = scanner.pos): string {
  if (index >= scanner.input.length) return " at the end";
  return ` at "${scanner.input.slice(index, index + 20)}"`;
}

function describeCharacter(character: string): string {
  if (character === " ") return "a space";
  if (character === '"') return "'\"'";
  return `"${character}"`;
}
