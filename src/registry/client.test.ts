import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type ImageReference, parseImageReference } from "../grammars/image-ref.js";
import { createRegistry, parseLinkNext, parseRetryAfter } from "./client.js";
import { RegistryError } from "./types.js";

describe("parseRetryAfter", () => {
  it("reads delay-seconds", () => {
    expect(parseRetryAfter("1", 0)).toBe(1000);
    expect(parseRetryAfter(" 120 ", 0)).toBe(120_000);
  });

  it("reads an HTTP date relative to now, and a past date as no wait", () => {
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");

    const later = parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now);
    const past = parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now);

    expect(later).toBe(30_000);
    expect(past).toBe(0);
  });

  it("ignores values that are neither", () => {
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter("-5", 0)).toBeUndefined();
    expect(parseRetryAfter("", 0)).toBeUndefined();
  });
});

describe("parseLinkNext", () => {
  it("reads distribution's relative next link", () => {
    const link = '</v2/_catalog?last=team%2Fmulti&n=2>; rel="next"';

    expect(parseLinkNext(link)).toBe("/v2/_catalog?last=team%2Fmulti&n=2");
  });

  it("finds next among several links, with unquoted or multi-valued rel", () => {
    const link =
      '<https://r.io/v2/a/tags/list?n=2>; rel="first", <https://r.io/v2/a/tags/list?last=b&n=2>; rel=next';
    const multi = '</page/3>; title="x, y"; rel="prefetch next"';

    expect(parseLinkNext(link)).toBe("https://r.io/v2/a/tags/list?last=b&n=2");
    expect(parseLinkNext(multi)).toBe("/page/3");
  });

  it("has no next without a next relation", () => {
    expect(parseLinkNext(undefined)).toBeUndefined();
    expect(parseLinkNext('</v2/a>; rel="prev"')).toBeUndefined();
  });
});

function ref(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if (!parsed.ok) throw new Error(`bad reference in test: ${text}`);
  return parsed.value;
}

