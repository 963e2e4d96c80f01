import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ImageReference, parseImageReference } from "../../src/grammars/image-ref.js";
import { createRegistry } from "../../src/registry/client.js";
import { loadCredentials, readFileIfExists } from "../../src/registry/credentials.js";
import { type Registry, RegistryError } from "../../src/registry/types.js";
import { type FaultProxy, startFaultProxy } from "../helpers/fault-proxy.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";
import { pushImage, pushIndex } from "../helpers/seed.js";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";

function ref(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if (!parsed.ok) throw new Error(`bad reference in test: ${text}`);
  return parsed.value;
}

/** The rejection of a promise that must reject, as a RegistryError. */
async function rejection(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof RegistryError)) {
    throw new Error(`expected a RegistryError, got ${String(error)}`);
  }
  return error;
}

const scratchDirs: string[] = [];
afterAll(async () => {
  await Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A DOCKER_CONFIG folder whose config.json holds `auths` for one host. */
async function dockerConfig(host: string, username: string, password: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "imagesmith-docker-config-"));
  scratchDirs.push(dir);
  const auth = Buffer.from(`${username}:${password}`).toString("base64");
  await writeFile(join(dir, "config.json"), JSON.stringify({ auths: { [host]: { auth } } }));
  return dir;
}

describe("registry client against an open registry", () => {
  let registry: TestRegistry;
  let client: Registry;
  let ociDigest: string;
  let dockerDigest: string;
  let indexDigest: string;

  beforeAll(async () => {
    registry = await startRegistry();
    client = createRegistry({ insecureRegistries: [registry.host] });
    ociDigest = await pushImage(`${registry.host}/team/py:1.0`, {
      user: "1000:100",
      labels: { "org.example.team": "ml" },
    });
    dockerDigest = await pushImage(`${registry.host}/team/docker:1.0`, {
      user: "app",
      format: "docker",
    });
    indexDigest = await pushIndex(`${registry.host}/team/multi:1`, {
      amd64User: "amd",
      arm64User: "arm",
    });
    for (const tag of ["t1", "t2", "t3", "t4", "t5"]) {
      await pushImage(`${registry.host}/team/tags:${tag}`);
    }
    await pushImage(`${registry.host}/other/app:1`);
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it("resolves a tag to the digest buildah pushed, with its media type and size", async () => {
    const image = ref(`${registry.host}/team/py:1.0`);

    const info = await client.resolve(image);

    expect(info?.digest).toBe(ociDigest);
    expect(info?.mediaType).toBe(OCI_MANIFEST);
    expect(info?.size).toBeGreaterThan(0);
  });

  it("resolves a reference by digest", async () => {
    const image = ref(`${registry.host}/team/py@${ociDigest}`);

    const info = await client.resolve(image);

    expect(info?.digest).toBe(ociDigest);
  });

  it("resolves a missing tag to undefined", async () => {
    const image = ref(`${registry.host}/team/py:no-such-tag`);

    const info = await client.resolve(image);

    expect(info).toBeUndefined();
  });

  it("resolves a missing repository to undefined", async () => {
    const image = ref(`${registry.host}/nobody/nothing:1.0`);

    const info = await client.resolve(image);

    expect(info).toBeUndefined();
  });

  it("reads the user, labels and platform of an OCI image", async () => {
    const image = ref(`${registry.host}/team/py:1.0`);

    const config = await client.imageConfig(image);

    expect(config.user).toBe("1000:100");
    expect(config.labels["org.example.team"]).toBe("ml");
    expect(config.digest).toBe(ociDigest);
    expect(config.manifestDigest).toBe(ociDigest);
    expect(config.os).toBe("linux");
    expect(config.architecture).toBe("amd64");
  });

  it("reads the user of a Docker-format image", async () => {
    const image = ref(`${registry.host}/team/docker:1.0`);

    const [info, config] = await Promise.all([client.resolve(image), client.imageConfig(image)]);

    expect(info?.mediaType).toBe(DOCKER_MANIFEST);
    expect(info?.digest).toBe(dockerDigest);
    expect(config.user).toBe("app");
  });

  it("resolves an index to the index's own digest", async () => {
    const image = ref(`${registry.host}/team/multi:1`);

    const info = await client.resolve(image);

    expect(info?.digest).toBe(indexDigest);
    expect(info?.mediaType).toBe(OCI_INDEX);
  });

  it("follows an index to the linux/amd64 image by default", async () => {
    const image = ref(`${registry.host}/team/multi:1`);

    const config = await client.imageConfig(image);

    expect(config.user).toBe("amd");
    expect(config.architecture).toBe("amd64");
    expect(config.digest).toBe(indexDigest);
    expect(config.manifestDigest).not.toBe(indexDigest);
  });

  it("follows an index to the linux/arm64 image when asked", async () => {
    const image = ref(`${registry.host}/team/multi:1`);

    const config = await client.imageConfig(image, { os: "linux", architecture: "arm64" });

    expect(config.user).toBe("arm");
    expect(config.architecture).toBe("arm64");
  });

  it("names the platforms an index has when the one asked for is missing", async () => {
    const image = ref(`${registry.host}/team/multi:1`);

    const error = await rejection(
      client.imageConfig(image, { os: "linux", architecture: "s390x" }),
    );

    expect(error.code).toBe("not-found");
    expect(error.message).toContain("no linux/s390x image");
    expect(error.message).toContain("linux/amd64, linux/arm64");
  });

  it("rejects imageConfig of a missing image with code not-found", async () => {
    const image = ref(`${registry.host}/team/py:no-such-tag`);

    const error = await rejection(client.imageConfig(image));

    expect(error.code).toBe("not-found");
    expect(error.message).toContain(`${registry.host}/team/py:no-such-tag`);
  });

  it("lists every tag of a repository", async () => {
    const paged = createRegistry({ insecureRegistries: [registry.host], pageSize: 2 });

    const tags = await paged.tags(ref(`${registry.host}/team/tags`));

    expect(tags.sort()).toEqual(["t1", "t2", "t3", "t4", "t5"]);
  });

  it("lists every repository by following Link pagination with n=2", async () => {
    const paged = createRegistry({ insecureRegistries: [registry.host], pageSize: 2 });

    const repositories = await paged.catalog(registry.host);

    expect(repositories).toEqual([
      "other/app",
      "team/docker",
      "team/multi",
      "team/py",
      "team/tags",
    ]);
    // The /v2/ ping, then three pages of at most two.
    expect(paged.requestCount).toBe(4);
  });

  it("counts every request it sends", async () => {
    const fresh = createRegistry({ insecureRegistries: [registry.host] });

    await fresh.resolve(ref(`${registry.host}/team/py:1.0`));
    await fresh.resolve(ref(`${registry.host}/team/docker:1.0`));

    // One ping per host, then one HEAD per resolve.
    expect(fresh.requestCount).toBe(3);
  });

  it("refuses plain HTTP to a host not listed in insecureRegistries", async () => {
    const strict = createRegistry({ retryBaseMs: 1 });

    const error = await rejection(strict.resolve(ref(`${registry.host}/team/py:1.0`)));

    expect(error.code).toBe("unreachable");
    expect(error.message).toContain(`https://${registry.host}`);
    expect(error.message).toContain(
      `if ${registry.host} is a plain-HTTP registry, list it in insecureRegistries`,
    );
  });
});

describe("registry client against a registry with htpasswd auth", () => {
  let registry: TestRegistry;
  let username: string;
  let password: string;
  let digest: string;

  beforeAll(async () => {
    registry = await startRegistry({ auth: "htpasswd" });
    username = registry.username ?? "";
    password = registry.password ?? "";
    digest = await pushImage(`${registry.host}/team/py:1.0`, {
      user: "jovyan",
      creds: { username, password },
    });
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it("authenticates with the credentials of a docker config.json", async () => {
    const credentials = await loadCredentials(
      { DOCKER_CONFIG: await dockerConfig(registry.host, username, password) },
      readFileIfExists,
    );
    const client = createRegistry({ insecureRegistries: [registry.host], credentials });
    const image = ref(`${registry.host}/team/py:1.0`);

    const [info, config] = await Promise.all([client.resolve(image), client.imageConfig(image)]);

    expect(info?.digest).toBe(digest);
    expect(config.user).toBe("jovyan");
  });

  it("authenticates with the credentials of the environment variables", async () => {
    const credentials = await loadCredentials(
      { IMAGESMITH_REGISTRY_USERNAME: username, IMAGESMITH_REGISTRY_PASSWORD: password },
      readFileIfExists,
    );
    const client = createRegistry({ insecureRegistries: [registry.host], credentials });

    const tags = await client.tags(ref(`${registry.host}/team/py`));

    expect(tags).toEqual(["1.0"]);
  });

  it("rejects a wrong password with code unauthorized and never repeats it", async () => {
    const wrong = "wrong-Pa55word-that-must-not-leak";
    const credentials = await loadCredentials(
      { DOCKER_CONFIG: await dockerConfig(registry.host, username, wrong) },
      readFileIfExists,
    );
    const client = createRegistry({ insecureRegistries: [registry.host], credentials });

    const error = await rejection(client.resolve(ref(`${registry.host}/team/py:1.0`)));

    expect(error.code).toBe("unauthorized");
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      `GET ${registry.host}/team/py:1.0: 401 unauthorized: authentication required`,
    );
    const everything = `${error.message} ${error.stack ?? ""} ${JSON.stringify(error)}`;
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(Buffer.from(`${username}:${wrong}`).toString("base64"));
  });

  it("says that no credentials were found when it had none", async () => {
    const client = createRegistry({ insecureRegistries: [registry.host] });

    const error = await rejection(client.resolve(ref(`${registry.host}/team/py:1.0`)));

    expect(error.code).toBe("unauthorized");
    expect(error.message).toContain(`no credentials for ${registry.host} were found`);
  });
});

describe("registry client against a registry with token auth", () => {
  let registry: TestRegistry;
  let username: string;
  let password: string;
  let digestA: string;
  let digestB: string;

  beforeAll(async () => {
    registry = await startRegistry({ auth: "token" });
    username = registry.username ?? "";
    password = registry.password ?? "";
    const creds = { username, password };
    digestA = await pushImage(`${registry.host}/team/a:1.0`, { user: "alice", creds });
    digestB = await pushImage(`${registry.host}/team/b:1.0`, { creds });
  });

  afterAll(async () => {
    await registry?.stop();
  });

  beforeEach(() => {
    registry.tokenRequests?.splice(0);
  });

  it("fetches one token per scope however many requests use it", async () => {
    const client = createRegistry({
      insecureRegistries: [registry.host],
      credentials: () => ({ username, password }),
    });
    const a = ref(`${registry.host}/team/a:1.0`);
    const b = ref(`${registry.host}/team/b:1.0`);

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.resolve(i % 2 === 0 ? a : b)),
    );
    const config = await client.imageConfig(a);
    const repositories = await client.catalog(registry.host);

    expect(results.map((info) => info?.digest)).toEqual(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? digestA : digestB)),
    );
    expect(config.user).toBe("alice");
    expect(repositories).toEqual(["team/a", "team/b"]);
    const scopes = (registry.tokenRequests ?? []).map((request) => request.scope).sort();
    expect(scopes).toEqual([
      "registry:catalog:*",
      "repository:team/a:pull",
      "repository:team/b:pull",
    ]);
    expect(registry.tokenRequests?.every((request) => request.authorized)).toBe(true);
  });

  it("rejects a wrong password with code unauthorized and never repeats it", async () => {
    const wrong = "another-wrong-Pa55word";
    const client = createRegistry({
      insecureRegistries: [registry.host],
      credentials: () => ({ username, password: wrong }),
    });

    const error = await rejection(client.resolve(ref(`${registry.host}/team/a:1.0`)));

    expect(error.code).toBe("unauthorized");
    expect(error.message).toContain(`GET ${registry.host}/team/a:1.0`);
    expect(error.message).toContain("401");
    expect(`${error.message} ${error.stack ?? ""}`).not.toContain(wrong);
    expect(registry.tokenRequests).toEqual([
      { scope: "repository:team/a:pull", authorized: false },
    ]);
  });

  it("rejects anonymous access with code unauthorized after one token request", async () => {
    const client = createRegistry({ insecureRegistries: [registry.host] });

    const error = await rejection(client.resolve(ref(`${registry.host}/team/a:1.0`)));

    expect(error.code).toBe("unauthorized");
    expect(error.message).toContain("no credentials");
    expect(registry.tokenRequests).toHaveLength(1);
  });
});

