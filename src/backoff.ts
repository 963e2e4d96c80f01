/**
 * Waiting between attempts, one way for everything that retries (registry requests, the builder's
 * pushes): exponential backoff with jitter, and a sleep that a cancel cuts short.
 */

/** What a cancelled wait (or anything else stopped by the run's AbortSignal) rejects with. */
export class CancelledError extends Error {
  readonly code = "cancelled";
  constructor(message = "cancelled") {
    super(message);
    this.name = "CancelledError";
  }
}

/**
 * How long to wait before retry number `attempt + 1`: `baseMs * 2^attempt`, at most `maxMs`, with
 * "equal jitter" (at least half the delay, so retries still back off; the rest random, so many
 * clients failing together do not come back together).
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Resolves after `ms`; rejects with a CancelledError as soon as `signal` aborts (at once if it has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
