/** Errors the doors turn into exit statuses; each names the stage it came from. */

/** A mistake in how a command was called (exit 2). */
export class UsageError extends Error {
  readonly stage = "usage";
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A file the pipeline reads (a previous catalog, a plan) that cannot be used (exit 1). */
export class InputError extends Error {
  readonly stage = "input";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InputError";
  }
}
