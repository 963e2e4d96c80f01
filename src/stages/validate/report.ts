import type { Problem, Severity } from "../../model.js";
import {
  nodeAt,
  offsetOf,
  type PathSegment,
  positionOf,
  toPointer,
  type YamlFile,
} from "../../source/yaml-file.js";

/** A place in a file, as a problem reports it. */
export interface Location {
  file: string;
  line: number;
  column: number;
  pointer: string;
}

/** Collects the problems of one validation run, located in their files. */
export class Problems {
  readonly list: Problem[] = [];
  #errors = 0;

  /** How many of the problems so far are errors. */
  get errorCount(): number {
    return this.#errors;
  }

  /** A problem about the value at `path` in `source` (or at an exact character offset). */
  add(
    source: YamlFile,
    path: readonly PathSegment[],
    rule: string,
    message: string,
    options: { severity?: Severity; offset?: number } = {},
  ): void {
    const offset = options.offset ?? offsetOf(nodeAt(source, path).node);
    const { line, column } = positionOf(source, offset);
    this.push({
      file: source.file,
      line,
      column,
      rule,
      message: shortened(message),
      severity: options.severity ?? "error",
      pointer: toPointer(path),
    });
  }

  /** Where the value at `path` stands, kept so cross-file rules can point at it after the file is parsed and dropped. */
  locate(source: YamlFile, path: readonly PathSegment[]): Location {
    const { line, column } = positionOf(source, offsetOf(nodeAt(source, path).node));
    return { file: source.file, line, column, pointer: toPointer(path) };
  }

  /** A problem at a location taken earlier with `locate`. */
  addAt(location: Location, rule: string, message: string, severity: Severity = "error"): void {
    this.push({ ...location, rule, message: shortened(message), severity });
  }

  warn(
    source: YamlFile,
    path: readonly PathSegment[],
    rule: string,
    message: string,
    offset?: number,
  ): void {
    this.add(
      source,
      path,
      rule,
      message,
      offset === undefined ? { severity: "warning" } : { severity: "warning", offset },
    );
  }

  push(...problems: Problem[]): void {
    for (const problem of problems) if (problem.severity === "error") this.#errors++;
    this.list.push(...problems);
  }

  hasErrorsIn(file: string): boolean {
    return this.list.some((p) => p.file === file && p.severity === "error");
  }

  /** In file order, then position, then rule: the order a person fixes them in. */
  sorted(): Problem[] {
    return [...this.list].sort(
      (a, b) =>
        compare(a.file, b.file) ||
        a.line - b.line ||
        a.column - b.column ||
        compare(a.rule, b.rule),
    );
  }
}

/** The longest message a problem carries: a quoted 100,000-character value must not flood a log. */
const MAX_MESSAGE = 600;

/**
 * A message cut in the middle when it is too long: the start (what is wrong, and the value's
 * beginning) and the end (the explanation and the fix) are what a person reads.
 */
export function shortened(message: string): string {
  if (message.length <= MAX_MESSAGE) return message;
  const head = message.slice(0, 300);
  const tail = message.slice(-250);
  return `${head}…(${message.length - 550} characters left out)…${tail}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
