export type SbomErrorCode =
  | "invalid-input" // what the pipeline passed in cannot make a BOM or a referrer (a bad digest)
  | "not-a-bom" // the data read back is not a CycloneDX BOM
  | "invalid-artifact" // the registry lists a referrer that is not a readable SBOM artifact
  | "not-an-index"; // the referrers tag holds something other than an image index

/** An SBOM that cannot be made, attached or read back; the message says which and why. */
export class SbomError extends Error {
  readonly stage = "sbom";
  constructor(
    message: string,
    readonly code: SbomErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SbomError";
  }
}
