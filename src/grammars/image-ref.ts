/**
 * Container image references as `docker pull` reads them: the grammar of
 * github.com/distribution/reference with docker's normalisation (ParseNormalizedNamed) on top.
 *
 *   reference      := name [":" tag] ["@" digest]
 *   name           := [domain "/"] path
 *   domain         := host [":" port]
 *   host           := domain-name | "[" IPv6address "]"
 *   domain-name    := label ("." label)*           label: [a-zA-Z0-9] or [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
 *   path           := path-component ("/" path-component)*
 *   path-component := [a-z0-9]+ (separator [a-z0-9]+)*      separator: "." | "_" | "__" | "-"+
 *   tag            := [\w][\w.-]{0,127}
 *   digest         := algorithm ":" hex           algorithm: [A-Za-z][A-Za-z0-9]* ([-_+.][A-Za-z][A-Za-z0-9]*)*
 *
 * Whether the first path-looking segment is a domain is not decided by the grammar but by docker's
 * rule (see `hostReason`), so the parser makes that decision first and then parses accordingly.
 */
import {
  CONTROL_CHARACTER,
  GrammarFailure,
  type ParseResult,
  type Scanner,
  parseWith,
} from "./scanner.js";

export interface ImageReference {
  /** Registry host as docker resolves it: "docker.io" when none is given, else as written (host, host:port, [ipv6]:port, localhost). */
  domain: string;
  /** Repository path inside the registry, normalised like docker: "library/ubuntu" for "ubuntu". */
  path: string;
  tag?: string;
  /** "sha256:<64 hex>" (or sha384 / sha512). */
  digest?: string;
  /** True when the input named no domain (docker.io was implied). */
  implicitDomain: boolean;
}

const DEFAULT_DOMAIN = "docker.io";
/** The pre-"docker.io" name of Docker Hub, which docker still rewrites to docker.io. */
const LEGACY_DEFAULT_DOMAIN = "index.docker.io";
/** docker.io is only the canonical name; the registry API of Docker Hub lives here. */
const DOCKER_HUB_REGISTRY_HOST = "registry-1.docker.io";
const OFFICIAL_NAMESPACE = "library/";
const MAX_PATH_LENGTH = 255;
const MAX_TAG_LENGTH = 128;
const MAX_PORT = 65535;

/**
 * The digest algorithms docker can verify, with the hex length of their output. The grammar allows
 * any algorithm name, but docker (through go-digest) refuses the ones it cannot compute.
 */
const DIGEST_HEX_LENGTHS: ReadonlyMap<string, number> = new Map([
  ["sha256", 64],
  ["sha384", 96],
  ["sha512", 128],
]);

const EXAMPLE = "ubuntu:22.04 or registry.example.com/team/app:1.0";

/** The parts of a reference as written, before normalisation. */
interface WrittenReference {
  domain: string | undefined;
  path: string;
  pathStart: number;
  tag: string | undefined;
  digest: string | undefined;
}

/**
 * Parses an image reference the way `docker pull` does, including docker's normalisation
 * ("ubuntu" → docker.io/library/ubuntu, index.docker.io → docker.io). No ":latest" is implied.
 */
export function parseImageReference(input: string): ParseResult<ImageReference> {
  return parseWith(input, (scanner) => normalise(parseReference(scanner)));
}

/** domain/path, without tag or digest. */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The fully qualified form: domain/path[:tag][@digest]; with no tag and no digest, ":latest" is NOT added. */
export function formatImageReference(ref: ImageReference): string {
  const tag = ref.tag === undefined ? "" : `:${ref.tag}`;
  const digest = ref.digest === undefined ? "" : `@${ref.digest}`;
  return `${repositoryOf(ref)}${tag}${digest}`;
}

/** The registry API host: "registry-1.docker.io" for docker.io, else the domain. */
export function registryHostOf(ref: ImageReference): string {
  return ref.domain === DEFAULT_DOMAIN ? DOCKER_HUB_REGISTRY_HOST : ref.domain;
}

