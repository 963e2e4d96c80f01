/**
 * What every version and detail read from an image goes through before it is compared. The image
 * is untrusted: its package databases may hold anything, so a value is only looked at when it is a
 * string of plausible size without control characters, and everything else is simply "not allowed".
 */
import { CONTROL_CHARACTER } from "../grammars/scanner.js";

/**
 * Longer values are no version anyone publishes (CEP 26 caps conda versions at 64 characters, and
 * Debian and PyPI versions stay far below this); the cap also bounds the work of every comparison.
 */
export const MAX_INSTALLED_LENGTH = 256;

/** Whether `value` is worth parsing as a version or detail at all. */
export function isPlausible(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length > 0 &&
    value.length <= MAX_INSTALLED_LENGTH &&
    !CONTROL_CHARACTER.test(value)
  );
}

/** -1, 0 or 1, the sign of an order however it was computed. */
export function sign(order: number): number {
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}

/** Numeric order of two bigints. */
export function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-unit order of two strings, as Python compares ASCII strings. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
