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

/** One YAML file of the catalog, parsed, with what is needed to point back into its text. */
export interface YamlFile {
  /** Relative to the catalog root, `/` separators. */
  file: string;
  text: string;
  /** Undefined when the file could not be read as a YAML document at all. */
  doc?: Document.Parsed;
  lineCounter: LineCounter;
  /** The plain data (undefined when the document did not parse, null for an empty file). */
  data: unknown;
  /** Problems of reading and parsing: encoding, size, YAML syntax, duplicate keys. */
  problems: Problem[];
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

/**
 * Reads one catalog file. Never throws: bytes that are not a YAML document (binary, bad UTF-8, too
 * large, too deeply nested, broken syntax) become problems located in the file.
 */
export function parseYamlFile(file: string, bytes: Uint8Array): YamlFile {
  const lineCounter = new LineCounter();
  const empty = (text: string, problem: Omit<Problem, "file">): YamlFile => ({
    file,
    text,
    lineCounter,
    data: undefined,
    problems: [{ file, ...problem }],
  });
  const whole = { line: 1, column: 1, severity: "error" as const, pointer: "" };

  if (bytes.length > MAX_FILE_BYTES) {
    return empty("", {
      ...whole,
      rule: "file-size",
      message: `file is ${bytes.length} bytes; a definition may be at most ${MAX_FILE_BYTES} bytes. Is this really an image definition?`,
    });
  }
  if (bytes.includes(0)) {
    return empty("", {
      ...whole,
      rule: "file-encoding",
      message: "file is binary (it contains NUL bytes); a definition is UTF-8 YAML text",
    });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const decoded = Buffer.from(bytes).toString("utf8");
    const bad = decoded.indexOf("\uFFFD");
    const before = decoded.slice(0, Math.max(bad, 0));
    const lines = before.split("\n");
    return empty(decoded, {
      ...whole,
      line: lines.length,
      column: (lines.at(-1)?.length ?? 0) + 1,
      rule: "file-encoding",
      message: "file is not valid UTF-8; save it as UTF-8 text",
    });
  }

  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      strict: true,
      keepSourceTokens: false,
    });
  } catch (error) {
    return empty(text, {
      ...whole,
      rule: "yaml-syntax",
      message: `cannot parse YAML: ${describe(error)}`,
    });
  }

  const problems: Problem[] = [];
  for (const [list, severity] of [
    [doc.errors, "error"],
    [doc.warnings, "warning"],
  ] as const) {
    for (const error of list) problems.push(yamlProblem(file, lineCounter, error, severity));
  }
  if (problems.some((p) => p.severity === "error")) {
    return { file, text, doc, lineCounter, data: undefined, problems };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message =
      error instanceof RangeError
        ? "YAML is nested too deeply to be an image definition"
        : `cannot read YAML: ${describe(error)}`;
    problems.push({ file, ...whole, rule: "yaml-syntax", message });
    return { file, text, doc, lineCounter, data: undefined, problems };
  }
  return { file, text, doc, lineCounter, data, problems };
}

function yamlProblem(
  file: string,
  lineCounter: LineCounter,
  error: YAMLError,
  severity: Severity,
): Problem {
  const position = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
  const rule = error.code === "DUPLICATE_KEY" ? "yaml-duplicate-key" : "yaml-syntax";
  // The yaml package's messages end with a source excerpt when prettyErrors is on; ours are off,
  // so the first line is the whole message.
  const message = error.message.split("\n")[0] ?? error.message;
  const fix =
    rule === "yaml-duplicate-key"
      ? "; a key may appear once in a mapping: remove or merge the repeated one"
      : "";
  return {
    file,
    line: position.line,
    column: position.col,
    rule,
    message: message + fix,
    severity,
    pointer: "",
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
}

/** The node at `path` in the document, or the deepest existing ancestor of it. */
export function nodeAt(
  source: YamlFile,
  path: readonly PathSegment[],
): { node?: Node; depth: number } {
  let current: unknown = source.doc?.contents ?? undefined;
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

/** Line and column of a character offset into the file's text. */
export function positionOf(source: YamlFile, offset: number): { line: number; column: number } {
  if (!source.doc) return { line: 1, column: 1 };
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
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
