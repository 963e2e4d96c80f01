/**
 * A real CNCF distribution registry (`docker-registry serve`, 2.8) on a free loopback port, for
 * integration tests. Three modes:
 *
 * - `none`: open, no auth.
 * - `htpasswd`: Basic auth against a bcrypt htpasswd file made with `htpasswd -Bbn`.
 * - `token`: the Bearer token flow. A small Node token server on loopback checks Basic credentials
 *   and issues RS256 JWTs granting what the requested scope asks; the signing key's self-signed
 *   certificate (made with `openssl req -x509`) is the registry's `auth.token.rootcertbundle` and
 *   travels in the JWT header's `x5c`. Every token request is recorded in `tokenRequests`.
 *   Requests without credentials get a token that grants nothing (like Docker Hub's anonymous
 *   tokens); requests with wrong credentials get a 401.
 *
 * Each registry lives in its own temp dir (config, storage, htpasswd, keys), removed by `stop()`.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createPrivateKey, randomBytes, randomUUID, sign, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TestRegistry {
  /** "127.0.0.1:PORT": what goes into image references and `insecureRegistries`. */
  host: string;
  /** "http://127.0.0.1:PORT" */
  url: string;
  username?: string;
  password?: string;
  stop(): Promise<void>;
  /** token mode: the token server's recorded requests, in arrival order. */
  tokenRequests?: TokenRequest[];
}

export interface TokenRequest {
  /** The `scope` query parameter(s), space-joined when repeated; null when none was sent. */
  scope: string | null;
  /** Whether valid Basic credentials came with the request. */
  authorized: boolean;
}

export interface StartRegistryOptions {
  auth?: "none" | "htpasswd" | "token";
  /** Defaults to "imagesmith" (htpasswd and token modes). */
  username?: string;
  /** Defaults to a random throwaway password (htpasswd and token modes). */
  password?: string;
  /** token mode: the `expires_in` the token server answers, in seconds (default 300). */
  tokenExpiresIn?: number;
  /** token mode: the credentials may only pull (a read-only token, as a CI token for another repository). */
  pullOnly?: boolean;
}

const READY_TIMEOUT_MS = 10_000;

/** Registries still running, killed if the test process exits without calling stop(). */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});
const SERVICE = "imagesmith-test-registry";
const ISSUER = "imagesmith-test-token-issuer";

