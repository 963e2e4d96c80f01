import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type ImageReference, parseImageReference } from "../grammars/image-ref.js";
import type { InstalledPackage } from "../inventory/index.js";
import {
  type Descriptor,
  type Manifest,
  type PushedManifest,
  type Registry,
  RegistryError,
} from "../registry/types.js";
import { cycloneDxSbom } from "./cyclonedx.js";
import { SbomError } from "./errors.js";
import {
  findReferrers,
  findSbom,
  OCI_INDEX_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  pushReferrer,
  pushSbom,
  referrerManifest,
  referrersTag,
  SBOM_ARTIFACT_TYPE,
} from "./referrers.js";

const REPOSITORY = ref("registry.acme/team/py");
const SUBJECT = {
  digest: `sha256:${"c".repeat(64)}`,
  mediaType: OCI_MANIFEST_MEDIA_TYPE,
  size: 400,
};

function ref(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if (!parsed.ok) throw new Error(`bad reference in test: ${text}`);
  return parsed.value;
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function encode(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/**
 * The registry port over maps, for one repository. With `referrersApi` it behaves like a registry
 * of distribution 1.1: answers OCI-Subject and lists referrers by their subject (ignoring the
 * artifactType filter, as a registry may); without, like distribution 2.8, which has neither.
 */
function memoryRegistry(referrersApi: boolean): Registry & {
  manifests: Map<string, Manifest>;
  tagged: Map<string, string>;
  puts: string[];
} {
  const blobs = new Map<string, Uint8Array>();
  const manifests = new Map<string, Manifest>();
  const tagged = new Map<string, string>();
  const puts: string[] = [];
  const lookup = (target: ImageReference): Manifest | undefined => {
    const digest = target.digest ?? tagged.get(target.tag ?? "latest");
    return digest === undefined ? undefined : manifests.get(digest);
  };
  const notFound = () => new RegistryError("404 manifest unknown", "not-found", 404);
  return {
    manifests,
    tagged,
    puts,
    async resolve(target) {
      const found = lookup(target);
      return found && { digest: found.digest, mediaType: found.mediaType, size: found.body.length };
    },
    imageConfig: () => Promise.reject(new Error("not used")),
    tags: () => Promise.reject(new Error("not used")),
    catalog: () => Promise.reject(new Error("not used")),
    async getManifest(target) {
      const found = lookup(target);
      if (found === undefined) throw notFound();
      return found;
    },
    async getBlob(_repository, digest) {
      const found = blobs.get(digest);
      if (found === undefined) throw new RegistryError("404 blob unknown", "not-found", 404);
      return found;
    },
    async pushBlob(_repository, data) {
      const digest = sha256(data);
      const uploaded = !blobs.has(digest);
      blobs.set(digest, data);
      return { digest, size: data.length, uploaded };
    },
    async pushManifest(target, body, mediaType): Promise<PushedManifest> {
      const digest = sha256(body);
      puts.push(target.tag ?? digest);
      manifests.set(digest, { body, mediaType, digest });
      if (target.tag !== undefined) tagged.set(target.tag, digest);
      const json = JSON.parse(new TextDecoder().decode(body)) as { subject?: { digest: string } };
      return referrersApi && json.subject ? { digest, subject: json.subject.digest } : { digest };
    },
    async referrers(_repository, digest): Promise<Descriptor[] | undefined> {
      if (!referrersApi) return undefined;
      const found: Descriptor[] = [];
      for (const manifest of manifests.values()) {
        const json = JSON.parse(new TextDecoder().decode(manifest.body)) as {
          subject?: { digest: string };
          artifactType?: string;
          annotations?: Record<string, string>;
        };
        if (json.subject?.digest !== digest) continue;
        found.push({
          mediaType: manifest.mediaType,
          digest: manifest.digest,
          size: manifest.body.length,
          ...(json.artifactType ? { artifactType: json.artifactType } : {}),
          ...(json.annotations ? { annotations: json.annotations } : {}),
        });
      }
      return found;
    },
    requestCount: 0,
  };
}

function sbom(packages: InstalledPackage[], timestamp: string): object {
  return cycloneDxSbom({
    inventory: { packages, problems: [] },
    image: { name: "py", repository: "registry.acme/team/py", digest: SUBJECT.digest },
    tool: { name: "imagesmith", version: "0.1.0" },
    timestamp,
  });
}

const OLD = [{ manager: "pip" as const, name: "requests", version: "2.30.0" }];
const NEW = [{ manager: "pip" as const, name: "requests", version: "2.31.0" }];

/** The rejection of a promise that must reject. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (reason: unknown) => reason,
  );
}

describe("referrersTag", () => {
  it("maps digests to tags as the distribution spec's table does", () => {
    const long =
      "test+algorithm+using+algorithm+separators+and+lots+of+characters+to+excercise+overall+truncation:alsoSome=InTheEncodedSectionToShowHyphenReplacementAndLotsAndLotsOfCharactersToExcerciseEncodedTruncation";

    expect(referrersTag(`sha256:${"a".repeat(64)}`)).toBe(`sha256-${"a".repeat(64)}`);
    expect(referrersTag(`sha512:${"a".repeat(128)}`)).toBe(`sha512-${"a".repeat(64)}`);
    expect(referrersTag(long)).toBe(
      "test-algorithm-using-algorithm-s-alsoSome-InTheEncodedSectionToShowHyphenReplacementAndLotsAndLot",
    );
  });
});

describe("referrerManifest", () => {
  it("is the same bytes whatever order the annotations come in", () => {
    const layer = { digest: `sha256:${"d".repeat(64)}`, size: 5 };
    const artifact = { artifactType: "x/y", mediaType: "x/y", data: new Uint8Array() };

    const one = referrerManifest(SUBJECT, { ...artifact, annotations: { b: "2", a: "1" } }, layer);
    const two = referrerManifest(SUBJECT, { ...artifact, annotations: { a: "1", b: "2" } }, layer);

    expect(Buffer.from(one).equals(Buffer.from(two))).toBe(true);
  });
});

describe("pushReferrer", () => {
  it("writes no referrers tag when the registry answers OCI-Subject, and is found through the API", async () => {
    const registry = memoryRegistry(true);

    const pushed = await pushSbom(registry, REPOSITORY, SUBJECT, sbom(NEW, "2024-07-01T12:00:00Z"));
    const found = await findReferrers(registry, REPOSITORY, SUBJECT.digest);

    expect(registry.puts).toEqual([pushed.digest]);
    expect(registry.tagged.size).toBe(0);
    expect(found).toEqual([
      {
        mediaType: OCI_MANIFEST_MEDIA_TYPE,
        digest: pushed.digest,
        size: registry.manifests.get(pushed.digest)?.body.length,
        artifactType: SBOM_ARTIFACT_TYPE,
        annotations: { "org.opencontainers.image.created": "2024-07-01T12:00:00Z" },
      },
    ]);
  });

  it("refuses to overwrite a referrers tag that holds something other than an image index", async () => {
    const registry = memoryRegistry(false);
    const image = encode({ schemaVersion: 2, mediaType: OCI_MANIFEST_MEDIA_TYPE, layers: [] });
    await registry.pushManifest(
      { ...REPOSITORY, tag: referrersTag(SUBJECT.digest) },
      image,
      OCI_MANIFEST_MEDIA_TYPE,
    );

    const error = await rejection(
      pushSbom(registry, REPOSITORY, SUBJECT, sbom(NEW, "2024-07-01T12:00:00Z")),
    );
    const found = await findReferrers(registry, REPOSITORY, SUBJECT.digest);

    expect(error).toBeInstanceOf(SbomError);
    expect((error as SbomError).code).toBe("not-an-index");
    expect((error as SbomError).message).toContain(
      `registry.acme/team/py:${referrersTag(SUBJECT.digest)} holds a ${OCI_MANIFEST_MEDIA_TYPE}, not the image index`,
    );
    expect(registry.tagged.get(referrersTag(SUBJECT.digest))).toBe(sha256(image));
    expect(found).toEqual([]);
  });

  it("refuses a subject that is not a manifest descriptor before sending anything", async () => {
    const registry = memoryRegistry(false);

    const error = await rejection(
      pushSbom(registry, REPOSITORY, { ...SUBJECT, digest: "sha256:../../x" }, {}),
    );

    expect((error as SbomError).code).toBe("invalid-input");
    expect(registry.puts).toEqual([]);
  });
});

describe("findReferrers", () => {
  it("filters by artifact type itself when the registry ignores the filter", async () => {
    const registry = memoryRegistry(true);
    await pushSbom(registry, REPOSITORY, SUBJECT, sbom(NEW, "2024-07-01T12:00:00Z"));
    const other = await pushReferrer(registry, REPOSITORY, SUBJECT, {
      artifactType: "application/vnd.example.signature",
      mediaType: "application/octet-stream",
      data: new Uint8Array([1, 2, 3]),
    });

    const signatures = await findReferrers(
      registry,
      REPOSITORY,
      SUBJECT.digest,
      "application/vnd.example.signature",
    );

    expect(signatures.map((d) => d.digest)).toEqual([other.digest]);
  });

  it("reads the entries of a hostile referrers tag that are descriptors, each once", async () => {
    const registry = memoryRegistry(false);
    const good = {
      mediaType: OCI_MANIFEST_MEDIA_TYPE,
      digest: `sha256:${"e".repeat(64)}`,
      size: 10,
      artifactType: SBOM_ARTIFACT_TYPE,
    };
    const index = {
      schemaVersion: 2,
      mediaType: OCI_INDEX_MEDIA_TYPE,
      manifests: [null, good, { ...good, digest: "sha256:/../" }, good, { ...good, size: "10" }],
    };
    await registry.pushManifest(
      { ...REPOSITORY, tag: referrersTag(SUBJECT.digest) },
      encode(index),
      OCI_INDEX_MEDIA_TYPE,
    );

    const found = await findReferrers(registry, REPOSITORY, SUBJECT.digest);

    expect(found).toEqual([good]);
  });
});

describe("findSbom", () => {
  it("reads the newest SBOM by its created annotation", async () => {
    const registry = memoryRegistry(false);
    await pushSbom(registry, REPOSITORY, SUBJECT, sbom(NEW, "2024-08-01T00:00:00Z"));
    await pushSbom(registry, REPOSITORY, SUBJECT, sbom(OLD, "2024-07-01T00:00:00Z"));

    const found = await findSbom(registry, REPOSITORY, SUBJECT.digest);

    expect(found?.packages).toEqual(NEW);
  });

  it("skips a listed SBOM attached to another image, and says why when none is left", async () => {
    const registry = memoryRegistry(false);
    const other = { ...SUBJECT, digest: `sha256:${"f".repeat(64)}` };
    const foreign = await pushSbom(registry, REPOSITORY, other, sbom(OLD, "2024-09-01T00:00:00Z"));
    const descriptor = {
      mediaType: OCI_MANIFEST_MEDIA_TYPE,
      digest: foreign.digest,
      size: registry.manifests.get(foreign.digest)?.body.length ?? 0,
      artifactType: SBOM_ARTIFACT_TYPE,
      annotations: { "org.opencontainers.image.created": "2024-09-01T00:00:00Z" },
    };
    await registry.pushManifest(
      { ...REPOSITORY, tag: referrersTag(SUBJECT.digest) },
      encode({ schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests: [descriptor] }),
      OCI_INDEX_MEDIA_TYPE,
    );

    const alone = await rejection(findSbom(registry, REPOSITORY, SUBJECT.digest));
    await pushSbom(registry, REPOSITORY, SUBJECT, sbom(NEW, "2024-07-01T00:00:00Z"));
    const found = await findSbom(registry, REPOSITORY, SUBJECT.digest);

    expect((alone as SbomError).code).toBe("invalid-artifact");
    expect((alone as SbomError).message).toContain(`it is attached to ${other.digest}`);
    expect(found?.packages).toEqual(NEW);
  });

  it("is undefined for an image without an SBOM", async () => {
    const found = await findSbom(memoryRegistry(false), REPOSITORY, SUBJECT.digest);

    expect(found).toBeUndefined();
  });
});
