/**
 * The package arguments of `apt-get install`: `name[:arch][=version | /release]`, with package names
 * per Debian policy §5.6.1, versions per §5.6.12, and dpkg's version ordering.
 *
 * apt splits an argument at its last "=" or "/" (apt-pkg/cacheset.cc, VersionContainerInterface::FromString),
 * so an entry selects either a version or a release, never both, and the ":arch" qualifier belongs to
 * the name part: `libc6:i386=2.36-9` and `libc6:i386/bookworm` work, `libc6=2.36-9:i386` does not.
 *
 * apt-get also reads a trailing "-" as "remove" and a trailing "+" as "install", after first trying
 * the whole argument as a package name (test/integration/test-bug-593360-modifiers-in-names). A
 * trailing "+" is kept as part of the name, because real names end in it (g++) and at worst it
 * installs the package named before it. A trailing "-" is refused although policy allows it in a
 * name: no package of the archive ends in "-" (none of bookworm's 63,697), so apt-get would remove
 * the package before it, or silently do nothing when that is not installed, instead of installing.
 */
import { CONTROL_CHARACTER, type ParseResult, parseWith, type Scanner } from "./scanner.js";

export interface DebianVersion {
  epoch?: number;
  upstream: string;
  revision?: string;
}

export interface AptPackage {
  name: string;
  arch?: string;
  version?: string;
  release?: string;
}

/** dpkg keeps the epoch in an int and refuses anything larger ("epoch in version is too big"). */
const MAX_EPOCH = 2_147_483_647;

/**
 * Characters with which apt-get stops looking for one package and matches many instead: regular
 * expressions and fnmatch globs (cacheset.cc), `?pattern` / `~pattern` search terms and `task^`.
 */
const PATTERN_CHARACTER = /[*?[\]^$|!~()]/;

/** Release architectures, only to recognise `pkg=1.0:amd64` as an architecture written in the wrong place. */
const KNOWN_ARCHITECTURES = new Set([
  "all",
  "any",
  "native",
  "amd64",
  "arm64",
  "armel",
  "armhf",
  "i386",
  "loong64",
  "mips64el",
  "mipsel",
  "ppc64el",
  "riscv64",
  "s390x",
]);

/** Whitespace and control characters, either of which could split or disguise a shell argument. */
const INVISIBLE_CHARACTER = new RegExp(`${CONTROL_CHARACTER.source}|\\s`);

const VERSION_HINT =
  'a Debian version holds only letters, digits and ". + ~", plus "-" before the Debian revision and ":" after the epoch';

/**
 * Parses one package argument of `apt-get install`: `name`, `name:arch`, optionally followed by
 * `=version` (an exact Debian version, or a prefix ending in `*`) or `/release` (an archive or codename).
 */
export function parseAptPackage(input: string): ParseResult<AptPackage> {
  return parseWith(input, (scanner) => {
    wholeEntry(scanner);
    const entry: AptPackage = { name: packageName(scanner) };
    if (scanner.eat(":")) entry.arch = architecture(scanner);
    if (scanner.eat("=")) entry.version = versionSelector(scanner);
    else if (scanner.eat("/")) entry.release = releaseSelector(scanner);
    return entry;
  });
}

/**
 * Parses a Debian version, `[epoch:]upstream_version[-debian_revision]`, as strictly as dpkg does for
 * a package it is asked to build or install: its warnings (no leading digit, stray characters) are errors here.
 */
export function parseDebianVersion(input: string): ParseResult<DebianVersion> {
  return parseWith(input, (scanner) => {
    if (input === "") scanner.fail("the version is empty", "write a version such as 1.0-1");
    noInvisibleCharacters(scanner, "a version");
    return debianVersion(scanner, input.length, false);
  });
}

/**
 * dpkg's version ordering: -1 if `a` sorts before `b`, 0 if they are equal, 1 if after. Epochs compare
 * numerically, then the upstream versions and the revisions with dpkg's rules: "~" before everything
 * (even the end), then the end, then letters, then other characters; digit runs compare as numbers.
 * Like Dpkg::Version it splits without validating, so it is total; check inputs with parseDebianVersion.
 */
