import { describe, expect, it } from "vitest";
import {
  basicAuthorization,
  parseChallenges,
  parseTokenResponse,
  pickChallenge,
  TokenCache,
  tokenRequest,
} from "./auth.js";

describe("parseChallenges", () => {
  it("reads a Bearer challenge with realm, service and scope", () => {
    const header =
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"';

    const challenges = parseChallenges(header);

    expect(challenges).toEqual([
      {
        scheme: "bearer",
        params: {
          realm: "https://auth.docker.io/token",
          service: "registry.docker.io",
          scope: "repository:library/ubuntu:pull",
        },
      },
    ]);
  });

  it("keeps commas and spaces inside a quoted scope list", () => {
    const header =
      'Bearer realm="https://ghcr.io/token", scope="repository:a/b:pull,push repository:c:pull",service="ghcr.io"';

    const [challenge] = parseChallenges(header);

    expect(challenge?.params.scope).toBe("repository:a/b:pull,push repository:c:pull");
    expect(challenge?.params.service).toBe("ghcr.io");
  });

  it("reads several challenges in one header, as Node joins repeated headers", () => {
    const header = 'Basic realm="Registry Realm", Bearer realm="https://x/token",service=x';

    const challenges = parseChallenges(header);

    expect(challenges.map((challenge) => challenge.scheme)).toEqual(["basic", "bearer"]);
    expect(challenges[0]?.params).toEqual({ realm: "Registry Realm" });
    expect(challenges[1]?.params).toEqual({ realm: "https://x/token", service: "x" });
  });

  it("unescapes backslashes in quoted values and lowercases scheme and parameter names", () => {
    const header = 'BEARER Realm="https://x/t\\"oken", error="insufficient_scope"';

    const [challenge] = parseChallenges(header);

    expect(challenge).toEqual({
      scheme: "bearer",
      params: { realm: 'https://x/t"oken', error: "insufficient_scope" },
    });
  });

  it("returns no challenges for an empty header and survives garbage", () => {
    const empty = parseChallenges("");
    const garbage = parseChallenges('=,"" ,= Basic');

    expect(empty).toEqual([]);
    expect(garbage.at(-1)).toEqual({ scheme: "basic", params: {} });
  });
});

describe("pickChallenge", () => {
  it("prefers Bearer over Basic", () => {
    const challenges = parseChallenges('Basic realm="r", Bearer realm="https://x/token"');

    const picked = pickChallenge(challenges);

    expect(picked?.scheme).toBe("bearer");
  });

  it("ignores schemes it cannot answer", () => {
    const challenges = parseChallenges('Negotiate, Digest realm="r", nonce="n"');

    const picked = pickChallenge(challenges);

    expect(picked).toBeUndefined();
  });
});

describe("tokenRequest", () => {
  it("GETs the realm with service, one scope parameter per scope and Basic credentials", () => {
    const realm = new URL("https://auth.example.com/token?account=x");

    const spec = tokenRequest(
      realm,
      "registry.example.com",
      ["repository:a:pull", "registry:catalog:*"],
      { username: "u", password: "p" },
      "imagesmith/test",
    );

    expect(spec.method).toBe("GET");
    expect(spec.url.searchParams.get("service")).toBe("registry.example.com");
    expect(spec.url.searchParams.getAll("scope")).toEqual([
      "repository:a:pull",
      "registry:catalog:*",
    ]);
    expect(spec.url.searchParams.get("account")).toBe("x");
    expect(spec.headers.Authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
    expect(realm.search).toBe("?account=x");
  });

  it("sends no Authorization when anonymous", () => {
    const spec = tokenRequest(new URL("https://a/token"), "s", ["x"], undefined, "ua");

    expect(spec.headers.Authorization).toBeUndefined();
  });

  it("POSTs the OAuth2 refresh_token form for an identity token", () => {
    const spec = tokenRequest(
      new URL("https://a/token"),
      "svc",
      ["repository:a:pull", "repository:b:pull"],
      { identityToken: "refresh-me" },
      "ua",
    );

    const form = new URLSearchParams(spec.body);
    expect(spec.method).toBe("POST");
    expect(spec.headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    expect(form.get("grant_type")).toBe("refresh_token");
    expect(form.get("refresh_token")).toBe("refresh-me");
    expect(form.get("service")).toBe("svc");
    expect(form.get("scope")).toBe("repository:a:pull repository:b:pull");
  });
});

describe("basicAuthorization", () => {
  it("encodes username:password in UTF-8 and has nothing for identity tokens", () => {
    const basic = basicAuthorization({ username: "jörg", password: "p:w" });
    const none = basicAuthorization({ identityToken: "t" });

    expect(basic).toBe(`Basic ${Buffer.from("jörg:p:w", "utf8").toString("base64")}`);
    expect(none).toBeUndefined();
  });
});

describe("parseTokenResponse", () => {
  it("accepts token or access_token, with expires_in in seconds", () => {
    const docker = parseTokenResponse('{"token":"t1","expires_in":300}');
    const oauth = parseTokenResponse('{"access_token":"t2","expires_in":120}');

    expect(docker).toEqual({ token: "t1", lifetimeMs: 300_000 });
    expect(oauth).toEqual({ token: "t2", lifetimeMs: 120_000 });
  });

  it("assumes 60 seconds when expires_in is missing", () => {
    const issued = parseTokenResponse('{"token":"t"}');

    expect(issued?.lifetimeMs).toBe(60_000);
  });

  it("has no token for an answer without one or that is not JSON", () => {
    expect(parseTokenResponse('{"token":""}')).toBeUndefined();
    expect(parseTokenResponse("<html>")).toBeUndefined();
  });
});

describe("TokenCache", () => {
  it("fetches once for concurrent callers of the same key", async () => {
    const cache = new TokenCache();
    let fetches = 0;
    const fetch = async (): Promise<{ token: string; lifetimeMs: number }> => {
      fetches++;
      return { token: "t", lifetimeMs: 60_000 };
    };

    const uses = await Promise.all([cache.get("k", fetch), cache.get("k", fetch)]);
    const later = await cache.get("k", fetch);

    expect(fetches).toBe(1);
    expect(uses.map((use) => use.authorization)).toEqual(["Bearer t", "Bearer t"]);
    expect(later.authorization).toBe("Bearer t");
  });

  it("fetches again once the token is within its margin of expiring", async () => {
    const cache = new TokenCache();
    let fetches = 0;
    const fetch = async (): Promise<{ token: string; lifetimeMs: number }> => {
      fetches++;
      return { token: `t${fetches}`, lifetimeMs: 60_000 };
    };
    await cache.get("k", fetch);

    const soon = await cache.get("k", fetch, Date.now() + 40_000);
    const late = await cache.get("k", fetch, Date.now() + 50_000);

    expect(soon.authorization).toBe("Bearer t1");
    expect(late.authorization).toBe("Bearer t2");
  });

  it("forgets a refused token and does not remember a failed fetch", async () => {
    const cache = new TokenCache();
    let fetches = 0;
    const failing = (): Promise<{ token: string; lifetimeMs: number }> =>
      Promise.reject(new Error("token server down"));
    const working = async (): Promise<{ token: string; lifetimeMs: number }> => {
      fetches++;
      return { token: `t${fetches}`, lifetimeMs: 60_000 };
    };

    await expect(cache.get("k", failing)).rejects.toThrow("token server down");
    const first = await cache.get("k", working);
    cache.invalidate("k", first.authorization);
    const second = await cache.get("k", working);

    expect(first.authorization).toBe("Bearer t1");
    expect(second.authorization).toBe("Bearer t2");
  });
});
