/**
 * Registry authentication, minus the I/O: reading `WWW-Authenticate` challenges, building token
 * requests (docker's token flow and its OAuth2 variant for identity tokens), reading token
 * responses, and caching tokens per (host, scope). The HTTP exchanges themselves are client.ts's.
 */
import type { Credentials } from "./types.js";

/** One challenge of a `WWW-Authenticate` header: scheme (lowercase) and parameters (names lowercase). */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header (RFC 7235) into its challenges. Handles several challenges in
 * one header (Node joins repeated headers with ", "), quoted values with commas and escapes
 * (`scope="repository:a:pull,push"`), and unquoted values.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let pos = 0;
  const length = header.length;

  function skip(pattern: RegExp): void {
    while (pos < length && pattern.test(header.charAt(pos))) pos++;
  }
  function token(): string {
    const start = pos;
    while (pos < length && !/[\s,="]/.test(header.charAt(pos))) pos++;
    return header.slice(start, pos);
  }
  function quoted(): string {
    pos++; // opening quote
    let value = "";
    while (pos < length && header.charAt(pos) !== '"') {
      if (header.charAt(pos) === "\\" && pos + 1 < length) pos++;
      value += header.charAt(pos);
      pos++;
    }
    pos++; // closing quote
    return value;
  }

  while (pos < length) {
    skip(/[\s,]/);
    const scheme = token();
    if (scheme === "") {
      // Stray "=" or quote where a scheme should be: skip it rather than loop forever.
      pos++;
      continue;
    }
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (;;) {
      const mark = pos;
      skip(/[\s,]/);
      const name = token();
      skip(/\s/);
      if (name === "" || header.charAt(pos) !== "=") {
        // Not "name=value": the next challenge's scheme (or the end) starts here.
        pos = mark;
        break;
      }
      pos++; // "="
      skip(/\s/);
      const value = header.charAt(pos) === '"' ? quoted() : token();
      challenge.params[name.toLowerCase()] = value;
    }
  }
  return challenges;
}

/** The challenge to answer: Bearer when offered (it scopes access), else Basic. */
export function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  return (
    challenges.find((challenge) => challenge.scheme === "bearer") ??
    challenges.find((challenge) => challenge.scheme === "basic")
  );
}

/** The token scope for reading a repository. */
export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

export const CATALOG_SCOPE = "registry:catalog:*";

/** `Authorization` value for username/password credentials; undefined for identity tokens. */
export function basicAuthorization(credentials: Credentials | undefined): string | undefined {
  if (credentials === undefined || !("username" in credentials)) return undefined;
  const pair = `${credentials.username}:${credentials.password}`;
  return `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
}

/** An HTTP request to a token server, built but not sent. */
export interface TokenRequestSpec {
  method: "GET" | "POST";
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The request for a token. With username/password (or none): docker's token flow, a GET of the
 * realm with `service` and one `scope` parameter per scope, with Basic credentials when we have
 * them. With an identity token (what `docker login` stores for some registries): the OAuth2 form
 * POST with `grant_type=refresh_token`, which is what docker sends for them.
 */
export function tokenRequest(
  realm: URL,
  service: string | undefined,
  scopes: string[],
  credentials: Credentials | undefined,
  userAgent: string,
): TokenRequestSpec {
  if (credentials !== undefined && "identityToken" in credentials) {
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: credentials.identityToken,
      client_id: "imagesmith",
      scope: scopes.join(" "),
    });
    if (service !== undefined) form.set("service", service);
    return {
      method: "POST",
      url: realm,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": userAgent,
      },
      body: form.toString(),
    };
  }
  const url = new URL(realm);
  if (service !== undefined) url.searchParams.set("service", service);
  for (const scope of scopes) url.searchParams.append("scope", scope);
  const headers: Record<string, string> = { "User-Agent": userAgent };
  const basic = basicAuthorization(credentials);
  if (basic !== undefined) headers.Authorization = basic;
  return { method: "GET", url, headers };
}

export interface IssuedToken {
  token: string;
  /** How long the token is valid, in milliseconds, as the server said (60 s when it did not). */
  lifetimeMs: number;
}

const DEFAULT_TOKEN_LIFETIME_S = 60;

/** Reads a token server's JSON answer (`token` or `access_token`, `expires_in`); undefined when it has no token. */
export function parseTokenResponse(body: string): IssuedToken | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const fields = parsed as Record<string, unknown>;
  const token =
    typeof fields.token === "string" && fields.token !== ""
      ? fields.token
      : typeof fields.access_token === "string" && fields.access_token !== ""
        ? fields.access_token
        : undefined;
  if (token === undefined) return undefined;
  const expiresIn =
    typeof fields.expires_in === "number" && fields.expires_in > 0
      ? fields.expires_in
      : DEFAULT_TOKEN_LIFETIME_S;
  return { token, lifetimeMs: expiresIn * 1000 };
}

interface CachedToken {
  authorization: string;
  expiresAt: number;
  /** When the token arrived: a 401 for a token older than the request is worth one refresh. */
  obtainedAt: number;
}

export interface TokenUse {
  authorization: string;
  obtainedAt: number;
}

/**
 * Bearer tokens per key (host + scope), each kept until its lifetime minus a margin, with one
 * fetch in flight per key however many requests want it at once.
 */
export class TokenCache {
  readonly #tokens = new Map<string, CachedToken>();
  readonly #pending = new Map<string, Promise<CachedToken>>();

  /** The cached token for key, or the one `fetch` obtains (shared by concurrent callers). */
  get(
    key: string,
    fetch: () => Promise<IssuedToken>,
    now = Date.now(),
  ): TokenUse | Promise<TokenUse> {
    const cached = this.#tokens.get(key);
    if (cached !== undefined && cached.expiresAt > now) return cached;
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      pending = fetch().then(
        (issued) => {
          const obtainedAt = Date.now();
          // Renew before the server's deadline: clocks differ and a request takes time in flight.
          const margin = Math.min(30_000, issued.lifetimeMs / 4);
          const entry: CachedToken = {
            authorization: `Bearer ${issued.token}`,
            expiresAt: obtainedAt + issued.lifetimeMs - margin,
            obtainedAt,
          };
          this.#tokens.set(key, entry);
          this.#pending.delete(key);
          return entry;
        },
        (error: unknown) => {
          this.#pending.delete(key);
          throw error;
        },
      );
      this.#pending.set(key, pending);
    }
    return pending;
  }

  /** Forgets a token the registry refused, unless a newer one has replaced it already. */
  invalidate(key: string, authorization: string): void {
    if (this.#tokens.get(key)?.authorization === authorization) this.#tokens.delete(key);
  }
}