export function compareDebianVersions(a: string, b: string): number {
  const left = splitVersion(a);
  const right = splitVersion(b);
  const order =
    compareDigitRuns(left.epoch, right.epoch) ||
    compareVersionParts(left.upstream, right.upstream) ||
    compareVersionParts(left.revision, right.revision);
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}

// --- apt-get entries ---------------------------------------------------------------------------

/** Problems that concern the entry as one shell argument rather than any part of it. */
function wholeEntry(scanner: Scanner): void {
  const input = scanner.input;
  if (input === "") scanner.fail("the package entry is empty", "write a package name such as curl");
  // A leading "-" turns the entry into an apt-get option, and `-o DPkg::Pre-Invoke::=cmd` runs a command.
  if (input.startsWith("-")) {
    scanner.fail(
      'the entry starts with "-", so apt-get would read it as a command-line option instead of a package',
      'remove the leading "-"; options cannot be passed through the package list',
      0,
    );
  }
  noInvisibleCharacters(scanner, "a package entry");
  // apt-get strips a trailing "-" from any argument of `install` and removes that package instead.
  if (input.endsWith("-")) {
    scanner.fail(
      'the entry ends with "-", which apt-get install reads as "remove this package"',
      `write "${input.replace(/-+$/, "")}" to install it; removing packages is not done through this list`,
      input.length - 1,
    );
  }
}

/** Control characters and whitespace would split the entry into several shell arguments, or hide in it. */
function noInvisibleCharacters(scanner: Scanner, what: string): void {
  const index = scanner.input.search(INVISIBLE_CHARACTER);
  if (index < 0) return;
  const char = scanner.input.charAt(index);
  // A tab reads as a space to whoever typed it; other control characters are invisible or break lines.
  if (char === "\t" || !CONTROL_CHARACTER.test(char)) {
    scanner.fail(
      `${what} cannot contain whitespace`,
      "put each package in its own list item, and write versions without spaces (name=1.0-1)",
      index,
    );
  }
  const code = char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  scanner.fail(
    `${what} cannot contain a control character or line break (U+${code})`,
    "remove it; put each package in its own list item",
    index,
  );
}

/** Debian policy §5.6.1: lowercase letters, digits, "+", "-" and "."; at least two; alphanumeric first. */
function packageName(scanner: Scanner): string {
  const start = scanner.pos;
  // Uppercase is consumed here only so that it gets its own message below.
  const name = scanner.match(/[A-Za-z0-9][A-Za-z0-9+.-]*/);
  if (name === undefined) return badNameStart(scanner);
  const upper = name.search(/[A-Z]/);
  if (upper >= 0) {
    scanner.fail(
      `package names are lowercase, but "${name}" contains "${name.charAt(upper)}"`,
      `write "${name.toLowerCase()}"`,
      start + upper,
    );
  }
  rejectStray(scanner, "a package name", ":=/");
  if (name.length < 2) {
    scanner.fail(
      `"${name}" is too short: Debian package names have at least two characters`,
      undefined,
      start,
    );
  }
  return name;
}

function badNameStart(scanner: Scanner): never {
  const char = scanner.peek();
  explainCommonMistake(scanner, "a package name");
  // apt-get also installs local files (./foo.deb), but this list only names packages from the archive.
  if (/^\.{1,2}\//.test(scanner.input) || scanner.input.endsWith(".deb")) {
    scanner.fail(
      "local .deb files are not accepted here, only package names",
      "list the name of the package instead of its file",
    );
  }
  if (char === ":" || char === "=" || char === "/") {
    scanner.fail(`the package name is missing before "${char}"`, "start the entry with a name");
  }
  scanner.fail(`a package name must start with a lowercase letter or digit, not ${quote(char)}`);
}

/**
 * Fails on the character that ended a name-like token unless it is one of `follow` (or the end).
 */
