import { parseAptPackage } from "../../grammars/apt.js";
import { parseCondaSpec } from "../../grammars/conda.js";
import { parsePipRequirement } from "../../grammars/pep508.js";
import { CONTROL_CHARACTER_BUT_TAB, type ParseResult } from "../../grammars/scanner.js";
import type { PackageManager } from "../../model.js";
import { isScalar, type Node } from "yaml";
import { findInNode, nodeAt, type PathSegment, type YamlFile } from "../../source/yaml-file.js";
import type { Problems } from "./report.js";

/** One package entry with where it stands in the file. */
interface PackageEntry {
  text: string;
  /**
   * Where the entry's character `index` stands in the file (0 is where the entry starts), through
   * quotes, escapes and indentation; computed only when a problem needs it.
   */
  at: (index: number) => number;
  path: PathSegment[];
}

interface Ecosystem {
  rule: string;
  label: string;
  /** Parses an entry; on success, the key under which two entries name the same package. */
  parse(text: string): ParseResult<string>;
}

const ECOSYSTEMS: Record<PackageManager, Ecosystem> = {
  apt: {
    rule: "apt-package",
    label: "apt package",
    parse: (text) =>
      mapResult(parseAptPackage(text), (p) => (p.arch ? `${p.name}:${p.arch}` : p.name)),
  },
  conda: {
    rule: "conda-package",
    label: "conda spec",
    parse: (text) => mapResult(parseCondaSpec(text), (p) => p.name),
  },
  pip: {
    rule: "pip-package",
    label: "pip requirement",
    parse: (text) => mapResult(parsePipRequirement(text), (p) => p.normalizedName),
  },
};

function mapResult<T>(result: ParseResult<T>, key: (value: T) => string): ParseResult<string> {
  return result.ok ? { ok: true, value: key(result.value) } : result;
}

/**
 * Checks one package list (a YAML list, or a block string with one package per line) and returns
 * its entries as the builder will receive them: trimmed, blank lines dropped, nothing else dropped.
 */
export function checkPackageList(
  source: YamlFile,
  path: PathSegment[],
  manager: PackageManager,
  value: unknown,
  problems: Problems,
): string[] {
  const ecosystem = ECOSYSTEMS[manager];
  const entries = entriesOf(source, path, value, problems);
  const seen = new Map<string, PackageEntry>();
  const packages: string[] = [];
  for (const entry of entries) {
    packages.push(entry.text);
    const result = ecosystem.parse(entry.text);
    if (!result.ok) {
      const { message, hint, index } = result.error;
      problems.add(
        source,
        entry.path,
        ecosystem.rule,
        `${ecosystem.label} ${JSON.stringify(entry.text)}: ${message}${hint ? `; ${hint}` : ""}`,
        { offset: entry.at(Math.min(index, entry.text.length)) },
      );
      continue;
    }
    const first = seen.get(result.value);
    if (first) {
      const again =
        first.text === entry.text ? "listed twice" : `also listed as ${JSON.stringify(first.text)}`;
      problems.warn(
        source,
        entry.path,
        "duplicate-package",
        `${ecosystem.label} ${JSON.stringify(entry.text)} is ${again}; keep one entry`,
        entry.at(0),
      );
      continue;
    }
    seen.set(result.value, entry);
  }
  return packages;
}

function entriesOf(
  source: YamlFile,
  path: PathSegment[],
  value: unknown,
  problems: Problems,
): PackageEntry[] {
  const entries: PackageEntry[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item !== "string") return; // the schema reports the wrong type
      const itemPath = [...path, index];
      const text = item.trim();
      const lead = item.length - item.trimStart().length;
      // Located only when there is something to report: finding it needs the located document.
      const at = locator(source, itemPath, item, [{ start: lead, text }]);
      if (text === "") {
        problems.add(source, itemPath, "package-line", "empty package entry; remove it");
      } else if (!lineIsBroken(source, itemPath, text, at, problems)) {
        entries.push({ text, at, path: itemPath });
      }
    });
    return entries;
  }
  if (typeof value !== "string") return entries;
  // Each line of a block string, with where it starts in the string's value.
  const lines: { start: number; text: string }[] = [];
  const breaks = /\r\n|\n|\r/g;
  let lineStart = 0;
  for (;;) {
    const found = breaks.exec(value);
    const raw = value.slice(lineStart, found ? found.index : value.length);
    const text = raw.trim();
    if (text !== "") lines.push({ start: lineStart + raw.length - raw.trimStart().length, text });
    if (!found) break;
    lineStart = found.index + found[0].length;
  }
  lines.forEach((line, index) => {
    const at = locator(source, path, value, lines, index);
    const { text } = line;
    if (text.startsWith("#")) {
      problems.add(
        source,
        path,
        "package-line",
        `${JSON.stringify(text)}: a block string holds one package per line and no comments; write the packages as a YAML list to comment them`,
        { offset: at(0) },
      );
    } else if (!lineIsBroken(source, path, text, at, problems)) {
      entries.push({ text, at, path });
    }
  });
  return entries;
}

