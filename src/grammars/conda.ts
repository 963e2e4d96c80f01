/**
 * conda package entries as `conda install SPEC` reads them: conda's MatchSpec strings, checked the
 * way conda's own parser (`conda/models/match_spec.py` `_parse_spec_str`) and its version grammar
 * (`conda/models/version.py` `VersionSpec`, `treeify`, `VersionOrder`) check them, with CEP 26's
 * rules for names, versions and build strings and CEP 29's MatchSpec syntax, plus the
 * `-c channel::spec` spelling of the platform this project replaces.
 *
 *   entry          := channel_flag? (package_url | match_spec)
 *   channel_flag   := ("-c" | "--channel") " "+          (match_spec must then name its channel)
 *   package_url    := scheme "://" ... "/" name "-" version "-" build (".conda" | ".tar.bz2")
 *   match_spec     := channel_prefix? name version_build? " "* brackets? " "* legacy_options? " "*
 *   channel_prefix := (channel ("/" subdir)? | "*" "/" subdir) ":" namespace? ":"
 *   name           := [A-Za-z0-9_*] [A-Za-z0-9_.*-]*        (then CEP 26, unless it is a glob)
 *   version_build  := (" "+ | &operator) version_or ((" "* "=" | " "+) build)?
 *   version_or     := version_and (" "* "|" " "* version_and)*
 *   version_and    := version_term (" "* "," " "* version_term)*
 *   version_term   := "(" " "* version_or " "* ")"        (inside brackets only)
 *                   | "^" regex "$"
 *                   | operator? version
 *   operator       := "==" | "!=" | "<=" | ">=" | "~=" | "=" | "<" | ">"
 *   version        := [A-Za-z0-9_.+!*]+                   (then VersionOrder's checks)
 *   build          := [A-Za-z0-9_.+*]+
 *   brackets       := "[" " "* pair (separator pair)* " "* "]"     separator := " "* "," " "* | " "+
 *   pair           := key "=" ("'" value "'" | '"' value '"' | bare_value)
 *   legacy_options := "(" option (("," | " ") option)* ")"      option := "optional" | "target=" value
 *
 * conda itself is more lenient in places; each refusal below says why it is made. In short: what
 * conda silently drops or ignores (a "#" comment, an " if " condition, a key=value pair it cannot
 * read, name= inside brackets, a namespace given with a single ":", "numpy=" with nothing after the
 * "="), what it accepts but can never match (a short md5, an unknown subdir, "==1.2*" inside a
 * combined version, ".*" after "<"), a bare "*::" channel, local package files, regular expressions
 * with lookaround, backreferences or "[...]" classes, and every shell metacharacter outside a
 * version. Whitespace outside brackets follows conda: it is removed from a version
 * ("foo >= 1.0 , < 2.0" is ">=1.0,<2.0"), and separates the name, version and build.
 */
import { CONTROL_CHARACTER, type ParseResult, Scanner, parseWith } from "./scanner.js";

export interface CondaSpec {
  /** The channel, e.g. "conda-forge" (from "conda-forge::numpy", "-c conda-forge::numpy" or [channel=...]). */
  channel?: string;
  /** The platform subdir, e.g. "linux-64" from "conda-forge/linux-64::numpy" or [subdir=linux-64]. */
  subdir?: string;
  /** The namespace of "channel:namespace:name"; conda reserves it and ignores it. */
  namespace?: string;
  /** The package name as written (conda compares names case-insensitively); may hold "*" globs. */
  name: string;
  /** The version as handed to conda, without whitespace, e.g. "==1.17*", ">=1.10,<2", "1.8|1.9". */
  version?: string;
  /** The build string, e.g. "py37_0" or "*_cuda*". */
  build?: string;
  /** The [key=value, ...] pairs, values without their quotes, e.g. {build_number: ">=3"}. */
  brackets: Record<string, string>;
  /**
   * The spec to hand to `conda install` for this entry, WITHOUT the channel (name, version, build,
   * brackets): the entry after its `-c` flag and `channel(/subdir)(:namespace)::` prefix, as
   * written. Put `channel(/subdir)::` back in front, or pass the channel separately, to restore it.
   * For a package URL it is the URL, whose path names the channel itself.
   */
  spec: string;
}

/**
 * conda's KNOWN_SUBDIRS (`conda/base/constants.py`): a channel path ending in one of these names the
 * subdir, and [subdir=...] must be one (conda would accept any text, which then matches nothing).
 */
const KNOWN_SUBDIRS: ReadonlySet<string> = new Set([
  "noarch",
  "emscripten-wasm32",
  "wasi-wasm32",
  "freebsd-64",
  "linux-32",
  "linux-64",
  "linux-aarch64",
  "linux-armv6l",
  "linux-armv7l",
  "linux-ppc64",
  "linux-ppc64le",
  "linux-riscv64",
  "linux-s390x",
  "osx-64",
  "osx-arm64",
  "win-32",
  "win-64",
  "win-arm64",
  "zos-z",
]);

/**
 * The keys conda can match on inside brackets: `MatchSpec.FIELD_NAMES` without "name", which conda
 * drops (with a warning) in favour of the name before the brackets.
 */
const BRACKET_KEYS: readonly string[] = [
  "version",
  "build",
  "build_number",
  "channel",
  "subdir",
  "md5",
  "sha256",
  "license",
  "license_family",
  "url",
  "fn",
  "track_features",
  "features",
];

