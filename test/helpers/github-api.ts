/**
 * A stand-in for the GitHub REST API on loopback (GITHUB_API_URL), for the one thing out of reach
 * in tests. It keeps issue comments in memory, pages them like GitHub (per_page, page, a Link
 * header), and records every request it is sent.
 */
import { readBody } from "./http.js";
import { createServer, type Server } from "node:http";

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  authorization?: string;
  body?: unknown;
}

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: "Bot" | "User" };
}

/** What an Actions token (GITHUB_TOKEN) writes as. */
const ACTIONS_BOT = { login: "github-actions[bot]", type: "Bot" } as const;

export interface GitHubApi {
  /** http://127.0.0.1:PORT, for GITHUB_API_URL. */
  url: string;
  requests: RecordedRequest[];
  comments: StoredComment[];
  /** Answer writes with 403, as GitHub does for the read-only token of a fork's pull request. */
  readOnly: boolean;
  /** Writes only: POST, PATCH, PUT, DELETE. */
  writes(): RecordedRequest[];
  /** A comment somebody wrote by hand. */
  addComment(issue: number, body: string, login: string): StoredComment;
  stop(): Promise<void>;
}

/**
 * `personalTokens` maps a personal access token to its user; any other token is an Actions token,
 * which writes as github-actions[bot] and may not read GET /user.
 */
export async function startGitHubApi(
  options: { pageSize?: number; personalTokens?: Record<string, string> } = {},
): Promise<GitHubApi> {
  const requests: RecordedRequest[] = [];
  const comments: StoredComment[] = [];
  let nextId = 1000;
  const state = { readOnly: false };
  let url = "";

  const server: Server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const body: unknown = text ? JSON.parse(text) : undefined;
      requests.push({
        method: request.method ?? "",
        url: request.url ?? "",
        ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
        ...(body === undefined ? {} : { body }),
      });
      const reply = (status: number, data?: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { "content-type": "application/json", ...headers });
        response.end(data === undefined ? "" : JSON.stringify(data));
      };
      const parsed = new URL(request.url ?? "/", "http://localhost");
      const listOrCreate = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(
        parsed.pathname,
      );
      const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(parsed.pathname);
      const write = request.method !== "GET" && request.method !== "HEAD";
      const token = (request.headers.authorization ?? "").replace(/^(token|bearer) /i, "");
      const personal = options.personalTokens?.[token];
      const user = personal ? { login: personal, type: "User" as const } : ACTIONS_BOT;
      if (parsed.pathname === "/user" && request.method === "GET")
        return personal
          ? reply(200, user)
          : reply(403, { message: "Resource not accessible by integration" });
      if (write && state.readOnly)
        return reply(403, { message: "Resource not accessible by integration" });

      if (listOrCreate && request.method === "GET") {
        const issue = Number(listOrCreate[3]);
        const perPage = Number(parsed.searchParams.get("per_page") ?? 30);
        const size = Math.min(perPage, options.pageSize ?? perPage);
        const page = Number(parsed.searchParams.get("page") ?? 1);
        const all = comments.filter((comment) => comment.issue === issue);
        const slice = all.slice((page - 1) * size, page * size);
        const headers: Record<string, string> = {};
        if (page * size < all.length) {
          const next = new URL(parsed.pathname, url);
          next.searchParams.set("per_page", String(perPage));
          next.searchParams.set("page", String(page + 1));
          headers.link = `<${next.toString()}>; rel="next"`;
        }
        return reply(
          200,
          slice.map((comment) => ({ id: comment.id, body: comment.body, user: comment.user })),
          headers,
        );
      }
      if (listOrCreate && request.method === "POST") {
        const comment = {
          id: nextId++,
          issue: Number(listOrCreate[3]),
          body: String((body as { body?: string }).body),
          user,
        };
        comments.push(comment);
        return reply(201, { id: comment.id, body: comment.body, user });
      }
      if (one) {
        const comment = comments.find((item) => item.id === Number(one[3]));
        if (!comment) return reply(404, { message: "Not Found" });
        if (request.method === "PATCH") {
          comment.body = String((body as { body?: string }).body);
          return reply(200, { id: comment.id, body: comment.body });
        }
        if (request.method === "DELETE") {
          comments.splice(comments.indexOf(comment), 1);
          return reply(204);
        }
      }
      return reply(404, {
        message: `the stand-in does not serve ${request.method} ${request.url}`,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    requests,
    comments,
    get readOnly() {
      return state.readOnly;
    },
    set readOnly(value: boolean) {
      state.readOnly = value;
    },
    writes: () => requests.filter((r) => r.method !== "GET" && r.method !== "HEAD"),
    addComment(issue, body, login) {
      const comment = { id: nextId++, issue, body, user: { login, type: "User" as const } };
      comments.push(comment);
      return comment;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