/**
 * Maps an index into one entry (`parts[which]`, a piece of the scalar's `value` starting at `start`)
 * to an offset in the file. When the scalar's source can be read back character by character (see
 * `valueOffsets`) the map is exact; otherwise the entry is searched for as written, as before.
 */
function locator(
  source: YamlFile,
  path: PathSegment[],
  value: string,
  parts: readonly { start: number; text: string }[],
  which = 0,
): (index: number) => number {
  let exact: number[] | null | undefined;
  let found: number | undefined;
  return (index) => {
    const node = nodeAt(source, path).node;
    exact ??= valueOffsets(source.text, node, value) ?? null;
    const part = parts[which] ?? { start: 0, text: value };
    if (exact !== null) {
      const at = part.start + index;
      const last = exact[value.length - 1] ?? 0;
      return exact[at] ?? last + 1;
    }
    if (found === undefined) {
      // Without an exact map, find the parts in order, each after the one before it.
      let cursor = 0;
      for (let i = 0; i <= which; i += 1) {
        const text = parts[i]?.text ?? "";
        const offset = findInNode(source, node, text, cursor);
        cursor = offset + text.length;
        if (i === which) found = offset;
      }
    }
    return (found ?? 0) + index;
  };
}

/** Whether `code` is a YAML white space character (space or tab). */
function isBlank(character: string | undefined): boolean {
  return character === " " || character === "\t";
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
};

/**
 * For each character of a scalar's value, the offset in the file of the source character that
 * produced it: reads the scalar's source again (plain, single- or double-quoted with escapes and
 * line folding, literal or folded block) and returns undefined unless that reading gives exactly
 * `value`, so a mapping is only ever used when it is right.
 */
function valueOffsets(text: string, node: Node | undefined, value: string): number[] | undefined {
  if (!isScalar(node) || node.range === undefined || node.range === null) return undefined;
  const [start, end] = node.range;
  const chars: string[] = [];
  const offsets: number[] = [];
  const push = (character: string, offset: number) => {
    chars.push(character);
    offsets.push(offset);
  };
  const type = node.type;
  if (type === "BLOCK_LITERAL" || type === "BLOCK_FOLDED") {
    readBlock(text, start, end, type === "BLOCK_FOLDED", push);
  } else {
    const quote = type === "QUOTE_DOUBLE" ? '"' : type === "QUOTE_SINGLE" ? "'" : "";
    readFlow(text, start + quote.length, end - quote.length, quote, push, chars, offsets);
  }
  return chars.join("") === value ? offsets : undefined;
}

