#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import "./chunk-XML4HPHG.js";

// src/report/progress.ts
var TICK_MS = 1e3;
var FINAL = /* @__PURE__ */ new Set(["done", "failed", "cancelled", "skipped"]);
var BuildProgress = class {
  #target;
  #rows = /* @__PURE__ */ new Map();
  /** Lines drawn last time (terminal mode), to move the cursor back over. */
  #drawn = 0;
  #timer;
  #now;
  constructor(target, now = () => Date.now()) {
    this.#target = target;
    this.#now = now;
  }
  /** One state change of one image (the build stage's onProgress). */
  update(name, state, seconds) {
    const row = this.#rows.get(name) ?? { name, state, seconds };
    const changed = row.state !== state || !this.#rows.has(name);
    if (state !== "queued" && !FINAL.has(state) && row.startedAt === void 0)
      row.startedAt = this.#now() - seconds * 1e3;
    row.state = state;
    row.seconds = seconds;
    this.#rows.set(name, row);
    if (this.#target.isTTY) {
      this.#startTicking();
      this.#redraw();
    } else if (changed && state !== "queued") {
      this.#target.write(`${lineOf(row)}
`);
    }
  }
  /** The builds are over: the last picture (on a terminal; a log has every line already). */
  finish(outcomes) {
    this.#stopTicking();
    for (const outcome of outcomes) {
      const row = this.#rows.get(outcome.name) ?? {
        name: outcome.name,
        state: outcome.state,
        seconds: 0
      };
      row.state = outcome.state;
      row.seconds = outcome.seconds ?? row.seconds;
      this.#rows.set(outcome.name, row);
    }
    if (this.#target.isTTY && this.#rows.size > 0) this.#redraw();
    this.#drawn = 0;
  }
  /** Stops the clock without drawing (the run failed before the builds ended). */
  stop() {
    this.#stopTicking();
  }
  #redraw() {
    const width = Math.max(...[...this.#rows.keys()].map((name) => name.length));
    const lines = [...this.#rows.values()].map((row) => {
      const live = row.startedAt !== void 0 && !FINAL.has(row.state) ? { ...row, seconds: (this.#now() - row.startedAt) / 1e3 } : row;
      return lineOf(live, width);
    });
    const up = this.#drawn > 0 ? `\x1B[${this.#drawn}F` : "";
    this.#target.write(up + lines.map((line) => `\x1B[2K${line}
`).join(""));
    this.#drawn = lines.length;
  }
  #startTicking() {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#redraw(), TICK_MS);
    this.#timer.unref();
  }
  #stopTicking() {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = void 0;
  }
};
function lineOf(row, width = row.name.length) {
  const name = row.name.padEnd(width);
  const seconds = `${row.seconds.toFixed(1)} s`;
  switch (row.state) {
    case "queued":
    case "skipped":
      return `${name}  ${row.state}`;
    case "done":
      return `${name}  done in ${seconds}`;
    case "failed":
    case "cancelled":
      return `${name}  ${row.state} after ${seconds}`;
    default:
      return `${name}  ${row.state} (${seconds})`;
  }
}
export {
  BuildProgress,
  lineOf
};