interface FakeServer {
  host: string;
  requests: { method: string; url: string; authorization?: string }[];
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** A loopback HTTP server answering with `handle`, recording each request. */
async function fakeServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<FakeServer> {
  const requests: FakeServer["requests"] = [];
  const server = createServer((request, response) => {
    const record: FakeServer["requests"][number] = {
      method: request.method ?? "",
      url: request.url ?? "",
    };
    if (request.headers.authorization !== undefined) {
      record.authorization = request.headers.authorization;
    }
    requests.push(record);
    handle(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function json(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  response.writeHead(status, { "Content-Type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

describe("createRegistry", () => {
  it("resolves a tag it has no digest to confirm with one GET, hashing the body it received", async () => {
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { digest: "sha256:0" },
      layers: [],
    });
    const server = await fakeServer((request, response) => {
      if (request.url === "/v2/") return json(response, 200, {});
      response.writeHead(200, { "Content-Type": "application/vnd.oci.image.manifest.v1+json" });
      response.end(request.method === "GET" ? manifest : undefined);
    });
    const client = createRegistry({ insecureRegistries: [server.host] });

    const info = await client.resolve(ref(`${server.host}/team/app:1`));

    expect(info).toEqual({
      digest: `sha256:${createHash("sha256").update(manifest).digest("hex")}`,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      size: manifest.length,
    });
    expect(server.requests.map((request) => request.method)).toEqual(["GET", "GET"]);
  });

  it("takes a HEAD's digest only when it confirms the one expected, and else hashes what a GET returns", async () => {
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { digest: "sha256:0" },
      layers: [],
    });
    const actual = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
    const published = `sha256:${"7".repeat(64)}`;
    // A proxy that lies: its header names the published digest whatever the tag holds.
    const server = await fakeServer((request, response) => {
      if (request.url === "/v2/") return json(response, 200, {});
      response.writeHead(200, {
        "Content-Type": "application/vnd.oci.image.manifest.v1+json",
        "Docker-Content-Digest": published,
      });
      response.end(request.method === "GET" ? manifest : undefined);
    });
    const client = createRegistry({ insecureRegistries: [server.host] });

    const confirmed = await client.resolve(ref(`${server.host}/team/app:1`), { expect: published });
    const fresh = await client.resolve(ref(`${server.host}/team/app:1`));
    const other = await client.resolve(ref(`${server.host}/team/app:1`), {
      expect: `sha256:${"8".repeat(64)}`,
    });

    expect(confirmed?.digest).toBe(published);
    expect(fresh?.digest).toBe(actual);
    expect(other?.digest).toBe(actual);
    expect(server.requests.slice(1).map((request) => request.method)).toEqual([
      "HEAD",
      "GET",
      "HEAD",
      "GET",
    ]);
  });

  it("follows Link pagination of tags", async () => {
    const pages: Record<string, { tags: string[]; next?: string }> = {
      "/v2/team/app/tags/list?n=2": { tags: ["a", "b"], next: "/v2/team/app/tags/list?n=2&last=b" },
      "/v2/team/app/tags/list?n=2&last=b": {
        tags: ["c", "d"],
        next: "/v2/team/app/tags/list?n=2&last=d",
      },
      "/v2/team/app/tags/list?n=2&last=d": { tags: ["e"] },
    };
    const server = await fakeServer((request, response) => {
      if (request.url === "/v2/") return json(response, 200, {});
      const page = pages[request.url ?? ""];
      if (page === undefined) return json(response, 404, {});
      const headers = page.next ? { Link: `<${page.next}>; rel="next"` } : {};
      json(response, 200, { name: "team/app", tags: page.tags }, headers);
    });
    const client = createRegistry({ insecureRegistries: [server.host], pageSize: 2 });

    const tags = await client.tags(ref(`${server.host}/team/app`));

    expect(tags).toEqual(["a", "b", "c", "d", "e"]);
    expect(client.requestCount).toBe(4);
  });

  it("follows a blob redirect to another origin without sending credentials there", async () => {
    const config = JSON.stringify({ os: "linux", architecture: "amd64", config: { User: "1000" } });
    const configDigest = `sha256:${createHash("sha256").update(config).digest("hex")}`;
    const storage = await fakeServer((_request, response) => {
      response.writeHead(200, { "Content-Type": "application/octet-stream" });
      response.end(config);
    });
    const registry = await fakeServer((request, response) => {
      if (request.headers.authorization === undefined) {
        response.writeHead(401, { "WWW-Authenticate": 'Basic realm="test"' });
        return response.end();
      }
      if (request.url === "/v2/") return json(response, 200, {});
      if (request.url?.includes("/manifests/")) {
        return json(
          response,
          200,
          {
            schemaVersion: 2,
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            config: { digest: configDigest },
          },
          { "Docker-Content-Digest": `sha256:${"1".repeat(64)}` },
        );
      }
      response.writeHead(307, { Location: `http://${storage.host}/blobs/x?signature=abc` });
      response.end();
    });
    const client = createRegistry({
      insecureRegistries: [registry.host, storage.host],
      credentials: () => ({ username: "u", password: "p" }),
    });

    const image = await client.imageConfig(ref(`${registry.host}/team/app:1`));

    expect(image.user).toBe("1000");
    expect(storage.requests).toEqual([{ method: "GET", url: "/blobs/x?signature=abc" }]);
    expect(registry.requests.at(-1)?.authorization).toMatch(/^Basic /);
  });

  it("never puts a password or token into an error message, even when the server echoes it", async () => {
    const password = "echoed-Pa55word";
    const tokenServer = await fakeServer((request, response) => {
      json(response, 401, { details: `bad credentials: ${request.headers.authorization}` });
    });
    const registry = await fakeServer((_request, response) => {
      response.writeHead(401, {
        "WWW-Authenticate": `Bearer realm="http://${tokenServer.host}/token",service="test"`,
      });
      response.end();
    });
    const client = createRegistry({
      insecureRegistries: [registry.host],
      credentials: () => ({ username: "u", password }),
    });

    const error = await client.resolve(ref(`${registry.host}/team/app:1`)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RegistryError);
    const message = (error as RegistryError).message;
    expect((error as RegistryError).code).toBe("unauthorized");
    expect(message).toContain("bad credentials: Basic [redacted]");
    expect(message).not.toContain(password);
    expect(message).not.toContain(Buffer.from(`u:${password}`).toString("base64"));
  });

  it("reports an unparseable manifest as a protocol error", async () => {
    const server = await fakeServer((request, response) => {
      if (request.url === "/v2/") return json(response, 200, {});
      response.writeHead(200, { "Content-Type": "application/vnd.oci.image.manifest.v1+json" });
      response.end("<html>not a manifest</html>");
    });
    const client = createRegistry({ insecureRegistries: [server.host] });

    const error = await client.imageConfig(ref(`${server.host}/a:1`)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).code).toBe("protocol");
    expect((error as RegistryError).message).toBe(
      `GET ${server.host}/a:1: the manifest is not valid JSON`,
    );
  });

  it("reports a refused connection as unreachable after its retries", async () => {
    const server = await fakeServer(() => undefined);
    const host = server.host;
    await new Promise<void>((resolve) => {
      const closing = servers.pop();
      closing?.close(() => resolve());
    });
    const client = createRegistry({ insecureRegistries: [host], retries: 2, retryBaseMs: 1 });

    const error = await client.resolve(ref(`${host}/a:1`)).catch((e: unknown) => e);

    expect((error as RegistryError).code).toBe("unreachable");
    expect((error as RegistryError).message).toContain(`GET ${host}/a:1: GET /v2/: cannot reach`);
    expect((error as RegistryError).message).toContain(`(connect ECONNREFUSED ${host})`);
    expect((error as RegistryError).message).toContain("after 3 attempts");
    expect(client.requestCount).toBe(3);
  });

  it("ends hanging requests, the ones waiting for a slot and backoff waits at once on a cancel", async () => {
    let answered = 0;
    // /v2/ answers; the first tag gets a 503 (then a long backoff), every other request hangs.
    const server = await fakeServer((request, response) => {
      if (request.url === "/v2/") return json(response, 200, {});
      if (request.url?.endsWith("/b0") && answered++ === 0)
        return json(response, 503, {}, { "Retry-After": "60" });
    });
    const controller = new AbortController();
    const client = createRegistry({
      insecureRegistries: [server.host],
      concurrency: 2,
      signal: controller.signal,
    });

    const pending = Array.from({ length: 6 }, (_, i) =>
      client.resolve(ref(`${server.host}/a:b${i}`)).catch((e: unknown) => e),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const at = performance.now();
    controller.abort();
    const errors = await Promise.all(pending);

    expect(performance.now() - at).toBeLessThan(100);
    for (const error of errors) {
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as RegistryError).code).toBe("cancelled");
      expect((error as RegistryError).message).toMatch(/: cancelled$/);
    }
    const after = await client.resolve(ref(`${server.host}/a:later`)).catch((e: unknown) => e);
    expect((after as RegistryError).code).toBe("cancelled");
  });

  it("gives up on a registry that does not answer within timeoutMs", async () => {
    const server = await fakeServer(() => undefined);
    const client = createRegistry({
      insecureRegistries: [server.host],
      timeoutMs: 50,
      retries: 1,
      retryBaseMs: 1,
    });

    const error = await client.resolve(ref(`${server.host}/a:1`)).catch((e: unknown) => e);

    expect((error as RegistryError).code).toBe("unreachable");
    expect((error as RegistryError).message).toContain("no answer within 50 ms");
    expect(server.requests).toHaveLength(2);
  });

  it("trades an identity token for an access token with the OAuth2 form POST", async () => {
    const forms: string[] = [];
    const tokenServer = await fakeServer((request, response) => {
      let body = "";
      request.setEncoding("utf8");
      request.on("data", (chunk: string) => (body += chunk));
      request.on("end", () => {
        forms.push(`${request.method} ${body}`);
        json(response, 200, { access_token: "issued", expires_in: 300 });
      });
    });
    const registry = await fakeServer((request, response) => {
      if (request.headers.authorization !== "Bearer issued") {
        response.writeHead(401, {
          "WWW-Authenticate": `Bearer realm="http://${tokenServer.host}/oauth2/token",service="svc"`,
        });
        return response.end();
      }
      response.writeHead(200, { "Docker-Content-Digest": `sha256:${"2".repeat(64)}` });
      response.end();
    });
    const client = createRegistry({
      insecureRegistries: [registry.host],
      credentials: () => ({ identityToken: "refresh-me" }),
    });

    const info = await client.resolve(ref(`${registry.host}/team/app:1`), {
      expect: `sha256:${"2".repeat(64)}`,
    });

    expect(info?.digest).toBe(`sha256:${"2".repeat(64)}`);
    expect(forms).toHaveLength(1);
    const [method, form] = (forms[0] ?? "").split(" ");
    expect(method).toBe("POST");
    expect(Object.fromEntries(new URLSearchParams(form))).toEqual({
      grant_type: "refresh_token",
      refresh_token: "refresh-me",
      client_id: "imagesmith",
      scope: "repository:team/app:pull",
      service: "svc",
    });
  });

  it("reports a 403 as denied, in the registry's own words", async () => {
    const server = await fakeServer((request, response) => {
      if (request.url === "/v2/") return json(response, 200, {});
      if (request.method === "HEAD") {
        response.writeHead(403);
        return response.end();
      }
      json(response, 403, { errors: [{ code: "DENIED", message: "requested access is denied" }] });
    });
    const client = createRegistry({ insecureRegistries: [server.host] });

    const error = await client
      .resolve(ref(`${server.host}/team/app:1`), { expect: `sha256:${"3".repeat(64)}` })
      .catch((e: unknown) => e);

    expect((error as RegistryError).code).toBe("denied");
    expect((error as RegistryError).message).toBe(
      `HEAD ${server.host}/team/app:1: 403 denied: requested access is denied`,
    );
  });
});

describe("createRegistry and the referrers API", () => {
  const subject = `sha256:${"5".repeat(64)}`;
  const descriptor = (n: number) => ({
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: `sha256:${String(n).repeat(64)}`,
    size: 100 + n,
    artifactType: "application/vnd.cyclonedx+json",
    annotations: { "org.opencontainers.image.created": `2024-0${n}-01T00:00:00Z` },
  });

  it("lists the referrers of every page, leaving out entries that are no descriptor", async () => {
    const server = await fakeServer((request, response) => {
      if (request.url === "/v2/") return json(response, 200, {});
      const page = request.url?.includes("last=") ? 2 : 1;
      const manifests =
        page === 1
          ? [descriptor(1), { digest: "../../etc" }, "garbage", { ...descriptor(2), size: -1 }]
          : [descriptor(3), { ...descriptor(4), mediaType: "not a type" }];
      const link =
        page === 1
          ? { Link: `</v2/team/app/referrers/${subject}?artifactType=x%2Fy&last=1>; rel="next"` }
          : {};
      json(
        response,
        200,
        { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests },
        { "Content-Type": "application/vnd.oci.image.index.v1+json", ...link },
      );
    });
    const client = createRegistry({ insecureRegistries: [server.host] });

    const found = await client.referrers(ref(`${server.host}/team/app:1`), subject, "x/y");

    expect(found).toEqual([descriptor(1), descriptor(3)]);
    expect(server.requests.slice(1).map((r) => r.url)).toEqual([
      `/v2/team/app/referrers/${subject}?artifactType=x%2Fy`,
      `/v2/team/app/referrers/${subject}?artifactType=x%2Fy&last=1`,
    ]);
  });

  it("is undefined when the registry has no referrers API (404), as distribution 2.8 answers", async () => {
    const server = await fakeServer((request, response) => {
      if (request.url === "/v2/") return json(response, 200, {});
      response.writeHead(404, { "Content-Type": "text/plain" });
      response.end("404 page not found\n");
    });
    const client = createRegistry({ insecureRegistries: [server.host] });

    const found = await client.referrers(ref(`${server.host}/team/app`), subject);

    expect(found).toBeUndefined();
  });

  it("reports an answer that is not an image index as a protocol error", async () => {
    const server = await fakeServer((request, response) => {
      if (request.url === "/v2/") return json(response, 200, {});
      json(response, 200, { tags: [] });
    });
    const client = createRegistry({ insecureRegistries: [server.host] });

    const error = await client
      .referrers(ref(`${server.host}/team/app`), subject)
      .catch((e: unknown) => e);

    expect((error as RegistryError).code).toBe("protocol");
    expect((error as RegistryError).message).toBe(
      `GET ${server.host}/team/app referrers of ${subject}: the answer is not an image index`,
    );
  });

  it("says which subject the registry processed when a manifest PUT answers OCI-Subject", async () => {
    const server = await fakeServer((request, response) => {
      if (request.url === "/v2/") return json(response, 200, {});
      request.resume();
      request.on("end", () => {
        const headers = request.url?.endsWith("/with") ? { "OCI-Subject": subject } : {};
        response.writeHead(201, headers);
        response.end();
      });
    });
    const client = createRegistry({ insecureRegistries: [server.host] });
    const body = new TextEncoder().encode("{}");

    const withSubject = await client.pushManifest(ref(`${server.host}/team/app:with`), body, "x/y");
    const without = await client.pushManifest(ref(`${server.host}/team/app:without`), body, "x/y");

    const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
    expect(withSubject).toEqual({ digest, subject });
    expect(without).toEqual({ digest });
  });
});
