/**
 * The SBOM of a built image as a CycloneDX 1.6 JSON BOM, made from its inventory, and read back.
 *
 * Made: deterministic. The same image (digest) and inventory give the same bytes but for the
 * timestamp: the serial number is a UUID v5 of the image digest, packages are deduplicated and
 * sorted by code units (never by locale), and every purl is in the canonical form of the purl
 * spec. Each package is a `library` component with a purl (`pkg:deb`, `pkg:pypi`, `pkg:conda`)
 * and the property `imagesmith:manager`, which names the package manager the inventory read it
 * from (a purl type alone cannot tell a pip package from a conda one of the same name).
 *
 * Read back: the BOM comes from a registry, so it is untrusted. Anything that is not a component
 * of ours (or a package component with a deb / pypi / conda purl, as other tools write them) is
 * skipped, counts and lengths are capped, and only "this is not a CycloneDX BOM" is an error.
 */
import { createHash } from "node:crypto";
import { CONTROL_CHARACTER } from "../grammars/scanner.js";
import type { InstalledPackage, Inventory, PackageManagerName } from "../inventory/index.js";
import { isDigest } from "../registry/descriptors.js";
import { SbomError } from "./errors.js";
import { formatPurl, parsePurl } from "./purl.js";

export const CYCLONEDX_SPEC_VERSION = "1.6";
/** The property naming the manager a package was installed with: apt, pip or conda. */
export const MANAGER_PROPERTY = "imagesmith:manager";
/** The property carrying each problem the inventory met (a database that could not be read). */
export const PROBLEM_PROPERTY = "imagesmith:inventory-problem";

/**
 * The UUID v5 namespace of imagesmith's BOM serial numbers (made once at random): the serial of an
 * image's BOM is UUIDv5(this, image digest), the same wherever and whenever it is made.
 */
const SERIAL_NAMESPACE = "4334f2eb-368e-4d04-8c02-eb0d7c078df6";

/** Components read back at most; an image with more packages than that is not real. */
export const MAX_COMPONENTS = 100_000;
const MAX_FIELD = 512;
const MAX_CHANNEL = 2048;
const MAX_PURL = 4096;
const MAX_PROPERTIES_SCANNED = 64;
const MAX_PROBLEMS = 50;

export interface SbomInput {
  inventory: Inventory;
  /** `name`: the catalog's name of the image; `repository`: where it is pushed (`host/path`). */
  image: { name: string; repository: string; digest: string };
  /** The distribution of /etc/os-release (`ID`, `VERSION_ID`): the vendor of the deb purls. */
  distro?: { id: string; versionId?: string };
  tool: { name: string; version: string };
  /** ISO 8601 date-time: when the image was built. */
  timestamp: string;
}

export interface CycloneDxProperty {
  name: string;
  value: string;
}

export interface CycloneDxComponent {
  type: "library" | "container" | "application";
  "bom-ref"?: string;
  name: string;
  version?: string;
  purl?: string;
  properties?: CycloneDxProperty[];
}

export interface CycloneDxBom {
  $schema: string;
  bomFormat: "CycloneDX";
  specVersion: typeof CYCLONEDX_SPEC_VERSION;
  serialNumber: string;
  version: 1;
  metadata: {
    timestamp: string;
    tools: { components: CycloneDxComponent[] };
    component: CycloneDxComponent;
    properties?: CycloneDxProperty[];
  };
  components: CycloneDxComponent[];
}

/**
 * The CycloneDX 1.6 BOM of an image: `metadata.component` is the image (a `container` whose
 * version is its digest and whose purl is `pkg:oci/<last path segment>@<digest>?repository_url=`),
 * `components` its installed packages. Rejects an image digest or timestamp that is not one.
 */
export function cycloneDxSbom(input: SbomInput): CycloneDxBom {
  const { image, tool } = input;
  if (!isDigest(image.digest)) {
    throw new SbomError(
      `cannot make the SBOM of ${image.repository}: ${JSON.stringify(image.digest)} is not a digest`,
      "invalid-input",
    );
  }
  if (Number.isNaN(Date.parse(input.timestamp))) {
    throw new SbomError(
      `cannot make the SBOM of ${image.repository}: ${JSON.stringify(input.timestamp)} is not a date-time`,
      "invalid-input",
    );
  }
  const imagePurl = formatPurl({
    type: "oci",
    name: (image.repository.split("/").pop() ?? image.name).toLowerCase(),
    version: image.digest,
    qualifiers: { repository_url: image.repository },
  });
  const components: CycloneDxComponent[] = [];
  const refs = new Set<string>([imagePurl]);
  for (const pkg of uniqueSorted(input.inventory.packages)) {
    const purl = packagePurl(pkg, input.distro);
    // Two packages can only share a purl when their names differ in what the purl normalises
    // (pip's "PyYAML" and "pyyaml"); "|" cannot occur in a purl, so the suffix never collides.
    let ref = purl;
    for (let n = 2; refs.has(ref); n++) ref = `${purl}|${n}`;
    refs.add(ref);
    components.push({
      type: "library",
      "bom-ref": ref,
      name: pkg.name,
      version: pkg.version,
      purl,
      properties: [{ name: MANAGER_PROPERTY, value: pkg.manager }],
    });
  }
  const metadata: CycloneDxBom["metadata"] = {
    timestamp: input.timestamp,
    tools: { components: [{ type: "application", name: tool.name, version: tool.version }] },
    component: {
      type: "container",
      "bom-ref": imagePurl,
      name: image.name,
      version: image.digest,
      purl: imagePurl,
    },
  };
  const problems = input.inventory.problems.slice(0, MAX_PROBLEMS);
  if (problems.length > 0)
    metadata.properties = problems.map((value) => ({ name: PROBLEM_PROPERTY, value }));
  return {
    $schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
    bomFormat: "CycloneDX",
    specVersion: CYCLONEDX_SPEC_VERSION,
    serialNumber: `urn:uuid:${uuidV5(SERIAL_NAMESPACE, image.digest)}`,
    version: 1,
    metadata,
    components,
  };
}

