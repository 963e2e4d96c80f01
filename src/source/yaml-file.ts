import jsyaml from "js-yaml";
import {
  type Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLError,
} from "yaml";
import type { Problem, Severity } from "../model.js";

/** Definitions are a screenful of YAML; anything past this is a mistake, not an image. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Aliases may repeat a package list, never expand into a billion laughs. */
const MAX_ALIAS_COUNT = 100;

export type PathSegment = string | number;

/**
 * One YAML file of the catalog, parsed, with what is needed to point back into its text.
 *
 * Two parsers, one meaning: the fast one (js-yaml, with the YAML 1.2 core schema spelled out
 * below exactly as the `yaml` package resolves it) reads the data of every file; the precise one
 * (`yaml`, which keeps every node's source range) runs only for a file that has something to report,
 * for any file the fast one refuses, and for any file with an anchor (so aliases are bounded the
 * same way everywhere). Most files in a healthy catalog are never parsed twice. The fast path is
 * worth keeping: validating 1,000 definitions takes 0.32 s with it and 0.56 s without, 10,000
 * take 1.08 s and 2.17 s (`npm run bench -- validate`, docs/security.md).
 */
export interface YamlFile {
  /** Relative to the catalog root, `/` separators. */
  file: string;
  text: string;
  /** The plain data (undefined when the document did not parse, null for an empty file). */
  data: unknown;
  /** Problems of reading and parsing: encoding, size, YAML syntax, duplicate keys. */
  problems: Problem[];
  /** The located document, built on first use by `documentOf`. */
  doc?: Document.Parsed;
  /** Offsets where each line starts, built on first use. */
  lineStarts?: number[];
}

/** A JSON pointer (RFC 6901) for a path into a file's data. */
export function toPointer(path: readonly PathSegment[]): string {
  return path
    .map((segment) => "/" + String(segment).replace(/~/g, "~0").replace(/\//g, "~1"))
    .join("");
}

/** The path segments of a JSON pointer; numeric segments become numbers. */
export function fromPointer(pointer: string): PathSegment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((raw) => {
      const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      return /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment;
    });
}

/** YAML 1.2's core schema as the `yaml` package resolves plain scalars, for js-yaml. */
const CORE_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalarType("tag:yaml.org,2002:null", /^(?:~|[Nn]ull|NULL)?$/, () => null),
    scalarType(
      "tag:yaml.org,2002:bool",
      /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
      (text) => text[0] === "t" || text[0] === "T",
    ),
    scalarType("tag:yaml.org,2002:int", /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (text) =>
      text.startsWith("0o")
        ? parseInt(text.slice(2), 8)
        : text.startsWith("0x")
          ? parseInt(text.slice(2), 16)
          : Number(text),
    ),
    scalarType(
      "tag:yaml.org,2002:float",
      /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      (text) => {
        if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text))
          return text.startsWith("-") ? -Infinity : Infinity;
        if (/^\.(?:nan|NaN|NAN)$/.test(text)) return NaN;
        return Number(text);
      },
    ),
  ],
});

function scalarType(
  tag: string,
  pattern: RegExp,
  construct: (text: string) => unknown,
): jsyaml.Type {
  return new jsyaml.Type(tag, {
    kind: "scalar",
    resolve: (text: string | null) => pattern.test(text ?? ""),
    construct: (text: string | null) => construct(text ?? ""),
  });
}

/**
 * Reads one catalog file. Never throws: bytes that are not a YAML document (binary, bad UTF-8, too
 * large, too deeply nested, broken syntax) become problems located in the file.
 */
export function parseYamlFile(file: string, bytes: Uint8Array): YamlFile {
  const whole = { file, line: 1, column: 1, severity: "error" as const, pointer: "" };
  const unreadable = (
    text: string,
    problem: Omit<Problem, "file" | "severity" | "pointer">,
  ): YamlFile => ({
    file,
    text,
    data: undefined,
    problems: [{ ...whole, ...problem }],
  });

  if (bytes.length > MAX_FILE_BYTES) {
    return unreadable("", {
      line: 1,
      column: 1,
      rule: "file-size",
      message: `file is ${bytes.length} bytes; a definition may be at most ${MAX_FILE_BYTES} bytes. Is this really an image definition?`,
    });
  }
  if (bytes.includes(0)) {
    return unreadable("", {
      line: 1,
      column: 1,
      rule: "file-encoding",
      message: "file is binary (it contains NUL bytes); a definition is UTF-8 YAML text",
    });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const decoded = Buffer.from(bytes).toString("utf8");
    const before = decoded.slice(0, Math.max(decoded.indexOf("\uFFFD"), 0)).split("\n");
    return unreadable(decoded, {
      line: before.length,
      column: (before.at(-1)?.length ?? 0) + 1,
      rule: "file-encoding",
      message: "file is not valid UTF-8; save it as UTF-8 text",
    });
  }

  // js-yaml expands aliases without a limit. An alias needs an anchor, and an anchor needs "&":
  // a file with one is read by the precise parser, which bounds aliasing (MAX_ALIAS_COUNT), so
  // the limits are the same whichever parser reads a file.
  if (text.includes("&")) return parsePrecisely(file, text);
  try {
    const data = jsyaml.load(text, { schema: CORE_SCHEMA, json: false });
    return { file, text, data: data === undefined ? null : data, problems: [] };
  } catch {
    // The precise parser says what is wrong, and where.
    return parsePrecisely(file, text);
  }
}

