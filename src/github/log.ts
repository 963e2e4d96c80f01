/**
 * The runner reads any line of a step's output that starts with `::` (or the older `##[`) as a
 * workflow command: `::add-mask::`, `::error::`, `::set-output::`. Text a pull request controls
 * (build output, messages quoting its files) is written so that no line of it can start one.
 */

/** A zero-width space: invisible in the log, and not whitespace the runner would trim. */
const GUARD = "\u200b";

/** `text` with every line that would read as a workflow command guarded. */
export function runnerSafe(text: string): string {
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => (/^\s*(::|##\[)/.test(line) ? GUARD + line : line))
    .join("\n");
}