// reference := name [":" tag] ["@" digest]
function parseReference(scanner: Scanner): WrittenReference {
  rejectWholeInputMistakes(scanner);
  const domain = parseDomainIfAny(scanner);
  const pathStart = scanner.pos;
  const path = parsePath(scanner);
  const tag = scanner.eat(":") ? parseTag(scanner) : undefined;
  const digest = scanner.eat("@") ? parseDigest(scanner) : undefined;
  if (!scanner.done) failAfterReference(scanner, digest !== undefined);
  return { domain, path, pathStart, tag, digest };
}

/** Mistakes that are best explained about the input as a whole rather than where the grammar trips. */
function rejectWholeInputMistakes(scanner: Scanner): void {
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
      0,
    );
  }
  // docker refuses these so that an image ID is never mistaken for a repository on Docker Hub.
  if (/^[a-f0-9]{64}$/.test(input)) {
    scanner.fail(
      "a 64-character hexadecimal string is an image ID, not a repository name",
      "to pin an image by content, write name@sha256:<digest>",
      0,
    );
  }
}

function rejectInvisibleCharacters(scanner: Scanner): void {
  const input = scanner.input;
  const space = input.search(/\s/);
  const control = input.search(CONTROL_CHARACTER);
  if (space === -1 && control === -1) return;
  if (space !== -1 && (control === -1 || space <= control)) {
    const trimmed = input.trim();
    const hint =
      trimmed !== "" && !/\s/.test(trimmed)
        ? `remove the surrounding whitespace: "${trimmed}"`
        : `remove the whitespace; a reference looks like ${EXAMPLE}`;
    scanner.fail("an image reference cannot contain whitespace", hint, space);
  }
  scanner.fail(
    `an image reference cannot contain control characters (found U+${codePoint(input, control)})`,
    "retype the reference; it probably came from a copy-paste",
    control,
  );
}

/**
 * docker's rule (normalize.go splitDockerDomain): only text before a "/" can be a domain, and it is
 * one when it is "localhost" or contains ".", ":" or an uppercase letter (namespaces are lowercase,
 * so an uppercase first segment can only mean a host). Otherwise it is the first path component.
 */
function hostReason(firstSegment: string): string | undefined {
  if (firstSegment === "localhost") return "it is localhost";
  if (firstSegment.includes(".")) return 'it contains "."';
  if (firstSegment.includes(":")) return 'it contains ":"';
  if (firstSegment.toLowerCase() !== firstSegment) return "it contains uppercase letters";
  return undefined;
}

