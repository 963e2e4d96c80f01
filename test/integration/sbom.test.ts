/**
 * SBOMs attached to images in a real CNCF distribution 2.8 registry. 2.8 predates OCI 1.1: it has
 * no referrers API (GET /v2/<name>/referrers/<digest> is a plain 404 page) and never answers
 * OCI-Subject, so everything here goes through the referrers tag schema, as it will on any
 * registry of that age. What 2.8 accepts and refuses was found out by pushing to it; the tests
 * below pin that down, so that an upgrade that changes it shows.
 */
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ImageReference, parseImageReference } from "../../src/grammars/image-ref.js";
import type { InstalledPackage } from "../../src/inventory/index.js";
import { createRegistry } from "../../src/registry/client.js";
import { type Registry, RegistryError } from "../../src/registry/types.js";
import {
  cycloneDxSbom,
  findReferrers,
  findSbom,
  pushReferrer,
  pushSbom,
  referrersTag,
  SBOM_ARTIFACT_TYPE,
  type Subject,
} from "../../src/sbom/index.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const SIGNATURE_TYPE = "application/vnd.example.signature.v1";

const PACKAGES: InstalledPackage[] = [
  { manager: "apt", name: "bash", version: "5.2.15-2+b2", detail: "amd64" },
  { manager: "apt", name: "libc6", version: "2.36-9+deb12u4", detail: "amd64" },
  {
    manager: "conda",
    name: "numpy",
    version: "1.26.4",
    detail: "py311h64a7726_0",
    channel: "https://conda.anaconda.org/conda-forge/linux-64",
  },
  { manager: "pip", name: "PyYAML", version: "6.0.1" },
];

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