function rejectStray(scanner: Scanner, where: string, follow: string): void {
  if (scanner.done || follow.includes(scanner.peek())) return;
  explainCommonMistake(scanner, where);
  scanner.fail(`${quote(scanner.peek())} is not allowed in ${where}`);
}

/** Fails with a tailored message when the character at the cursor is one people type here by mistake. */
function explainCommonMistake(scanner: Scanner, where: string): void {
  const char = scanner.peek();
  if (PATTERN_CHARACTER.test(char)) {
    scanner.fail(
      `${quote(char)} in ${where} makes apt-get treat the entry as a pattern that can match many packages`,
      "list each package by its exact name",
    );
  }
  if (char === "_") {
    scanner.fail(
      `"_" is not allowed in ${where}`,
      'Debian names use "-"; in a .deb file name "_" separates name, version and architecture',
    );
  }
}

/** dpkg's architecture names: an alphanumeric, then alphanumerics and "-" (lib/dpkg/arch.c). */
function architecture(scanner: Scanner): string {
  const start = scanner.pos;
  const arch = scanner.match(/[A-Za-z0-9][A-Za-z0-9-]*/);
  if (arch === undefined) {
    if (scanner.done || "=/".includes(scanner.peek())) {
      scanner.fail(
        'the architecture after ":" is empty',
        'write one such as amd64, or drop the ":"',
      );
    }
    explainCommonMistake(scanner, "an architecture");
    scanner.fail(`an architecture must start with a letter or digit, not ${quote(scanner.peek())}`);
  }
  const upper = arch.search(/[A-Z]/);
  if (upper >= 0) {
    scanner.fail(
      `architecture names are lowercase, but "${arch}" contains "${arch.charAt(upper)}"`,
      `write "${arch.toLowerCase()}"`,
      start + upper,
    );
  }
  if (scanner.peek() === ":") {
    scanner.fail("an entry names at most one architecture", 'keep a single ":arch" after the name');
  }
  rejectStray(scanner, "an architecture", "=/");
  return arch;
}

/**
 * `=version`: an exact Debian version, or a prefix ending in "*". apt also runs fnmatch and
 * `/regex/` over versions (apt-pkg/versionmatch.cc), but only the trailing "*" that apt_preferences
 * documents (`5.20*`) is accepted, so what reaches the shell stays a plain version or a prefix.
 */
function versionSelector(scanner: Scanner): string {
  const start = scanner.pos;
  const text = scanner.rest;
  if (text === "") {
    scanner.fail('the version after "=" is empty', 'write one such as 1.0-1, or drop the "="');
  }
  const clash = text.search(/[/=]/);
  if (clash >= 0) {
    scanner.fail(
      'apt-get takes either "=version" or "/release" after a package, not both',
      "keep only one of them",
      start + clash,
    );
  }
  const misplacedArch = /:([a-z0-9-]+)$/.exec(text);
  if (misplacedArch?.[1] !== undefined && KNOWN_ARCHITECTURES.has(misplacedArch[1])) {
    const version = text.slice(0, misplacedArch.index);
    if (!/^[0-9]+$/.test(version)) {
      const name = scanner.input.slice(0, start - 1);
      scanner.fail(
        `":${misplacedArch[1]}" looks like an architecture, which goes before the version`,
        `write "${name}:${misplacedArch[1]}=${version}"`,
        start + misplacedArch.index,
      );
    }
  }
  const wildcard = text.search(/[*?[\]]/);
  const prefixOnly = wildcard === text.length - 1 && text.endsWith("*");
  if (wildcard >= 0 && !prefixOnly) {
    scanner.fail(
      `apt-get would treat ${quote(text.charAt(wildcard))} in a version as a wildcard`,
      'spell the version out, or end it with a single "*" to select by prefix (for example 1.2.*)',
      start + wildcard,
    );
  }
  if (text === "*") {
    scanner.fail(
      '"=*" selects any version',
      'drop "=*" to get the candidate version, or give a prefix such as 1.2.*',
    );
  }
  const end = prefixOnly ? scanner.input.length - 1 : scanner.input.length;
  debianVersion(scanner, end, prefixOnly);
  if (prefixOnly) scanner.expect("*");
  return text;
}

