import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ImageReference, parseImageReference } from "../../src/grammars/image-ref.js";
import type { PublishedCatalog } from "../../src/catalog/index.js";
import { createRegistry } from "../../src/registry/client.js";
import { type Registry, RegistryError } from "../../src/registry/types.js";
import {
  CATALOG_MEDIA_TYPE,
  catalogManifest,
  PublishError,
  pullCatalogArtifact,
  pushCatalogArtifact,
  serializeCatalog,
} from "../../src/catalog/index.js";
import { type FaultProxy, startFaultProxy } from "../helpers/fault-proxy.js";
import { startHeaderProxy } from "../helpers/header-proxy.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";

const run = promisify(execFile);
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const COMMIT = "0123456789abcdef0123456789abcdef01234567";

function ref(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if (!parsed.ok) throw new Error(`bad reference in test: ${text}`);
  return parsed.value;
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** The rejection of a promise that must reject. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof Error)) throw new Error(`expected a rejection, got ${String(error)}`);
  return error;
}

function catalog(host: string, description = "Tools on Debian"): PublishedCatalog {
  const url = `${host}/images/tools@sha256:${"a".repeat(64)}`;
  return {
    apiVersion: "imagesmith/v1",
    kind: "ImageCatalog",
    source: { repo: "https://github.com/acme/images", commit: COMMIT },
    generatedAt: "2024-07-01T12:00:00.000Z",
    images: [
      {
        name: "tools",
        displayName: "tools",
        description,
        type: "universal",
        url,
        urlForGpu: url,
        pullSecret: "our-registry",
        global: false,
        groups: ["ml-team"],
        system: true,
        status: "ready",
        build: {
          baseImage: "debian:bookworm",
          baseDigest: `sha256:${"b".repeat(64)}`,
          packages: { apt: ["git"], conda: [], pip: ["requests[security]>=2.8.1"] },
          recipeHash: "0123456789abcdef",
          builtAt: "2024-07-01T11:58:00.000Z",
          log: ".imagesmith/logs/tools.log",
        },
      },
    ],
  };
}

/** A manifest for one layer of `layerType`, with the empty config. */
function manifestOf(layer: Uint8Array, layerType: string): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: "application/vnd.oci.empty.v1+json",
        digest: sha256(new TextEncoder().encode("{}")),
        size: 2,
      },
      layers: [{ mediaType: layerType, digest: sha256(layer), size: layer.length }],
    }),
  );
}

/** Makes every absolute `Location` the registry writes relative ("/v2/..."), as some registries answer. */
function relativeLocations(_request: unknown, headers: IncomingHttpHeaders): boolean {
  if (typeof headers.location !== "string" || !/^https?:/.test(headers.location)) return false;
  const location = new URL(headers.location);
  headers.location = location.pathname + location.search;
  return true;
}