/** conda's `version_relation_re` operators, longest first so "==" is not read as "=" then "=". */
const OPERATOR = /==|!=|<=|>=|~=|=|<|>/;
/** conda's OPERATOR_START: a version term starting with one of these must start with an operator. */
const OPERATOR_START = /[=<>!~]/;
/** VersionOrder's characters (`version_check_re`), upper case included since conda lowercases first. */
const VERSION_CHARACTERS = /[A-Za-z0-9_.+!*]+/;
/** Build strings are globs over conda-build's build string characters; "-" never occurs in them. */
const BUILD_CHARACTER = /[A-Za-z0-9_.+*]/;
/** Characters a shell gives meaning to; named in the hint when one turns up where it cannot be. */
const SHELL_METACHARACTER = /[;&|$`\\<>(){}'"!?^~%]/;
const SHELL_HINT = "shell metacharacters never belong in a conda package entry; remove it";
const OPERATORS_TEXT = "==, !=, <, <=, >, >=, ~= or =";
const EXAMPLE = "numpy, numpy=1.17, numpy>=1.10,<2 or conda-forge::numpy==1.17*";

/** The channel part in front of the name, as far as the entry gives it. */
interface ChannelPrefix {
  channel?: string;
  subdir?: string;
  namespace?: string;
}

/** What one version expression is made of; `==` with a wildcard is judged on the whole expression. */
interface VersionContext {
  /** Inside [version=...] conda's VersionSpec reads the text as is: no space after an operator, "(...)" groups. */
  inBrackets: boolean;
  terms: VersionTerm[];
  grouped: boolean;
}

interface VersionTerm {
  operator: string;
  literal: string;
  index: number;
}

/**
 * Parses one conda package entry: a MatchSpec as `conda install` accepts it (e.g. `numpy=1.17`,
 * `numpy 1.8* py27_0`, `conda-forge/linux-64::numpy>=1.10,<2[build_number=3]`), or the
 * `-c conda-forge::numpy==1.17*` form, whose channel is reported and left out of `spec`.
 * Errors carry the 0-based index of the offending character and, where one is obvious, a fix.
 */
export function parseCondaSpec(input: string): ParseResult<CondaSpec> {
  return parseWith(input, parseEntry);
}

// entry := channel_flag? match_spec
function parseEntry(scanner: Scanner): CondaSpec {
  rejectForbiddenCharacters(scanner);
  if (scanner.input.trim() === "") {
    scanner.fail("the conda package entry is empty", `write a package, e.g. ${EXAMPLE}`);
  }
  // conda looks for the name at the very start: with a leading space it finds none.
  if (scanner.peek() === " ") {
    scanner.fail(
      "the entry starts with a space, so conda finds no package name",
      "remove the leading spaces",
    );
  }
  const flag = parseChannelFlag(scanner);
  return parseMatchSpec(scanner, flag);
}

/**
 * Refuses what no part of the grammar may hold, up front, so the message names the character.
 * "#" and " if " are refused because conda cuts the entry there (a comment, a conditional
 * dependency) and would silently install something other than what the entry seems to say.
 */
function rejectForbiddenCharacters(scanner: Scanner): void {
  const input = scanner.input;
  const control = input.search(CONTROL_CHARACTER);
  if (control !== -1) {
    const kind = /[\n\r\u2028\u2029]/.test(input[control] ?? "")
      ? "a line break"
      : input[control] === "\t"
        ? "a tab"
        : "a control character";
    scanner.fail(
      `a conda package entry cannot contain ${kind} (U+${codePointAt(input, control)})`,
      "write one package per entry on a single line, with spaces (not tabs) between its parts",
      control,
    );
  }
  const nonAscii = input.search(/[^\x20-\x7e]/);
  if (nonAscii !== -1) {
    const character = String.fromCodePoint(input.codePointAt(nonAscii) ?? 0);
    scanner.fail(
      `a conda package entry is ASCII text, but it contains "${character}" (U+${codePointAt(input, nonAscii)})`,
      "retype it without typographic quotes, dashes or comparison signs; percent-encode it in a URL",
      nonAscii,
    );
  }
  const comment = input.indexOf("#");
  if (comment !== -1) {
    scanner.fail(
      'conda reads "#" as the start of a comment and would silently drop the rest of the entry',
      'remove the "#" and what follows it; put comments on their own YAML line',
      comment,
    );
  }
  const condition = input.indexOf(" if ");
  if (condition !== -1) {
    scanner.fail(
      'conda ignores everything from " if " on (a conditional dependency), so the condition would have no effect',
      "remove the condition; list the package only in the images that need it",
      condition + 1,
    );
  }
}

function codePointAt(input: string, index: number): string {
  return (input.codePointAt(index) ?? 0).toString(16).toUpperCase().padStart(4, "0");
}

/**
 * channel_flag := ("-c" | "--channel") " "+
 *
 * The platform we replace documented `-c conda-forge::numpy==1.17*`. Handed to conda as one
 * argument it would be a MatchSpec whose channel is literally "-c conda-forge", so the flag is
 * stripped here and the channel must then come as "channel::" (a separate "-c conda-forge numpy"
 * would put two packages, or an option, in one entry). "--channel" is conda's long spelling of the
 * same flag and is read the same way. Any other leading "-" is an option conda would act on.
 */
function parseChannelFlag(scanner: Scanner): string | undefined {
  if (scanner.peek() !== "-") return undefined;
  const flag = scanner.match(/(?:-c|--channel)(?= |$)/);
  if (flag === undefined) {
    const option = /^\S+/.exec(scanner.rest)?.[0] ?? "-";
    // "-cconda-forge::numpy" and "--channel=conda-forge::numpy" are the flag glued to its value.
    const glued = /^(?:-c|--channel=)(.+::.+)$/.exec(option)?.[1];
    scanner.fail(
      `the entry starts with "${option}", which conda would read as a command-line option, not a package`,
      glued === undefined
        ? 'an entry names one package; give its channel as "channel::package", e.g. conda-forge::numpy'
        : `write "${glued}"`,
    );
  }
  scanner.skipSpaces();
  if (scanner.done) {
    scanner.fail(
      `"${flag}" must be followed by channel::package`,
      'write e.g. "-c conda-forge::numpy"',
    );
  }
  return flag;
}

// match_spec := channel_prefix? name version_build? " "* brackets? " "*
function parseMatchSpec(scanner: Scanner, flag: string | undefined): CondaSpec {
  const file = parsePackageFile(scanner, flag);
  if (file !== undefined) return file;
  const prefix = parseChannelPrefix(scanner, flag);
  const specStart = scanner.pos;
  const name = parseName(scanner);
  const outside = parseVersionAndBuild(scanner, name);
  scanner.skipSpaces();
  const hasBrackets = scanner.peek() === "[";
  const brackets = hasBrackets ? parseBrackets(scanner) : {};
  scanner.skipSpaces();
  if (scanner.peek() === "(") {
    parseLegacyOptions(scanner);
    scanner.skipSpaces();
    if (scanner.peek() === "[") {
      scanner.fail(
        "the legacy (...) section goes after the [...] section",
        "move the [...] section before the (...)",
      );
    }
  }
  if (!scanner.done) {
    if (scanner.peek() === "[") {
      scanner.fail(
        "conda allows only one [...] section in a spec",
        "merge the key=value pairs into the first brackets",
      );
    }
    failUnexpected(scanner, describePart(name, outside, hasBrackets));
  }

  const spec: CondaSpec = { name, brackets, spec: scanner.input.slice(specStart).trimEnd() };
  // Inside brackets a key overrides the same field given outside them (conda's rule 8), so the
  // reported fields are the ones conda will use, while `spec` keeps the entry as written.
  const bracketChannel = brackets.channel === undefined ? {} : splitSubdir(brackets.channel);
  const channel = bracketChannel.channel ?? prefix.channel;
  const subdir = brackets.subdir ?? bracketChannel.subdir ?? prefix.subdir;
  const version =
    brackets.version === undefined ? outside.version : brackets.version.replace(/ /g, "");
  const build = brackets.build ?? outside.build;
  if (channel !== undefined) spec.channel = channel;
  if (subdir !== undefined) spec.subdir = subdir;
  if (prefix.namespace !== undefined) spec.namespace = prefix.namespace;
  if (version !== undefined) spec.version = version;
  if (build !== undefined) spec.build = build;
  return spec;
}

/** Whether conda's legacy "(optional, target=...)" section starts at the cursor. */
function startsLegacyOptions(scanner: Scanner): boolean {
  return /^\((?:optional|target)\b/.test(scanner.rest);
}

/**
 * legacy_options := "(" " "* option ((" "* "," " "* | " "+) option)* " "* ")"
 * option         := "optional" | "target=" value
 *
 * The parenthesised section of conda's older MatchSpec, after everything else:
 * "conda-forge::foo[build=3](target=blarg,optional)". conda still parses it and then sets it aside
 * (`_parse_spec_str`, step 4), so it changes nothing about what is installed; only the two options
 * it ever had are accepted, so a typo in them is not carried along unread.
 */
function parseLegacyOptions(scanner: Scanner): void {
  const open = scanner.pos;
  scanner.expect("(");
  if (!scanner.input.includes(")", open)) {
    scanner.fail('the "(" is never closed', 'add ")" after the options, or remove the "("', open);
  }
  const seen = new Set<string>();
  for (;;) {
    scanner.skipSpaces();
    const start = scanner.pos;
    const option = scanner.match(/[A-Za-z_]+/);
    if (option !== "optional" && option !== "target") {
      scanner.fail(
        option === undefined
          ? `expected "optional" or "target=..." in the (...) section${describeAt(scanner)}`
          : `conda's legacy (...) section knows only "optional" and "target", not "${option}"`,
        "remove the (...) section: conda sets it aside and installs the same package without it",
        start,
      );
    }
    if (seen.has(option)) {
      scanner.fail(`"${option}" is given twice in the (...) section`, "keep one of the two", start);
    }
    seen.add(option);
    if (option === "target") {
      scanner.expect("=", '"=" after "target"');
      const value = scanner.match(/'[A-Za-z0-9_.+-]+'|"[A-Za-z0-9_.+-]+"|[A-Za-z0-9_.+-]+/);
      if (value === undefined) {
        failCharacter(scanner, scanner.peek() || " ", 'the value of "target"', scanner.pos);
      }
    }
    const separator = scanner.match(/ *, *| +/);
    if (scanner.eat(")")) return;
    if (separator === undefined) {
      if (scanner.done) scanner.fail('the "(" is never closed', 'add ")" after the options', open);
      failCharacter(scanner, scanner.peek(), "the (...) section", scanner.pos);
    }
  }
}

