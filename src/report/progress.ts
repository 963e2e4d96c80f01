/**
 * How a run's builds are shown while they run: one line per image (queued, pulling, apt, pip,
 * pushing, done in 12.3 s). On a terminal the lines are redrawn in place and their clocks tick; in a
 * log (CI, a pipe) each change is one line of its own. The builders' own output is not shown here:
 * it is in each image's log file, and on the screen with --verbose.
 */
import type { BuildOutcome, BuildState } from "../stages/build/index.js";

export interface ProgressTarget {
  write(text: string): void;
  /** A terminal: lines are redrawn in place. */
  isTTY?: boolean;
}

interface Row {
  name: string;
  state: BuildState;
  /** When the current build started (ms), for the ticking clock. */
  startedAt?: number;
  seconds: number;
}

const TICK_MS = 1000;
const FINAL: ReadonlySet<BuildState> = new Set(["done", "failed", "cancelled", "skipped"]);

/** Follows the build stage's onProgress calls and shows them on `target`. */
export class BuildProgress {
  readonly #target: ProgressTarget;
  readonly #rows = new Map<string, Row>();
  /** Lines drawn last time (terminal mode), to move the cursor back over. */
  #drawn = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #now: () => number;

  constructor(target: ProgressTarget, now: () => number = () => Date.now()) {
    this.#target = target;
    this.#now = now;
  }

  /** One state change of one image (the build stage's onProgress). */
  update(name: string, state: BuildState, seconds: number): void {
    const row = this.#rows.get(name) ?? { name, state, seconds };
    const changed = row.state !== state || !this.#rows.has(name);
    if (state !== "queued" && !FINAL.has(state) && row.startedAt === undefined)
      row.startedAt = this.#now() - seconds * 1000;
    row.state = state;
    row.seconds = seconds;
    this.#rows.set(name, row);
    if (this.#target.isTTY) {
      this.#startTicking();
      this.#redraw();
    } else if (changed && state !== "queued") {
      this.#target.write(`${lineOf(row)}\n`);
    }
  }

  /** The builds are over: the last picture (on a terminal; a log has every line already). */
  finish(outcomes: readonly BuildOutcome[]): void {
    this.#stopTicking();
    for (const outcome of outcomes) {
      const row = this.#rows.get(outcome.name) ?? {
        name: outcome.name,
        state: outcome.state,
        seconds: 0,
      };
      row.state = outcome.state;
      row.seconds = outcome.seconds ?? row.seconds;
      this.#rows.set(outcome.name, row);
    }
    if (this.#target.isTTY && this.#rows.size > 0) this.#redraw();
    this.#drawn = 0;
  }

  /** Stops the clock without drawing (the run failed before the builds ended). */
  stop(): void {
    this.#stopTicking();
  }

  #redraw(): void {
    const width = Math.max(...[...this.#rows.keys()].map((name) => name.length));
    const lines = [...this.#rows.values()].map((row) => {
      const live =
        row.startedAt !== undefined && !FINAL.has(row.state)
          ? { ...row, seconds: (this.#now() - row.startedAt) / 1000 }
          : row;
      return lineOf(live, width);
    });
    // Up over the lines drawn before, then each line cleared and written again.
    const up = this.#drawn > 0 ? `\u001b[${this.#drawn}F` : "";
    this.#target.write(up + lines.map((line) => `\u001b[2K${line}\n`).join(""));
    this.#drawn = lines.length;
  }

  #startTicking(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#redraw(), TICK_MS);
    this.#timer.unref();
  }

  #stopTicking(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** "ds   pip (12.3 s)", "ds   done in 12.3 s", "nlp  skipped". */
export function lineOf(
  row: Pick<Row, "name" | "state" | "seconds">,
  width = row.name.length,
): string {
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
