#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  CONTROL_CHARACTER,
  GrammarFailure,
  parseWith
} from "./chunk-PRF7RUCG.js";

// src/grammars/image-ref.ts
var DEFAULT_DOMAIN = "docker.io";
var LEGACY_DEFAULT_DOMAIN = "index.docker.io";
var DOCKER_HUB_REGISTRY_HOST = "registry-1.docker.io";
var OFFICIAL_NAMESPACE = "library/";
var MAX_PATH_LENGTH = 255;
var MAX_TAG_LENGTH = 128;
var MAX_PORT = 65535;
var DIGEST_HEX_LENGTHS = /* @__PURE__ */ new Map([
  ["sha256", 64],
  ["sha384", 96],
  ["sha512", 128]
]);
var EXAMPLE = "ubuntu:22.04 or registry.example.com/team/app:1.0";
function parseImageReference(input) {
  return parseWith(input, (scanner) => normalise(parseReference(scanner)));
}
function repositoryOf(ref) {
  return `${ref.domain}/${ref.path}`;
}
function formatImageReference(ref) {
  const tag = ref.tag === void 0 ? "" : `:${ref.tag}`;
  const digest = ref.digest === void 0 ? "" : `@${ref.digest}`;
  return `${repositoryOf(ref)}${tag}${digest}`;
}
function registryHostOf(ref) {
  return ref.domain === DEFAULT_DOMAIN ? DOCKER_HUB_REGISTRY_HOST : ref.domain;
}
function parseReference(scanner) {
  rejectWholeInputMistakes(scanner);
  const domain = parseDomainIfAny(scanner);
  const pathStart = scanner.pos;
  const path = parsePath(scanner);
  const tag = scanner.eat(":") ? parseTag(scanner) : void 0;
  const digest = scanner.eat("@") ? parseDigest(scanner) : void 0;
  if (!scanner.done) failAfterReference(scanner, digest !== void 0);
  return { domain, path, pathStart, tag, digest };
}
function rejectWholeInputMistakes(scanner) {
  const input = scanner.input;
  if (input === "") {
    scanner.fail("the image reference is empty", `write a reference such as ${EXAMPLE}`, 0);
  }
  rejectInvisibleCharacters(scanner);
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(input);
  if (scheme) {
    scanner.fail(
      `an image reference is not a URL: remove "${scheme[0]}"`,
      `write "${input.slice(scheme[0].length)}"`,
      0
    );
  }
  if (/^[a-f0-9]{64}$/.test(input)) {
    scanner.fail(
      "a 64-character hexadecimal string is an image ID, not a repository name",
      "to pin an image by content, write name@sha256:<digest>",
      0
    );
  }
}
function rejectInvisibleCharacters(scanner) {
  const input = scanner.input;
  const space = input.search(/\s/);
  const control = input.search(CONTROL_CHARACTER);
  if (space === -1 && control === -1) return;
  if (space !== -1 && (control === -1 || space <= control)) {
    const trimmed = input.trim();
    const hint = trimmed !== "" && !/\s/.test(trimmed) ? `remove the surrounding whitespace: "${trimmed}"` : `remove the whitespace; a reference looks like ${EXAMPLE}`;
    scanner.fail("an image reference cannot contain whitespace", hint, space);
  }
  scanner.fail(
    `an image reference cannot contain control characters (found U+${codePoint(input, control)})`,
    "retype the reference; it probably came from a copy-paste",
    control
  );
}
function hostReason(firstSegment) {
  if (firstSegment === "localhost") return "it is localhost";
  if (firstSegment.includes(".")) return 'it contains "."';
  if (firstSegment.includes(":")) return 'it contains ":"';
  if (firstSegment.toLowerCase() !== firstSegment) return "it contains uppercase letters";
  return void 0;
}
function parseDomainIfAny(scanner) {
  const slash = scanner.input.indexOf("/");
  if (slash === -1) {
    if (scanner.peek() === "[") {
      scanner.fail(
        "a registry address must be followed by a repository path",
        'write it as [host]:port/repository, e.g. "[::1]:5000/myimage"'
      );
    }
    return void 0;
  }
  const candidate = scanner.input.slice(0, slash);
  const reason = hostReason(candidate);
  if (reason === void 0) return void 0;
  const context = { candidate, reason };
  if (!candidate.startsWith("[") && candidate.split(":").length > 2) {
    failInHost(
      scanner,
      context,
      "an IPv6 address must be written in square brackets",
      0,
      'write it as "[address]:port/repository", e.g. "[fd00::1]:5000/myimage"'
    );
  }
  const start = scanner.pos;
  if (scanner.peek() === "[") parseIpv6Host(scanner, context);
  else parseDomainName(scanner, context);
  if (scanner.eat(":")) parsePort(scanner, context);
  if (scanner.peek() !== "/") {
    failInHost(scanner, context, `${describeCharacter(scanner.peek())} is not allowed here`);
  }
  const domain = scanner.input.slice(start, scanner.pos);
  scanner.expect("/");
  return domain;
}
function failInHost(scanner, context, problem, index = scanner.pos, fix) {
  const { candidate, reason } = context;
  const hint = fix ?? (reason === "it contains uppercase letters" ? `"${candidate}" is read as a registry host because ${reason}; if it is a namespace, write it in lowercase: "${candidate.toLowerCase()}${scanner.input.slice(candidate.length)}"` : `the part before the first "/" is read as a registry host because ${reason}`);
  scanner.fail(`invalid registry host "${candidate}": ${problem}`, hint, index);
}
function parseDomainName(scanner, context) {
  for (; ; ) {
    parseDomainLabel(scanner, context);
    if (!scanner.eat(".")) return;
  }
}
function parseDomainLabel(scanner, context) {
  const start = scanner.pos;
  const label = scanner.match(/[A-Za-z0-9-]+/);
  if (label === void 0) {
    const next = scanner.peek();
    if (next === "_") failInHost(scanner, context, 'host names cannot contain "_"');
    if (start === 0) failInHost(scanner, context, "it must start with a letter or digit");
    if (next === "." || next === ":" || next === "/") {
      failInHost(scanner, context, 'it has an empty part between dots or after a "."');
    }
    failInHost(scanner, context, `${describeCharacter(next)} is not allowed in a host name`);
  }
  if (label.startsWith("-")) {
    failInHost(scanner, context, 'a host name part cannot start with "-"', start);
  }
  if (label.endsWith("-")) {
    failInHost(scanner, context, 'a host name part cannot end with "-"', scanner.pos - 1);
  }
  if (scanner.peek() === "_") failInHost(scanner, context, 'host names cannot contain "_"');
}
function parseIpv6Host(scanner, context) {
  scanner.expect("[");
  const start = scanner.pos;
  const address = scanner.match(/[0-9A-Fa-f:]*/) ?? "";
  const next = scanner.peek();
  if (next === "%") {
    failInHost(
      scanner,
      context,
      "IPv6 zone identifiers (%...) are not supported in image references"
    );
  }
  if (next === ".") {
    failInHost(scanner, context, "IPv6 addresses with an embedded IPv4 part are not supported");
  }
  if (next !== "]") {
    failInHost(scanner, context, `expected "]" to close the IPv6 address${scanner.describeHere()}`);
  }
  checkIpv6Address(scanner, context, address, start);
  scanner.expect("]");
}
function checkIpv6Address(scanner, context, address, start) {
  if (address === "") failInHost(scanner, context, "the IPv6 address is empty", start);
  const compression = address.indexOf("::");
  const secondCompression = compression === -1 ? -1 : address.indexOf("::", compression + 1);
  if (secondCompression !== -1) {
    failInHost(
      scanner,
      context,
      '"::" may appear only once in an IPv6 address',
      start + secondCompression
    );
  }
  const groups = compression === -1 ? countIpv6Groups(scanner, context, address, start) : countIpv6Groups(scanner, context, address.slice(0, compression), start) + countIpv6Groups(scanner, context, address.slice(compression + 2), start + compression + 2);
  if (compression === -1 && groups !== 8) {
    failInHost(
      scanner,
      context,
      `the IPv6 address has ${groups} groups; it needs 8, or "::" for the omitted ones`,
      start
    );
  }
  if (compression !== -1 && groups > 7) {
    failInHost(scanner, context, 'the IPv6 address has too many groups for a "::"', start);
  }
}
function countIpv6Groups(scanner, context, section, start) {
  if (section === "") return 0;
  let index = start;
  const groups = section.split(":");
  for (const group of groups) {
    if (group === "") failInHost(scanner, context, 'an IPv6 group is empty (a lone ":")', index);
    if (group.length > 4) {
      failInHost(scanner, context, `the IPv6 group "${group}" has more than 4 hex digits`, index);
    }
    index += group.length + 1;
  }
  return groups.length;
}
function parsePort(scanner, context) {
  const start = scanner.pos;
  const digits = scanner.match(/[0-9]+/);
  if (digits === void 0) failInHost(scanner, context, 'the port after ":" must be a number');
  const port = Number(digits);
  if (port < 1 || port > MAX_PORT) {
    failInHost(scanner, context, `port ${digits} is outside 1\u2013${MAX_PORT}`, start);
  }
}
function parsePath(scanner) {
  rejectUppercasePath(scanner);
  const start = scanner.pos;
  for (; ; ) {
    parsePathComponent(scanner);
    if (!scanner.eat("/")) break;
  }
  const next = scanner.peek();
  if (!scanner.done && next !== ":" && next !== "@") {
    scanner.fail(
      `${describeCharacter(next)} is not allowed in a repository path`,
      'repository paths contain lowercase letters, digits, "/" and the separators ".", "_", "__" and "-"'
    );
  }
  return scanner.input.slice(start, scanner.pos);
}
function rejectUppercasePath(scanner) {
  const end = scanner.rest.search(/[:@]/);
  const region = end === -1 ? scanner.rest : scanner.rest.slice(0, end);
  const uppercase = region.search(/[A-Z]/);
  if (uppercase === -1) return;
  const input = scanner.input;
  const fixed = input.slice(0, scanner.pos) + region.toLowerCase() + input.slice(scanner.pos + region.length);
  scanner.fail(
    `the repository name "${region}" must be lowercase`,
    `write "${fixed}"`,
    scanner.pos + uppercase
  );
}
function parsePathComponent(scanner) {
  if (scanner.match(/[a-z0-9]+/) === void 0) failPathComponentStart(scanner);
  for (; ; ) {
    const separator = scanner.match(/__|[._]|-+/);
    if (separator === void 0) return;
    if (scanner.match(/[a-z0-9]+/) !== void 0) continue;
    const next = scanner.peek();
    if (next === "." || next === "_" || next === "-") {
      scanner.fail(
        `"${separator}${next}" is not a valid separator in a repository path`,
        'separators are a single ".", one or two "_", or any number of "-", between letters or digits'
      );
    }
    scanner.fail(
      `a repository path component cannot end with "${separator}"`,
      "end each path component with a lowercase letter or digit",
      scanner.pos - 1
    );
  }
}
function failPathComponentStart(scanner) {
  const next = scanner.peek();
  const afterSlash = scanner.input[scanner.pos - 1] === "/";
  if (!afterSlash && (next === ":" || next === "@")) {
    scanner.fail(
      `the repository name is missing before "${next}"`,
      `write a reference such as ${EXAMPLE}`
    );
  }
  if (next === "/") {
    scanner.fail(
      "the repository path has an empty component",
      afterSlash ? 'use a single "/" between path components' : 'remove the leading "/"'
    );
  }
  if (afterSlash && (scanner.done || next === ":" || next === "@")) {
    scanner.fail(
      'the repository path cannot end with "/"',
      'remove the trailing "/"',
      scanner.pos - 1
    );
  }
  if (next === "." || next === "_" || next === "-") {
    scanner.fail(
      `a repository path component cannot start with "${next}"`,
      "start each path component with a lowercase letter or digit"
    );
  }
  scanner.fail(
    `${describeCharacter(next)} is not allowed in a repository path`,
    'repository paths contain lowercase letters, digits, "/" and the separators ".", "_", "__" and "-"'
  );
}
function parseTag(scanner) {
  const start = scanner.pos;
  if (scanner.done || scanner.peek() === "@") {
    scanner.fail(
      'the tag after ":" is empty',
      'write a tag after ":" (e.g. ":1.0") or remove the ":"'
    );
  }
  if (scanner.match(/\w/) === void 0) {
    const next = scanner.peek();
    const problem = next === "." || next === "-" ? `a tag cannot start with "${next}"` : `${describeCharacter(next)} is not allowed in a tag`;
    scanner.fail(problem, 'start the tag with a letter, digit or "_"');
  }
  scanner.match(/[\w.-]+/);
  const tag = scanner.input.slice(start, scanner.pos);
  if (tag.length > MAX_TAG_LENGTH) {
    scanner.fail(
      `the tag is ${tag.length} characters long; at most ${MAX_TAG_LENGTH} are allowed`,
      `shorten the tag to ${MAX_TAG_LENGTH} characters or fewer`,
      start + MAX_TAG_LENGTH
    );
  }
  return tag;
}
function parseDigest(scanner) {
  const start = scanner.pos;
  if (scanner.done) {
    scanner.fail(
      'the digest after "@" is empty',
      'write "@sha256:<64 hex digits>" or remove the "@"'
    );
  }
  const algorithm = scanner.match(/[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*/);
  if (algorithm === void 0 || !scanner.eat(":")) {
    scanner.fail(
      'a digest is written "algorithm:hex"',
      'write "@sha256:" followed by the 64 hex digits of the digest',
      start
    );
  }
  const expectedLength = DIGEST_HEX_LENGTHS.get(algorithm);
  if (expectedLength === void 0) {
    scanner.fail(
      `unsupported digest algorithm "${algorithm}"`,
      `use one of ${[...DIGEST_HEX_LENGTHS.keys()].join(", ")}`,
      start
    );
  }
  const hexStart = scanner.pos;
  const hex = scanner.match(/[0-9a-fA-F]+/) ?? "";
  checkDigestHex(scanner, algorithm, hex, hexStart, expectedLength);
  return `${algorithm}:${hex}`;
}
function checkDigestHex(scanner, algorithm, hex, start, expectedLength) {
  const uppercase = hex.search(/[A-F]/);
  if (uppercase !== -1) {
    const input = scanner.input;
    scanner.fail(
      "digest hex digits must be lowercase",
      `write "${input.slice(0, start)}${hex.toLowerCase()}${input.slice(start + hex.length)}"`,
      start + uppercase
    );
  }
  if (hex.length === expectedLength) return;
  if (!scanner.done && hex.length < expectedLength) {
    scanner.fail(
      `${describeCharacter(scanner.peek())} is not a hex digit`,
      `a ${algorithm} digest is ${expectedLength} hex digits (0-9, a-f)`
    );
  }
  scanner.fail(
    `a ${algorithm} digest has ${expectedLength} hex digits, but this one has ${hex.length}`,
    `copy the full digest, e.g. from "docker buildx imagetools inspect"`,
    hex.length > expectedLength ? start + expectedLength : start + hex.length
  );
}
function failAfterReference(scanner, afterDigest) {
  const next = scanner.peek();
  if (afterDigest && next === ":") {
    scanner.fail("the tag must come before the digest", "write name:tag@digest");
  }
  if (afterDigest) {
    scanner.fail(
      `unexpected ${describeCharacter(next)} after the digest`,
      "the digest ends the reference"
    );
  }
  scanner.fail(
    `${describeCharacter(next)} is not allowed in a tag`,
    'tags contain letters, digits, "_", "." and "-"'
  );
}
function normalise(written) {
  const implicitDomain = written.domain === void 0;
  const domain = written.domain === void 0 || written.domain === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : written.domain;
  const path = domain === DEFAULT_DOMAIN && !written.path.includes("/") ? OFFICIAL_NAMESPACE + written.path : written.path;
  if (path.length > MAX_PATH_LENGTH) {
    throw repositoryTooLong(written, path);
  }
  const ref = { domain, path, implicitDomain };
  if (written.tag !== void 0) ref.tag = written.tag;
  if (written.digest !== void 0) ref.digest = written.digest;
  return ref;
}
function repositoryTooLong(written, path) {
  return new GrammarFailure({
    message: `the repository path "${path.slice(0, 40)}..." is ${path.length} characters long; at most ${MAX_PATH_LENGTH} are allowed`,
    index: written.pathStart + Math.max(0, MAX_PATH_LENGTH - (path.length - written.path.length)),
    hint: "shorten the repository path"
  });
}
function describeCharacter(character) {
  if (character === "") return "the end of the reference";
  return JSON.stringify(character);
}
function codePoint(input, index) {
  return (input.codePointAt(index) ?? 0).toString(16).toUpperCase().padStart(4, "0");
}

export {
  parseImageReference,
  repositoryOf,
  formatImageReference,
  registryHostOf
};
