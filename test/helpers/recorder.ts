/**
 * A stand-in for a host a pull request would like to send things to: it answers every request
 * as a registry asking for Basic credentials would, and records what it was sent.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  method: string;
  url: string;
  authorization?: string;
}

export interface Recorder {
  /** "127.0.0.1:PORT" */
  host: string;
  calls: RecordedCall[];
  stop(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
  const calls: RecordedCall[] = [];
  const server = createServer((request, response) => {
    calls.push({
      method: request.method ?? "",
      url: request.url ?? "",
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
    response.writeHead(401, { "WWW-Authenticate": 'Basic realm="give me your password"' });
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