/**
 * The installed packages a CycloneDX BOM lists (ours, or another tool's with deb / pypi / conda
 * purls), deduplicated and sorted as `cycloneDxSbom` sorts them. Components it cannot read are
 * skipped; only data that is not a CycloneDX BOM at all is an SbomError ("not-a-bom").
 */
export function sbomPackages(data: unknown): InstalledPackage[] {
  if (!isRecord(data) || data.bomFormat !== "CycloneDX" || typeof data.specVersion !== "string") {
    throw new SbomError(
      'not a CycloneDX BOM: it has no bomFormat "CycloneDX" and specVersion',
      "not-a-bom",
    );
  }
  if (!Array.isArray(data.components)) return [];
  const packages: InstalledPackage[] = [];
  for (const component of data.components.slice(0, MAX_COMPONENTS)) {
    const pkg = readComponent(component);
    if (pkg !== undefined) packages.push(pkg);
  }
  return uniqueSorted(packages);
}

const PURL_TYPES: Record<PackageManagerName, string> = { apt: "deb", pip: "pypi", conda: "conda" };
const MANAGERS: ReadonlyMap<string, PackageManagerName> = new Map([
  ["deb", "apt"],
  ["pypi", "pip"],
  ["conda", "conda"],
]);

function packagePurl(pkg: InstalledPackage, distro: SbomInput["distro"]): string {
  switch (pkg.manager) {
    case "apt": {
      // deb purls need a vendor; the images imagesmith builds with apt are Debian's unless told.
      const vendor = (distro?.id ?? "debian").toLowerCase();
      let release: string | undefined;
      if (distro !== undefined)
        release = distro.versionId ? `${vendor}-${distro.versionId}` : vendor;
      return formatPurl({
        type: "deb",
        namespace: vendor,
        name: pkg.name.toLowerCase(),
        version: pkg.version,
        qualifiers: { arch: pkg.detail, distro: release },
      });
    }
    case "pip":
      return formatPurl({ type: "pypi", name: pep503(pkg.name), version: pkg.version });
    case "conda":
      return formatPurl({
        type: "conda",
        name: pkg.name,
        version: pkg.version,
        qualifiers: { build: pkg.detail, channel: pkg.channel },
      });
  }
}

/** PEP 503's normalised project name: runs of `-_.` become one `-`, lowercase. */
export function pep503(name: string): string {
  return name.replace(/[-_.]+/g, "-").toLowerCase();
}

function readComponent(component: unknown): InstalledPackage | undefined {
  if (!isRecord(component)) return undefined;
  const { name, version } = component;
  if (!isField(name, MAX_FIELD) || !isField(version, MAX_FIELD)) return undefined;
  const purl =
    typeof component.purl === "string" && component.purl.length <= MAX_PURL
      ? parsePurl(component.purl)
      : undefined;
  const manager = managerProperty(component.properties) ?? MANAGERS.get(purl?.type ?? "");
  if (manager === undefined) return undefined;
  const pkg: InstalledPackage = { manager, name, version };
  // Details only from a purl of the manager's own type: a pypi purl has no arch to lend a deb.
  const qualifiers = purl?.type === PURL_TYPES[manager] ? (purl.qualifiers ?? {}) : {};
  const detail =
    manager === "apt" ? qualifiers.arch : manager === "conda" ? qualifiers.build : undefined;
  if (isField(detail, MAX_FIELD)) pkg.detail = detail;
  if (manager === "conda" && isField(qualifiers.channel, MAX_CHANNEL))
    pkg.channel = qualifiers.channel;
  return pkg;
}

function managerProperty(properties: unknown): PackageManagerName | undefined {
  if (!Array.isArray(properties)) return undefined;
  for (const property of properties.slice(0, MAX_PROPERTIES_SCANNED)) {
    if (!isRecord(property) || property.name !== MANAGER_PROPERTY) continue;
    const value = property.value;
    if (value === "apt" || value === "pip" || value === "conda") return value;
  }
  return undefined;
}

/** A non-empty string of at most `max` characters with no control character in it. */
function isField(value: unknown, max: number): value is string {
  return (
    typeof value === "string" &&
    value !== "" &&
    value.length <= max &&
    !CONTROL_CHARACTER.test(value)
  );
}

/** Without exact duplicates, in code-unit order of manager, name, version, detail, channel. */
function uniqueSorted(packages: readonly InstalledPackage[]): InstalledPackage[] {
  const byKey = new Map<string, InstalledPackage>();
  for (const pkg of packages) {
    const key = [pkg.manager, pkg.name, pkg.version, pkg.detail ?? "", pkg.channel ?? ""].join(
      "\0",
    );
    if (!byKey.has(key)) byKey.set(key, pkg);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, pkg]) => pkg);
}

/** RFC 4122 §4.3: the name-based UUID (SHA-1, version 5) of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash("sha1")
    .update(Buffer.from(namespace.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