function parsePrecisely(file: string, text: string): YamlFile {
  const whole = { file, line: 1, column: 1, severity: "error" as const, pointer: "" };
  const source: YamlFile = { file, text, data: undefined, problems: [] };
  let doc: Document.Parsed;
  try {
    doc = buildDocument(source);
  } catch (error) {
    source.problems.push({
      ...whole,
      rule: "yaml-syntax",
      message: `cannot parse YAML: ${describe(error)}`,
    });
    return source;
  }
  for (const [list, severity] of [
    [doc.errors, "error"],
    [doc.warnings, "warning"],
  ] as const) {
    for (const error of list) source.problems.push(yamlProblem(source, error, severity));
  }
  if (source.problems.some((p) => p.severity === "error")) return source;
  try {
    source.data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message =
      error instanceof RangeError
        ? "YAML is nested too deeply to be an image definition"
        : `cannot read YAML: ${describe(error)}`;
    source.problems.push({ ...whole, rule: "yaml-syntax", message });
  }
  return source;
}

function buildDocument(source: YamlFile): Document.Parsed {
  source.doc = parseDocument(source.text, {
    lineCounter: new LineCounter(),
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
  });
  return source.doc;
}

/** The located document, parsed with the precise parser on first use. */
export function documentOf(source: YamlFile): Document.Parsed | undefined {
  if (source.doc) return source.doc;
  if (source.text === "") return undefined;
  try {
    return buildDocument(source);
  } catch {
    return undefined;
  }
}

function yamlProblem(source: YamlFile, error: YAMLError, severity: Severity): Problem {
  const { line, column } = positionOf(source, error.pos[0]);
  const rule = error.code === "DUPLICATE_KEY" ? "yaml-duplicate-key" : "yaml-syntax";
  // With prettyErrors off, the first line of the yaml package's message is the whole message.
  const message = error.message.split("\n")[0] ?? error.message;
  const fix =
    rule === "yaml-duplicate-key"
      ? "; a key may appear once in a mapping: remove or merge the repeated one"
      : "";
  return { file: source.file, line, column, rule, message: message + fix, severity, pointer: "" };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
}

/** The node at `path` in the document, or the deepest existing ancestor of it. */
export function nodeAt(
  source: YamlFile,
  path: readonly PathSegment[],
): { node?: Node; depth: number } {
  let current: unknown = documentOf(source)?.contents ?? undefined;
  let depth = 0;
  for (const segment of path) {
    const child = childOf(current, segment);
    if (child === undefined) break;
    current = child;
    depth += 1;
  }
  return { node: isNode(current) ? current : undefined, depth };
}

function childOf(node: unknown, segment: PathSegment): Node | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isPair(pair) && keyText(pair.key) === String(segment)) {
        return isNode(pair.value) ? pair.value : undefined;
      }
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === "number") {
    const item = node.items[segment];
    return isNode(item) ? item : undefined;
  }
  return undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}

/** The key node of `key` in the mapping at `path`, for problems about the key itself. */
export function keyNodeAt(
  source: YamlFile,
  path: readonly PathSegment[],
  key: string,
): Node | undefined {
  const { node, depth } = nodeAt(source, path);
  if (depth !== path.length || !isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isPair(pair) && keyText(pair.key) === key && isNode(pair.key)) return pair.key;
  }
  return undefined;
}

/** Line and column (both 1-based) of a character offset into the file's text. */
export function positionOf(source: YamlFile, offset: number): { line: number; column: number } {
  if (!source.lineStarts) {
    source.lineStarts = [0];
    for (let i = source.text.indexOf("\n"); i >= 0; i = source.text.indexOf("\n", i + 1)) {
      source.lineStarts.push(i + 1);
    }
  }
  const starts = source.lineStarts;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
}

/** The offset where a node's text starts (its value, not its key). */
export function offsetOf(node: Node | undefined): number {
  return node?.range?.[0] ?? 0;
}

/**
 * Where `text` (a value taken from inside `node`, such as one line of a block string) stands in the
 * file, searching from `from` so repeated entries map to successive places. Falls back to the node's
 * own start when the text is escaped in the source and cannot be found as written.
 */
export function findInNode(
  source: YamlFile,
  node: Node | undefined,
  text: string,
  from = 0,
): number {
  const start = Math.max(offsetOf(node), from);
  const end = node?.range?.[1] ?? source.text.length;
  const found = text === "" ? -1 : source.text.indexOf(text, start);
  if (found >= 0 && found + text.length <= end) return found;
  return offsetOf(node);
}