/** Names the last part read, for "cannot follow ..." messages. */
function describePart(
  name: string,
  outside: { version?: string; build?: string },
  hasBrackets: boolean,
): string {
  if (hasBrackets) return "the [...] section";
  if (outside.build !== undefined) return `the build string "${outside.build}"`;
  if (outside.version !== undefined) return `the version "${outside.version}"`;
  return `the package name "${name}"`;
}

/** The artifact extensions conda installs directly (CEP 26: `tar.bz2`, v1, and `conda`, v2). */
const PACKAGE_FILE = /\.(?:tar\.bz2|conda)$/;
/** The characters of a URL (RFC 3986), without the space: a package URL is one word. */
const URL_CHARACTER = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/;

/**
 * package_file := scheme "://" path "/" (subdir "/")? name "-" version "-" build ("." "conda" | ".tar.bz2")
 *
 * conda installs a URL to a .conda or .tar.bz2 artifact as that artifact: the file name gives the
 * name, version and build (split at its last two "-"), and a known subdir in front of it gives the
 * channel and subdir. A local path is refused: the build runs in a container where the catalog's
 * files do not exist, so the path would name nothing there.
 */
function parsePackageFile(scanner: Scanner, flag: string | undefined): CondaSpec | undefined {
  const start = scanner.pos;
  const text = scanner.rest.trimEnd();
  if (!PACKAGE_FILE.test(text)) {
    // A URL with no "::" after it is no channel prefix: as a spec it can only be a package file.
    const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^ ]*/.exec(text)?.[0];
    if (url !== undefined && !text.includes("::")) {
      scanner.fail(
        url.length < text.length
          ? "a package URL is one word: nothing may follow it"
          : "a URL alone is a conda spec only when it ends in the name of a .conda or .tar.bz2 file",
        'give the URL of the artifact (.../linux-64/name-version-build.conda), or name the package as "channel::name"',
        url.length < text.length ? start + url.length : start,
      );
    }
    return undefined;
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)?.[1]?.toLowerCase();
  const urlAt = text.search(/[A-Za-z][A-Za-z0-9+.-]*:\/\//);
  if (scheme === undefined && urlAt > 0) {
    scanner.fail(
      "a package URL names its channel itself, so nothing may stand before it",
      `write the URL alone: "${text.slice(urlAt)}"`,
      flag === undefined ? start : 0,
    );
  }
  if (scheme === undefined) {
    scanner.fail(
      "a local package file is not accepted: the build runs in a container where this path does not exist",
      'name the package instead, as "channel/subdir::name==version=build", or give the https:// URL of the file',
    );
  }
  if (flag !== undefined) {
    scanner.fail(
      `a package URL already names its channel, so "${flag}" cannot come before it`,
      `write the URL alone: "${text}"`,
      0,
    );
  }
  if (!["http", "https", "file", "ftp", "s3"].includes(scheme)) {
    scanner.fail(
      `conda cannot fetch a package from a "${scheme}:" URL`,
      "use an https:// (or file://) URL to the .conda or .tar.bz2 file",
    );
  }
  checkCharacters(scanner, text, start, URL_CHARACTER, "a package URL");
  const badPercent = /%(?![0-9A-Fa-f]{2})/.exec(text);
  if (badPercent !== null) {
    scanner.fail(
      '"%" in a URL must start a percent-encoding such as %21',
      undefined,
      start + badPercent.index,
    );
  }
  const path = text.replace(/[?#].*$/, "");
  const slash = path.lastIndexOf("/");
  const fileName = decodePercent(path.slice(slash + 1));
  const stem = fileName.replace(PACKAGE_FILE, "");
  const parts = stem.split("-");
  if (parts.length < 3 || parts.some((part) => part === "")) {
    scanner.fail(
      `"${fileName}" is not a conda artifact name: it must be name-version-build.conda or name-version-build.tar.bz2`,
      "check the URL; conda names every artifact after its package, version and build",
      start + slash + 1,
    );
  }
  const build = parts.pop() ?? "";
  const version = parts.pop() ?? "";
  const name = parts.join("-");
  const fileIndex = start + slash + 1;
  checkPackageName(scanner, name, fileIndex);
  checkVersionOrder(scanner, version, fileIndex + name.length + 1);
  const buildIndex = fileIndex + stem.length - build.length;
  checkCharacters(scanner, build, buildIndex, BUILD_CHARACTER, "a build string");
  checkBuildLength(scanner, build, buildIndex);
  scanner.pos = start + text.length;
  const spec: CondaSpec = { name, version: `==${version}`, build, brackets: {}, spec: text };
  // A known subdir right before the file name makes the rest of the path the channel.
  const directory = path.slice(0, slash);
  const subdirSlash = directory.lastIndexOf("/");
  const subdir = directory.slice(subdirSlash + 1);
  if (KNOWN_SUBDIRS.has(subdir) && subdirSlash > scheme.length + 2) {
    spec.channel = decodePercent(directory.slice(0, subdirSlash));
    spec.subdir = subdir;
  }
  return spec;
}

function decodePercent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * channel_prefix := channel ("/" subdir)? ":" namespace? ":"
 *
 * conda splits the channel off at the last two ":" before the version (`rsplit(":", 2)`), so a URL
 * channel may hold ":" itself. Whether there is a prefix at all is decided by looking ahead over the
 * characters a channel can have; the version, build and brackets never hold a ":" outside a value.
 */
function parseChannelPrefix(scanner: Scanner, flag: string | undefined): ChannelPrefix {
  const start = scanner.pos;
  const head = /^[^ [\]=<>!~|,()'"]*/.exec(scanner.rest)?.[0] ?? "";
  const cut = head.lastIndexOf(":");
  if (cut === -1) {
    if (flag !== undefined) failFlagWithoutChannel(scanner, flag);
    return {};
  }
  const afterPrefix = head.slice(cut + 1);
  if (head[cut - 1] === ":") {
    const location = parseChannel(scanner, head.slice(0, cut - 1), start);
    scanner.pos = start + cut + 1;
    return location;
  }
  // One ":" before the name: conda reads "x:numpy" as namespace "x" (which it ignores) and no
  // channel at all, which is never what "conda-forge:numpy" meant.
  const inner = head.slice(0, cut);
  const split = inner.lastIndexOf(":");
  const namespace = inner.slice(split + 1);
  if (split === -1 || !/^[A-Za-z0-9_.-]+$/.test(namespace)) {
    scanner.fail(
      `a single ":" does not separate a channel from the package: conda would ignore "${inner}"`,
      `write "${inner}::${afterPrefix}"`,
      start + cut,
    );
  }
  const location = parseChannel(scanner, inner.slice(0, split), start);
  scanner.pos = start + cut + 1;
  return { ...location, namespace };
}

/** After "-c": the entry has no "channel::" prefix, so the channel was given as a separate word. */
function failFlagWithoutChannel(scanner: Scanner, flag: string): never {
  const words = scanner.rest.trim().split(/ +/);
  const channel = words[0] ?? "";
  const index = scanner.pos + channel.length;
  if (words.length < 2) {
    scanner.fail(
      `"${flag} ${channel}" names a channel but no package`,
      `write "${channel}::<package>"`,
      index,
    );
  }
  scanner.fail(
    `"${flag}" must be followed by channel::package: conda would read the channel and the package as one spec`,
    `write "${channel}::${words.slice(1).join(" ")}"`,
    index,
  );
}

/**
 * channel := a channel name ("conda-forge", "pkgs/main", "conda-forge/label/dev") or URL, with an
 * optional trailing known subdir. `index` is where `text` starts in the entry.
 */
function parseChannel(scanner: Scanner, text: string, index: number): ChannelPrefix {
  if (text === "") {
    scanner.fail(
      'nothing stands before "::" where the channel belongs',
      'name the channel, as in "conda-forge::numpy", or remove the "::"',
      index,
    );
  }
  // "*/linux-64::numpy" is any channel, that subdir: conda reads it as numpy[subdir=linux-64].
  const anyChannel = /^\*\/([^/]+)$/.exec(text)?.[1];
  if (anyChannel !== undefined && KNOWN_SUBDIRS.has(anyChannel)) return { subdir: anyChannel };
  const bad = /[^A-Za-z0-9_.\-/:+%@]/.exec(text);
  if (bad !== null) {
    if (bad[0] === "*") {
      scanner.fail(
        anyChannel === undefined
          ? "a channel cannot be a wildcard: conda install needs a real channel to fetch from"
          : `"${anyChannel}" is not a platform subdir conda knows, so "*/${anyChannel}::" would match no package`,
        anyChannel === undefined
          ? 'to pick only a platform, write "*/<subdir>::" (e.g. "*/linux-64::numpy") or "numpy[subdir=linux-64]"'
          : "use e.g. linux-64, linux-aarch64, osx-arm64, win-64 or noarch",
        index + (anyChannel === undefined ? bad.index : 2),
      );
    }
    failCharacter(scanner, bad[0], "a channel name or URL", index + bad.index);
  }
  if (text.includes("::") || text.endsWith(":") || text.endsWith("/")) {
    scanner.fail(
      `"${text}" is not a channel name or URL`,
      'write the channel once, followed by "::" and the package',
      index,
    );
  }
  return splitSubdir(text);
}

/** conda's Channel(): a last path segment that is a known subdir is the subdir, not part of the channel. */
function splitSubdir(text: string): ChannelPrefix {
  const slash = text.lastIndexOf("/");
  const tail = text.slice(slash + 1);
  if (slash > 0 && KNOWN_SUBDIRS.has(tail)) return { channel: text.slice(0, slash), subdir: tail };
  return { channel: text };
}

/**
 * name := [A-Za-z0-9_*] [A-Za-z0-9_.*-]*
 *
 * conda takes everything up to a space or operator as the name; names on conda channels are ASCII
 * letters, digits, "-", "_" and "." ("*" is a glob). A leading "-" would make the spec an option.
 */
function parseName(scanner: Scanner): string {
  const start = scanner.pos;
  const name = scanner.match(/[A-Za-z0-9_*][A-Za-z0-9_.*-]*/);
  if (name !== undefined) {
    if (scanner.peek() === "@") {
      scanner.fail(
        `"${name}@" is conda's legacy feature syntax, which names no package`,
        `write "*[track_features=${name}]"`,
      );
    }
    if (!name.includes("*")) checkPackageName(scanner, name, start);
    return name;
  }
  if (scanner.done) {
    scanner.fail('a package name must follow the "::"', 'write e.g. "conda-forge::numpy"');
  }
  const next = scanner.peek();
  if (OPERATOR_START.test(next)) {
    scanner.fail("the package name is missing before the version", `write e.g. ${EXAMPLE}`);
  }
  if (next === "'" || next === '"') {
    scanner.fail(
      "the entry is wrapped in quotes; conda would read them as part of the name",
      "remove the quotes: the entry reaches conda as one argument without them",
    );
  }
  if (next === "-") {
    scanner.fail(
      'a package name cannot start with "-": conda would read the spec as an option',
      'remove the leading "-"',
    );
  }
  scanner.fail(
    `expected a package name${describeAt(scanner)}`,
    `a name starts with a letter, digit, "_" or "*", e.g. ${EXAMPLE}`,
  );
}

/** CEP 26's limit on package names, versions and build strings. */
const MAX_FIELD_LENGTH = 64;

/**
 * CEP 26 package names, which conda checks (`_validate_package_name`, case-insensitively): a
 * distributable name starts with a letter, digit or one "_" and never has two separators ("-", "."
 * or "_") in a row; a virtual package name is "__" and then the same; at most 64 characters. Globs
 * ("*") are not names and are not checked. `index` is where the name starts in the entry.
 */
function checkPackageName(scanner: Scanner, name: string, index: number): void {
  const bad = /[^A-Za-z0-9._-]/.exec(name);
  if (bad !== null) failCharacter(scanner, bad[0], "a package name", index + bad.index);
  if (name.length > MAX_FIELD_LENGTH) {
    scanner.fail(
      `the package name is ${name.length} characters long; conda allows at most ${MAX_FIELD_LENGTH} (CEP 26)`,
      "check the name; no conda package has a longer one",
      index + MAX_FIELD_LENGTH,
    );
  }
  const virtual = name.startsWith("__");
  const body = virtual ? name.slice(2) : name;
  const bodyIndex = index + (virtual ? 2 : 0);
  if (virtual && body === "") {
    scanner.fail(
      'a virtual package name needs letters or digits after "__"',
      "write e.g. __glibc or __cuda",
      index,
    );
  }
  if (virtual && /^[._-]/.test(body)) {
    scanner.fail(
      `"${name}" has a separator right after "__"; a virtual package name is "__" and then a letter or digit`,
      `write "__${body.replace(/^[._-]+/, "")}"`,
      bodyIndex,
    );
  }
  if (!virtual && /^[.-]/.test(name)) {
    scanner.fail(
      `a package name starts with a letter, digit or "_", not "${name[0] ?? ""}"`,
      `write "${name.replace(/^[.-]+/, "")}"`,
      index,
    );
  }
  const doubled = /[._-]{2}/.exec(body);
  if (doubled !== null) {
    scanner.fail(
      `"${name}" has two separators in a row ("${doubled[0]}"), which conda package names never have (CEP 26)`,
      `write a single "-", "." or "_" there, e.g. "${name.slice(0, bodyIndex - index + doubled.index)}${doubled[0][0] ?? "-"}${body.slice(doubled.index + 2)}"`,
      bodyIndex + doubled.index,
    );
  }
}

/**
 * version_build := (" "+ | &operator) version_or ((" "* "=" | " "+) build)?
 *
 * This is conda's `_parse_version_plus_build` read as a grammar: the build is what follows a space
 * or "=" that does not come right after an operator, "," or "|".
 */
function parseVersionAndBuild(
  scanner: Scanner,
  name: string,
): { version?: string; build?: string } {
  const gap = scanner.match(/ +/) !== undefined;
  if (scanner.done || scanner.peek() === "[") return {};
  // Without a space only an operator can start the version ("numpy>=1.8"); anything else glued to
  // the name is reported by the caller as not belonging there.
  if (!gap && !OPERATOR_START.test(scanner.peek())) return {};
  // "foo (optional)": conda's legacy section, read after everything else.
  if (gap && startsLegacyOptions(scanner)) return {};
  if (gap && /[,|]/.test(scanner.peek())) failUnexpected(scanner, `the package name "${name}"`);
  const version = parseVersionExpression(scanner, false);
  const build = parseBuildPart(scanner, version);
  return build === undefined ? { version } : { version, build };
}

/** Parses a whole version expression and applies the checks that need all of its terms. */
function parseVersionExpression(scanner: Scanner, inBrackets: boolean): string {
  const context: VersionContext = { inBrackets, terms: [], grouped: false };
  const version = parseVersionOr(scanner, context, "");
  // conda turns a lone "==1.2*" into the wildcard "1.2*" (`_sanitize_version_str`), but inside a
  // combined version "==" compares the "*" literally, or drops a ".*" with a deprecation warning,
  // depending on where the term stands. Only the unambiguous lone form is accepted.
  const lone = context.terms.length === 1 && !context.grouped;
  for (const term of context.terms) {
    if (term.operator === "==" && term.literal.includes("*") && !lone) {
      scanner.fail(
        `"==${term.literal}" inside a combined version does not mean the wildcard "${term.literal}" to conda`,
        `write the wildcard without "==": "${term.literal}"`,
        term.index,
      );
    }
  }
  return version;
}

// version_or := version_and (" "* "|" " "* version_and)*
function parseVersionOr(scanner: Scanner, context: VersionContext, after: string): string {
  let version = parseVersionAnd(scanner, context, after);
  while (scanner.match(/ *\|/) !== undefined) {
    scanner.skipSpaces();
    version += "|" + parseVersionAnd(scanner, context, "|");
  }
  return version;
}

// version_and := version_term (" "* "," " "* version_term)*
function parseVersionAnd(scanner: Scanner, context: VersionContext, after: string): string {
  let version = parseVersionTerm(scanner, context, after);
  while (scanner.match(/ *,/) !== undefined) {
    scanner.skipSpaces();
    version += "," + parseVersionTerm(scanner, context, ",");
  }
  return version;
}

/**
 * version_term := "(" " "* version_or " "* ")" | operator? version
 *
 * Outside brackets conda cuts any "(...)" out of the spec before it reads the version (it takes it
 * for an options section), so a group only works inside [version='...'].
 */
function parseVersionTerm(scanner: Scanner, context: VersionContext, after: string): string {
  if (scanner.peek() !== "(") return parseVersionRelation(scanner, context, after);
  if (!context.inBrackets) {
    scanner.fail(
      "conda drops a (...) group from a version written outside brackets",
      "put the version in brackets, e.g. numpy[version='(1.5|1.6),<2']",
    );
  }
  const open = scanner.pos;
  scanner.expect("(");
  scanner.skipSpaces();
  context.grouped = true;
  const inner = parseVersionOr(scanner, context, "(");
  scanner.skipSpaces();
  if (!scanner.eat(")")) {
    if (!scanner.done) failUnexpected(scanner, `the version "${inner}"`);
    scanner.fail('the "(" is never closed', 'add the missing ")"', open);
  }
  return `(${inner})`;
}

/** operator? version, checked as conda's VersionSpec checks one term. */
function parseVersionRelation(scanner: Scanner, context: VersionContext, after: string): string {
  const start = scanner.pos;
  const next = scanner.peek();
  if (next === "^") return parseRegexVersion(scanner, context);
  if (scanner.peek(3) === "===") {
    scanner.fail(
      'conda has no "===" operator (PEP 440 arbitrary equality)',
      'use "==" for an exact version',
    );
  }
  const operator = scanner.match(OPERATOR) ?? "";
  if (operator === "" && (next === "!" || next === "~")) {
    scanner.fail(
      `"${next}" is not a version operator`,
      `use "${next}=" or one of ${OPERATORS_TEXT}`,
    );
  }
  if (operator !== "" && OPERATOR_START.test(scanner.peek())) {
    scanner.fail(
      `"${operator}${scanner.peek()}" is not a version operator`,
      `use one of ${OPERATORS_TEXT}`,
      start,
    );
  }
  // Outside brackets conda removes all spaces from the version, so ">= 1.8" is ">=1.8"; inside
  // brackets VersionSpec refuses a space after an operator.
  if (operator !== "" && !context.inBrackets) scanner.skipSpaces();
  const literalStart = scanner.pos;
  const literal = scanner.match(VERSION_CHARACTERS);
  if (literal === undefined) {
    if (operator !== "" && context.inBrackets && scanner.peek() === " ") {
      scanner.fail(
        `inside brackets conda allows no space after "${operator}"`,
        `write "${operator}${scanner.rest.trimStart().split(/[ ,|)]/)[0] ?? ""}"`,
      );
    }
    if (operator !== "") {
      scanner.fail(
        `"${operator}" must be followed by a version${describeAt(scanner)}`,
        `write e.g. "${operator}1.0"`,
      );
    }
    if (scanner.done || /[ [,|)]/.test(scanner.peek())) {
      scanner.fail(
        `expected a version${after === "" ? "" : ` after "${after}"`}${describeAt(scanner)}`,
      );
    }
    failCharacter(scanner, scanner.peek(), "a version", scanner.pos);
  }
  checkVersionLiteral(scanner, operator, literal, literalStart);
  context.terms.push({ operator, literal, index: start });
  return operator + literal;
}

/**
 * regex_version := "^" regex_character* "$"
 *
 * conda reads a version term from "^" to "$" as a regular expression (CEP 29: string matching).
 * Accepted are the plain building blocks (literals, ".", "*", "+", "?", "|", "\\.", "{m,n}",
 * groups); lookaround and backreferences, which CEP 29 says should not be allowed, are refused, and
 * so are "[...]" classes, which conda's own bracket parsing would cut apart. Outside brackets conda
 * cuts "(...)" out of the spec before reading the version, so groups work only inside brackets.
 */
function parseRegexVersion(scanner: Scanner, context: VersionContext): string {
  const start = scanner.pos;
  const end = scanner.input.indexOf("$", start);
  if (end === -1) {
    scanner.fail(
      'a regular-expression version starts with "^" and must end with "$"',
      'add the "$", or write the version without "^"',
    );
  }
  const body = scanner.input.slice(start + 1, end);
  const advanced = /\(\?|\\[1-9k]/.exec(body);
  if (advanced !== null) {
    scanner.fail(
      "lookaround and backreferences are not allowed in a regular-expression version (CEP 29)",
      "match the version with plain alternatives and wildcards",
      start + 1 + advanced.index,
    );
  }
  const allowed = context.inBrackets ? /[A-Za-z0-9_.*+?|\\(){},!-]/ : /[A-Za-z0-9_.*+?|\\{},!-]/;
  for (let offset = 0; offset < body.length; offset += 1) {
    const character = body[offset] ?? "";
    if (allowed.test(character)) continue;
    const at = start + 1 + offset;
    if (character === "[" || character === "]") {
      scanner.fail(
        `"${character}" cannot be used in a regular-expression version: conda would take it for the [...] section`,
        "spell the alternatives out with \"|\", e.g. ^1\\.(5|6|7)\\.1$ inside [version='...']",
        at,
      );
    }
    if ((character === "(" || character === ")") && !context.inBrackets) {
      scanner.fail(
        "outside brackets conda cuts a (...) group out of the spec before it reads the version",
        "put the regular expression in brackets, e.g. numpy[version='^1\\.(7|8)\\..*$']",
        at,
      );
    }
    failCharacter(scanner, character, "a regular-expression version", at);
  }
  try {
    new RegExp(body);
  } catch {
    scanner.fail(
      `"^${body}$" is not a well-formed regular expression`,
      'check that every "(" is closed and that "*", "+" and "?" follow something',
      start,
    );
  }
  scanner.pos = end + 1;
  context.terms.push({ operator: "", literal: scanner.input.slice(start, end + 1), index: start });
  return scanner.input.slice(start, end + 1);
}

/** The operator-specific rules of conda's VersionSpec for one term, then VersionOrder's rules. */
function checkVersionLiteral(
  scanner: Scanner,
  operator: string,
  literal: string,
  index: number,
): void {
  if (operator === "~=") {
    if (literal.includes("*")) {
      scanner.fail(
        '"~=" cannot be combined with a "*" wildcard',
        `write "~=${literal.replace(/\.?\*.*$/, "")}"`,
        index,
      );
    }
    // ~=1.4 means >=1.4 and 1.*; conda computes the "1" by dropping the last "."-component.
    if (!literal.includes(".")) {
      scanner.fail(
        `"~=${literal}" needs at least two version components`,
        `write e.g. "~=${literal}.0"`,
        index,
      );
    }
  }
  let checked = literal;
  if (operator !== "" && literal.endsWith(".*")) {
    // conda strips ".*" after "=", ">=", "!=" (and a lone "=="); after "<", "<=" and ">" it drops
    // it with a deprecation warning, so the wildcard the entry seems to ask for is not applied.
    if (operator === "<" || operator === "<=" || operator === ">") {
      scanner.fail(
        `conda ignores ".*" after "${operator}" (deprecated), so it is not a wildcard here`,
        `write "${operator}${literal.slice(0, -2)}"`,
        index + literal.length - 2,
      );
    }
    checked = literal.slice(0, -2);
  }
  checkVersionOrder(scanner, checked, index);
}

/**
 * conda's VersionOrder: an optional integer epoch before "!", the version, an optional local version
 * after "+", each made of components separated by "." or "_" that may not be empty (one trailing
 * "_" is allowed, conda's openssl convention). "*" counts as an ordinary character here.
 */
function checkVersionOrder(scanner: Scanner, version: string, index: number): void {
  if (version.length > MAX_FIELD_LENGTH) {
    scanner.fail(
      `the version "${version}" is ${version.length} characters long; conda allows at most ${MAX_FIELD_LENGTH} (CEP 26)`,
      "check the version; no conda package has a longer one",
      index + MAX_FIELD_LENGTH,
    );
  }
  const bang = version.indexOf("!");
  if (bang !== version.lastIndexOf("!")) {
    scanner.fail(
      `"${version}" has more than one "!" (epoch separator)`,
      undefined,
      index + version.lastIndexOf("!"),
    );
  }
  if (bang !== -1 && !/^\d+$/.test(version.slice(0, bang))) {
    scanner.fail(
      `the epoch before "!" in "${version}" must be a whole number`,
      'write e.g. "1!2.0"',
      index,
    );
  }
  const offset = bang + 1;
  const rest = version.slice(offset);
  const plus = rest.indexOf("+");
  if (plus !== rest.lastIndexOf("+")) {
    scanner.fail(
      `"${version}" has more than one "+" (local version separator)`,
      undefined,
      index + offset + rest.lastIndexOf("+"),
    );
  }
  const upstream = plus === -1 ? rest : rest.slice(0, plus);
  if (upstream === "") {
    scanner.fail(
      `"${version}" has no version before "${plus === -1 ? "!" : "+"}"`,
      'write e.g. "1.2+local"',
      index + offset,
    );
  }
  checkComponents(
    scanner,
    upstream.endsWith("_") ? upstream.slice(0, -1) : upstream,
    version,
    index + offset,
  );
  if (plus === -1) return;
  const local = rest.slice(plus + 1);
  if (local === "") {
    scanner.fail(
      `"${version}" has nothing after "+"`,
      'write a local version after the "+" or remove it',
      index + offset + plus,
    );
  }
  checkComponents(scanner, local, version, index + offset + plus + 1);
}

function checkComponents(scanner: Scanner, part: string, version: string, index: number): void {
  const empty = part === "" ? { index: 0 } : /^[._]|[._](?=[._])|[._]$/.exec(part);
  if (empty === null) return;
  scanner.fail(
    `"${version}" has an empty version component (a leading, trailing or doubled "." or "_")`,
    'separate version components with a single "." or "_"',
    index + empty.index,
  );
}

/** (" "* "=" | " "+) build, after a version; returns undefined (cursor unmoved) when none follows. */
function parseBuildPart(scanner: Scanner, version: string): string | undefined {
  const start = scanner.pos;
  const gap = scanner.match(/ +/) !== undefined;
  if (scanner.eat("=")) return parseBuild(scanner, version);
  if (gap && !scanner.done && scanner.peek() !== "[" && !startsLegacyOptions(scanner)) {
    // A space ends the version, so a second constraint after it would be taken for the build.
    if (OPERATOR_START.test(scanner.peek())) {
      const constraint = /^\S+/.exec(scanner.rest)?.[0] ?? "";
      scanner.fail(
        `a space ends the version, so "${constraint}" would be the build string`,
        `join version constraints with "," (and) or "|" (or): "${version},${constraint}"`,
      );
    }
    return parseBuild(scanner, version);
  }
  scanner.pos = start;
  return undefined;
}

// build := [A-Za-z0-9_.+*]+  ("*" globs, as in py37* or *_cuda*)
function parseBuild(scanner: Scanner, version: string): string {
  const start = scanner.pos;
  const build = scanner.match(/[A-Za-z0-9_.+*]+/);
  if (build !== undefined) {
    checkBuildLength(scanner, build, start);
    return build;
  }
  if (scanner.done) {
    scanner.fail(
      'a build string must follow the "="',
      `write e.g. "=${version}=py37_0" or remove the "="`,
    );
  }
  failCharacter(scanner, scanner.peek(), "a build string", scanner.pos);
}

/** CEP 26: a build string has at most 64 characters ("*" globs count like any other). */
function checkBuildLength(scanner: Scanner, build: string, index: number): void {
  if (build.length <= MAX_FIELD_LENGTH) return;
  scanner.fail(
    `the build string is ${build.length} characters long; conda allows at most ${MAX_FIELD_LENGTH} (CEP 26)`,
    'check the build string, or match it with a shorter glob such as "*cuda*"',
    index + MAX_FIELD_LENGTH,
  );
}

/**
 * brackets := "[" " "* pair (separator pair)* " "* "]"
 *
 * conda finds pairs with a regular expression and silently skips what it cannot read, so
 * "numpy[version>=1.8]" or an unquoted "version=>=1.8,<2" lose constraints; here every character
 * inside the brackets must belong to a pair or a separator.
 */
function parseBrackets(scanner: Scanner): Record<string, string> {
  const open = scanner.pos;
  scanner.expect("[");
  if (!scanner.input.includes("]", open)) {
    scanner.fail('the "[" is never closed', 'add "]" after the last key=value pair', open);
  }
  scanner.skipSpaces();
  if (scanner.peek() === "]") {
    scanner.fail(
      "the [...] section is empty",
      'remove the "[]" or put key=value pairs in it',
      open,
    );
  }
  const pairs: Record<string, string> = {};
  for (;;) {
    const key = parseBracketPair(scanner, pairs);
    const separatorStart = scanner.pos;
    const separator = scanner.match(/ *, *| +/);
    if (separator !== undefined && !scanner.done && !/[A-Za-z_\]]/.test(scanner.peek())) {
      failUnquotedList(scanner, key, scanner.input.slice(0, separatorStart));
    }
    if (scanner.eat("]")) {
      if (separator?.includes(",") === true) {
        scanner.fail(
          'a "," ends the [...] section without a pair after it',
          'remove the trailing ","',
          separatorStart,
        );
      }
      return pairs;
    }
    if (separator === undefined) {
      if (scanner.done)
        scanner.fail('the "[" is never closed', 'add "]" after the last key=value pair', open);
      scanner.fail(
        `expected "," or "]" after the value of "${key}"${describeAt(scanner)}`,
        `quote a value that holds spaces or ",", e.g. ${key}='...'`,
      );
    }
  }
}

/**
 * After a value and a separator comes something that is no key: the value was meant to go on, as
 * in "version=>=1.8,<2". conda ends a bare value at "," or a space and skips the rest unread.
 */
function failUnquotedList(scanner: Scanner, key: string, before: string): never {
  const value = before.slice(before.indexOf("=", before.lastIndexOf(key)) + 1);
  const rest = /^[^\]]*/.exec(scanner.rest)?.[0].trimEnd() ?? "";
  scanner.fail(
    `"${rest}" is not a key=value pair; conda would silently skip it`,
    /['"]$/.test(value)
      ? "remove it, or move it into the quoted value before it"
      : `quote a value that holds "," or spaces: ${key}='${value},${rest}'`,
  );
}

// pair := key "=" ("'" value "'" | '"' value '"' | bare_value)
function parseBracketPair(scanner: Scanner, pairs: Record<string, string>): string {
  const keyStart = scanner.pos;
  const key = scanner.match(/[A-Za-z_][A-Za-z0-9_-]*/);
  if (key === undefined) {
    scanner.fail(
      `expected a key=value pair${describeAt(scanner)}`,
      "quote a value that holds spaces or \",\", e.g. version='>=1.8,<2'",
    );
  }
  checkBracketKey(scanner, key, keyStart, pairs);
  if (!scanner.eat("=")) {
    const written = /^[^,\]]*/.exec(scanner.rest)?.[0].trim() ?? "";
    scanner.fail(
      `expected "=" after "${key}"${describeAt(scanner)}; conda would silently skip this pair`,
      OPERATOR_START.test(scanner.peek()) ? `write ${key}='${written}'` : `write ${key}=<value>`,
    );
  }
  const { text, index } = parseBracketValue(scanner, key);
  checkBracketValue(scanner, key, text, index);
  pairs[key] = text;
  return key;
}

function checkBracketKey(
  scanner: Scanner,
  key: string,
  index: number,
  pairs: Record<string, string>,
): void {
  if (key === "name") {
    scanner.fail(
      'conda ignores "name" inside brackets and uses the name before them',
      'write the package name before the "[" and remove name=...',
      index,
    );
  }
  if (!BRACKET_KEYS.includes(key)) {
    scanner.fail(
      `conda cannot match on "${key}" inside brackets`,
      key === "build_string" ? 'write "build=..."' : `use one of ${BRACKET_KEYS.join(", ")}`,
      index,
    );
  }
  if (key in pairs) {
    scanner.fail(`"${key}" is given twice in the brackets`, "keep one of the two", index);
  }
}

/** A value, quoted or bare; returns its text without quotes and where that text starts. */
function parseBracketValue(scanner: Scanner, key: string): { text: string; index: number } {
  const quote = scanner.peek();
  if (quote === "'" || quote === '"') {
    const open = scanner.pos;
    scanner.pos += 1;
    const text = scanner.match(/[^'"]*/) ?? "";
    if (scanner.done) {
      scanner.fail(
        `the ${quote} that opens the value of "${key}" is never closed`,
        `add the closing ${quote}`,
        open,
      );
    }
    if (!scanner.eat(quote)) {
      failCharacter(scanner, scanner.peek(), `the value of "${key}"`, scanner.pos);
    }
    if (text === "")
      scanner.fail(`"${key}" has an empty value`, `give ${key} a value or remove it`, open);
    return { text, index: open + 1 };
  }
  const index = scanner.pos;
  // A bare value runs to the next space, "," or "]", as in conda.
  const text = scanner.match(/[^ ,\]'"[]+/);
  if (text === undefined) {
    if (/['"]/.test(scanner.peek()) || scanner.peek() === "[") {
      failCharacter(scanner, scanner.peek(), `the value of "${key}"`, scanner.pos);
    }
    scanner.fail(`"${key}" has no value after "="`, `give ${key} a value or remove it`, index);
  }
  if (/['"]/.test(scanner.peek()))
    failCharacter(scanner, scanner.peek(), `the value of "${key}"`, scanner.pos);
  return { text, index };
}

/**
 * Each key's value in conda's terms: versions are VersionSpecs, build_number a BuildNumberMatch,
 * channel a Channel, the rest plain strings or globs.
 */
function checkBracketValue(scanner: Scanner, key: string, text: string, index: number): void {
  switch (key) {
    case "version":
      parseBracketVersion(scanner, text, index);
      return;
    case "build":
      checkCharacters(scanner, text, index, BUILD_CHARACTER, "a build string");
      checkBuildLength(scanner, text, index);
      return;
    case "build_number":
      if (/^(?:\*|(?:==|!=|<=|>=|=|<|>)?\d+)$/.test(text)) return;
      return scanner.fail(
        `build_number "${text}" is not a whole number, optionally after ==, !=, <, <=, >, >= or =`,
        "write e.g. build_number=3 or build_number='>=3'",
        index,
      );
    case "channel":
      parseChannel(scanner, text, index);
      return;
    case "subdir":
      if (KNOWN_SUBDIRS.has(text)) return;
      return scanner.fail(
        `"${text}" is not a platform subdir conda knows, so it would match no package`,
        "use e.g. linux-64, linux-aarch64, osx-arm64, win-64 or noarch",
        index,
      );
    case "md5":
    case "sha256": {
      // conda compares the text exactly, so anything but a full hex digest matches nothing.
      const digits = key === "md5" ? 32 : 64;
      if (new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(text)) return;
      return scanner.fail(
        `${key} must be ${digits} hexadecimal digits, but "${text}" is not`,
        `copy the full ${key} from the channel's repodata`,
        index,
      );
    }
    case "url":
      checkCharacters(scanner, text, index, /[A-Za-z0-9_.~:/%@+=-]/, "a URL");
      return;
    case "fn":
      checkCharacters(scanner, text, index, /[A-Za-z0-9_.+-]/, "a file name");
      return;
    case "features":
    case "track_features":
      checkCharacters(scanner, text, index, /[A-Za-z0-9_. ,-]/, "a feature list");
      return;
    default:
      // license and license_family: case-insensitive globs over SPDX-like text.
      checkCharacters(scanner, text, index, /[A-Za-z0-9 _.+*-]/, `a ${key} value`);
  }
}

/**
 * [version=...]: conda's VersionSpec reads it as is (after its own "==" sanitizing), so spaces are
 * allowed only around "," "|" "(" ")" and "(...)" groups work. The value is parsed in place: a
 * scanner over the entry cut at the value's end, so error indexes point into the entry.
 */
function parseBracketVersion(scanner: Scanner, text: string, index: number): string {
  const value = new Scanner(scanner.input.slice(0, index + text.length));
  value.pos = index;
  value.skipSpaces();
  const version = parseVersionExpression(value, true);
  value.skipSpaces();
  if (value.done) return version;
  if (value.peek() === ")") {
    value.fail('this ")" closes no "("', 'remove it or add the matching "("');
  }
  if (value.input[value.pos - 1] === " " && /[A-Za-z0-9*=<>!~]/.test(value.peek())) {
    value.fail(
      `unexpected "${value.rest}" in the version: inside brackets version constraints are joined with "," or "|"`,
      `write e.g. version='${version},${value.rest}'`,
    );
  }
  return failUnexpected(value, `the version "${version}"`);
}

/** Checks that every character of a value is `allowed`, naming the first that is not. */
function checkCharacters(
  scanner: Scanner,
  text: string,
  index: number,
  allowed: RegExp,
  what: string,
): void {
  for (let offset = 0; offset < text.length; offset += 1) {
    const character = text[offset] ?? "";
    if (!allowed.test(character)) failCharacter(scanner, character, what, index + offset);
  }
}

/** Reports the character at the cursor, which cannot follow `where` (e.g. `the version "1.8"`). */
function failUnexpected(scanner: Scanner, where: string): never {
  const next = scanner.peek();
  if (scanner.input[scanner.pos - 1] === " " && /[A-Za-z0-9_*]/.test(next)) {
    scanner.fail(
      `unexpected "${/^\S+/.exec(scanner.rest)?.[0] ?? next}" after ${where}: a spec has at most three space-separated parts, name, version and build`,
      "put further constraints in brackets, e.g. numpy 1.8* py27_0[build_number=2]",
    );
  }
  if (next === "-" && where.startsWith("the version")) {
    scanner.fail(
      `"-" cannot appear in a conda version`,
      'conda versions separate components with "." or "_"',
    );
  }
  if (next === "(" || next === ")") {
    scanner.fail(
      `"${next}" cannot follow ${where}`,
      "group versions inside brackets, e.g. numpy[version='(1.5|1.6),<2']; conda's legacy (optional) section goes last",
    );
  }
  failCharacter(scanner, next, where, scanner.pos, "cannot follow");
}

/** Reports `character` at `index` as not allowed in (or after) `what`. */
function failCharacter(
  scanner: Scanner,
  character: string,
  what: string,
  index: number,
  relation = "is not allowed in",
): never {
  if (character === "'" || character === '"') {
    scanner.fail(
      `a quote ${relation} ${what}: quotes only go around a whole value inside [...]`,
      "remove the quote; the entry reaches conda as one argument without shell quoting",
      index,
    );
  }
  if (character === "|") {
    scanner.fail(
      `"|" ${relation} ${what}: it only separates alternative versions`,
      "remove it",
      index,
    );
  }
  if (character === " ") {
    scanner.fail(
      `a space ${relation} ${what}`,
      "quote a bracket value that holds spaces, e.g. license='Apache 2.0'",
      index,
    );
  }
  scanner.fail(
    `"${character}" ${relation} ${what}`,
    SHELL_METACHARACTER.test(character) ? SHELL_HINT : undefined,
    index,
  );
}

/** A phrase naming what stands at the cursor, for messages. */
function describeAt(scanner: Scanner): string {
  return scanner.done ? " at the end of the entry" : ` at "${scanner.rest.slice(0, 20)}"`;
}
