#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  indexDescriptors,
  isDigest,
  isMediaType,
  readDescriptor
} from "./chunk-UZLBU4PL.js";
import {
  OCI_MANIFEST_MEDIA_TYPE,
  artifactManifest,
  pushArtifactBlobs,
  sha256
} from "./chunk-5A2P77KC.js";
import {
  RegistryError
} from "./chunk-BQA5KWHH.js";
import {
  repositoryOf
} from "./chunk-54TCZN6E.js";
import {
  CONTROL_CHARACTER
} from "./chunk-PRF7RUCG.js";

// src/sbom/cyclonedx.ts
import { createHash } from "node:crypto";

// src/sbom/errors.ts
var SbomError = class extends Error {
  constructor(message, code, options) {
    super(message, options);
    this.code = code;
    this.name = "SbomError";
  }
  code;
  stage = "sbom";
};

// src/sbom/purl.ts
function formatPurl(purl) {
  let text = `pkg:${purl.type.toLowerCase()}/`;
  if (purl.namespace !== void 0 && purl.namespace !== "") {
    const segments = purl.namespace.split("/").filter((segment) => segment !== "");
    text += `${segments.map(encodeComponent).join("/")}/`;
  }
  text += encodeComponent(purl.name);
  if (purl.version !== void 0 && purl.version !== "")
    text += `@${encodeComponent(purl.version)}`;
  const qualifiers = Object.entries(purl.qualifiers ?? {}).filter((entry) => entry[1] !== void 0 && entry[1] !== "").map(([key, value]) => `${key.toLowerCase()}=${encodeComponent(value)}`).sort();
  if (qualifiers.length > 0) text += `?${qualifiers.join("&")}`;
  return text;
}
function parsePurl(text) {
  const hash = text.lastIndexOf("#");
  let rest = hash === -1 ? text : text.slice(0, hash);
  const question = rest.lastIndexOf("?");
  const qualifiers = {};
  if (question !== -1) {
    for (const pair of rest.slice(question + 1).split("&")) {
      const equals = pair.indexOf("=");
      if (equals <= 0) continue;
      const value = decodeComponent(pair.slice(equals + 1));
      if (value === void 0) return void 0;
      const key = pair.slice(0, equals).toLowerCase();
      if (value !== "" && key !== "__proto__") qualifiers[key] = value;
    }
    rest = rest.slice(0, question);
  }
  const colon = rest.indexOf(":");
  if (colon === -1 || rest.slice(0, colon).toLowerCase() !== "pkg") return void 0;
  rest = rest.slice(colon + 1).replace(/^\/+/, "");
  const slash = rest.indexOf("/");
  if (slash <= 0) return void 0;
  const type = rest.slice(0, slash).toLowerCase();
  rest = rest.slice(slash + 1);
  const at = rest.lastIndexOf("@");
  let version;
  if (at !== -1) {
    version = decodeComponent(rest.slice(at + 1));
    if (version === void 0) return void 0;
    rest = rest.slice(0, at);
  }
  const segments = rest.split("/").filter((segment) => segment !== "");
  const rawName = segments.pop();
  const name = rawName === void 0 ? void 0 : decodeComponent(rawName);
  if (name === void 0 || name === "") return void 0;
  const namespaceSegments = [];
  for (const segment of segments) {
    const decoded = decodeComponent(segment);
    if (decoded === void 0) return void 0;
    namespaceSegments.push(decoded);
  }
  const purl = { type, name };
  if (namespaceSegments.length > 0) purl.namespace = namespaceSegments.join("/");
  if (version !== void 0 && version !== "") purl.version = version;
  if (Object.keys(qualifiers).length > 0) purl.qualifiers = qualifiers;
  return purl;
}
function encodeComponent(value) {
  return encodeURIComponent(wellFormed(value)).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%3A/gi, ":");
}
function wellFormed(value) {
  return value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD"
  );
}
function decodeComponent(value) {
  try {
    return decodeURIComponent(value);
  } catch {
    return void 0;
  }
}

