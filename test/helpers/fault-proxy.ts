/**
 * A loopback HTTP reverse proxy in front of a registry that fails requests on demand and records
 * every request it receives.
 *
 *   const proxy = await startFaultProxy(registry.url);
 *   proxy.failNext(1, { status: 429, retryAfter: "1" });            // the next request gets a 429
 *   proxy.failNext(3, { status: 503 }, (r) => r.method === "HEAD"); // the next 3 HEADs get a 503
 *   proxy.failNext(1, "reset");                                     // socket.destroy(), no answer
 *   proxy.failAlways("hang", (r) => r.method === "PUT");            // never answered (until stop)
 *   proxy.failAlways({ status: 503 }, (r) => r.path.includes("/manifests/"));
 *   proxy.count((r) => r.method === "HEAD");                        // requests seen (faulted too)
 *   proxy.clear();                                                  // forget rules and records
 *   await proxy.stop();
 *
 * Rules are consulted in the order they were added; the first one matching a request (and not used
 * up) decides its fault. Requests no rule fails are forwarded unchanged, Host header included, so
 * the URLs the registry writes (Location, Link) point back at the proxy.
 */
import {
  Agent,
  createServer,
  type IncomingMessage,
  request as httpRequest,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What to do instead of forwarding: answer with a status (and `Retry-After`), drop the connection,
 * or hold it open without ever answering (a registry that stopped answering).
 */
export type Fault = "reset" | "hang" | { status: number; retryAfter?: string };

export interface ProxiedRequest {
  method: string;
  /** Path and query, as received. */
  path: string;
  /** The fault applied, if any: "reset", "hang" or the status answered. */
  fault?: "reset" | "hang" | number;
}

export interface FaultProxy {
  /** "127.0.0.1:PORT" */
  host: string;
  /** "http://127.0.0.1:PORT" */
  url: string;
  /** Every request received, in order. */
  readonly requests: ProxiedRequest[];
  /** Fails the next `times` requests that match (every request when no predicate is given). */
  failNext(times: number, fault: Fault, match?: (request: ProxiedRequest) => boolean): void;
  /** Fails every request that matches, until `clear()`. */
  failAlways(fault: Fault, match?: (request: ProxiedRequest) => boolean): void;
  /** Requests received that match (all of them when no predicate is given). */
  count(match?: (request: ProxiedRequest) => boolean): number;
  /** Forgets every rule and every recorded request. */
  clear(): void;
  stop(): Promise<void>;
}

interface Rule {
  remaining: number;
  fault: Fault;
  match: (request: ProxiedRequest) => boolean;
}

/** Starts a fault proxy on a free loopback port in front of `target` ("http://127.0.0.1:PORT"). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const rules: Rule[] = [];
  const requests: ProxiedRequest[] = [];

  function faultFor(record: ProxiedRequest): Fault | undefined {
    for (const rule of rules) {
      if (rule.remaining <= 0 || !rule.match(record)) continue;
      rule.remaining--;
      return rule.fault;
    }
    return undefined;
  }

  function forward(request: IncomingMessage, response: ServerResponse): void {
    const outgoing = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
        agent,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.on("error", () => request.socket.destroy());
    request.pipe(outgoing);
  }

  const server = createServer((request, response) => {
    const record: ProxiedRequest = { method: request.method ?? "GET", path: request.url ?? "/" };
    requests.push(record);
    const fault = faultFor(record);
    if (fault === undefined) {
      forward(request, response);
      return;
    }
    if (fault === "reset") {
      record.fault = "reset";
      request.socket.destroy();
      return;
    }
    if (fault === "hang") {
      record.fault = "hang";
      request.resume();
      return;
    }
    record.fault = fault.status;
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (fault.retryAfter !== undefined) headers["Retry-After"] = fault.retryAfter;
    response.writeHead(fault.status, headers);
    response.end(
      JSON.stringify({ errors: [{ code: "FAULT", message: `injected ${fault.status}` }] }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  const everything = (): boolean => true;

  return {
    host,
    url: `http://${host}`,
    requests,
    failNext(times, fault, match = everything) {
      rules.push({ remaining: times, fault, match });
    },
    failAlways(fault, match = everything) {
      rules.push({ remaining: Number.POSITIVE_INFINITY, fault, match });
    },
    count(match = everything) {
      return requests.filter(match).length;
    },
    clear() {
      rules.length = 0;
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
