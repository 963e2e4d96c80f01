export type PublishErrorCode =
  | "invalid-catalog" // the catalog does not match schemas/catalog.schema.json
  | "invalid-artifact" // the registry holds something that is not a catalog artifact
  | "inconsistent-input" // the plan or the build results contradict the definitions
  | "catalog-moved" // the published catalog changed since the plan compared against it
  | "refused"; // publishing could lose what the platform serves (stale checkout, unread baseline)

/** A catalog that cannot be published or read back; the message says which and why. */
export class PublishError extends Error {
  readonly stage = "publish";
  constructor(
    message: string,
    readonly code: PublishErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "PublishError";
  }
}