// src/sbom/cyclonedx.ts
var CYCLONEDX_SPEC_VERSION = "1.6";
var MANAGER_PROPERTY = "imagesmith:manager";
var PROBLEM_PROPERTY = "imagesmith:inventory-problem";
var SERIAL_NAMESPACE = "4334f2eb-368e-4d04-8c02-eb0d7c078df6";
var MAX_COMPONENTS = 1e5;
var MAX_FIELD = 512;
var MAX_CHANNEL = 2048;
var MAX_PURL = 4096;
var MAX_PROPERTIES_SCANNED = 64;
var MAX_PROBLEMS = 50;
function cycloneDxSbom(input) {
  const { image, tool } = input;
  if (!isDigest(image.digest)) {
    throw new SbomError(
      `cannot make the SBOM of ${image.repository}: ${JSON.stringify(image.digest)} is not a digest`,
      "invalid-input"
    );
  }
  if (Number.isNaN(Date.parse(input.timestamp))) {
    throw new SbomError(
      `cannot make the SBOM of ${image.repository}: ${JSON.stringify(input.timestamp)} is not a date-time`,
      "invalid-input"
    );
  }
  const imagePurl = formatPurl({
    type: "oci",
    name: (image.repository.split("/").pop() ?? image.name).toLowerCase(),
    version: image.digest,
    qualifiers: { repository_url: image.repository }
  });
  const components = [];
  const refs = /* @__PURE__ */ new Set([imagePurl]);
  for (const pkg of uniqueSorted(input.inventory.packages)) {
    const purl = packagePurl(pkg, input.distro);
    let ref = purl;
    for (let n = 2; refs.has(ref); n++) ref = `${purl}|${n}`;
    refs.add(ref);
    components.push({
      type: "library",
      "bom-ref": ref,
      name: pkg.name,
      version: pkg.version,
      purl,
      properties: [{ name: MANAGER_PROPERTY, value: pkg.manager }]
    });
  }
  const metadata = {
    timestamp: input.timestamp,
    tools: { components: [{ type: "application", name: tool.name, version: tool.version }] },
    component: {
      type: "container",
      "bom-ref": imagePurl,
      name: image.name,
      version: image.digest,
      purl: imagePurl
    }
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
    components
  };
}
function sbomPackages(data) {
  if (!isRecord(data) || data.bomFormat !== "CycloneDX" || typeof data.specVersion !== "string") {
    throw new SbomError(
      'not a CycloneDX BOM: it has no bomFormat "CycloneDX" and specVersion',
      "not-a-bom"
    );
  }
  if (!Array.isArray(data.components)) return [];
  const packages = [];
  for (const component of data.components.slice(0, MAX_COMPONENTS)) {
    const pkg = readComponent(component);
    if (pkg !== void 0) packages.push(pkg);
  }
  return uniqueSorted(packages);
}
var PURL_TYPES = { apt: "deb", pip: "pypi", conda: "conda" };
var MANAGERS = /* @__PURE__ */ new Map([
  ["deb", "apt"],
  ["pypi", "pip"],
  ["conda", "conda"]
]);
function packagePurl(pkg, distro) {
  switch (pkg.manager) {
    case "apt": {
      const vendor = (distro?.id ?? "debian").toLowerCase();
      let release;
      if (distro !== void 0)
        release = distro.versionId ? `${vendor}-${distro.versionId}` : vendor;
      return formatPurl({
        type: "deb",
        namespace: vendor,
        name: pkg.name.toLowerCase(),
        version: pkg.version,
        qualifiers: { arch: pkg.detail, distro: release }
      });
    }
    case "pip":
      return formatPurl({ type: "pypi", name: pep503(pkg.name), version: pkg.version });
    case "conda":
      return formatPurl({
        type: "conda",
        name: pkg.name,
        version: pkg.version,
        qualifiers: { build: pkg.detail, channel: pkg.channel }
      });
  }
}
function pep503(name) {
  return name.replace(/[-_.]+/g, "-").toLowerCase();
}
function readComponent(component) {
  if (!isRecord(component)) return void 0;
  const { name, version } = component;
  if (!isField(name, MAX_FIELD) || !isField(version, MAX_FIELD)) return void 0;
  const purl = typeof component.purl === "string" && component.purl.length <= MAX_PURL ? parsePurl(component.purl) : void 0;
  const manager = managerProperty(component.properties) ?? MANAGERS.get(purl?.type ?? "");
  if (manager === void 0) return void 0;
  const pkg = { manager, name, version };
  const qualifiers = purl?.type === PURL_TYPES[manager] ? purl.qualifiers ?? {} : {};
  const detail = manager === "apt" ? qualifiers.arch : manager === "conda" ? qualifiers.build : void 0;
  if (isField(detail, MAX_FIELD)) pkg.detail = detail;
  if (manager === "conda" && isField(qualifiers.channel, MAX_CHANNEL))
    pkg.channel = qualifiers.channel;
  return pkg;
}
function managerProperty(properties) {
  if (!Array.isArray(properties)) return void 0;
  for (const property of properties.slice(0, MAX_PROPERTIES_SCANNED)) {
    if (!isRecord(property) || property.name !== MANAGER_PROPERTY) continue;
    const value = property.value;
    if (value === "apt" || value === "pip" || value === "conda") return value;
  }
  return void 0;
}
function isField(value, max) {
  return typeof value === "string" && value !== "" && value.length <= max && !CONTROL_CHARACTER.test(value);
}
function uniqueSorted(packages) {
  const byKey = /* @__PURE__ */ new Map();
  for (const pkg of packages) {
    const key = [pkg.manager, pkg.name, pkg.version, pkg.detail ?? "", pkg.channel ?? ""].join(
      "\0"
    );
    if (!byKey.has(key)) byKey.set(key, pkg);
  }
  return [...byKey.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([, pkg]) => pkg);
}
function uuidV5(namespace, name) {
  const hash = createHash("sha1").update(Buffer.from(namespace.replace(/-/g, ""), "hex")).update(name, "utf8").digest();
  hash[6] = (hash[6] ?? 0) & 15 | 80;
  hash[8] = (hash[8] ?? 0) & 63 | 128;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/sbom/referrers.ts
var SBOM_ARTIFACT_TYPE = "application/vnd.cyclonedx+json";
var OCI_INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
var CREATED_ANNOTATION = "org.opencontainers.image.created";
var MAX_SBOM_BYTES = 32 * 1024 * 1024;
async function pushReferrer(registry, repository, subject, artifact) {
  const target = repositoryOnly(repository);
  const what = `attaching ${artifact.artifactType} to ${repositoryOf(target)}@${subject.digest}`;
  checkSubject(subject, what);
  if (!isMediaType(artifact.artifactType) || !isMediaType(artifact.mediaType)) {
    throw new SbomError(
      `${what}: the artifact type and layer media type must be media types (type/subtype)`,
      "invalid-input"
    );
  }
  return withContext(what, async () => {
    const layer = await pushArtifactBlobs(registry, target, artifact.data);
    const body = referrerManifest(subject, artifact, layer);
    const digest = sha256(body);
    const pushed = await registry.pushManifest(
      { ...target, digest },
      body,
      OCI_MANIFEST_MEDIA_TYPE
    );
    if (pushed.subject === subject.digest) return { digest };
    const descriptor = {
      mediaType: OCI_MANIFEST_MEDIA_TYPE,
      digest,
      size: body.length,
      artifactType: artifact.artifactType
    };
    const annotations = sortedAnnotations(artifact.annotations);
    if (annotations !== void 0) descriptor.annotations = annotations;
    await addToReferrersTag(registry, target, subject.digest, descriptor);
    return { digest };
  });
}
async function findReferrers(registry, repository, subjectDigest, artifactType) {
  const target = repositoryOnly(repository);
  const what = `finding the referrers of ${repositoryOf(target)}@${subjectDigest}`;
  checkDigest(subjectDigest, what);
  return withContext(what, async () => {
    let found = await registry.referrers(target, subjectDigest, artifactType);
    if (found === void 0) {
      const index = await readReferrersTag(registry, target, subjectDigest);
      found = index?.kind === "index" ? indexDescriptors(index.json) : [];
    }
    const seen = /* @__PURE__ */ new Set();
    return found.filter((descriptor) => {
      if (artifactType !== void 0 && descriptor.artifactType !== artifactType) return false;
      if (seen.has(descriptor.digest)) return false;
      seen.add(descriptor.digest);
      return true;
    });
  });
}
async function pushSbom(registry, imageRef, subject, sbom) {
  const metadata = sbom.metadata;
  const timestamp = isRecord2(metadata) ? metadata.timestamp : void 0;
  return pushReferrer(registry, imageRef, subject, {
    artifactType: SBOM_ARTIFACT_TYPE,
    mediaType: SBOM_ARTIFACT_TYPE,
    data: new TextEncoder().encode(JSON.stringify(sbom)),
    ...typeof timestamp === "string" ? { annotations: { [CREATED_ANNOTATION]: timestamp } } : {},
    fileName: "sbom.cdx.json"
  });
}
async function findSbom(registry, repository, digest) {
  const target = repositoryOnly(repository);
  const candidates = await findReferrers(registry, target, digest, SBOM_ARTIFACT_TYPE);
  candidates.sort(newestFirst);
  let problem;
  for (const candidate of candidates) {
    try {
      return {
        digest: candidate.digest,
        packages: await readSbom(registry, target, digest, candidate)
      };
    } catch (error) {
      if (!(error instanceof SbomError)) throw error;
      problem ??= error;
    }
  }
  if (problem !== void 0) throw problem;
  return void 0;
}
function referrersTag(digest) {
  const colon = digest.indexOf(":");
  const algorithm = digest.slice(0, colon).slice(0, 32);
  const encoded = digest.slice(colon + 1).slice(0, 64);
  return `${algorithm}-${encoded}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}
function referrerManifest(subject, artifact, layer) {
  const annotations = sortedAnnotations(artifact.annotations);
  return artifactManifest({
    artifactType: artifact.artifactType,
    layer: {
      mediaType: artifact.mediaType,
      digest: layer.digest,
      size: layer.size,
      ...artifact.fileName ? { title: artifact.fileName } : {}
    },
    subject,
    ...annotations === void 0 ? {} : { annotations }
  });
}
async function readReferrersTag(registry, target, subjectDigest) {
  let manifest;
  try {
    manifest = await registry.getManifest({ ...target, tag: referrersTag(subjectDigest) });
  } catch (error) {
    if (error instanceof RegistryError && error.code === "not-found") return void 0;
    throw error;
  }
  const json = parseJson(manifest.body);
  if (manifest.mediaType !== OCI_INDEX_MEDIA_TYPE || !isRecord2(json) || !Array.isArray(json.manifests))
    return { kind: "other", mediaType: manifest.mediaType };
  const entries = json.manifests.filter(
    (entry) => isRecord2(entry) && isDigest(entry.digest)
  );
  return { kind: "index", json, entries };
}
async function addToReferrersTag(registry, target, subjectDigest, descriptor) {
  const tag = referrersTag(subjectDigest);
  const current = await readReferrersTag(registry, target, subjectDigest);
  if (current?.kind === "other") {
    throw new SbomError(
      `${repositoryOf(target)}:${tag} holds a ${current.mediaType || "manifest of unknown type"}, not the image index of the referrers tag schema; delete that tag (only referrers lists belong under it) and push again`,
      "not-an-index"
    );
  }
  const entries = current?.entries ?? [];
  if (entries.some((entry) => entry.digest === descriptor.digest)) return;
  const extra = current?.json.annotations;
  const write = (listed) => registry.pushManifest(
    { ...target, tag },
    new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX_MEDIA_TYPE,
        manifests: [...listed, descriptor],
        ...isRecord2(extra) ? { annotations: extra } : {}
      })
    ),
    OCI_INDEX_MEDIA_TYPE
  );
  try {
    await write(entries);
  } catch (error) {
    if (!(error instanceof RegistryError) || error.status !== 400 || entries.length === 0)
      throw error;
    const present = await Promise.all(
      entries.map(
        async (entry) => await registry.resolve({ ...target, tag: void 0, digest: String(entry.digest) }) !== void 0
      )
    );
    const kept = entries.filter((_, i) => present[i]);
    if (kept.length === entries.length) throw error;
    await write(kept);
  }
}
async function readSbom(registry, target, subjectDigest, candidate) {
  const what = `reading the SBOM ${repositoryOf(target)}@${candidate.digest}`;
  let manifest;
  try {
    manifest = await withContext(
      what,
      () => registry.getManifest({ ...target, digest: candidate.digest })
    );
  } catch (error) {
    if (error instanceof RegistryError && error.code === "not-found") {
      throw new SbomError(
        `${what}: it is listed, but the registry does not have it`,
        "invalid-artifact",
        { cause: error }
      );
    }
    throw error;
  }
  const json = parseJson(manifest.body);
  if (manifest.mediaType !== OCI_MANIFEST_MEDIA_TYPE || !isRecord2(json)) {
    throw new SbomError(`${what}: it is not an OCI image manifest`, "invalid-artifact");
  }
  const subject = isRecord2(json.subject) ? json.subject.digest : void 0;
  if (subject !== subjectDigest) {
    throw new SbomError(
      `${what}: it is attached to ${typeof subject === "string" ? subject.slice(0, 80) : "nothing"}, not ${subjectDigest}`,
      "invalid-artifact"
    );
  }
  const layers = Array.isArray(json.layers) ? json.layers.slice(0, 16) : [];
  const layer = layers.map(readDescriptor).find((entry) => entry !== void 0 && entry.mediaType === SBOM_ARTIFACT_TYPE);
  if (layer === void 0) {
    throw new SbomError(
      `${what}: it has no layer of type ${SBOM_ARTIFACT_TYPE}`,
      "invalid-artifact"
    );
  }
  if (layer.size > MAX_SBOM_BYTES) {
    throw new SbomError(
      `${what}: its layer has ${layer.size} bytes, more than the ${MAX_SBOM_BYTES} an SBOM may have`,
      "invalid-artifact"
    );
  }
  const bytes = await withContext(what, () => registry.getBlob(target, layer.digest));
  if (bytes.length !== layer.size) {
    throw new SbomError(
      `${what}: its layer has ${bytes.length} bytes, the manifest says ${layer.size}`,
      "invalid-artifact"
    );
  }
  let data;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new SbomError(`${what}: its layer is not JSON`, "invalid-artifact", { cause: error });
  }
  try {
    return sbomPackages(data);
  } catch (error) {
    if (!(error instanceof SbomError)) throw error;
    throw new SbomError(`${what}: ${error.message}`, error.code, { cause: error });
  }
}
function newestFirst(a, b) {
  const created = (descriptor) => {
    const time = Date.parse(descriptor.annotations?.[CREATED_ANNOTATION] ?? "");
    return Number.isNaN(time) ? -Infinity : time;
  };
  const byTime = created(b) - created(a);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}
function checkSubject(subject, what) {
  checkDigest(subject.digest, what);
  if (!isMediaType(subject.mediaType) || !Number.isSafeInteger(subject.size) || subject.size < 0) {
    throw new SbomError(
      `${what}: the subject needs a media type and a size (its manifest's descriptor)`,
      "invalid-input"
    );
  }
}
function checkDigest(digest, what) {
  if (!isDigest(digest))
    throw new SbomError(`${what}: ${JSON.stringify(digest)} is not a digest`, "invalid-input");
}
function sortedAnnotations(annotations) {
  if (annotations === void 0) return void 0;
  const keys = Object.keys(annotations).sort();
  if (keys.length === 0) return void 0;
  const sorted = {};
  for (const key of keys) sorted[key] = annotations[key] ?? "";
  return sorted;
}
async function withContext(what, action) {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof RegistryError) || error.message.startsWith(what)) throw error;
    throw new RegistryError(`${what}: ${error.message}`, error.code, error.status, {
      cause: error
    });
  }
}
function repositoryOnly(ref) {
  return { ...ref, tag: void 0, digest: void 0 };
}
function parseJson(bytes) {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return void 0;
  }
}
function isRecord2(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export {
  cycloneDxSbom,
  SBOM_ARTIFACT_TYPE,
  OCI_INDEX_MEDIA_TYPE,
  CREATED_ANNOTATION,
  MAX_SBOM_BYTES,
  pushReferrer,
  findReferrers,
  pushSbom,
  findSbom,
  referrersTag,
  referrerManifest
};