describe("registry client pushing to an open registry", () => {
  let registry: TestRegistry;
  let client: Registry;

  beforeAll(async () => {
    registry = await startRegistry();
    client = createRegistry({ insecureRegistries: [registry.host] });
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it("pushes a blob, reads the same bytes back, and uploads nothing when it is pushed again", async () => {
    const repository = ref(`${registry.host}/team/blobs`);
    const data = randomBytes(3 * 1024 * 1024);

    const first = await client.pushBlob(repository, data);
    const second = await client.pushBlob(repository, data);
    const back = await client.getBlob(repository, first.digest);

    expect(first).toEqual({ digest: sha256(data), size: data.length, uploaded: true });
    expect(second).toEqual({ ...first, uploaded: false });
    expect(Buffer.from(back).equals(data)).toBe(true);
  });

  it("pushes a manifest under a tag and reads back its exact bytes, media type and digest", async () => {
    const repository = ref(`${registry.host}/team/artifact`);
    const layer = new TextEncoder().encode("hello\n");
    await client.pushBlob(repository, new TextEncoder().encode("{}"));
    await client.pushBlob(repository, layer);
    const body = manifestOf(layer, "text/plain");

    const { digest } = await client.pushManifest(
      ref(`${registry.host}/team/artifact:v1`),
      body,
      OCI_MANIFEST,
    );
    const read = await client.getManifest(ref(`${registry.host}/team/artifact:v1`));
    const resolved = await client.resolve(ref(`${registry.host}/team/artifact@${digest}`));

    expect(digest).toBe(sha256(body));
    expect(Buffer.from(read.body).equals(Buffer.from(body))).toBe(true);
    expect(read).toMatchObject({ mediaType: OCI_MANIFEST, digest });
    expect(resolved?.digest).toBe(digest);
  });

  it("says what the registry refused when a manifest names a blob it does not have", async () => {
    const body = manifestOf(new TextEncoder().encode("never pushed"), "text/plain");

    const error = await rejection(
      client.pushManifest(ref(`${registry.host}/team/missing:v1`), body, OCI_MANIFEST),
    );

    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toMatch(
      new RegExp(`^PUT ${registry.host}/team/missing:v1: 400 manifest blob unknown`),
    );
  });

  it("refuses a manifest whose content does not have the digest of its reference, before sending it", async () => {
    const body = manifestOf(new TextEncoder().encode("x"), "text/plain");
    const wrong = `sha256:${"0".repeat(64)}`;
    const before = client.requestCount;

    const error = await rejection(
      client.pushManifest(ref(`${registry.host}/team/artifact@${wrong}`), body, OCI_MANIFEST),
    );

    expect((error as RegistryError).code).toBe("protocol");
    expect(error.message).toContain(`has the digest ${sha256(body)}, not ${wrong}`);
    expect(client.requestCount).toBe(before);
  });

  it("rejects a missing blob and a missing manifest with code not-found", async () => {
    const blob = await rejection(
      client.getBlob(ref(`${registry.host}/team/blobs`), `sha256:${"1".repeat(64)}`),
    );
    const manifest = await rejection(client.getManifest(ref(`${registry.host}/team/blobs:nope`)));

    expect((blob as RegistryError).code).toBe("not-found");
    expect((manifest as RegistryError).code).toBe("not-found");
  });

  it("sends an upload again, body and all, when its connection was reset", async () => {
    const proxy = await startFaultProxy(registry.url);
    try {
      const viaProxy = createRegistry({ insecureRegistries: [proxy.host], retryBaseMs: 1 });
      proxy.failNext(1, "reset", (request) => request.method === "PUT");
      const data = randomBytes(64 * 1024);

      const pushed = await viaProxy.pushBlob(ref(`${proxy.host}/team/retried`), data);
      const back = await client.getBlob(ref(`${registry.host}/team/retried`), pushed.digest);

      expect(proxy.count((request) => request.method === "PUT")).toBe(2);
      expect(Buffer.from(back).equals(data)).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it("uploads to a relative Location as well as to an absolute one", async () => {
    const proxy = await startHeaderProxy(registry.url, relativeLocations);
    try {
      const viaProxy = createRegistry({ insecureRegistries: [proxy.host] });
      const data = randomBytes(1024);

      const pushed = await viaProxy.pushBlob(ref(`${proxy.host}/team/relative`), data);
      const back = await client.getBlob(ref(`${registry.host}/team/relative`), pushed.digest);

      expect(proxy.rewritten()).toBeGreaterThan(0);
      expect(Buffer.from(back).equals(data)).toBe(true);
    } finally {
      await proxy.stop();
    }
  });
});

describe("catalog artifact in an open registry", () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let client: Registry;
  let repository: string;
  let digest: string;

  beforeAll(async () => {
    registry = await startRegistry();
    // Requests go through a recording proxy, so that tests can count what was sent.
    proxy = await startFaultProxy(registry.url);
    client = createRegistry({ insecureRegistries: [proxy.host] });
    repository = `${proxy.host}/imagesmith-catalog`;
    digest = await pushCatalogArtifact(client, repository, ["latest", COMMIT], catalog(proxy.host));
  });

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it("reads back the catalog it pushed, byte for byte", async () => {
    const manifest = await client.getManifest(ref(`${repository}:latest`));
    const layer = (
      JSON.parse(new TextDecoder().decode(manifest.body)) as { layers: { digest: string }[] }
    ).layers[0];
    const bytes = await client.getBlob(ref(repository), layer?.digest ?? "");

    const pulled = await pullCatalogArtifact(client, `${repository}:latest`);

    expect(new TextDecoder().decode(bytes)).toBe(serializeCatalog(catalog(proxy.host)));
    expect(serializeCatalog(pulled.catalog)).toBe(serializeCatalog(catalog(proxy.host)));
    expect(pulled.digest).toBe(manifest.digest);
  });

  it("tags the artifact latest and with the commit, both resolving to the digest it returned", async () => {
    const latest = await client.resolve(ref(`${repository}:latest`));
    const commit = await client.resolve(ref(`${repository}:${COMMIT}`));

    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(latest?.digest).toBe(digest);
    expect(commit?.digest).toBe(digest);
  });

  it("pushes an OCI artifact: the catalog artifactType, the empty config and one titled catalog layer", async () => {
    const manifest = await client.getManifest(ref(`${repository}@${digest}`));

    expect(manifest.mediaType).toBe(OCI_MANIFEST);
    expect(JSON.parse(new TextDecoder().decode(manifest.body))).toMatchObject({
      schemaVersion: 2,
      artifactType: CATALOG_MEDIA_TYPE,
      config: {
        mediaType: "application/vnd.oci.empty.v1+json",
        digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        size: 2,
      },
      layers: [
        {
          mediaType: CATALOG_MEDIA_TYPE,
          annotations: { "org.opencontainers.image.title": "catalog.json" },
        },
      ],
      annotations: { "org.opencontainers.image.revision": COMMIT },
    });
  });

  it("is readable by another OCI client: skopeo sees the same manifest", async () => {
    const { stdout } = await run("skopeo", [
      "inspect",
      "--raw",
      "--tls-verify=false",
      `docker://${registry.host}/imagesmith-catalog:latest`,
    ]);

    expect(sha256(Buffer.from(stdout))).toBe(digest);
  });

  it("uploads nothing and keeps the digest when the same catalog is pushed again", async () => {
    proxy.clear();

    const again = await pushCatalogArtifact(
      client,
      repository,
      ["latest", COMMIT],
      catalog(proxy.host),
    );

    expect(again).toBe(digest);
    expect(proxy.count((request) => request.method === "POST")).toBe(0);
    expect(
      proxy.count(
        (request) => request.method === "PATCH" || request.path.includes("/blobs/uploads/"),
      ),
    ).toBe(0);
  });

  it("moves latest, and only latest, when a changed catalog is pushed under another commit", async () => {
    const other = "fedcba9876543210fedcba9876543210fedcba98";
    const changed = { ...catalog(proxy.host, "Tools, now with more"), source: { commit: other } };

    const next = await pushCatalogArtifact(client, repository, ["latest", other], changed);

    expect(next).not.toBe(digest);
    expect((await client.resolve(ref(`${repository}:latest`)))?.digest).toBe(next);
    expect((await client.resolve(ref(`${repository}:${COMMIT}`)))?.digest).toBe(digest);
    expect(
      (await pullCatalogArtifact(client, `${repository}:${COMMIT}`)).catalog.images[0]?.description,
    ).toBe("Tools on Debian");
  });

  it("refuses to read something that is not a catalog artifact, saying what it found", async () => {
    const other = ref(`${proxy.host}/team/not-a-catalog`);
    const layer = new TextEncoder().encode("just a file\n");
    await client.pushBlob(other, new TextEncoder().encode("{}"));
    await client.pushBlob(other, layer);
    await client.pushManifest(
      { ...other, tag: "v1" },
      manifestOf(layer, "application/vnd.oci.image.layer.v1.tar"),
      OCI_MANIFEST,
    );

    const error = await rejection(
      pullCatalogArtifact(client, `${proxy.host}/team/not-a-catalog:v1`),
    );

    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).code).toBe("invalid-artifact");
    expect(error.message).toContain(`has no layer of type ${CATALOG_MEDIA_TYPE}`);
  });

  it("says it was pulling the catalog when the tag does not exist", async () => {
    const error = await rejection(pullCatalogArtifact(client, `${repository}:no-such-commit`));

    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).code).toBe("not-found");
    expect(error.message).toMatch(
      new RegExp(`^pulling the catalog ${repository}:no-such-commit: GET`),
    );
  });
});

