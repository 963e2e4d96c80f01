/**
 * The SBOM of a built image: a CycloneDX 1.6 BOM made from its inventory, attached to the image in
 * its registry as an OCI 1.1 referrer (referrers API, or the referrers tag schema where the
 * registry has none), and read back to compare what is served with what a new build installs.
 */
export {
  type CycloneDxBom,
  type CycloneDxComponent,
  cycloneDxSbom,
  MANAGER_PROPERTY,
  sbomPackages,
  type SbomInput,
} from "./cyclonedx.js";
export { SbomError, type SbomErrorCode } from "./errors.js";
export {
  findReferrers,
  findSbom,
  type FoundSbom,
  pushReferrer,
  pushSbom,
  type ReferrerArtifact,
  referrersTag,
  SBOM_ARTIFACT_TYPE,
  type Subject,
} from "./referrers.js";
