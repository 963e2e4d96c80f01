import { parseAptPackage } from "../../grammars/apt.js";
import { parseCondaSpec } from "../../grammars/conda.js";
import { parsePipRequirement } from "../../grammars/pep508.js";
import { CONTROL_CHARACTER, type ParseResult } from "../../grammars/scanner.js";
import type { PackageManager } from "../../model.js";
import { findInNode, nodeAt, type PathSegment, type YamlFile } from "../../source/yaml-file.js";
import type { Problems } from "./report.js";

/** One package entry with where it stands in the file. */
interface PackageEntry {
  text: string;
  /** Where the entry starts in the file; computed only when a problem needs it. */
  offset: () => number;
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
        { offset: entry.offset() + Math.min(index, entry.text.length) },
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
        entry.offset(),
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
      // Located only when there is something to report: finding it needs the located document.
      const offset = () => findInNode(source, nodeAt(source, itemPath).node, text);
      if (text === "") {
        problems.add(source, itemPath, "package-line", "empty package entry; remove it");
      } else if (!lineIsBroken(source, itemPath, text, offset, problems)) {
        entries.push({ text, offset, path: itemPath });
      }
    });
    return entries;
  }
  if (typeof value !== "string") return entries;
  const lines = value
    .split(/\r\n|\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  let offsets: number[] | undefined;
  // A block string's lines are found in order, each after the one before it.
  const offsetOfLine = (index: number): number => {
    if (!offsets) {
      const node = nodeAt(source, path).node;
      let cursor = 0;
      offsets = lines.map((line) => {
        const found = findInNode(source, node, line, cursor);
        cursor = found + line.length;
        return found;
      });
    }
    return offsets[index] ?? 0;
  };
  lines.forEach((text, index) => {
    const offset = () => offsetOfLine(index);
    if (text.startsWith("#")) {
      problems.add(
        source,
        path,
        "package-line",
        `${JSON.stringify(text)}: a block string holds one package per line and no comments; write the packages as a YAML list to comment them`,
        { offset: offset() },
      );
    } else if (!lineIsBroken(source, path, text, offset, problems)) {
      entries.push({ text, offset, path });
    }
  });
  return entries;
}

/** A package entry is one line of printable text: a newline or control character is never a package. */
function lineIsBroken(
  source: YamlFile,
  path: PathSegment[],
  text: string,
  offset: () => number,
  problems: Problems,
): boolean {
  const match = CONTROL_CHARACTER.exec(text);
  if (!match) return false;
  const what = /[\n\r\u2028\u2029]/.test(match[0])
    ? "a line break (one entry per package)"
    : `the control character U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  problems.add(
    source,
    path,
    "package-line",
    `${JSON.stringify(text)} contains ${what}; write each package as its own entry`,
    {
      offset: offset() + match.index,
    },
  );
  return true;
}