/** Reads a flow scalar between `from` and `to`: escapes (double quotes), "''" (single quotes), folding. */
function readFlow(
  text: string,
  from: number,
  to: number,
  quote: string,
  push: (character: string, offset: number) => void,
  chars: string[],
  offsets: number[],
): void {
  let i = from;
  while (i < to) {
    const character = text[i] ?? "";
    if (character === "\r" || character === "\n") {
      // Folding: trailing blanks before the break go, each empty line after it is a "\n", and a
      // break followed directly by more text is a space.
      while (chars.length > 0 && isBlank(chars[chars.length - 1])) {
        chars.pop();
        offsets.pop();
      }
      const breakAt = i;
      let empty = 0;
      for (;;) {
        i += text[i] === "\r" && text[i + 1] === "\n" ? 2 : 1;
        while (i < to && isBlank(text[i])) i += 1;
        if (i < to && (text[i] === "\n" || text[i] === "\r")) {
          push("\n", i);
          empty += 1;
          continue;
        }
        break;
      }
      if (empty === 0) push(" ", breakAt);
      continue;
    }
    if (quote === "'" && character === "'" && text[i + 1] === "'") {
      push("'", i);
      i += 2;
      continue;
    }
    if (quote === '"' && character === "\\") {
      const next = text[i + 1] ?? "";
      if (next === "\n" || next === "\r") {
        // An escaped line break joins the lines without a space.
        i += 1;
        i += text[i] === "\r" && text[i + 1] === "\n" ? 2 : 1;
        while (i < to && isBlank(text[i])) i += 1;
        continue;
      }
      const simple = SIMPLE_ESCAPES[next];
      if (simple !== undefined) {
        push(simple, i);
        i += 2;
        continue;
      }
      const digits = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
      const hex = text.slice(i + 2, i + 2 + digits);
      if (digits === 0 || !/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== digits) return;
      for (const unit of String.fromCodePoint(parseInt(hex, 16))) push(unit, i);
      i += 2 + digits;
      continue;
    }
    push(character, i);
    i += 1;
  }
}

/** Reads a literal or folded block scalar: the header line, then lines with their indentation removed. */
function readBlock(
  text: string,
  from: number,
  to: number,
  folded: boolean,
  push: (character: string, offset: number) => void,
): void {
  const headerEnd = text.indexOf("\n", from);
  if (headerEnd === -1) return;
  const header = text.slice(from, headerEnd);
  const explicit = /[1-9]/.exec(header)?.[0];
  const keep = header.includes("+");
  const strip = header.includes("-");
  const lines: { start: number; end: number }[] = [];
  let cursor = headerEnd + 1;
  while (cursor < to) {
    const next = text.indexOf("\n", cursor);
    const lineEnd = next === -1 || next > to ? to : next;
    lines.push({ start: cursor, end: text[lineEnd - 1] === "\r" ? lineEnd - 1 : lineEnd });
    cursor = lineEnd + 1;
  }
  const firstText = lines.find((line) => text.slice(line.start, line.end).trim() !== "");
  const indent =
    explicit !== undefined
      ? Number(explicit)
      : firstText === undefined
        ? 0
        : (/^ */.exec(text.slice(firstText.start, firstText.end))?.[0].length ?? 0);
  let pendingBreaks: number[] = [];
  let previousMoreIndented = false;
  let any = false;
  for (const line of lines) {
    const content = text.slice(line.start, line.end);
    if (content.trim() === "") {
      pendingBreaks.push(line.start);
      continue;
    }
    const moreIndented = isBlank(content[indent]);
    const [first, ...rest] = pendingBreaks;
    if (!any || !folded || moreIndented || previousMoreIndented) {
      // Before the first line only the empty lines count; a literal block keeps every break.
      for (const at of pendingBreaks) push("\n", at);
    } else if (rest.length === 0 && first !== undefined) {
      push(" ", first); // folded: a single break between two lines of text is a space
    } else {
      for (const at of rest) push("\n", at);
    }
    for (let i = line.start + indent; i < line.end; i += 1) push(text[i] ?? "", i);
    pendingBreaks = [line.end];
    previousMoreIndented = moreIndented;
    any = true;
  }
  if (!strip && any) {
    const [first, ...rest] = pendingBreaks;
    if (first !== undefined) push("\n", first);
    if (keep) for (const at of rest) push("\n", at);
  }
}
/** A package entry is one line of printable text: a newline or control character is never a package. */
function lineIsBroken(
  source: YamlFile,
  path: PathSegment[],
  text: string,
  at: (index: number) => number,
  problems: Problems,
): boolean {
  // A tab is left to the grammars: PEP 508 reads it as whitespace, apt and conda refuse it.
  const match = CONTROL_CHARACTER_BUT_TAB.exec(text);
  if (!match) return false;
  const what = /[\n\r\u2028\u2029]/.test(match[0])
    ? "a line break (one entry per package)"
    : `the control character U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  problems.add(
    source,
    path,
    "package-line",
    `${JSON.stringify(text)} contains ${what}; write each package as its own entry`,
    { offset: at(match.index) },
  );
  return true;
}