/** `/release`: an archive or codename (bookworm-backports, unstable) or a release number (12). */
function releaseSelector(scanner: Scanner): string {
  const release = scanner.match(/[A-Za-z0-9][A-Za-z0-9.+~_-]*/);
  if (release === undefined) {
    if (scanner.done) {
      scanner.fail('the release after "/" is empty', "name one such as bookworm-backports");
    }
    explainCommonMistake(scanner, "a release name");
    scanner.fail(`a release name must start with a letter or digit, not ${quote(scanner.peek())}`);
  }
  const next = scanner.peek();
  if (next === "=") {
    scanner.fail(
      'apt-get takes either "=version" or "/release" after a package, not both',
      "keep only one of them",
    );
  }
  if (next === "/") scanner.fail('an entry names at most one "/release"');
  if (next === ":") {
    const name = scanner.input.slice(0, scanner.pos - release.length - 1);
    scanner.fail(
      "the architecture goes before the release",
      `write "${name}${scanner.rest}/${release}"`,
    );
  }
  rejectStray(scanner, "a release name", "");
  return release;
}

// --- Debian versions ---------------------------------------------------------------------------

/**
 * `[epoch:]upstream_version[-debian_revision]` between the cursor and `end`. With `prefixOnly` the
 * text is the start of a version (before apt's "*"), so it may stop after the epoch or a "-".
 *
 * A version that does not start with a digit is rejected: dpkg only warns about it when reading its
 * own database, but refuses it in a package it builds or installs, so no well-formed archive has one.
 */
function debianVersion(scanner: Scanner, end: number, prefixOnly: boolean): DebianVersion {
  const epoch = epochPart(scanner, end, prefixOnly);
  // dpkg splits the revision off at the last hyphen, so the upstream part may contain hyphens itself.
  const hyphen = scanner.input.lastIndexOf("-", end - 1);
  const upstreamEnd = hyphen >= scanner.pos ? hyphen : end;
  const version: DebianVersion = {
    upstream: upstreamPart(scanner, upstreamEnd, prefixOnly && upstreamEnd === end),
  };
  if (epoch !== undefined) version.epoch = epoch;
  if (upstreamEnd < end) {
    scanner.expect("-");
    version.revision = revisionPart(scanner, end, prefixOnly);
  }
  return version;
}

/** dpkg takes everything before the first ":" as the epoch, so a colon anywhere demands one. */
function epochPart(scanner: Scanner, end: number, prefixOnly: boolean): number | undefined {
  const colon = scanner.input.indexOf(":", scanner.pos);
  if (colon < 0 || colon >= end) return undefined;
  const start = scanner.pos;
  // "=:1.0": dpkg refuses an empty epoch ("epoch in version is empty").
  if (start === colon) {
    scanner.fail(
      'the epoch before ":" is empty',
      'write a number before the ":", or remove the ":"',
    );
  }
  scanner.match(/[0-9]+/);
  if (scanner.pos !== colon) {
    if (scanner.input.charAt(start) === "-") {
      scanner.fail(
        "the epoch cannot be negative",
        "epochs are unsigned integers such as 1 or 2",
        start,
      );
    }
    scanner.fail(
      `everything before the first ":" is the epoch, which must be an unsigned integer, not "${scanner.input.slice(start, colon)}"`,
      'a Debian version has a ":" only after its epoch, as in 2:9.0.1378-2',
    );
  }
  const digits = scanner.input.slice(start, colon);
  if (Number(digits) > MAX_EPOCH) {
    scanner.fail(
      `the epoch ${digits} is too big for dpkg`,
      "epochs are small integers such as 1 or 2",
      start,
    );
  }
  scanner.expect(":");
  if (scanner.pos === end && !prefixOnly) {
    scanner.fail('nothing follows the epoch\'s ":"', "add the upstream version, as in 1:2.0");
  }
  return Number(digits);
}