describe("registry client through a faulty network", () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let client: Registry;
  let digest: string;
  const manifests = (request: { path: string }): boolean => request.path.includes("/manifests/");

  beforeAll(async () => {
    registry = await startRegistry();
    digest = await pushImage(`${registry.host}/team/py:1.0`);
    proxy = await startFaultProxy(registry.url);
    client = createRegistry({ insecureRegistries: [proxy.host], retries: 3, retryBaseMs: 5 });
  });

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  beforeEach(() => {
    proxy.clear();
  });

  it("waits as long as Retry-After says after a 429, then succeeds", async () => {
    proxy.failNext(1, { status: 429, retryAfter: "1" }, manifests);
    const started = Date.now();

    const info = await client.resolve(ref(`${proxy.host}/team/py:1.0`));

    expect(info?.digest).toBe(digest);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(proxy.count(manifests)).toBe(2);
  });

  it("retries three 503s, then succeeds", async () => {
    proxy.failNext(3, { status: 503 }, manifests);

    const info = await client.resolve(ref(`${proxy.host}/team/py:1.0`));

    expect(info?.digest).toBe(digest);
    expect(proxy.count(manifests)).toBe(4);
  });

  it("retries a reset connection, then succeeds", async () => {
    proxy.failNext(1, "reset", manifests);

    const info = await client.resolve(ref(`${proxy.host}/team/py:1.0`));

    expect(info?.digest).toBe(digest);
    expect(proxy.requests.filter(manifests).map((request) => request.fault)).toEqual([
      "reset",
      undefined,
    ]);
  });

  it("gives up on a permanent 503 after retries + 1 attempts with code server", async () => {
    proxy.failAlways({ status: 503 }, manifests);

    const error = await rejection(client.resolve(ref(`${proxy.host}/team/py:1.0`)));

    expect(error.code).toBe("server");
    expect(error.status).toBe(503);
    expect(error.message).toBe(
      `GET ${proxy.host}/team/py:1.0: 503 fault: injected 503 (after 4 attempts)`,
    );
    expect(proxy.count(manifests)).toBe(4);
  });

  it("gives up on a permanent 429 with code too-many-requests", async () => {
    proxy.failAlways({ status: 429, retryAfter: "0" }, manifests);

    const error = await rejection(client.resolve(ref(`${proxy.host}/team/py:1.0`)));

    expect(error.code).toBe("too-many-requests");
    expect(proxy.count(manifests)).toBe(4);
  });

  it("reports a registry that resets every connection as unreachable", async () => {
    proxy.failAlways("reset", manifests);

    const error = await rejection(client.resolve(ref(`${proxy.host}/team/py:1.0`)));

    expect(error.code).toBe("unreachable");
    expect(error.message).toContain(`GET ${proxy.host}/team/py:1.0: cannot reach`);
    expect(proxy.count(manifests)).toBe(4);
  });
});
