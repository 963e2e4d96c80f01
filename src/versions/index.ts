/**
 * The question the "packages" contract of a built image asks of each declared entry: is the
 * version installed in the image one that the entry allows? Entries are read with the project's
 * grammars (apt-get arguments, PEP 508 requirements, conda MatchSpecs); versions are compared the
 * way each package manager compares them: dpkg and apt, PEP 440 as pip applies it, conda's
 * VersionOrder and VersionSpec.
 *
 * Installed versions and details come from the image's package databases and are untrusted:
 * `allows` never throws, and a value that is no version of its manager (garbage, control
 * characters, more than 256 characters) is never allowed, even by an entry without a constraint.
 */
import { compareDebianVersions, parseAptPackage, parseDebianVersion } from "../grammars/apt.js";
import { parseCondaSpec, type CondaSpec } from "../grammars/conda.js";
import { parsePipRequirement } from "../grammars/pep508.js";
import {
  buildPredicate,
  condaVersionPredicate,
  matchSpecVersion,
  parseCondaVersion,
} from "./conda-version.js";
import { isPlausible } from "./installed.js";
import { parsePep440, pipSpecifierPredicate } from "./pep440.js";

export { compareCondaVersions } from "./conda-version.js";
export { comparePep440 } from "./pep440.js";

export type Manager = "apt" | "pip" | "conda";

export interface DeclaredPackage {
  manager: Manager;
  /** The name as written. */
  name: string;
  /** The name as installed packages are matched on (apt: lowercase; pip: PEP 503 normalized; conda: lowercase). */
  key: string;
  /** The version constraint in words for a report, e.g. "=1.2.3", ">=1.0,<2", "1.17*"; absent when any version will do. */
  constraint?: string;
  /**
   * False when the entry need not be installed for the build to be right: a pip entry whose
   * environment marker is present (we cannot evaluate it outside the image), so only a version
   * check applies if it is installed.
   */
  required: boolean;
  /** Whether an installed package with this version (and detail: apt arch, conda build string) satisfies the entry. */
  allows(version: string, detail?: string): boolean;
}

/** The declared entry, parsed; undefined when the grammar refuses it (validation reports that elsewhere). */
export function declaredPackage(manager: Manager, entry: string): DeclaredPackage | undefined {
  switch (manager) {
    case "apt":
      return declaredApt(entry);
    case "pip":
      return declaredPip(entry);
    case "conda":
      return declaredConda(entry);
    default:
      return undefined;
  }
}

/** The key an installed package of that manager is matched on (same normalization as DeclaredPackage.key). */
export function packageKey(manager: Manager, name: string): string {
  const text = typeof name === "string" ? name : "";
  // PEP 503: runs of "-", "_" and "." are one "-", and case does not count.
  return manager === "pip" ? text.toLowerCase().replace(/[-_.]+/g, "-") : text.toLowerCase();
}

/**
 * Runs `check` on plausible installed input only, and turns a throw into "not allowed": the
 * comparisons are meant to be total, but one odd package must never abort a whole contract check.
 */
function guarded(check: (version: string, detail?: string) => boolean): DeclaredPackage["allows"] {
  return (version, detail) => {
    if (!isPlausible(version)) return false;
    try {
      return check(version, detail);
    } catch {
      return false;
    }
  };
}

// --- apt ---------------------------------------------------------------------------------------

/**
 * `name[:arch][=version | /release]`. A release selects where apt takes the package from, not a
 * version, so any version is allowed; `=1.2*` is apt's prefix match. Architectures "any" and
 * "native" allow any installed architecture: which one is native is not known here.
 *
 * The constraint is what follows the name as written (":i386=1.2-1"), so a report that puts the
 * name in front of it shows the entry's own words.
 */
function declaredApt(entry: string): DeclaredPackage | undefined {
  const parsed = parseAptPackage(entry);
  if (!parsed.ok) return undefined;
  const { name, arch, version } = parsed.value;
  const constraint =
    (arch === undefined ? "" : `:${arch}`) + (version === undefined ? "" : `=${version}`);
  return {
    manager: "apt",
    name,
    key: packageKey("apt", name),
    ...(constraint === "" ? {} : { constraint }),
    required: true,
    allows: guarded((installed, detail) => {
      if (!parseDebianVersion(installed).ok) return false;
      if (detail !== undefined && !aptArchAllows(arch, detail)) return false;
      return version === undefined || aptVersionAllows(version, installed);
    }),
  };
}

/** An arch-qualified entry wants that architecture; "all" packages install for every one. */
function aptArchAllows(arch: string | undefined, detail: string): boolean {
  if (arch === undefined || arch === "any" || arch === "native") return true;
  return detail === arch || detail === "all";
}