describe("publishing the catalog artifact by compare-and-swap", () => {
  let registry: TestRegistry;
  let client: Registry;
  let repository: string;

  beforeAll(async () => {
    registry = await startRegistry();
    client = createRegistry({ insecureRegistries: [registry.host] });
    repository = `${registry.host}/swap/imagesmith-catalog`;
  });

  afterAll(async () => {
    await registry?.stop();
  });

  const latest = async () => (await client.resolve(ref(`${repository}:latest`)))?.digest;

  it("moves latest when it still holds the digest the plan read, and publishes a first catalog over nothing", async () => {
    const first = await pushCatalogArtifact(
      client,
      repository,
      ["latest"],
      catalog(registry.host, "one"),
      {
        expected: undefined,
        settleMs: 0,
      },
    );

    const second = await pushCatalogArtifact(
      client,
      repository,
      ["latest"],
      catalog(registry.host, "two"),
      {
        expected: first,
        settleMs: 0,
      },
    );

    expect(await latest()).toBe(second);
  });

  it("tags nothing and uploads nothing when latest moved since the plan read it, naming who published", async () => {
    const before = await latest();
    const stale = catalog(registry.host, "stale");
    const layer = new TextEncoder().encode(serializeCatalog(stale));

    const error = await rejection(
      pushCatalogArtifact(client, repository, ["latest", "f".repeat(40)], stale, {
        expected: `sha256:${"0".repeat(64)}`,
        settleMs: 0,
      }),
    );

    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).code).toBe("catalog-moved");
    expect(error.message).toContain(
      `it is now ${before} (commit ${COMMIT}, made at 2024-07-01T12:00:00.000Z)`,
    );
    expect(error.message).toContain("nothing was tagged");
    expect(await latest()).toBe(before);
    expect(await client.resolve(ref(`${repository}:${"f".repeat(40)}`))).toBeUndefined();
    const blob = await fetch(`${registry.url}/v2/swap/imagesmith-catalog/blobs/${sha256(layer)}`, {
      method: "HEAD",
    });
    expect(blob.status).toBe(404);
  });

  it("fails a publish whose catalog another one replaced right after it moved latest", async () => {
    const expected = await latest();
    const ours = catalog(registry.host, "ours");
    const publishing = rejection(
      pushCatalogArtifact(client, repository, ["latest"], ours, { expected, settleMs: 3000 }),
    );
    const oursDigest = sha256(
      catalogManifest(ours, new TextEncoder().encode(serializeCatalog(ours))),
    );
    while ((await latest()) !== oursDigest) await new Promise((resolve) => setTimeout(resolve, 50));

    // Another publish that read the same baseline moves latest in the same moment.
    const theirs = await pushCatalogArtifact(
      client,
      repository,
      ["latest"],
      catalog(registry.host, "theirs"),
    );
    const error = await publishing;

    expect(error.message).toContain(
      `the published catalog moved while this publish moved it: another run replaced this catalog (${oursDigest}) at once, and it is now ${theirs}`,
    );
    expect(error.message).toContain("This run's catalog is not served.");
    expect(await latest()).toBe(theirs);
  });
});

