#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  CONTROL_CHARACTER,
  CONTROL_CHARACTER_BUT_TAB,
  Scanner,
  parseWith
} from "./chunk-PRF7RUCG.js";

// src/grammars/apt.ts
var MAX_EPOCH = 2147483647;
var PATTERN_CHARACTER = /[*?[\]^$|!~()]/;
var KNOWN_ARCHITECTURES = /* @__PURE__ */ new Set([
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
  "s390x"
]);
var INVISIBLE_CHARACTER = new RegExp(`${CONTROL_CHARACTER.source}|\\s`);
var VERSION_HINT = 'a Debian version holds only letters, digits and ". + ~", plus "-" before the Debian revision and ":" after the epoch';
function parseAptPackage(input) {
  return parseWith(input, (scanner) => {
    wholeEntry(scanner);
    const entry = { name: packageName(scanner) };
    if (scanner.eat(":")) entry.arch = architecture(scanner);
    if (scanner.eat("=")) entry.version = versionSelector(scanner);
    else if (scanner.eat("/")) entry.release = releaseSelector(scanner);
    return entry;
  });
}
function parseDebianVersion(input) {
  return parseWith(input, (scanner) => {
    if (input === "") scanner.fail("the version is empty", "write a version such as 1.0-1");
    noInvisibleCharacters(scanner, "a version");
    return debianVersion(scanner, input.length, false);
  });
}
function compareDebianVersions(a, b) {
  const left = splitVersion(a);
  const right = splitVersion(b);
  const order = compareDigitRuns(left.epoch, right.epoch) || compareVersionParts(left.upstream, right.upstream) || compareVersionParts(left.revision, right.revision);
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}
function wholeEntry(scanner) {
  const input = scanner.input;
  if (input === "") scanner.fail("the package entry is empty", "write a package name such as curl");
  if (input.startsWith("-")) {
    scanner.fail(
      'the entry starts with "-", so apt-get would read it as a command-line option instead of a package',
      'remove the leading "-"; options cannot be passed through the package list',
      0
    );
  }
  noInvisibleCharacters(scanner, "a package entry");
  if (input.endsWith("-")) {
    scanner.fail(
      'the entry ends with "-", which apt-get install reads as "remove this package"',
      `write "${input.replace(/-+$/, "")}" to install it; removing packages is not done through this list`,
      input.length - 1
    );
  }
}
function noInvisibleCharacters(scanner, what) {
  const index = scanner.input.search(INVISIBLE_CHARACTER);
  if (index < 0) return;
  const char = scanner.input.charAt(index);
  if (char === "	" || !CONTROL_CHARACTER.test(char)) {
    scanner.fail(
      `${what} cannot contain whitespace`,
      "put each package in its own list item, and write versions without spaces (name=1.0-1)",
      index
    );
  }
  const code = char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  scanner.fail(
    `${what} cannot contain a control character or line break (U+${code})`,
    "remove it; put each package in its own list item",
    index
  );
}
function packageName(scanner) {
  const start = scanner.pos;
  const name = scanner.match(/[A-Za-z0-9][A-Za-z0-9+.-]*/);
  if (name === void 0) return badNameStart(scanner);
  const upper = name.search(/[A-Z]/);
  if (upper >= 0) {
    scanner.fail(
      `package names are lowercase, but "${name}" contains "${name.charAt(upper)}"`,
      `write "${name.toLowerCase()}"`,
      start + upper
    );
  }
  rejectStray(scanner, "a package name", ":=/");
  if (name.length < 2) {
    scanner.fail(
      `"${name}" is too short: Debian package names have at least two characters`,
      void 0,
      start
    );
  }
  return name;
}
function badNameStart(scanner) {
  const char = scanner.peek();
  explainCommonMistake(scanner, "a package name");
  if (/^\.{1,2}\//.test(scanner.input) || scanner.input.endsWith(".deb")) {
    scanner.fail(
      "local .deb files are not accepted here, only package names",
      "list the name of the package instead of its file"
    );
  }
  if (char === ":" || char === "=" || char === "/") {
    scanner.fail(`the package name is missing before "${char}"`, "start the entry with a name");
  }
  scanner.fail(`a package name must start with a lowercase letter or digit, not ${quote(char)}`);
}
function rejectStray(scanner, where, follow) {
  if (scanner.done || follow.includes(scanner.peek())) return;
  explainCommonMistake(scanner, where);
  scanner.fail(`${quote(scanner.peek())} is not allowed in ${where}`);
}
function explainCommonMistake(scanner, where) {
  const char = scanner.peek();
  if (PATTERN_CHARACTER.test(char)) {
    scanner.fail(
      `${quote(char)} in ${where} makes apt-get treat the entry as a pattern that can match many packages`,
      "list each package by its exact name"
    );
  }
  if (char === "_") {
    scanner.fail(
      `"_" is not allowed in ${where}`,
      'Debian names use "-"; in a .deb file name "_" separates name, version and architecture'
    );
  }
}
function architecture(scanner) {
  const start = scanner.pos;
  const arch = scanner.match(/[A-Za-z0-9][A-Za-z0-9-]*/);
  if (arch === void 0) {
    if (scanner.done || "=/".includes(scanner.peek())) {
      scanner.fail(
        'the architecture after ":" is empty',
        'write one such as amd64, or drop the ":"'
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
      start + upper
    );
  }
  if (scanner.peek() === ":") {
    scanner.fail("an entry names at most one architecture", 'keep a single ":arch" after the name');
  }
  rejectStray(scanner, "an architecture", "=/");
  return arch;
}
function versionSelector(scanner) {
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
      start + clash
    );
  }
  const misplacedArch = /:([a-z0-9-]+)$/.exec(text);
  if (misplacedArch?.[1] !== void 0 && KNOWN_ARCHITECTURES.has(misplacedArch[1])) {
    const version = text.slice(0, misplacedArch.index);
    if (!/^[0-9]+$/.test(version)) {
      const name = scanner.input.slice(0, start - 1);
      scanner.fail(
        `":${misplacedArch[1]}" looks like an architecture, which goes before the version`,
        `write "${name}:${misplacedArch[1]}=${version}"`,
        start + misplacedArch.index
      );
    }
  }
  const wildcard = text.search(/[*?[\]]/);
  const prefixOnly = wildcard === text.length - 1 && text.endsWith("*");
  if (wildcard >= 0 && !prefixOnly) {
    scanner.fail(
      `apt-get would treat ${quote(text.charAt(wildcard))} in a version as a wildcard`,
      'spell the version out, or end it with a single "*" to select by prefix (for example 1.2.*)',
      start + wildcard
    );
  }
  if (text === "*") {
    scanner.fail(
      '"=*" selects any version',
      'drop "=*" to get the candidate version, or give a prefix such as 1.2.*'
    );
  }
  const end = prefixOnly ? scanner.input.length - 1 : scanner.input.length;
  debianVersion(scanner, end, prefixOnly);
  if (prefixOnly) scanner.expect("*");
  return text;
}
function releaseSelector(scanner) {
  const release = scanner.match(/[A-Za-z0-9][A-Za-z0-9.+~_-]*/);
  if (release === void 0) {
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
      "keep only one of them"
    );
  }
  if (next === "/") scanner.fail('an entry names at most one "/release"');
  if (next === ":") {
    const name = scanner.input.slice(0, scanner.pos - release.length - 1);
    scanner.fail(
      "the architecture goes before the release",
      `write "${name}${scanner.rest}/${release}"`
    );
  }
  rejectStray(scanner, "a release name", "");
  return release;
}
function debianVersion(scanner, end, prefixOnly) {
  const epoch = epochPart(scanner, end, prefixOnly);
  const hyphen = scanner.input.lastIndexOf("-", end - 1);
  const upstreamEnd = hyphen >= scanner.pos ? hyphen : end;
  const version = {
    upstream: upstreamPart(scanner, upstreamEnd, prefixOnly && upstreamEnd === end)
  };
  if (epoch !== void 0) version.epoch = epoch;
  if (upstreamEnd < end) {
    scanner.expect("-");
    version.revision = revisionPart(scanner, end, prefixOnly);
  }
  return version;
}
function epochPart(scanner, end, prefixOnly) {
  const colon = scanner.input.indexOf(":", scanner.pos);
  if (colon < 0 || colon >= end) return void 0;
  const start = scanner.pos;
  if (start === colon) {
    scanner.fail(
      'the epoch before ":" is empty',
      'write a number before the ":", or remove the ":"'
    );
  }
  scanner.match(/[0-9]+/);
  if (scanner.pos !== colon) {
    if (scanner.input.charAt(start) === "-") {
      scanner.fail(
        "the epoch cannot be negative",
        "epochs are unsigned integers such as 1 or 2",
        start
      );
    }
    scanner.fail(
      `everything before the first ":" is the epoch, which must be an unsigned integer, not "${scanner.input.slice(start, colon)}"`,
      'a Debian version has a ":" only after its epoch, as in 2:9.0.1378-2'
    );
  }
  const digits = scanner.input.slice(start, colon);
  if (Number(digits) > MAX_EPOCH) {
    scanner.fail(
      `the epoch ${digits} is too big for dpkg`,
      "epochs are small integers such as 1 or 2",
      start
    );
  }
  scanner.expect(":");
  if (scanner.pos === end && !prefixOnly) {
    scanner.fail(`nothing follows the epoch's ":"`, "add the upstream version, as in 1:2.0");
  }
  return Number(digits);
}
function upstreamPart(scanner, end, mayBeEmpty) {
  const start = scanner.pos;
  if (start === end) {
    if (mayBeEmpty) return "";
    scanner.fail(
      "the upstream version is empty",
      'write it before the Debian revision, as in 1.0-1; a version cannot start with "-"'
    );
  }
  if (!/[0-9]/.test(scanner.peek())) {
    scanner.fail(
      `the upstream version must start with a digit, not ${quote(scanner.peek())}`,
      'dpkg refuses such versions in packages; if this came from a tag such as "v1.0", drop the prefix'
    );
  }
  consumeWhile(scanner, end, /[A-Za-z0-9.+~:-]/, "the upstream version", VERSION_HINT);
  return scanner.input.slice(start, end);
}
function revisionPart(scanner, end, mayBeEmpty) {
  const start = scanner.pos;
  if (start === end && !mayBeEmpty) {
    scanner.fail(
      'the Debian revision after the last "-" is empty',
      'remove the trailing "-" or add the revision, as in 1.0-1',
      start - 1
    );
  }
  consumeWhile(scanner, end, /[A-Za-z0-9.+~]/, "the Debian revision", VERSION_HINT);
  return scanner.input.slice(start, end);
}
function consumeWhile(scanner, end, allowed, where, hint) {
  while (scanner.pos < end && allowed.test(scanner.peek())) scanner.pos += 1;
  if (scanner.pos < end) {
    const char = scanner.peek();
    scanner.fail(
      `${quote(char)} is not allowed in ${where}`,
      char === "_" ? 'Debian versions have no "_"; in a .deb file name it separates the fields' : hint
    );
  }
}
function splitVersion(text) {
  const epochMatch = /^([0-9]+):/.exec(text);
  const epoch = epochMatch?.[1] ?? "0";
  const rest = epochMatch ? text.slice(epochMatch[0].length) : text;
  const hyphen = rest.lastIndexOf("-");
  if (hyphen < 0) return { epoch, upstream: rest, revision: "" };
  return { epoch, upstream: rest.slice(0, hyphen), revision: rest.slice(hyphen + 1) };
}
function compareVersionParts(a, b) {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isDigit(a, i) || j < b.length && !isDigit(b, j)) {
      const difference2 = weight(a, i) - weight(b, j);
      if (difference2 !== 0) return difference2;
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
function weight(text, index) {
  if (index >= text.length || isDigit(text, index)) return 0;
  const code = text.charCodeAt(index);
  if (/[A-Za-z]/.test(text.charAt(index))) return code;
  if (text.charAt(index) === "~") return -1;
  return code + 256;
}
function isDigit(text, index) {
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57;
}
function compareDigitRuns(a, b) {
  const left = a.replace(/^0+/, "");
  const right = b.replace(/^0+/, "");
  if (left.length !== right.length) return left.length - right.length;
  return left < right ? -1 : left > right ? 1 : 0;
}
function quote(char) {
  return JSON.stringify(char);
}

// src/grammars/conda.ts
var KNOWN_SUBDIRS = /* @__PURE__ */ new Set([
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
  "zos-z"
]);
var BRACKET_KEYS = [
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
  "features"
];
var OPERATOR = /==|!=|<=|>=|~=|=|<|>/;
var OPERATOR_START = /[=<>!~]/;
var VERSION_CHARACTERS = /[A-Za-z0-9_.+!*]+/;
var BUILD_CHARACTER = /[A-Za-z0-9_.+*]/;
var SHELL_METACHARACTER = /[;&|$`\\<>(){}'"!?^~%]/;
var SHELL_HINT = "shell metacharacters never belong in a conda package entry; remove it";
var OPERATORS_TEXT = "==, !=, <, <=, >, >=, ~= or =";
var EXAMPLE = "numpy, numpy=1.17, numpy>=1.10,<2 or conda-forge::numpy==1.17*";
function parseCondaSpec(input) {
  return parseWith(input, parseEntry);
}
function parseEntry(scanner) {
  rejectForbiddenCharacters(scanner);
  if (scanner.input.trim() === "") {
    scanner.fail("the conda package entry is empty", `write a package, e.g. ${EXAMPLE}`);
  }
  if (scanner.peek() === " ") {
    scanner.fail(
      "the entry starts with a space, so conda finds no package name",
      "remove the leading spaces"
    );
  }
  const flag = parseChannelFlag(scanner);
  return parseMatchSpec(scanner, flag);
}
function rejectForbiddenCharacters(scanner) {
  const input = scanner.input;
  const control = input.search(CONTROL_CHARACTER);
  if (control !== -1) {
    const kind = /[\n\r\u2028\u2029]/.test(input[control] ?? "") ? "a line break" : input[control] === "	" ? "a tab" : "a control character";
    scanner.fail(
      `a conda package entry cannot contain ${kind} (U+${codePointAt(input, control)})`,
      "write one package per entry on a single line, with spaces (not tabs) between its parts",
      control
    );
  }
  const nonAscii = input.search(/[^\x20-\x7e]/);
  if (nonAscii !== -1) {
    const character = String.fromCodePoint(input.codePointAt(nonAscii) ?? 0);
    scanner.fail(
      `a conda package entry is ASCII text, but it contains "${character}" (U+${codePointAt(input, nonAscii)})`,
      "retype it without typographic quotes, dashes or comparison signs; percent-encode it in a URL",
      nonAscii
    );
  }
  const comment = input.indexOf("#");
  if (comment !== -1) {
    scanner.fail(
      'conda reads "#" as the start of a comment and would silently drop the rest of the entry',
      'remove the "#" and what follows it; put comments on their own YAML line',
      comment
    );
  }
  const condition = input.indexOf(" if ");
  if (condition !== -1) {
    scanner.fail(
      'conda ignores everything from " if " on (a conditional dependency), so the condition would have no effect',
      "remove the condition; list the package only in the images that need it",
      condition + 1
    );
  }
}
function codePointAt(input, index) {
  return (input.codePointAt(index) ?? 0).toString(16).toUpperCase().padStart(4, "0");
}
function parseChannelFlag(scanner) {
  if (scanner.peek() !== "-") return void 0;
  const flag = scanner.match(/(?:-c|--channel)(?= |$)/);
  if (flag === void 0) {
    const option = /^\S+/.exec(scanner.rest)?.[0] ?? "-";
    const glued = /^(?:-c|--channel=)(.+::.+)$/.exec(option)?.[1];
    scanner.fail(
      `the entry starts with "${option}", which conda would read as a command-line option, not a package`,
      glued === void 0 ? 'an entry names one package; give its channel as "channel::package", e.g. conda-forge::numpy' : `write "${glued}"`
    );
  }
  scanner.skipSpaces();
  if (scanner.done) {
    scanner.fail(
      `"${flag}" must be followed by channel::package`,
      'write e.g. "-c conda-forge::numpy"'
    );
  }
  return flag;
}
function parseMatchSpec(scanner, flag) {
  const file = parsePackageFile(scanner, flag);
  if (file !== void 0) return file;
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
        "move the [...] section before the (...)"
      );
    }
  }
  if (!scanner.done) {
    if (scanner.peek() === "[") {
      scanner.fail(
        "conda allows only one [...] section in a spec",
        "merge the key=value pairs into the first brackets"
      );
    }
    failUnexpected(scanner, describePart(name, outside, hasBrackets));
  }
  const spec = { name, brackets, spec: scanner.input.slice(specStart).trimEnd() };
  const bracketChannel = brackets.channel === void 0 ? {} : splitSubdir(brackets.channel);
  const channel = bracketChannel.channel ?? prefix.channel;
  const subdir = brackets.subdir ?? bracketChannel.subdir ?? prefix.subdir;
  const version = brackets.version === void 0 ? outside.version : brackets.version.replace(/ /g, "");
  const build = brackets.build ?? outside.build;
  if (channel !== void 0) spec.channel = channel;
  if (subdir !== void 0) spec.subdir = subdir;
  if (prefix.namespace !== void 0) spec.namespace = prefix.namespace;
  if (version !== void 0) spec.version = version;
  if (build !== void 0) spec.build = build;
  return spec;
}
function startsLegacyOptions(scanner) {
  return /^\((?:optional|target)\b/.test(scanner.rest);
}
function parseLegacyOptions(scanner) {
  const open = scanner.pos;
  scanner.expect("(");
  if (!scanner.input.includes(")", open)) {
    scanner.fail('the "(" is never closed', 'add ")" after the options, or remove the "("', open);
  }
  const seen = /* @__PURE__ */ new Set();
  for (; ; ) {
    scanner.skipSpaces();
    const start = scanner.pos;
    const option = scanner.match(/[A-Za-z_]+/);
    if (option !== "optional" && option !== "target") {
      scanner.fail(
        option === void 0 ? `expected "optional" or "target=..." in the (...) section${describeAt(scanner)}` : `conda's legacy (...) section knows only "optional" and "target", not "${option}"`,
        "remove the (...) section: conda sets it aside and installs the same package without it",
        start
      );
    }
    if (seen.has(option)) {
      scanner.fail(`"${option}" is given twice in the (...) section`, "keep one of the two", start);
    }
    seen.add(option);
    if (option === "target") {
      scanner.expect("=", '"=" after "target"');
      const value = scanner.match(/'[A-Za-z0-9_.+-]+'|"[A-Za-z0-9_.+-]+"|[A-Za-z0-9_.+-]+/);
      if (value === void 0) {
        failCharacter(scanner, scanner.peek() || " ", 'the value of "target"', scanner.pos);
      }
    }
    const separator = scanner.match(/ *, *| +/);
    if (scanner.eat(")")) return;
    if (separator === void 0) {
      if (scanner.done) scanner.fail('the "(" is never closed', 'add ")" after the options', open);
      failCharacter(scanner, scanner.peek(), "the (...) section", scanner.pos);
    }
  }
}
function describePart(name, outside, hasBrackets) {
  if (hasBrackets) return "the [...] section";
  if (outside.build !== void 0) return `the build string "${outside.build}"`;
  if (outside.version !== void 0) return `the version "${outside.version}"`;
  return `the package name "${name}"`;
}
var PACKAGE_FILE = /\.(?:tar\.bz2|conda)$/;
var URL_CHARACTER = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/;
function parsePackageFile(scanner, flag) {
  const start = scanner.pos;
  const text = scanner.rest.trimEnd();
  if (!PACKAGE_FILE.test(text)) {
    const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^ ]*/.exec(text)?.[0];
    if (url !== void 0 && !text.includes("::")) {
      scanner.fail(
        url.length < text.length ? "a package URL is one word: nothing may follow it" : "a URL alone is a conda spec only when it ends in the name of a .conda or .tar.bz2 file",
        'give the URL of the artifact (.../linux-64/name-version-build.conda), or name the package as "channel::name"',
        url.length < text.length ? start + url.length : start
      );
    }
    return void 0;
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)?.[1]?.toLowerCase();
  const urlAt = text.search(/[A-Za-z][A-Za-z0-9+.-]*:\/\//);
  if (scheme === void 0 && urlAt > 0) {
    scanner.fail(
      "a package URL names its channel itself, so nothing may stand before it",
      `write the URL alone: "${text.slice(urlAt)}"`,
      flag === void 0 ? start : 0
    );
  }
  if (scheme === void 0) {
    scanner.fail(
      "a local package file is not accepted: the build runs in a container where this path does not exist",
      'name the package instead, as "channel/subdir::name==version=build", or give the https:// URL of the file'
    );
  }
  if (flag !== void 0) {
    scanner.fail(
      `a package URL already names its channel, so "${flag}" cannot come before it`,
      `write the URL alone: "${text}"`,
      0
    );
  }
  if (!["http", "https", "file", "ftp", "s3"].includes(scheme)) {
    scanner.fail(
      `conda cannot fetch a package from a "${scheme}:" URL`,
      "use an https:// (or file://) URL to the .conda or .tar.bz2 file"
    );
  }
  checkCharacters(scanner, text, start, URL_CHARACTER, "a package URL");
  const badPercent = /%(?![0-9A-Fa-f]{2})/.exec(text);
  if (badPercent !== null) {
    scanner.fail(
      '"%" in a URL must start a percent-encoding such as %21',
      void 0,
      start + badPercent.index
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
      start + slash + 1
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
  const spec = { name, version: `==${version}`, build, brackets: {}, spec: text };
  const directory = path.slice(0, slash);
  const subdirSlash = directory.lastIndexOf("/");
  const subdir = directory.slice(subdirSlash + 1);
  if (KNOWN_SUBDIRS.has(subdir) && subdirSlash > scheme.length + 2) {
    spec.channel = decodePercent(directory.slice(0, subdirSlash));
    spec.subdir = subdir;
  }
  return spec;
}
function decodePercent(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
function parseChannelPrefix(scanner, flag) {
  const start = scanner.pos;
  const head = /^[^ [\]=<>!~|,()'"]*/.exec(scanner.rest)?.[0] ?? "";
  const cut = head.lastIndexOf(":");
  if (cut === -1) {
    if (flag !== void 0) failFlagWithoutChannel(scanner, flag);
    return {};
  }
  const afterPrefix = head.slice(cut + 1);
  if (head[cut - 1] === ":") {
    const location2 = parseChannel(scanner, head.slice(0, cut - 1), start);
    scanner.pos = start + cut + 1;
    return location2;
  }
  const inner = head.slice(0, cut);
  const split = inner.lastIndexOf(":");
  const namespace = inner.slice(split + 1);
  if (split === -1 || !/^[A-Za-z0-9_.-]+$/.test(namespace)) {
    scanner.fail(
      `a single ":" does not separate a channel from the package: conda would ignore "${inner}"`,
      `write "${inner}::${afterPrefix}"`,
      start + cut
    );
  }
  const location = parseChannel(scanner, inner.slice(0, split), start);
  scanner.pos = start + cut + 1;
  return { ...location, namespace };
}
function failFlagWithoutChannel(scanner, flag) {
  const words = scanner.rest.trim().split(/ +/);
  const channel = words[0] ?? "";
  const index = scanner.pos + channel.length;
  if (words.length < 2) {
    scanner.fail(
      `"${flag} ${channel}" names a channel but no package`,
      `write "${channel}::<package>"`,
      index
    );
  }
  scanner.fail(
    `"${flag}" must be followed by channel::package: conda would read the channel and the package as one spec`,
    `write "${channel}::${words.slice(1).join(" ")}"`,
    index
  );
}
function parseChannel(scanner, text, index) {
  if (text === "") {
    scanner.fail(
      'nothing stands before "::" where the channel belongs',
      'name the channel, as in "conda-forge::numpy", or remove the "::"',
      index
    );
  }
  const anyChannel = /^\*\/([^/]+)$/.exec(text)?.[1];
  if (anyChannel !== void 0 && KNOWN_SUBDIRS.has(anyChannel)) return { subdir: anyChannel };
  const bad = /[^A-Za-z0-9_.\-/:+%@]/.exec(text);
  if (bad !== null) {
    if (bad[0] === "*") {
      scanner.fail(
        anyChannel === void 0 ? "a channel cannot be a wildcard: conda install needs a real channel to fetch from" : `"${anyChannel}" is not a platform subdir conda knows, so "*/${anyChannel}::" would match no package`,
        anyChannel === void 0 ? 'to pick only a platform, write "*/<subdir>::" (e.g. "*/linux-64::numpy") or "numpy[subdir=linux-64]"' : "use e.g. linux-64, linux-aarch64, osx-arm64, win-64 or noarch",
        index + (anyChannel === void 0 ? bad.index : 2)
      );
    }
    failCharacter(scanner, bad[0], "a channel name or URL", index + bad.index);
  }
  if (text.includes("::") || text.endsWith(":") || text.endsWith("/")) {
    scanner.fail(
      `"${text}" is not a channel name or URL`,
      'write the channel once, followed by "::" and the package',
      index
    );
  }
  return splitSubdir(text);
}
function splitSubdir(text) {
  const slash = text.lastIndexOf("/");
  const tail = text.slice(slash + 1);
  if (slash > 0 && KNOWN_SUBDIRS.has(tail)) return { channel: text.slice(0, slash), subdir: tail };
  return { channel: text };
}
function parseName(scanner) {
  const start = scanner.pos;
  const name = scanner.match(/[A-Za-z0-9_*][A-Za-z0-9_.*-]*/);
  if (name !== void 0) {
    if (scanner.peek() === "@") {
      scanner.fail(
        `"${name}@" is conda's legacy feature syntax, which names no package`,
        `write "*[track_features=${name}]"`
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
      "remove the quotes: the entry reaches conda as one argument without them"
    );
  }
  if (next === "-") {
    scanner.fail(
      'a package name cannot start with "-": conda would read the spec as an option',
      'remove the leading "-"'
    );
  }
  scanner.fail(
    `expected a package name${describeAt(scanner)}`,
    `a name starts with a letter, digit, "_" or "*", e.g. ${EXAMPLE}`
  );
}
var MAX_FIELD_LENGTH = 64;
function checkPackageName(scanner, name, index) {
  const bad = /[^A-Za-z0-9._-]/.exec(name);
  if (bad !== null) failCharacter(scanner, bad[0], "a package name", index + bad.index);
  if (name.length > MAX_FIELD_LENGTH) {
    scanner.fail(
      `the package name is ${name.length} characters long; conda allows at most ${MAX_FIELD_LENGTH} (CEP 26)`,
      "check the name; no conda package has a longer one",
      index + MAX_FIELD_LENGTH
    );
  }
  const virtual = name.startsWith("__");
  const body = virtual ? name.slice(2) : name;
  const bodyIndex = index + (virtual ? 2 : 0);
  if (virtual && body === "") {
    scanner.fail(
      'a virtual package name needs letters or digits after "__"',
      "write e.g. __glibc or __cuda",
      index
    );
  }
  if (virtual && /^[._-]/.test(body)) {
    scanner.fail(
      `"${name}" has a separator right after "__"; a virtual package name is "__" and then a letter or digit`,
      `write "__${body.replace(/^[._-]+/, "")}"`,
      bodyIndex
    );
  }
  if (!virtual && /^[.-]/.test(name)) {
    scanner.fail(
      `a package name starts with a letter, digit or "_", not "${name[0] ?? ""}"`,
      `write "${name.replace(/^[.-]+/, "")}"`,
      index
    );
  }
  const doubled = /[._-]{2}/.exec(body);
  if (doubled !== null) {
    scanner.fail(
      `"${name}" has two separators in a row ("${doubled[0]}"), which conda package names never have (CEP 26)`,
      `write a single "-", "." or "_" there, e.g. "${name.slice(0, bodyIndex - index + doubled.index)}${doubled[0][0] ?? "-"}${body.slice(doubled.index + 2)}"`,
      bodyIndex + doubled.index
    );
  }
}
function parseVersionAndBuild(scanner, name) {
  const gap = scanner.match(/ +/) !== void 0;
  if (scanner.done || scanner.peek() === "[") return {};
  if (!gap && !OPERATOR_START.test(scanner.peek())) return {};
  if (gap && startsLegacyOptions(scanner)) return {};
  if (gap && /[,|]/.test(scanner.peek())) failUnexpected(scanner, `the package name "${name}"`);
  const version = parseVersionExpression(scanner, false);
  const build = parseBuildPart(scanner, version);
  return build === void 0 ? { version } : { version, build };
}
function parseVersionExpression(scanner, inBrackets) {
  const context = { inBrackets, terms: [], grouped: false };
  const version = parseVersionOr(scanner, context, "");
  const lone = context.terms.length === 1 && !context.grouped;
  for (const term of context.terms) {
    if (term.operator === "==" && term.literal.includes("*") && !lone) {
      scanner.fail(
        `"==${term.literal}" inside a combined version does not mean the wildcard "${term.literal}" to conda`,
        `write the wildcard without "==": "${term.literal}"`,
        term.index
      );
    }
  }
  return version;
}
function parseVersionOr(scanner, context, after) {
  let version = parseVersionAnd(scanner, context, after);
  while (scanner.match(/ *\|/) !== void 0) {
    scanner.skipSpaces();
    version += "|" + parseVersionAnd(scanner, context, "|");
  }
  return version;
}
function parseVersionAnd(scanner, context, after) {
  let version = parseVersionTerm(scanner, context, after);
  while (scanner.match(/ *,/) !== void 0) {
    scanner.skipSpaces();
    version += "," + parseVersionTerm(scanner, context, ",");
  }
  return version;
}
function parseVersionTerm(scanner, context, after) {
  if (scanner.peek() !== "(") return parseVersionRelation(scanner, context, after);
  if (!context.inBrackets) {
    scanner.fail(
      "conda drops a (...) group from a version written outside brackets",
      "put the version in brackets, e.g. numpy[version='(1.5|1.6),<2']"
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
function parseVersionRelation(scanner, context, after) {
  const start = scanner.pos;
  const next = scanner.peek();
  if (next === "^") return parseRegexVersion(scanner, context);
  if (scanner.peek(3) === "===") {
    scanner.fail(
      'conda has no "===" operator (PEP 440 arbitrary equality)',
      'use "==" for an exact version'
    );
  }
  const operator = scanner.match(OPERATOR) ?? "";
  if (operator === "" && (next === "!" || next === "~")) {
    scanner.fail(
      `"${next}" is not a version operator`,
      `use "${next}=" or one of ${OPERATORS_TEXT}`
    );
  }
  if (operator !== "" && OPERATOR_START.test(scanner.peek())) {
    scanner.fail(
      `"${operator}${scanner.peek()}" is not a version operator`,
      `use one of ${OPERATORS_TEXT}`,
      start
    );
  }
  if (operator !== "" && !context.inBrackets) scanner.skipSpaces();
  const literalStart = scanner.pos;
  const literal = scanner.match(VERSION_CHARACTERS);
  if (literal === void 0) {
    if (operator !== "" && context.inBrackets && scanner.peek() === " ") {
      scanner.fail(
        `inside brackets conda allows no space after "${operator}"`,
        `write "${operator}${scanner.rest.trimStart().split(/[ ,|)]/)[0] ?? ""}"`
      );
    }
    if (operator !== "") {
      scanner.fail(
        `"${operator}" must be followed by a version${describeAt(scanner)}`,
        `write e.g. "${operator}1.0"`
      );
    }
    if (scanner.done || /[ [,|)]/.test(scanner.peek())) {
      scanner.fail(
        `expected a version${after === "" ? "" : ` after "${after}"`}${describeAt(scanner)}`
      );
    }
    failCharacter(scanner, scanner.peek(), "a version", scanner.pos);
  }
  checkVersionLiteral(scanner, operator, literal, literalStart);
  context.terms.push({ operator, literal, index: start });
  return operator + literal;
}
function parseRegexVersion(scanner, context) {
  const start = scanner.pos;
  const end = scanner.input.indexOf("$", start);
  if (end === -1) {
    scanner.fail(
      'a regular-expression version starts with "^" and must end with "$"',
      'add the "$", or write the version without "^"'
    );
  }
  const body = scanner.input.slice(start + 1, end);
  const advanced = /\(\?|\\[1-9k]/.exec(body);
  if (advanced !== null) {
    scanner.fail(
      "lookaround and backreferences are not allowed in a regular-expression version (CEP 29)",
      "match the version with plain alternatives and wildcards",
      start + 1 + advanced.index
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
        `spell the alternatives out with "|", e.g. ^1\\.(5|6|7)\\.1$ inside [version='...']`,
        at
      );
    }
    if ((character === "(" || character === ")") && !context.inBrackets) {
      scanner.fail(
        "outside brackets conda cuts a (...) group out of the spec before it reads the version",
        "put the regular expression in brackets, e.g. numpy[version='^1\\.(7|8)\\..*$']",
        at
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
      start
    );
  }
  scanner.pos = end + 1;
  context.terms.push({ operator: "", literal: scanner.input.slice(start, end + 1), index: start });
  return scanner.input.slice(start, end + 1);
}
function checkVersionLiteral(scanner, operator, literal, index) {
  if (operator === "~=") {
    if (literal.includes("*")) {
      scanner.fail(
        '"~=" cannot be combined with a "*" wildcard',
        `write "~=${literal.replace(/\.?\*.*$/, "")}"`,
        index
      );
    }
    if (!literal.includes(".")) {
      scanner.fail(
        `"~=${literal}" needs at least two version components`,
        `write e.g. "~=${literal}.0"`,
        index
      );
    }
  }
  let checked = literal;
  if (operator !== "" && literal.endsWith(".*")) {
    if (operator === "<" || operator === "<=" || operator === ">") {
      scanner.fail(
        `conda ignores ".*" after "${operator}" (deprecated), so it is not a wildcard here`,
        `write "${operator}${literal.slice(0, -2)}"`,
        index + literal.length - 2
      );
    }
    checked = literal.slice(0, -2);
  }
  checkVersionOrder(scanner, checked, index);
}
function checkVersionOrder(scanner, version, index) {
  if (version.length > MAX_FIELD_LENGTH) {
    scanner.fail(
      `the version "${version}" is ${version.length} characters long; conda allows at most ${MAX_FIELD_LENGTH} (CEP 26)`,
      "check the version; no conda package has a longer one",
      index + MAX_FIELD_LENGTH
    );
  }
  const bang = version.indexOf("!");
  if (bang !== version.lastIndexOf("!")) {
    scanner.fail(
      `"${version}" has more than one "!" (epoch separator)`,
      void 0,
      index + version.lastIndexOf("!")
    );
  }
  if (bang !== -1 && !/^\d+$/.test(version.slice(0, bang))) {
    scanner.fail(
      `the epoch before "!" in "${version}" must be a whole number`,
      'write e.g. "1!2.0"',
      index
    );
  }
  const offset = bang + 1;
  const rest = version.slice(offset);
  const plus = rest.indexOf("+");
  if (plus !== rest.lastIndexOf("+")) {
    scanner.fail(
      `"${version}" has more than one "+" (local version separator)`,
      void 0,
      index + offset + rest.lastIndexOf("+")
    );
  }
  const upstream = plus === -1 ? rest : rest.slice(0, plus);
  if (upstream === "") {
    scanner.fail(
      `"${version}" has no version before "${plus === -1 ? "!" : "+"}"`,
      'write e.g. "1.2+local"',
      index + offset
    );
  }
  checkComponents(
    scanner,
    upstream.endsWith("_") ? upstream.slice(0, -1) : upstream,
    version,
    index + offset
  );
  if (plus === -1) return;
  const local = rest.slice(plus + 1);
  if (local === "") {
    scanner.fail(
      `"${version}" has nothing after "+"`,
      'write a local version after the "+" or remove it',
      index + offset + plus
    );
  }
  checkComponents(scanner, local, version, index + offset + plus + 1);
}
function checkComponents(scanner, part, version, index) {
  const empty = part === "" ? { index: 0 } : /^[._]|[._](?=[._])|[._]$/.exec(part);
  if (empty === null) return;
  scanner.fail(
    `"${version}" has an empty version component (a leading, trailing or doubled "." or "_")`,
    'separate version components with a single "." or "_"',
    index + empty.index
  );
}
function parseBuildPart(scanner, version) {
  const start = scanner.pos;
  const gap = scanner.match(/ +/) !== void 0;
  if (scanner.eat("=")) return parseBuild(scanner, version);
  if (gap && !scanner.done && scanner.peek() !== "[" && !startsLegacyOptions(scanner)) {
    if (OPERATOR_START.test(scanner.peek())) {
      const constraint = /^\S+/.exec(scanner.rest)?.[0] ?? "";
      scanner.fail(
        `a space ends the version, so "${constraint}" would be the build string`,
        `join version constraints with "," (and) or "|" (or): "${version},${constraint}"`
      );
    }
    return parseBuild(scanner, version);
  }
  scanner.pos = start;
  return void 0;
}
function parseBuild(scanner, version) {
  const start = scanner.pos;
  const build = scanner.match(/[A-Za-z0-9_.+*]+/);
  if (build !== void 0) {
    checkBuildLength(scanner, build, start);
    return build;
  }
  if (scanner.done) {
    scanner.fail(
      'a build string must follow the "="',
      `write e.g. "=${version}=py37_0" or remove the "="`
    );
  }
  failCharacter(scanner, scanner.peek(), "a build string", scanner.pos);
}
function checkBuildLength(scanner, build, index) {
  if (build.length <= MAX_FIELD_LENGTH) return;
  scanner.fail(
    `the build string is ${build.length} characters long; conda allows at most ${MAX_FIELD_LENGTH} (CEP 26)`,
    'check the build string, or match it with a shorter glob such as "*cuda*"',
    index + MAX_FIELD_LENGTH
  );
}
function parseBrackets(scanner) {
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
      open
    );
  }
  const pairs = {};
  for (; ; ) {
    const key = parseBracketPair(scanner, pairs);
    const separatorStart = scanner.pos;
    const separator = scanner.match(/ *, *| +/);
    if (separator !== void 0 && !scanner.done && !/[A-Za-z_\]]/.test(scanner.peek())) {
      failUnquotedList(scanner, key, scanner.input.slice(0, separatorStart));
    }
    if (scanner.eat("]")) {
      if (separator?.includes(",") === true) {
        scanner.fail(
          'a "," ends the [...] section without a pair after it',
          'remove the trailing ","',
          separatorStart
        );
      }
      return pairs;
    }
    if (separator === void 0) {
      if (scanner.done)
        scanner.fail('the "[" is never closed', 'add "]" after the last key=value pair', open);
      scanner.fail(
        `expected "," or "]" after the value of "${key}"${describeAt(scanner)}`,
        `quote a value that holds spaces or ",", e.g. ${key}='...'`
      );
    }
  }
}
function failUnquotedList(scanner, key, before) {
  const value = before.slice(before.indexOf("=", before.lastIndexOf(key)) + 1);
  const rest = /^[^\]]*/.exec(scanner.rest)?.[0].trimEnd() ?? "";
  scanner.fail(
    `"${rest}" is not a key=value pair; conda would silently skip it`,
    /['"]$/.test(value) ? "remove it, or move it into the quoted value before it" : `quote a value that holds "," or spaces: ${key}='${value},${rest}'`
  );
}
function parseBracketPair(scanner, pairs) {
  const keyStart = scanner.pos;
  const key = scanner.match(/[A-Za-z_][A-Za-z0-9_-]*/);
  if (key === void 0) {
    scanner.fail(
      `expected a key=value pair${describeAt(scanner)}`,
      `quote a value that holds spaces or ",", e.g. version='>=1.8,<2'`
    );
  }
  checkBracketKey(scanner, key, keyStart, pairs);
  if (!scanner.eat("=")) {
    const written = /^[^,\]]*/.exec(scanner.rest)?.[0].trim() ?? "";
    scanner.fail(
      `expected "=" after "${key}"${describeAt(scanner)}; conda would silently skip this pair`,
      OPERATOR_START.test(scanner.peek()) ? `write ${key}='${written}'` : `write ${key}=<value>`
    );
  }
  const { text, index } = parseBracketValue(scanner, key);
  checkBracketValue(scanner, key, text, index);
  pairs[key] = text;
  return key;
}
function checkBracketKey(scanner, key, index, pairs) {
  if (key === "name") {
    scanner.fail(
      'conda ignores "name" inside brackets and uses the name before them',
      'write the package name before the "[" and remove name=...',
      index
    );
  }
  if (!BRACKET_KEYS.includes(key)) {
    scanner.fail(
      `conda cannot match on "${key}" inside brackets`,
      key === "build_string" ? 'write "build=..."' : `use one of ${BRACKET_KEYS.join(", ")}`,
      index
    );
  }
  if (key in pairs) {
    scanner.fail(`"${key}" is given twice in the brackets`, "keep one of the two", index);
  }
}
function parseBracketValue(scanner, key) {
  const quote2 = scanner.peek();
  if (quote2 === "'" || quote2 === '"') {
    const open = scanner.pos;
    scanner.pos += 1;
    const text2 = scanner.match(/[^'"]*/) ?? "";
    if (scanner.done) {
      scanner.fail(
        `the ${quote2} that opens the value of "${key}" is never closed`,
        `add the closing ${quote2}`,
        open
      );
    }
    if (!scanner.eat(quote2)) {
      failCharacter(scanner, scanner.peek(), `the value of "${key}"`, scanner.pos);
    }
    if (text2 === "")
      scanner.fail(`"${key}" has an empty value`, `give ${key} a value or remove it`, open);
    return { text: text2, index: open + 1 };
  }
  const index = scanner.pos;
  const text = scanner.match(/[^ ,\]'"[]+/);
  if (text === void 0) {
    if (/['"]/.test(scanner.peek()) || scanner.peek() === "[") {
      failCharacter(scanner, scanner.peek(), `the value of "${key}"`, scanner.pos);
    }
    scanner.fail(`"${key}" has no value after "="`, `give ${key} a value or remove it`, index);
  }
  if (/['"]/.test(scanner.peek()))
    failCharacter(scanner, scanner.peek(), `the value of "${key}"`, scanner.pos);
  return { text, index };
}
function checkBracketValue(scanner, key, text, index) {
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
        index
      );
    case "channel":
      parseChannel(scanner, text, index);
      return;
    case "subdir":
      if (KNOWN_SUBDIRS.has(text)) return;
      return scanner.fail(
        `"${text}" is not a platform subdir conda knows, so it would match no package`,
        "use e.g. linux-64, linux-aarch64, osx-arm64, win-64 or noarch",
        index
      );
    case "md5":
    case "sha256": {
      const digits = key === "md5" ? 32 : 64;
      if (new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(text)) return;
      return scanner.fail(
        `${key} must be ${digits} hexadecimal digits, but "${text}" is not`,
        `copy the full ${key} from the channel's repodata`,
        index
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
      checkCharacters(scanner, text, index, /[A-Za-z0-9 _.+*-]/, `a ${key} value`);
  }
}
function parseBracketVersion(scanner, text, index) {
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
      `write e.g. version='${version},${value.rest}'`
    );
  }
  return failUnexpected(value, `the version "${version}"`);
}
function checkCharacters(scanner, text, index, allowed, what) {
  for (let offset = 0; offset < text.length; offset += 1) {
    const character = text[offset] ?? "";
    if (!allowed.test(character)) failCharacter(scanner, character, what, index + offset);
  }
}
function failUnexpected(scanner, where) {
  const next = scanner.peek();
  if (scanner.input[scanner.pos - 1] === " " && /[A-Za-z0-9_*]/.test(next)) {
    scanner.fail(
      `unexpected "${/^\S+/.exec(scanner.rest)?.[0] ?? next}" after ${where}: a spec has at most three space-separated parts, name, version and build`,
      "put further constraints in brackets, e.g. numpy 1.8* py27_0[build_number=2]"
    );
  }
  if (next === "-" && where.startsWith("the version")) {
    scanner.fail(
      `"-" cannot appear in a conda version`,
      'conda versions separate components with "." or "_"'
    );
  }
  if (next === "(" || next === ")") {
    scanner.fail(
      `"${next}" cannot follow ${where}`,
      "group versions inside brackets, e.g. numpy[version='(1.5|1.6),<2']; conda's legacy (optional) section goes last"
    );
  }
  failCharacter(scanner, next, where, scanner.pos, "cannot follow");
}
function failCharacter(scanner, character, what, index, relation = "is not allowed in") {
  if (character === "'" || character === '"') {
    scanner.fail(
      `a quote ${relation} ${what}: quotes only go around a whole value inside [...]`,
      "remove the quote; the entry reaches conda as one argument without shell quoting",
      index
    );
  }
  if (character === "|") {
    scanner.fail(
      `"|" ${relation} ${what}: it only separates alternative versions`,
      "remove it",
      index
    );
  }
  if (character === " ") {
    scanner.fail(
      `a space ${relation} ${what}`,
      "quote a bracket value that holds spaces, e.g. license='Apache 2.0'",
      index
    );
  }
  scanner.fail(
    `"${character}" ${relation} ${what}`,
    SHELL_METACHARACTER.test(character) ? SHELL_HINT : void 0,
    index
  );
}
function describeAt(scanner) {
  return scanner.done ? " at the end of the entry" : ` at "${scanner.rest.slice(0, 20)}"`;
}

// src/grammars/pep508.ts
var MARKER_VARIABLES = /* @__PURE__ */ new Set([
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
  "extra"
]);
var LEGACY_MARKER_VARIABLES = /* @__PURE__ */ new Map([
  ["os.name", "os_name"],
  ["sys.platform", "sys_platform"],
  ["platform.version", "platform_version"],
  ["platform.machine", "platform_machine"],
  ["platform.python_implementation", "platform_python_implementation"],
  ["python_implementation", "platform_python_implementation"]
]);
var LOCK_FILE_MARKER_VARIABLES = /* @__PURE__ */ new Set(["extras", "dependency_groups"]);
var VERSION_OPERATORS = "==, !=, <, <=, >, >=, ~= or ===";
var MARKER_OPERATORS = "==, !=, <, <=, >, >=, ~=, ===, in or not in";
var EXAMPLE2 = "numpy, requests[security]>=2.8.1 or torch==2.3.0";
var MAX_MARKER_NESTING = 64;
var VERSION_CHARACTERS2 = /[A-Za-z0-9._*+!-]+/;
var WORD_CHARACTER = /[A-Za-z0-9_.]/;
function parsePipRequirement(input) {
  return parseWith(input, parseSpecification);
}
function parseSpecification(scanner) {
  rejectForbiddenCharacters2(scanner);
  scanner.skipSpaces();
  rejectNonRequirements(scanner);
  const name = parseName2(scanner);
  const requirement = {
    name,
    normalizedName: name.toLowerCase().replace(/[-_.]+/g, "-"),
    extras: []
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
function rejectForbiddenCharacters2(scanner) {
  const input = scanner.input;
  const control = input.search(CONTROL_CHARACTER_BUT_TAB);
  if (control !== -1) {
    const character = input[control] ?? "";
    const kind = /[\n\r\u2028\u2029]/.test(character) ? "a line break" : "a control character";
    scanner.fail(
      `a requirement cannot contain ${kind} (U+${codePointAt2(input, control)})`,
      "write one requirement per entry on a single line; retype it if it came from a copy-paste",
      control
    );
  }
  const nonAscii = input.search(/[^\t\x20-\x7e]/);
  if (nonAscii !== -1) {
    const character = String.fromCodePoint(input.codePointAt(nonAscii) ?? 0);
    scanner.fail(
      `a requirement is ASCII text, but it contains "${character}" (U+${codePointAt2(input, nonAscii)})`,
      "retype it without typographic quotes or dashes; in a URL, percent-encode the character",
      nonAscii
    );
  }
}
function codePointAt2(input, index) {
  return (input.codePointAt(index) ?? 0).toString(16).toUpperCase().padStart(4, "0");
}
function rejectNonRequirements(scanner) {
  if (scanner.done) {
    scanner.fail("the requirement is empty", `write a package name, e.g. ${EXAMPLE2}`);
  }
  const rest = scanner.rest;
  if (rest.startsWith("-")) {
    const option = /^-{1,2}[^\s=]*/.exec(rest)?.[0] ?? "-";
    scanner.fail(
      `a requirement cannot start with "-": pip would read "${option}" as an option, not a package`,
      optionHint(option)
    );
  }
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(rest);
  if (scheme) {
    scanner.fail(
      "a URL alone is not a requirement: pip needs the package name in front",
      `write it as "name @ ${rest.trim()}"`
    );
  }
  if (/^(?:\.{1,2}(?:[/\\]|$)|[/\\]|~[/\\])/.test(rest)) {
    scanner.fail(
      "a local path is not a requirement: it must start with a package name",
      'refer to a local archive as "name @ file:///absolute/path/to/archive"'
    );
  }
}
function optionHint(option) {
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
function parseName2(scanner) {
  const name = parseIdentifier(scanner, "a package name");
  if (name === void 0) {
    scanner.fail(
      `expected a package name${describeAt2(scanner)}`,
      `a package name starts with a letter or digit, e.g. ${EXAMPLE2}`
    );
  }
  const next = scanner.peek();
  if (!scanner.done && !/[ \t[(@;<>=!~]/.test(next)) {
    scanner.fail(
      `${describeCharacter(next)} cannot appear in the package name "${name}"`,
      'package names contain only ASCII letters, digits, "-", "_" and "."'
    );
  }
  return name;
}
function parseIdentifier(scanner, what) {
  const identifier = scanner.match(/[A-Za-z0-9](?:[-_.]*[A-Za-z0-9])*/);
  if (identifier === void 0) return void 0;
  const trailing = /^[-_.]+/.exec(scanner.rest)?.[0];
  if (trailing !== void 0) {
    scanner.fail(
      `${what} must end with a letter or digit, but "${identifier}${trailing}" ends with "${trailing.slice(-1)}"`,
      `remove the trailing "${trailing}"`
    );
  }
  return identifier;
}
function parseExtras(scanner) {
  scanner.expect("[");
  scanner.skipSpaces();
  const extras = [];
  if (scanner.eat("]")) return extras;
  for (; ; ) {
    const extra = parseIdentifier(scanner, "an extra name");
    if (extra === void 0) {
      const afterComma = extras.length > 0;
      scanner.fail(
        afterComma ? `expected an extra name after ","${describeAt2(scanner)}` : `expected an extra name${describeAt2(scanner)}`,
        afterComma && scanner.peek() === "]" ? 'remove the trailing ","' : "extras are names in brackets separated by commas, e.g. requests[security,socks]"
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
        `expected "]" to close the list of extras${describeAt2(scanner)}`,
        `close the list: ${scanner.input.slice(0, scanner.pos).trimEnd()}]`
      );
    }
    scanner.fail(
      `expected "," between extra names${describeAt2(scanner)}`,
      "separate extras with commas, e.g. requests[security,socks]"
    );
  }
}
function startsVersionSpec(scanner) {
  return /[(<>=!~]/.test(scanner.peek());
}
function parseVersionSpec(scanner) {
  if (!scanner.eat("(")) return parseVersionMany(scanner);
  scanner.skipSpaces();
  if (scanner.eat(")")) return "";
  const clauses = parseVersionMany(scanner);
  scanner.skipSpaces();
  if (!scanner.eat(")")) {
    scanner.fail(
      `expected ")" to close the parenthesised version list${describeAt2(scanner)}`,
      'add the ")" after the last version clause (the parentheses are optional)'
    );
  }
  return clauses;
}
function parseVersionMany(scanner) {
  const clauses = [parseVersionOne(scanner)];
  for (; ; ) {
    const before = scanner.pos;
    scanner.skipSpaces();
    if (!scanner.eat(",")) {
      scanner.pos = before;
      return clauses.join(",");
    }
    scanner.skipSpaces();
    if (scanner.done || scanner.peek() === ";" || scanner.peek() === ")") {
      return clauses.join(",");
    }
    if (scanner.peek() === ",") {
      scanner.fail(
        `expected a version clause between the two ","${describeAt2(scanner)}`,
        'remove one of the ","'
      );
    }
    clauses.push(parseVersionOne(scanner));
  }
}
function parseVersionOne(scanner) {
  scanner.skipSpaces();
  const operator = parseVersionOperator(scanner);
  scanner.skipSpaces();
  if (operator === "===") {
    const text = scanner.match(VERSION_CHARACTERS2);
    if (text === void 0) failMissingVersion(scanner, operator);
    return operator + text;
  }
  return operator + parseVersion(scanner, operator);
}
function parseVersionOperator(scanner) {
  const operator = scanner.match(/===|==|!=|<=|>=|~=|<|>/);
  if (operator !== void 0) return operator;
  const written = scanner.match(/[<>=!~]+/) ?? "";
  const at = scanner.pos - written.length;
  const fixes = {
    "=": "==",
    "=>": ">=",
    "=<": "<=",
    "~": "~=",
    "~>": "~=",
    "!": "!="
  };
  const fix = fixes[written];
  scanner.fail(
    written === "" ? `expected a version operator (${VERSION_OPERATORS})${describeAt2(scanner, at)}` : `"${written}" is not a version operator; use one of ${VERSION_OPERATORS}`,
    fix === void 0 ? "write a clause such as >=1.0 or ==2.3.*" : `use "${fix}"${fix === "==" ? " for an exact version, e.g. numpy==1.26.4" : ""}`,
    at
  );
}
function failMissingVersion(scanner, operator) {
  scanner.fail(
    `expected a version after "${operator}"${describeAt2(scanner)}`,
    `write the version right after the operator, e.g. ${operator}1.0`
  );
}
function parseVersion(scanner, operator) {
  const start = scanner.pos;
  if (!VERSION_CHARACTERS2.test(scanner.peek())) failMissingVersion(scanner, operator);
  const matching = operator === "==" || operator === "!=";
  scanner.match(/v/i);
  scanner.match(/[0-9]+!/);
  const release = scanner.match(/[0-9]+(?:\.[0-9]+)*/);
  if (release === void 0) {
    scanner.fail(
      `the version "${versionTokenAt(scanner, start)}" must start with a number`,
      versionHint(operator)
    );
  }
  if (operator === "~=" && !release.includes(".")) {
    scanner.fail(
      `"~=" needs at least two release numbers, but "${release}" has one`,
      `write ~=${release}.0 (compatible with ${release}.x), or use >=${release}`,
      start
    );
  }
  if (scanner.peek(2) === ".*") {
    if (!matching) {
      scanner.fail(
        `a ".*" wildcard can only be used with == or !=, not with "${operator}"`,
        `write ${operator}${release} without ".*", or ==${release}.* to match the series`
      );
    }
    scanner.pos += 2;
    if (VERSION_CHARACTERS2.test(scanner.peek())) {
      scanner.fail(
        `a ".*" wildcard must end the version, but "${versionTokenAt(scanner, start)}" goes on after it`,
        `write ${operator}${release}.* and nothing after the "*"`
      );
    }
  } else {
    parseVersionSuffixes(scanner, matching);
  }
  if (VERSION_CHARACTERS2.test(scanner.peek())) failInsideVersion(scanner, operator, start);
  return scanner.input.slice(start, scanner.pos);
}
function parseVersionSuffixes(scanner, matching) {
  scanner.match(/[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*/i);
  scanner.match(/-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*/i);
  scanner.match(/[-_.]?dev[-_.]?[0-9]*/i);
  if (scanner.peek() !== "+") return;
  if (!matching) {
    scanner.fail(
      'a local version label ("+...") can only be used with == or !=',
      "drop the local label, or pin the exact build with =="
    );
  }
  if (scanner.match(/\+[a-z0-9]+(?:[-_.][a-z0-9]+)*/i) === void 0) {
    scanner.fail(
      'a local version label after "+" must be letters and digits separated by ".", "-" or "_"',
      "write it like 1.0+cu121 or 1.0+ubuntu.1",
      scanner.pos + 1
    );
  }
}
function versionTokenAt(scanner, start) {
  const rest = scanner.input.slice(start);
  return /^[A-Za-z0-9._*+!-]*/.exec(rest)?.[0] ?? "";
}
function failInsideVersion(scanner, operator, start) {
  const version = versionTokenAt(scanner, start);
  const unexpected = scanner.input.slice(scanner.pos, start + version.length);
  if (unexpected.includes(".*")) {
    scanner.fail(
      `a ".*" wildcard must directly follow the release numbers, as in ==1.2.*; "${version}" has it elsewhere`,
      "a wildcard cannot be combined with a pre-, post-, dev or local part",
      start + version.indexOf(".*")
    );
  }
  scanner.fail(
    `"${version}" is not a valid version: "${unexpected}" is not understood`,
    versionHint(operator)
  );
}
function versionHint(operator) {
  const format = "versions follow PEP 440, e.g. 1.2.3, 2.0rc1, 1.0.post2, 3.1.dev4";
  return operator === "==" ? `${format}; to match a non-standard version string exactly, use ===` : format;
}
function parseUrlSpec(scanner) {
  scanner.expect("@");
  scanner.skipSpaces();
  const start = scanner.pos;
  const url = scanner.match(/[^ \t]+/);
  if (url === void 0) {
    scanner.fail(
      'expected a URL after "@"',
      "write a direct reference such as name @ https://example.com/name-1.0.tar.gz"
    );
  }
  checkUrl(scanner, url, start);
  return url;
}
function checkUrl(scanner, url, start) {
  const semicolon = url.indexOf(";");
  if (semicolon !== -1 && startsMarker(url.slice(semicolon + 1))) {
    scanner.fail(
      'after a URL, a marker needs whitespace before ";", or the ";" is read as part of the URL',
      `write "${url.slice(0, semicolon)} ;${url.slice(semicolon + 1)}"`,
      start + semicolon
    );
  }
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(url)?.[0];
  if (scheme === void 0) {
    scanner.fail(
      `"${url}" is not an absolute URL: it needs a scheme such as https: or file:`,
      "write a full URL, e.g. name @ https://example.com/name-1.0.tar.gz or name @ file:///abs/path; a relative path means nothing where the image is built",
      start
    );
  }
  const afterScheme = start + scheme.length;
  if (url.length === scheme.length) {
    scanner.fail(
      `invalid URL "${url}": nothing follows "${scheme}"`,
      `write ${scheme}//host/path`,
      afterScheme
    );
  }
  const authority = url.startsWith("//", scheme.length) ? /^[^/?#]*/.exec(url.slice(scheme.length + 2))?.[0] ?? "" : void 0;
  if (authority === "" && scheme.toLowerCase() !== "file:") {
    scanner.fail(
      `invalid URL "${url}": the host is missing after "${scheme}//"`,
      `write ${scheme}//host/path`,
      afterScheme + 2
    );
  }
  const bad = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]|%(?![0-9A-Fa-f]{2})/.exec(url);
  if (bad) {
    scanner.fail(
      `${describeCharacter(bad[0])} is not allowed in a URL`,
      bad[0] === "%" ? '"%" must start a percent-encoding such as %20' : "percent-encode it (e.g. a space is %20)",
      start + bad.index
    );
  }
}
function startsMarker(text) {
  const trimmed = text.trimStart();
  if (/^['"(]/.test(trimmed)) return true;
  const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(trimmed)?.[0];
  return word !== void 0 && (MARKER_VARIABLES.has(word) || LEGACY_MARKER_VARIABLES.has(word));
}
function parseQuotedMarker(scanner) {
  scanner.expect(";");
  scanner.skipSpaces();
  if (scanner.done) {
    scanner.fail(
      'expected an environment marker after ";"',
      `write a condition such as python_version >= "3.10", or remove the ";"`
    );
  }
  return parseMarker(scanner, 0);
}
function parseMarker(scanner, depth) {
  const operands = [parseMarkerAnd(scanner, depth)];
  while (eatKeyword(scanner, "or")) operands.push(parseMarkerAnd(scanner, depth));
  return operands.join(" or ");
}
function parseMarkerAnd(scanner, depth) {
  const operands = [parseMarkerExpr(scanner, depth)];
  while (eatKeyword(scanner, "and")) operands.push(parseMarkerExpr(scanner, depth));
  return operands.join(" and ");
}
function eatKeyword(scanner, word) {
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
function parseMarkerExpr(scanner, depth) {
  scanner.skipSpaces();
  if (scanner.peek() === "(") {
    if (depth >= MAX_MARKER_NESTING) {
      scanner.fail(
        `the marker nests parentheses more than ${MAX_MARKER_NESTING} deep`,
        "remove the redundant parentheses"
      );
    }
    scanner.pos += 1;
    const inner = parseMarker(scanner, depth + 1);
    scanner.skipSpaces();
    if (!scanner.eat(")")) {
      scanner.fail(
        `expected ")" to close a "(" of the marker${describeAt2(scanner)}`,
        'add the missing ")", or join conditions with "and" / "or"'
      );
    }
    return `(${inner})`;
  }
  const left = parseMarkerVar(scanner);
  const operator = parseMarkerOp(scanner);
  const right = parseMarkerVar(scanner);
  return `${left} ${operator} ${right}`;
}
function parseMarkerVar(scanner) {
  scanner.skipSpaces();
  const next = scanner.peek();
  if (next === "'" || next === '"') return parsePythonString(scanner);
  const start = scanner.pos;
  const word = scanner.match(/[A-Za-z0-9_.*+-]+/);
  if (word === void 0) {
    scanner.fail(
      `expected a marker variable or a quoted string${describeAt2(scanner)}`,
      'a condition compares a variable with a quoted value, e.g. sys_platform == "linux"'
    );
  }
  if (MARKER_VARIABLES.has(word)) return word;
  const modern = LEGACY_MARKER_VARIABLES.get(word);
  if (modern !== void 0) return modern;
  scanner.fail(unknownVariableMessage(word), unknownVariableHint(word), start);
}
function unknownVariableMessage(word) {
  if (/^[A-Za-z_]/.test(word)) return `"${word}" is not a marker variable`;
  return `the value ${word} must be quoted`;
}
function unknownVariableHint(word) {
  if (!/^[A-Za-z_]/.test(word)) return `write '${word}'`;
  if (LOCK_FILE_MARKER_VARIABLES.has(word)) {
    return `"${word}" only exists in lock files (PEP 751); pip rejects it in a requirement`;
  }
  if (MARKER_VARIABLES.has(word.toLowerCase())) {
    return `marker variables are lowercase: ${word.toLowerCase()}`;
  }
  return `write '${word}' with quotes if it is a value; the variables are ${[...MARKER_VARIABLES].join(", ")}`;
}
function parsePythonString(scanner) {
  const open = scanner.pos;
  const quote2 = scanner.peek();
  scanner.pos += 1;
  scanner.match(quote2 === "'" ? /[^'\\]+/ : /[^"\\]+/);
  if (scanner.eat(quote2)) return scanner.input.slice(open, scanner.pos);
  if (scanner.done) {
    scanner.fail(
      `the quoted string ${scanner.input.slice(open)} is never closed`,
      `add the closing ${quote2}`,
      open
    );
  }
  scanner.fail(
    "a backslash is not allowed in a marker string (PEP 508 defines no escapes)",
    "remove the backslash; to use a quote inside the string, delimit it with the other quote"
  );
}
function parseMarkerOp(scanner) {
  scanner.skipSpaces();
  const operator = scanner.rest.startsWith("<>") ? void 0 : scanner.match(/===|==|!=|<=|>=|~=|<|>/);
  if (operator !== void 0) return operator;
  if (eatKeyword(scanner, "in")) return "in";
  if (eatKeyword(scanner, "not")) {
    scanner.skipSpaces();
    if (!eatKeyword(scanner, "in")) {
      scanner.fail(`expected "in" after "not"${describeAt2(scanner)}`, 'write "not in"');
    }
    return "not in";
  }
  const hints = {
    notin: 'write "not in" with a space',
    "=": 'use "==" to compare',
    "<>": 'use "!=" to compare'
  };
  const written = /^(?:notin|<>|=)/.exec(scanner.rest)?.[0] ?? "";
  scanner.fail(
    `expected a marker operator (${MARKER_OPERATORS})${describeAt2(scanner)}`,
    hints[written] ?? 'a condition looks like python_version >= "3.10" or "linux" in sys_platform'
  );
}
function failAfterRequirement(scanner, requirement) {
  const next = scanner.peek();
  if (requirement.marker !== void 0) {
    scanner.fail(
      `expected "and", "or" or the end of the marker${describeAt2(scanner)}`,
      'join conditions with "and" / "or", and check that every "(" is closed only once'
    );
  }
  if (/[<>=!~]/.test(next) && requirement.specifier !== void 0) {
    scanner.fail(
      `expected "," between version clauses${describeAt2(scanner)}`,
      "separate version clauses with commas, e.g. >=1.0,<2"
    );
  }
  if (next === "@") {
    scanner.fail(
      "a requirement takes either a version specifier or a URL, not both",
      "drop the version clauses, or drop the @ URL"
    );
  }
  if (next === "[") {
    scanner.fail(
      "extras must come directly after the name",
      "write name[extra]>=1.0, not name>=1.0[extra]"
    );
  }
  if (/[0-9]/.test(next) && requirement.specifier === void 0) {
    const version = /^[A-Za-z0-9._*+!-]+/.exec(scanner.rest)?.[0] ?? "";
    scanner.fail(
      `a version needs an operator in front of it${describeAt2(scanner)}`,
      `write ${requirement.name}==${version} for exactly that version, or >=${version} for at least it`
    );
  }
  if (next === "#") {
    scanner.fail(
      "a requirement cannot contain a comment",
      "remove it; put the comment in the YAML file (a # after the entry's quotes)"
    );
  }
  if (/[A-Za-z]/.test(next) && requirement.specifier === void 0) {
    scanner.fail(
      `unexpected "${/^[^ \t]+/.exec(scanner.rest)?.[0] ?? next}" after the package name`,
      "an entry names one package; put each package in its own entry"
    );
  }
  if (next === "-") {
    scanner.fail(
      "pip options cannot follow a requirement here",
      "remove the option; pip settings belong in imagesmith.yaml"
    );
  }
  scanner.fail(
    `unexpected ${describeCharacter(next)} after the requirement${describeAt2(scanner)}`,
    `a requirement is name[extras] version-clauses ; marker, e.g. ${EXAMPLE2}`
  );
}
function failAfterUrl(scanner, url, urlEnd) {
  if (url.endsWith(";")) {
    scanner.fail(
      'after a URL, a marker needs whitespace before ";", or the ";" is read as part of the URL',
      `write "${url.slice(0, -1)} ; ${scanner.rest}"`,
      urlEnd - 1
    );
  }
  scanner.fail(
    `expected ";" and a marker, or the end, after the URL${describeAt2(scanner)}`,
    "a URL ends at the first space, and only a marker may follow it"
  );
}
function describeAt2(scanner, index = scanner.pos) {
  if (index >= scanner.input.length) return " at the end";
  return ` at "${scanner.input.slice(index, index + 20)}"`;
}
function describeCharacter(character) {
  if (character === " ") return "a space";
  if (character === '"') return `'"'`;
  return `"${character}"`;
}

export {
  parseAptPackage,
  parseDebianVersion,
  compareDebianVersions,
  parseCondaSpec,
  parsePipRequirement
};