/**
 * apt's version selection (apt-pkg/versionmatch.cc): the version string equal to the selector,
 * ignoring case, or starting with it when the selector ends in "*". A version dpkg holds equal
 * (1.0 and 0:1.0) is allowed too: it is the same version.
 */
function aptVersionAllows(selector: string, installed: string): boolean {
  const wanted = selector.toLowerCase();
  const actual = installed.toLowerCase();
  if (wanted.endsWith("*")) return actual.startsWith(wanted.slice(0, -1));
  return actual === wanted || compareDebianVersions(installed, selector) === 0;
}

// --- pip ---------------------------------------------------------------------------------------

/**
 * A PEP 508 requirement: its version specifier, matched as pip matches it. A direct reference
 * (`name @ URL`) installs whatever version the URL holds, so any version is allowed; extras change
 * what else is installed, not the version. With a marker the entry may rightly be absent.
 */
function declaredPip(entry: string): DeclaredPackage | undefined {
  const parsed = parsePipRequirement(entry);
  if (!parsed.ok) return undefined;
  const { name, specifier, url, marker } = parsed.value;
  const constrained = url === undefined && specifier !== undefined;
  const predicate = constrained
    ? pipSpecifierPredicate(specifier)
    : (version: string) => parsePep440(version) !== undefined;
  return {
    manager: "pip",
    name,
    key: packageKey("pip", name),
    ...(constrained ? { constraint: specifier } : {}),
    required: marker === undefined,
    allows: guarded((version) => predicate(version)),
  };
}

// --- conda -------------------------------------------------------------------------------------

/**
 * A conda MatchSpec: its version as MatchSpec reads it (`=1.17` is `1.17*`, `==1.17` is exact)
 * and its build string, a glob matched against the installed build string when one is given.
 * Other bracket keys (build_number, channel, md5, ...) are not about the version and not checked.
 *
 * A name with "*" names no single package, so it has no key an installed package could match and
 * is not required.
 */
function declaredConda(entry: string): DeclaredPackage | undefined {
  const parsed = parseCondaSpec(entry);
  if (!parsed.ok) return undefined;
  const spec = parsed.value;
  const version = condaVersion(spec);
  const anyVersion = version === undefined || version === "*";
  const versionHolds = anyVersion ? () => true : (condaVersionPredicate(version) ?? (() => false));
  const buildHolds = spec.build === undefined ? undefined : buildPredicate(spec.build);
  const constraint = condaConstraint(anyVersion ? undefined : version, spec.build);
  return {
    manager: "conda",
    name: spec.name,
    key: packageKey("conda", spec.name),
    ...(constraint === undefined ? {} : { constraint }),
    required: !spec.name.includes("*"),
    allows: guarded((installed, detail) => {
      const parsedVersion = parseCondaVersion(installed);
      if (parsedVersion === undefined || !versionHolds(installed, parsedVersion)) return false;
      if (detail === undefined || spec.build === undefined) return true;
      return isPlausible(detail) && buildHolds !== undefined && buildHolds(detail);
    }),
  };
}

/**
 * The version conda matches on. MatchSpec reads "=1.2" as exact when a build string follows it
 * outside the brackets, and as "1.2*" otherwise, also when the build is given in brackets; a
 * version in brackets is read without regard to any build.
 */
function condaVersion(spec: CondaSpec): string | undefined {
  if (spec.version === undefined) return undefined;
  if (spec.brackets.version !== undefined) return matchSpecVersion(spec.version, undefined);
  return matchSpecVersion(spec.version, outsideBuild(spec));
}

/** The build string written outside the brackets, which `spec.build` hides when brackets give one. */
function outsideBuild(spec: CondaSpec): string | undefined {
  if (spec.brackets.build === undefined) return spec.build;
  const bracket = spec.spec.indexOf("[");
  if (bracket < 0) return undefined;
  const outside = parseCondaSpec(spec.spec.slice(0, bracket).trimEnd());
  return outside.ok ? outside.value.build : undefined;
}

/**
 * conda's own "version build" spelling, which conda accepts back: "1.17*", ">=1.10,<2",
 * "==1.17 py37_0", "* *_cuda"; a lone exact version gets its "==" so it does not read as a series.
 */
function condaConstraint(
  version: string | undefined,
  build: string | undefined,
): string | undefined {
  const exact = version !== undefined && /^[^=<>!~^*|,()]+$/.test(version);
  const text = exact ? `==${version}` : version;
  if (build === undefined) return text;
  return `${text ?? "*"} ${build}`;
}