describe("catalog artifact in a registry with token auth", () => {
  let registry: TestRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ auth: "token" });
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it("pushes with a token for pull,push and pulls with a pull token, using the credentials it was given", async () => {
    const { username = "", password = "" } = registry;
    const client = createRegistry({
      insecureRegistries: [registry.host],
      credentials: () => ({ username, password }),
    });
    registry.tokenRequests?.splice(0);
    const repository = `${registry.host}/imagesmith-catalog`;

    const digest = await pushCatalogArtifact(
      client,
      repository,
      ["latest", COMMIT],
      catalog(registry.host),
    );
    const pulled = await pullCatalogArtifact(client, `${repository}:${COMMIT}`);

    expect(serializeCatalog(pulled.catalog)).toBe(serializeCatalog(catalog(registry.host)));
    expect((await client.resolve(ref(`${repository}:latest`)))?.digest).toBe(digest);
    const scopes = new Set(registry.tokenRequests?.map((request) => request.scope));
    expect([...scopes].sort()).toEqual([
      "repository:imagesmith-catalog:pull",
      "repository:imagesmith-catalog:pull,push",
    ]);
    expect(registry.tokenRequests?.every((request) => request.authorized)).toBe(true);
  });

  it("fails an anonymous push as unauthorized, saying it was pushing the catalog and that credentials are missing", async () => {
    const client = createRegistry({ insecureRegistries: [registry.host] });

    const error = await rejection(
      pushCatalogArtifact(
        client,
        `${registry.host}/anonymous-catalog`,
        ["latest"],
        catalog(registry.host),
      ),
    );

    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).code).toBe("unauthorized");
    expect(error.message).toMatch(
      new RegExp(`^pushing the catalog to ${registry.host}/anonymous-catalog: HEAD`),
    );
    expect(error.message).toContain(`no credentials for ${registry.host} were found`);
  });
});