function decode(bytes: Uint8Array): unknown {
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Pushes a small image (a config and one random layer) to `repository:tag`: the subject. */
async function pushSubject(
  client: Registry,
  repository: ImageReference,
  tag: string,
): Promise<Subject> {
  const config = encode({
    architecture: "amd64",
    os: "linux",
    rootfs: { type: "layers", diff_ids: [] },
  });
  const layer = randomBytes(256);
  await client.pushBlob(repository, config);
  await client.pushBlob(repository, layer);
  const body = encode({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: {
      mediaType: "application/vnd.oci.image.config.v1+json",
      digest: sha256(config),
      size: config.length,
    },
    layers: [
      {
        mediaType: "application/vnd.oci.image.layer.v1.tar",
        digest: sha256(layer),
        size: layer.length,
      },
    ],
  });
  const { digest } = await client.pushManifest({ ...repository, tag }, body, OCI_MANIFEST);
  return { digest, mediaType: OCI_MANIFEST, size: body.length };
}

function bom(
  repository: ImageReference,
  subject: Subject,
  packages: InstalledPackage[],
  timestamp: string,
) {
  return cycloneDxSbom({
    inventory: { packages, problems: [] },
    image: {
      name: "py",
      repository: `${repository.domain}/${repository.path}`,
      digest: subject.digest,
    },
    distro: { id: "debian", versionId: "12" },
    tool: { name: "imagesmith", version: "0.1.0" },
    timestamp,
  });
}

/** The referrers tag's index, as the registry serves it. */
async function referrersIndex(
  client: Registry,
  repository: ImageReference,
  subject: Subject,
): Promise<{ mediaType: string; manifests: { digest: string }[] }> {
  const manifest = await client.getManifest({ ...repository, tag: referrersTag(subject.digest) });
  expect(manifest.mediaType).toBe(OCI_INDEX);
  return decode(manifest.body) as { mediaType: string; manifests: { digest: string }[] };
}

describe("SBOM referrers on distribution 2.8 (open)", () => {
  let registry: TestRegistry;
  let client: Registry;

  beforeAll(async () => {
    registry = await startRegistry();
    client = createRegistry({ insecureRegistries: [registry.host] });
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it("attaches an SBOM through the referrers tag schema and reads its packages back", async () => {
    const repository = ref(`${registry.host}/team/py`);
    const subject = await pushSubject(client, repository, "1.0");
    const sbom = bom(repository, subject, [...PACKAGES].reverse(), "2024-07-01T12:00:00Z");

    const pushed = await pushSbom(client, ref(`${registry.host}/team/py:1.0`), subject, sbom);
    const api = await client.referrers(repository, subject.digest);
    const index = await referrersIndex(client, repository, subject);
    const found = await findReferrers(client, repository, subject.digest);
    const read = await findSbom(client, repository, subject.digest);

    expect(api).toBeUndefined();
    expect(index).toMatchObject({ schemaVersion: 2, mediaType: OCI_INDEX });
    expect(found).toEqual([
      {
        mediaType: OCI_MANIFEST,
        digest: pushed.digest,
        size: (await client.getManifest({ ...repository, digest: pushed.digest })).body.length,
        artifactType: SBOM_ARTIFACT_TYPE,
        annotations: { "org.opencontainers.image.created": "2024-07-01T12:00:00Z" },
      },
    ]);
    expect(read).toEqual({ digest: pushed.digest, packages: PACKAGES });
  });

  it("stores a manifest with subject and artifactType byte for byte, and answers no OCI-Subject", async () => {
    const repository = ref(`${registry.host}/team/bytes`);
    const subject = await pushSubject(client, repository, "1.0");

    const pushed = await pushSbom(
      client,
      repository,
      subject,
      bom(repository, subject, PACKAGES, "2024-07-01T12:00:00Z"),
    );
    const stored = await client.getManifest({ ...repository, digest: pushed.digest });
    const manifest = decode(stored.body) as Record<string, unknown>;

    expect(sha256(stored.body)).toBe(pushed.digest);
    expect(stored.mediaType).toBe(OCI_MANIFEST);
    expect(manifest.artifactType).toBe(SBOM_ARTIFACT_TYPE);
    expect(manifest.subject).toEqual(subject);
    expect(manifest.config).toEqual({
      mediaType: "application/vnd.oci.empty.v1+json",
      digest: sha256(encode({})),
      size: 2,
      data: "e30=",
    });
  });

  it("lists a second referrer beside the first, and pushing one again lists it once", async () => {
    const repository = ref(`${registry.host}/team/two`);
    const subject = await pushSubject(client, repository, "1.0");
    const sbom = bom(repository, subject, PACKAGES, "2024-07-01T12:00:00Z");
    const first = await pushSbom(client, repository, subject, sbom);

    const second = await pushReferrer(client, repository, subject, {
      artifactType: SIGNATURE_TYPE,
      mediaType: "application/octet-stream",
      data: randomBytes(64),
      annotations: { "org.example.signer": "ci" },
    });
    const again = await pushSbom(client, repository, subject, sbom);
    const all = await findReferrers(client, repository, subject.digest);
    const signatures = await findReferrers(client, repository, subject.digest, SIGNATURE_TYPE);
    const index = await referrersIndex(client, repository, subject);

    expect(again.digest).toBe(first.digest);
    expect(all.map((d) => [d.digest, d.artifactType])).toEqual([
      [first.digest, SBOM_ARTIFACT_TYPE],
      [second.digest, SIGNATURE_TYPE],
    ]);
    expect(signatures).toEqual([
      expect.objectContaining({ annotations: { "org.example.signer": "ci" } }),
    ]);
    expect(index.manifests).toHaveLength(2);
  });

  it("reads the newest of several SBOMs of an image", async () => {
    const repository = ref(`${registry.host}/team/newest`);
    const subject = await pushSubject(client, repository, "1.0");
    const older = PACKAGES.slice(0, 1);
    await pushSbom(
      client,
      repository,
      subject,
      bom(repository, subject, PACKAGES, "2024-08-01T00:00:00Z"),
    );
    await pushSbom(
      client,
      repository,
      subject,
      bom(repository, subject, older, "2024-07-01T00:00:00Z"),
    );

    const read = await findSbom(client, repository, subject.digest);

    expect(read?.packages).toEqual(PACKAGES);
  });

  it("finds nothing for an image without referrers", async () => {
    const repository = ref(`${registry.host}/team/none`);
    const subject = await pushSubject(client, repository, "1.0");

    const found = await findReferrers(client, repository, subject.digest);
    const sbom = await findSbom(client, repository, subject.digest);

    expect(found).toEqual([]);
    expect(sbom).toBeUndefined();
  });

  it("accepts a referrer pushed before its subject, as the spec requires: 2.8 does not look at subject", async () => {
    const repository = ref(`${registry.host}/team/early`);
    const absent: Subject = { digest: sha256(randomBytes(32)), mediaType: OCI_MANIFEST, size: 123 };

    const pushed = await pushSbom(
      client,
      repository,
      absent,
      bom(repository, absent, PACKAGES, "2024-07-01T12:00:00Z"),
    );
    const read = await findSbom(client, repository, absent.digest);

    expect(read).toEqual({ digest: pushed.digest, packages: PACKAGES });
  });

  it("refuses an artifact whose empty config blob was not pushed, its inline data notwithstanding", async () => {
    // Why pushReferrer uploads the two bytes "{}" although the descriptor carries them as `data`.
    const repository = ref(`${registry.host}/team/no-empty-blob`);
    const layer = randomBytes(16);
    await client.pushBlob(repository, layer);
    const body = encode({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: SBOM_ARTIFACT_TYPE,
      config: {
        mediaType: "application/vnd.oci.empty.v1+json",
        digest: sha256(encode({})),
        size: 2,
        data: "e30=",
      },
      layers: [{ mediaType: SBOM_ARTIFACT_TYPE, digest: sha256(layer), size: layer.length }],
    });

    const error = await client
      .pushManifest({ ...repository, tag: "x" }, body, OCI_MANIFEST)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).message).toContain("400 manifest blob unknown");
  });

  it("drops a referrer deleted since it was listed, which 2.8 would otherwise refuse to index", async () => {
    const repository = ref(`${registry.host}/team/deleted`);
    const subject = await pushSubject(client, repository, "1.0");
    const gone = await pushSbom(
      client,
      repository,
      subject,
      bom(repository, subject, PACKAGES.slice(0, 1), "2024-07-01T00:00:00Z"),
    );
    const deleted = await fetch(`${registry.url}/v2/team/deleted/manifests/${gone.digest}`, {
      method: "DELETE",
    });
    const stale = await client.getManifest({ ...repository, tag: referrersTag(subject.digest) });
    const refused = await client
      .pushManifest({ ...repository, tag: "stale-copy" }, stale.body, OCI_INDEX)
      .catch((e: unknown) => e);

    const kept = await pushSbom(
      client,
      repository,
      subject,
      bom(repository, subject, PACKAGES, "2024-08-01T00:00:00Z"),
    );
    const index = await referrersIndex(client, repository, subject);
    const read = await findSbom(client, repository, subject.digest);

    expect(deleted.status).toBe(202);
    expect((refused as RegistryError).message).toContain("400 manifest blob unknown");
    expect(index.manifests.map((entry) => entry.digest)).toEqual([kept.digest]);
    expect(read).toEqual({ digest: kept.digest, packages: PACKAGES });
  });
});

describe("SBOM referrers on distribution 2.8 with token auth", () => {
  let registry: TestRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ auth: "token" });
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it("attaches and finds an SBOM with push and pull tokens, the referrers API's 404 included", async () => {
    const client = createRegistry({
      insecureRegistries: [registry.host],
      credentials: () => ({ username: registry.username ?? "", password: registry.password ?? "" }),
    });
    const repository = ref(`${registry.host}/team/private`);
    const subject = await pushSubject(client, repository, "1.0");

    const pushed = await pushSbom(
      client,
      repository,
      subject,
      bom(repository, subject, PACKAGES, "2024-07-01T12:00:00Z"),
    );
    const read = await findSbom(client, repository, subject.digest);

    expect(read).toEqual({ digest: pushed.digest, packages: PACKAGES });
    expect(registry.tokenRequests?.map((r) => r.scope)).toEqual(
      expect.arrayContaining(["repository:team/private:pull,push", "repository:team/private:pull"]),
    );
  });

  it("says who refused when the credentials are wrong, with what it was doing", async () => {
    const client = createRegistry({
      insecureRegistries: [registry.host],
      credentials: () => ({ username: "intruder", password: "wrong" }),
      retries: 0,
    });
    const repository = ref(`${registry.host}/team/private`);
    const digest = sha256(randomBytes(8));

    const error = await findReferrers(client, repository, digest).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).message).toMatch(
      new RegExp(`^finding the referrers of ${registry.host}/team/private@${digest}: GET `),
    );
    expect((error as RegistryError).code).toBe("unauthorized");
  });
});
