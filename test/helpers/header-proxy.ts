/**
 * A loopback reverse proxy in front of a registry that rewrites the headers of its answers, as
 * some registries and proxies do (relative `Location`s, a `Docker-Content-Digest` that lies), and
 * counts the answers it changed.
 */
import { createServer, type IncomingHttpHeaders, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";

export interface HeaderProxy {
  /** "127.0.0.1:PORT" */
  host: string;
  /** How many answers `rewrite` changed. */
  rewritten(): number;
  stop(): Promise<void>;
}

/**
 * Forwards everything to `target`; `rewrite` may change an answer's headers in place and returns
 * whether it did.
 */
export async function startHeaderProxy(
  target: string,
  rewrite: (request: { method: string; url: string }, headers: IncomingHttpHeaders) => boolean,
): Promise<HeaderProxy> {
  const upstream = new URL(target);
  let rewritten = 0;
  const server = createServer((request, response) => {
    const outgoing = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        const headers = { ...answer.headers };
        if (rewrite({ method: request.method ?? "", url: request.url ?? "" }, headers)) rewritten++;
        response.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(response);
      },
    );
    outgoing.on("error", () => response.destroy());
    request.pipe(outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    rewritten: () => rewritten,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