/** Starts a registry on a free loopback port and resolves once `/v2/` answers. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const auth = options.auth ?? "none";
  const dir = await mkdtemp(join(tmpdir(), "imagesmith-registry-"));
  const username = auth === "none" ? undefined : (options.username ?? "imagesmith");
  const password =
    auth === "none" ? undefined : (options.password ?? `pw-${randomBytes(12).toString("hex")}`);
  let tokenServer: TokenServer | undefined;
  try {
    let authConfig = "";
    if (auth === "htpasswd" && username !== undefined && password !== undefined) {
      authConfig = await htpasswdConfig(dir, username, password);
    }
    if (auth === "token" && username !== undefined && password !== undefined) {
      tokenServer = await startTokenServer(
        dir,
        username,
        password,
        options.tokenExpiresIn ?? 300,
        options.pullOnly === true,
      );
      authConfig = tokenServer.config;
    }
    const { process: child, port } = await spawnRegistry(dir, authConfig);
    const host = `127.0.0.1:${port}`;
    const server = tokenServer;
    const registry: TestRegistry = {
      host,
      url: `http://${host}`,
      async stop() {
        await stopProcess(child);
        if (server) await server.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
    if (username !== undefined) registry.username = username;
    if (password !== undefined) registry.password = password;
    if (server) registry.tokenRequests = server.requests;
    return registry;
  } catch (error) {
    if (tokenServer) await tokenServer.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A port that was free a moment ago; `spawnRegistry` retries if another process took it since. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function spawnRegistry(
  dir: string,
  authConfig: string,
): Promise<{ process: ChildProcess; port: number }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const configPath = join(dir, "config.yml");
    await writeFile(configPath, registryConfig(dir, port, authConfig));
    try {
      return { process: await spawnAndWait(configPath, port), port };
    } catch (error) {
      lastError = error;
      // Only a lost race for the port is worth another try; anything else is a real failure.
      if (!String(error).includes("address already in use")) throw error;
    }
  }
  throw lastError;
}

function registryConfig(dir: string, port: number, authConfig: string): string {
  return [
    "version: 0.1",
    "log:",
    "  level: error",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${join(dir, "storage")}`,
    "  delete:",
    "    enabled: true",
    "  cache:",
    "    blobdescriptor: inmemory",
    "http:",
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString("hex")}`,
    "health:",
    "  storagedriver:",
    "    enabled: false",
    authConfig,
  ].join("\n");
}

async function spawnAndWait(configPath: string, port: number): Promise<ChildProcess> {
  const child = spawn("docker-registry", ["serve", configPath], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    // Keep the tail only: a failing registry can log a lot, and the start explains least.
    stderr = (stderr + chunk).slice(-8000);
  });
  let exited: string | undefined;
  child.once("exit", (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });
  child.once("error", (error) => {
    exited = `could not start: ${error.message}`;
  });

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new Error(`docker-registry ${exited}; stderr:\n${stderr}`);
    }
    if (await answers(`http://127.0.0.1:${port}/v2/`)) {
      running.add(child);
      return child;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stopProcess(child);
  throw new Error(
    `docker-registry did not answer on 127.0.0.1:${port} within ${READY_TIMEOUT_MS} ms; stderr:\n${stderr}`,
  );
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200 || response.status === 401;
  } catch {
    return false;
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

async function htpasswdConfig(dir: string, username: string, password: string): Promise<string> {
  const path = join(dir, "htpasswd");
  const { stdout } = await run("htpasswd", ["-Bbn", username, password]);
  await writeFile(path, stdout.trim() + "\n");
  return ["auth:", "  htpasswd:", "    realm: imagesmith-test", `    path: ${path}`].join("\n");
}

interface TokenServer {
  config: string;
  requests: TokenRequest[];
  close(): Promise<void>;
}

async function startTokenServer(
  dir: string,
  username: string,
  password: string,
  expiresIn: number,
  pullOnly: boolean,
): Promise<TokenServer> {
  const keyPath = join(dir, "token.key");
  const certPath = join(dir, "token.crt");
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    keyPath,
    "-out",
    certPath,
    "-days",
    "2",
    "-subj",
    "/CN=imagesmith-test-token-issuer",
  ]);
  const key = createPrivateKey(await readFile(keyPath));
  const certificate = new X509Certificate(await readFile(certPath));
  const header = base64url(
    JSON.stringify({ typ: "JWT", alg: "RS256", x5c: [certificate.raw.toString("base64")] }),
  );
  const requests: TokenRequest[] = [];
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;

  function issue(scopes: string[], granted: boolean): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: ISSUER,
      sub: granted ? username : "",
      aud: SERVICE,
      exp: now + expiresIn,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access: granted
        ? scopes
            .flatMap(parseScope)
            .map((entry) =>
              pullOnly ? { ...entry, actions: entry.actions.filter((a) => a === "pull") } : entry,
            )
        : [],
    };
    const signingInput = `${header}.${base64url(JSON.stringify(claims))}`;
    const signature = sign("sha256", Buffer.from(signingInput), key);
    return `${signingInput}.${signature.toString("base64url")}`;
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? "/", "http://token.invalid");
    const scopes = url.searchParams.getAll("scope");
    const authorization = request.headers.authorization;
    const authorized = authorization === expected;
    requests.push({ scope: scopes.length === 0 ? null : scopes.join(" "), authorized });
    if (url.pathname !== "/token" || request.method !== "GET") {
      response.writeHead(404).end();
      return;
    }
    if (authorization !== undefined && !authorized) {
      response.writeHead(401, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ details: "incorrect username or password" }));
      return;
    }
    const token = issue(scopes, authorized);
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(
      JSON.stringify({
        token,
        access_token: token,
        expires_in: expiresIn,
        issued_at: new Date().toISOString(),
      }),
    );
  }

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const config = [
    "auth:",
    "  token:",
    `    realm: http://127.0.0.1:${port}/token`,
    `    service: ${SERVICE}`,
    `    issuer: ${ISSUER}`,
    `    rootcertbundle: ${certPath}`,
  ].join("\n");
  return {
    config,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** "repository:team/py:pull,push" → one access entry; the resource name may itself contain ":". */
function parseScope(scope: string): { type: string; name: string; actions: string[] }[] {
  return scope
    .split(" ")
    .filter((part) => part !== "")
    .flatMap((part) => {
      const first = part.indexOf(":");
      const last = part.lastIndexOf(":");
      if (first === -1 || first === last) return [];
      return [
        {
          type: part.slice(0, first),
          name: part.slice(first + 1, last),
          actions: part.slice(last + 1).split(","),
        },
      ];
    });
}

function base64url(text: string): string {
  return Buffer.from(text).toString("base64url");
}