function upstreamPart(scanner: Scanner, end: number, mayBeEmpty: boolean): string {
  const start = scanner.pos;
  if (start === end) {
    if (mayBeEmpty) return "";
    scanner.fail(
      "the upstream version is empty",
      'write it before the Debian revision, as in 1.0-1; a version cannot start with "-"',
    );
  }
  if (!/[0-9]/.test(scanner.peek())) {
    scanner.fail(
      `the upstream version must start with a digit, not ${quote(scanner.peek())}`,
      'dpkg refuses such versions in packages; if this came from a tag such as "v1.0", drop the prefix',
    );
  }
  consumeWhile(scanner, end, /[A-Za-z0-9.+~:-]/, "the upstream version", VERSION_HINT);
  return scanner.input.slice(start, end);
}

function revisionPart(scanner: Scanner, end: number, mayBeEmpty: boolean): string {
  const start = scanner.pos;
  if (start === end && !mayBeEmpty) {
    scanner.fail(
      'the Debian revision after the last "-" is empty',
      'remove the trailing "-" or add the revision, as in 1.0-1',
      start - 1,
    );
  }
  consumeWhile(scanner, end, /[A-Za-z0-9.+~]/, "the Debian revision", VERSION_HINT);
  return scanner.input.slice(start, end);
}

/** Consumes characters matching `allowed` up to `end`, failing at the first one that does not. */
function consumeWhile(
  scanner: Scanner,
  end: number,
  allowed: RegExp,
  where: string,
  hint: string,
): void {
  while (scanner.pos < end && allowed.test(scanner.peek())) scanner.pos += 1;
  if (scanner.pos < end) {
    const char = scanner.peek();
    scanner.fail(
      `${quote(char)} is not allowed in ${where}`,
      char === "_"
        ? 'Debian versions have no "_"; in a .deb file name it separates the fields'
        : hint,
    );
  }
}

// --- dpkg's ordering -------------------------------------------------------------------------

interface VersionParts {
  epoch: string;
  upstream: string;
  revision: string;
}

/** Dpkg::Version's split: an epoch only if digits precede the first ":", the revision after the last "-". */
function splitVersion(text: string): VersionParts {
  const epochMatch = /^([0-9]+):/.exec(text);
  const epoch = epochMatch?.[1] ?? "0";
  const rest = epochMatch ? text.slice(epochMatch[0].length) : text;
  const hyphen = rest.lastIndexOf("-");
  if (hyphen < 0) return { epoch, upstream: rest, revision: "" };
  return { epoch, upstream: rest.slice(0, hyphen), revision: rest.slice(hyphen + 1) };
}

/** dpkg's verrevcmp: alternate runs of non-digits (compared by weight) and digits (compared as numbers). */
function compareVersionParts(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a, i)) || (j < b.length && !isDigit(b, j))) {
      const difference = weight(a, i) - weight(b, j);
      if (difference !== 0) return difference;
      i += 1;
      j += 1;
    }
    const aStart = i;
    const bStart = j;
    while (isDigit(a, i)) i += 1;
    while (isDigit(b, j)) j += 1;
    const difference = compareDigitRuns(a.slice(aStart, i), b.slice(bStart, j));
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Weight of the character at `index` (the end and digits weigh 0): "~" < end < letters < the rest. */
function weight(text: string, index: number): number {
  if (index >= text.length || isDigit(text, index)) return 0;
  const code = text.charCodeAt(index);
  if (/[A-Za-z]/.test(text.charAt(index))) return code;
  if (text.charAt(index) === "~") return -1;
  return code + 256;
}

function isDigit(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0x30 && code <= 0x39;
}

/** Numeric order of two digit strings of any length (an empty run counts as 0), without overflow. */
function compareDigitRuns(a: string, b: string): number {
  const left = a.replace(/^0+/, "");
  const right = b.replace(/^0+/, "");
  if (left.length !== right.length) return left.length - right.length;
  return left < right ? -1 : left > right ? 1 : 0;
}

function quote(char: string): string {
  return JSON.stringify(char);
}