// [domain "/"]
function parseDomainIfAny(scanner: Scanner): string | undefined {
  const slash = scanner.input.indexOf("/");
  if (slash === -1) {
    if (scanner.peek() === "[") {
      scanner.fail(
        "a registry address must be followed by a repository path",
        'write it as [host]:port/repository, e.g. "[::1]:5000/myimage"',
      );
    }
    return undefined;
  }
  const candidate = scanner.input.slice(0, slash);
  const reason = hostReason(candidate);
  if (reason === undefined) return undefined;

  const context: HostContext = { candidate, reason };
  // A host name has at most one ":" (before the port), so more can only be an unbracketed IPv6 address.
  if (!candidate.startsWith("[") && candidate.split(":").length > 2) {
    failInHost(
      scanner,
      context,
      "an IPv6 address must be written in square brackets",
      0,
      'write it as "[address]:port/repository", e.g. "[fd00::1]:5000/myimage"',
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

/** What the domain parsers need to explain a failure: the segment read as a host, and why it was. */
interface HostContext {
  candidate: string;
  reason: string;
}

function failInHost(
  scanner: Scanner,
  context: HostContext,
  problem: string,
  index = scanner.pos,
  fix?: string,
): never {
  const { candidate, reason } = context;
  // An uppercase namespace is the likeliest cause; saying "registry host" alone would puzzle.
  const hint =
    fix ??
    (reason === "it contains uppercase letters"
      ? `"${candidate}" is read as a registry host because ${reason}; if it is a namespace, write it in lowercase: "${candidate.toLowerCase()}${scanner.input.slice(candidate.length)}"`
      : `the part before the first "/" is read as a registry host because ${reason}`);
  scanner.fail(`invalid registry host "${candidate}": ${problem}`, hint, index);
}

// domain-name := label ("." label)*
function parseDomainName(scanner: Scanner, context: HostContext): void {
  for (;;) {
    parseDomainLabel(scanner, context);
    if (!scanner.eat(".")) return;
  }
}

// label := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
function parseDomainLabel(scanner: Scanner, context: HostContext): void {
  const start = scanner.pos;
  const label = scanner.match(/[A-Za-z0-9-]+/);
  if (label === undefined) {
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

// "[" IPv6address "]"; the grammar's own pattern is only [a-fA-F0-9:]+, so the address is checked here.
function parseIpv6Host(scanner: Scanner, context: HostContext): void {
  scanner.expect("[");
  const start = scanner.pos;
  const address = scanner.match(/[0-9A-Fa-f:]*/) ?? "";
  const next = scanner.peek();
  // docker excludes zones and IPv4-embedded forms on purpose (regexp.go), so these are refused too.
  if (next === "%") {
    failInHost(
      scanner,
      context,
      "IPv6 zone identifiers (%...) are not supported in image references",
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

/** Eight groups of 1–4 hex digits, or fewer with exactly one "::" standing for the missing zeros. */
function checkIpv6Address(
  scanner: Scanner,
  context: HostContext,
  address: string,
  start: number,
): void {
  if (address === "") failInHost(scanner, context, "the IPv6 address is empty", start);
  const compression = address.indexOf("::");
  const secondCompression = compression === -1 ? -1 : address.indexOf("::", compression + 1);
  if (secondCompression !== -1) {
    failInHost(
      scanner,
      context,
      '"::" may appear only once in an IPv6 address',
      start + secondCompression,
    );
  }
  const groups =
    compression === -1
      ? countIpv6Groups(scanner, context, address, start)
      : countIpv6Groups(scanner, context, address.slice(0, compression), start) +
        countIpv6Groups(scanner, context, address.slice(compression + 2), start + compression + 2);
  if (compression === -1 && groups !== 8) {
    failInHost(
      scanner,
      context,
      `the IPv6 address has ${groups} groups; it needs 8, or "::" for the omitted ones`,
      start,
    );
  }
  if (compression !== -1 && groups > 7) {
    failInHost(scanner, context, 'the IPv6 address has too many groups for a "::"', start);
  }
}

function countIpv6Groups(
  scanner: Scanner,
  context: HostContext,
  section: string,
  start: number,
): number {
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

// port := [0-9]+; the grammar takes any digits, but a port beyond 65535 can never be dialled.
function parsePort(scanner: Scanner, context: HostContext): void {
  const start = scanner.pos;
  const digits = scanner.match(/[0-9]+/);
  if (digits === undefined) failInHost(scanner, context, 'the port after ":" must be a number');
  const port = Number(digits);
  if (port < 1 || port > MAX_PORT) {
    failInHost(scanner, context, `port ${digits} is outside 1–${MAX_PORT}`, start);
  }
}

// path := path-component ("/" path-component)*
function parsePath(scanner: Scanner): string {
  rejectUppercasePath(scanner);
  const start = scanner.pos;
  for (;;) {
    parsePathComponent(scanner);
    if (!scanner.eat("/")) break;
  }
  const next = scanner.peek();
  if (!scanner.done && next !== ":" && next !== "@") {
    scanner.fail(
      `${describeCharacter(next)} is not allowed in a repository path`,
      'repository paths contain lowercase letters, digits, "/" and the separators ".", "_", "__" and "-"',
    );
  }
  return scanner.input.slice(start, scanner.pos);
}

/**
 * Like docker, uppercase in the repository part is reported as such before any grammar error,
 * because "must be lowercase" is the message an admin can act on.
 */
function rejectUppercasePath(scanner: Scanner): void {
  const end = scanner.rest.search(/[:@]/);
  const region = end === -1 ? scanner.rest : scanner.rest.slice(0, end);
  const uppercase = region.search(/[A-Z]/);
  if (uppercase === -1) return;
  const input = scanner.input;
  const fixed =
    input.slice(0, scanner.pos) + region.toLowerCase() + input.slice(scanner.pos + region.length);
  scanner.fail(
    `the repository name "${region}" must be lowercase`,
    `write "${fixed}"`,
    scanner.pos + uppercase,
  );
}

// path-component := [a-z0-9]+ (separator [a-z0-9]+)*
function parsePathComponent(scanner: Scanner): void {
  if (scanner.match(/[a-z0-9]+/) === undefined) failPathComponentStart(scanner);
  for (;;) {
    const separator = scanner.match(/__|[._]|-+/);
    if (separator === undefined) return;
    if (scanner.match(/[a-z0-9]+/) !== undefined) continue;
    const next = scanner.peek();
    if (next === "." || next === "_" || next === "-") {
      scanner.fail(
        `"${separator}${next}" is not a valid separator in a repository path`,
        'separators are a single ".", one or two "_", or any number of "-", between letters or digits',
      );
    }
    scanner.fail(
      `a repository path component cannot end with "${separator}"`,
      "end each path component with a lowercase letter or digit",
      scanner.pos - 1,
    );
  }
}

function failPathComponentStart(scanner: Scanner): never {
  const next = scanner.peek();
  const afterSlash = scanner.input[scanner.pos - 1] === "/";
  if (!afterSlash && (next === ":" || next === "@")) {
    scanner.fail(
      `the repository name is missing before "${next}"`,
      `write a reference such as ${EXAMPLE}`,
    );
  }
  if (next === "/") {
    scanner.fail(
      "the repository path has an empty component",
      afterSlash ? 'use a single "/" between path components' : 'remove the leading "/"',
    );
  }
  if (afterSlash && (scanner.done || next === ":" || next === "@")) {
    scanner.fail(
      'the repository path cannot end with "/"',
      'remove the trailing "/"',
      scanner.pos - 1,
    );
  }
  if (next === "." || next === "_" || next === "-") {
    scanner.fail(
      `a repository path component cannot start with "${next}"`,
      "start each path component with a lowercase letter or digit",
    );
  }
  scanner.fail(
    `${describeCharacter(next)} is not allowed in a repository path`,
    'repository paths contain lowercase letters, digits, "/" and the separators ".", "_", "__" and "-"',
  );
}

// tag := [\w][\w.-]{0,127}
function parseTag(scanner: Scanner): string {
  const start = scanner.pos;
  if (scanner.done || scanner.peek() === "@") {
    scanner.fail(
      'the tag after ":" is empty',
      'write a tag after ":" (e.g. ":1.0") or remove the ":"',
    );
  }
  if (scanner.match(/\w/) === undefined) {
    const next = scanner.peek();
    const problem =
      next === "." || next === "-"
        ? `a tag cannot start with "${next}"`
        : `${describeCharacter(next)} is not allowed in a tag`;
    scanner.fail(problem, 'start the tag with a letter, digit or "_"');
  }
  scanner.match(/[\w.-]+/);
  const tag = scanner.input.slice(start, scanner.pos);
  if (tag.length > MAX_TAG_LENGTH) {
    scanner.fail(
      `the tag is ${tag.length} characters long; at most ${MAX_TAG_LENGTH} are allowed`,
      `shorten the tag to ${MAX_TAG_LENGTH} characters or fewer`,
      start + MAX_TAG_LENGTH,
    );
  }
  return tag;
}

// digest := algorithm ":" hex
function parseDigest(scanner: Scanner): string {
  const start = scanner.pos;
  if (scanner.done) {
    scanner.fail(
      'the digest after "@" is empty',
      'write "@sha256:<64 hex digits>" or remove the "@"',
    );
  }
  const algorithm = scanner.match(/[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*/);
  if (algorithm === undefined || !scanner.eat(":")) {
    scanner.fail(
      'a digest is written "algorithm:hex"',
      'write "@sha256:" followed by the 64 hex digits of the digest',
      start,
    );
  }
  const expectedLength = DIGEST_HEX_LENGTHS.get(algorithm);
  if (expectedLength === undefined) {
    scanner.fail(
      `unsupported digest algorithm "${algorithm}"`,
      `use one of ${[...DIGEST_HEX_LENGTHS.keys()].join(", ")}`,
      start,
    );
  }
  const hexStart = scanner.pos;
  const hex = scanner.match(/[0-9a-fA-F]+/) ?? "";
  checkDigestHex(scanner, algorithm, hex, hexStart, expectedLength);
  return `${algorithm}:${hex}`;
}

// go-digest, which docker uses, wants the exact length of the hash and only lowercase hex.
function checkDigestHex(
  scanner: Scanner,
  algorithm: string,
  hex: string,
  start: number,
  expectedLength: number,
): void {
  const uppercase = hex.search(/[A-F]/);
  if (uppercase !== -1) {
    const input = scanner.input;
    scanner.fail(
      "digest hex digits must be lowercase",
      `write "${input.slice(0, start)}${hex.toLowerCase()}${input.slice(start + hex.length)}"`,
      start + uppercase,
    );
  }
  if (hex.length === expectedLength) return;
  if (!scanner.done && hex.length < expectedLength) {
    scanner.fail(
      `${describeCharacter(scanner.peek())} is not a hex digit`,
      `a ${algorithm} digest is ${expectedLength} hex digits (0-9, a-f)`,
    );
  }
  scanner.fail(
    `a ${algorithm} digest has ${expectedLength} hex digits, but this one has ${hex.length}`,
    `copy the full digest, e.g. from "docker buildx imagetools inspect"`,
    hex.length > expectedLength ? start + expectedLength : start + hex.length,
  );
}

function failAfterReference(scanner: Scanner, afterDigest: boolean): never {
  const next = scanner.peek();
  if (afterDigest && next === ":") {
    scanner.fail("the tag must come before the digest", "write name:tag@digest");
  }
  if (afterDigest) {
    scanner.fail(
      `unexpected ${describeCharacter(next)} after the digest`,
      "the digest ends the reference",
    );
  }
  scanner.fail(
    `${describeCharacter(next)} is not allowed in a tag`,
    'tags contain letters, digits, "_", "." and "-"',
  );
}

/** Applies docker's normalisation and the length limit that docker checks on the normalised path. */
function normalise(written: WrittenReference): ImageReference {
  const implicitDomain = written.domain === undefined;
  const domain =
    written.domain === undefined || written.domain === LEGACY_DEFAULT_DOMAIN
      ? DEFAULT_DOMAIN
      : written.domain;
  // Only Docker Hub has the "library/" namespace for official images; other registries keep the path.
  const path =
    domain === DEFAULT_DOMAIN && !written.path.includes("/")
      ? OFFICIAL_NAMESPACE + written.path
      : written.path;
  if (path.length > MAX_PATH_LENGTH) {
    throw repositoryTooLong(written, path);
  }
  const ref: ImageReference = { domain, path, implicitDomain };
  if (written.tag !== undefined) ref.tag = written.tag;
  if (written.digest !== undefined) ref.digest = written.digest;
  return ref;
}

function repositoryTooLong(written: WrittenReference, path: string): GrammarFailure {
  return new GrammarFailure({
    message: `the repository path "${path.slice(0, 40)}..." is ${path.length} characters long; at most ${MAX_PATH_LENGTH} are allowed`,
    index: written.pathStart + Math.max(0, MAX_PATH_LENGTH - (path.length - written.path.length)),
    hint: "shorten the repository path",
  });
}

function describeCharacter(character: string): string {
  if (character === "") return "the end of the reference";
  return JSON.stringify(character);
}

function codePoint(input: string, index: number): string {
  return (input.codePointAt(index) ?? 0).toString(16).toUpperCase().padStart(4, "0");
}
