#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

// src/grammars/scanner.ts
function ok(value) {
  return { ok: true, value };
}
var GrammarFailure = class extends Error {
  constructor(detail) {
    super(detail.message);
    this.detail = detail;
    this.name = "GrammarFailure";
  }
  detail;
};
var Scanner = class {
  constructor(input) {
    this.input = input;
  }
  input;
  pos = 0;
  get done() {
    return this.pos >= this.input.length;
  }
  get rest() {
    return this.input.slice(this.pos);
  }
  peek(length = 1) {
    return this.input.slice(this.pos, this.pos + length);
  }
  /** Consumes `text` if it stands at the cursor. */
  eat(text) {
    if (!this.input.startsWith(text, this.pos)) return false;
    this.pos += text.length;
    return true;
  }
  /** Consumes the longest match of `pattern` (which must not be global) at the cursor, or returns undefined. */
  match(pattern) {
    const sticky = stickyVersionOf(pattern);
    sticky.lastIndex = this.pos;
    const found = sticky.exec(this.input);
    if (!found) return void 0;
    this.pos += found[0].length;
    return found[0];
  }
  skipSpaces() {
    this.match(/[ \t]+/);
  }
  expect(text, what = `"${text}"`) {
    if (!this.eat(text)) this.fail(`expected ${what}${this.describeHere()}`);
  }
  /** A phrase naming what stands at the cursor, for error messages. */
  describeHere() {
    return this.done ? " at the end" : ` at "${this.rest.slice(0, 20)}"`;
  }
  fail(message, hint, index = this.pos) {
    throw new GrammarFailure(hint === void 0 ? { message, index } : { message, index, hint });
  }
};
var stickyCache = /* @__PURE__ */ new Map();
function stickyVersionOf(pattern) {
  if (pattern.sticky) return pattern;
  const { flags, source } = pattern;
  let byFlags = stickyCache.get(source);
  if (!byFlags) {
    byFlags = /* @__PURE__ */ new Map();
    stickyCache.set(source, byFlags);
  }
  let sticky = byFlags.get(flags);
  if (!sticky) {
    sticky = new RegExp(source, flags + "y");
    byFlags.set(flags, sticky);
  }
  return sticky;
}
function parseWith(input, body) {
  const scanner = new Scanner(input);
  try {
    return ok(body(scanner));
  } catch (error) {
    if (error instanceof GrammarFailure) return { ok: false, error: error.detail };
    throw error;
  }
}
var CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
var CONTROL_CHARACTER_BUT_TAB = new RegExp(`(?!\\t)${CONTROL_CHARACTER.source}`);

export {
  GrammarFailure,
  Scanner,
  parseWith,
  CONTROL_CHARACTER,
  CONTROL_CHARACTER_BUT_TAB
};
