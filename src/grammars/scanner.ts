/**
 * The shared machinery of the package and reference grammars: a cursor over one entry, and the
 * result type every parser returns. Each grammar is a small recursive-descent parser built on this.
 */

/** Why an entry does not parse: a sentence, the 0-based index in the entry where it went wrong, and how to fix it. */
export interface GrammarError {
  message: string;
  index: number;
  hint?: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: GrammarError };

export function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

/** Thrown inside a parser to abandon the entry; `parseWith` turns it into a failed ParseResult. */
export class GrammarFailure extends Error {
  constructor(readonly detail: GrammarError) {
    super(detail.message);
    this.name = "GrammarFailure";
  }
}

/** A cursor over one input string. `match` consumes a sticky regular expression at the cursor. */
export class Scanner {
  pos = 0;

  constructor(readonly input: string) {}

  get done(): boolean {
    return this.pos >= this.input.length;
  }

  get rest(): string {
    return this.input.slice(this.pos);
  }

  peek(length = 1): string {
    return this.input.slice(this.pos, this.pos + length);
  }

  /** Consumes `text` if it stands at the cursor. */
  eat(text: string): boolean {
    if (!this.input.startsWith(text, this.pos)) return false;
    this.pos += text.length;
    return true;
  }

  /** Consumes the longest match of `pattern` (which must not be global) at the cursor, or returns undefined. */
  match(pattern: RegExp): string | undefined {
    const sticky = stickyVersionOf(pattern);
    sticky.lastIndex = this.pos;
    const found = sticky.exec(this.input);
    if (!found) return undefined;
    this.pos += found[0].length;
    return found[0];
  }

  skipSpaces(): void {
    this.match(/[ \t]+/);
  }

  expect(text: string, what = `"${text}"`): void {
    if (!this.eat(text)) this.fail(`expected ${what}${this.describeHere()}`);
  }

  /** A phrase naming what stands at the cursor, for error messages. */
  describeHere(): string {
    return this.done ? " at the end" : ` at "${this.rest.slice(0, 20)}"`;
  }

  fail(message: string, hint?: string, index = this.pos): never {
    throw new GrammarFailure(hint === undefined ? { message, index } : { message, index, hint });
  }
}

/**
 * Sticky copies of the token patterns, made once each. Keyed by source text, not by object: a regex
 * literal inside a function is a new object at every call, and parsers call `match` in inner loops.
 * Source, then flags: a literal's source is the same string every time, whose hash is kept, where
 * a key joined from both would be a new string to hash at every call (a third of a plan's parsing).
 */
const stickyCache = new Map<string, Map<string, RegExp>>();

function stickyVersionOf(pattern: RegExp): RegExp {
  if (pattern.sticky) return pattern;
  const { flags, source } = pattern;
  let byFlags = stickyCache.get(source);
  if (!byFlags) {
    byFlags = new Map();
    stickyCache.set(source, byFlags);
  }
  let sticky = byFlags.get(flags);
  if (!sticky) {
    sticky = new RegExp(source, flags + "y");
    byFlags.set(flags, sticky);
  }
  return sticky;
}

/** Runs a parser body over `input`, turning a GrammarFailure into a failed result. */
export function parseWith<T>(input: string, body: (scanner: Scanner) => T): ParseResult<T> {
  const scanner = new Scanner(input);
  try {
    return ok(body(scanner));
  } catch (error) {
    if (error instanceof GrammarFailure) return { ok: false, error: error.detail };
    throw error;
  }
}

/** Control characters (C0, DEL, C1) and line breaks, which no package entry or reference may contain. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The same without the tab, which PEP 508 reads as whitespace; the grammars decide about tabs. */
export const CONTROL_CHARACTER_BUT_TAB = new RegExp(`(?!\\t)${CONTROL_CHARACTER.source}`);
