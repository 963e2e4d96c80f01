/**
 * A PEP 503 "simple" package index on loopback, for tests and the benchmark: it serves real,
 * installable pure-Python wheels that weigh what a test asks for, and records every request, so a
 * test can tell what pip fetched. Plain JavaScript so scripts/bench.mjs runs it with node alone;
 * wheel-index.d.mts types it for the tests.
 *
 * - `add(name, version, { sizeBytes })` writes `<name>-<version>-py3-none-any.whl` (name and version
 *   escaped as the wheel spec says): `<pkg>/__init__.py` with `VERSION = "<version>"`, `<pkg>/data.bin`
 *   of `sizeBytes` incompressible bytes, and a `.dist-info` with METADATA, WHEEL and a RECORD of
 *   sha256 hashes. The bytes are a pure function of name, version and size (AES-CTR keyed by them,
 *   fixed zip timestamps), so a wheel cached under `dir` by a past run is the same wheel.
 * - Answers look like PyPI's: files are immutable for a year, index pages may be kept 10 minutes,
 *   both carry an ETag and answer `If-None-Match` with 304, so pip's HTTP cache acts as it does
 *   against pypi.org.
 * - `bytesPerSecond` paces each file body (per response, like one connection's bandwidth), to
 *   stand in for a real network in a benchmark.
 */
import { createCipheriv, createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import * as zlib from "node:zlib";

/** Bump when the wheel layout changes, so wheels cached by an older version are not served. */
const FORMAT = "v1";
const NAME = /^([a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$/i;
/** PEP 440 characters only: no "-" (the wheel file name's separator), nothing HTML or a path needs escaped. */
const VERSION = /^[0-9][0-9a-z.!+]*$/i;
/** A zip without ZIP64 records holds entries below 4 GiB. */
const MAX_SIZE = 0xffff_0000;
const PACE_CHUNK = 16 * 1024;

/**
 * Starts the index on a free 127.0.0.1 port. Wheels are written to (and reused from) `dir`.
 * `url` is the server root: pip's `--index-url` is `${url}/simple`.
 */
export async function startWheelIndex(options) {
  const dir = options.dir;
  const bytesPerSecond = options.bytesPerSecond;
  if (bytesPerSecond !== undefined && !(bytesPerSecond > 0)) {
    throw new Error(`wheel index: bytesPerSecond must be a positive number, not ${bytesPerSecond}`);
  }
  await mkdir(dir, { recursive: true });
  /** normalized project name → its display name and wheels, by file name */
  const projects = new Map();
  /** file name → the wheel */
  const files = new Map();
  let log = [];

  const server = createServer((request, response) => {
    const entry = { method: request.method ?? "", path: pathOf(request.url), status: 0, bytes: 0 };
    log.push(entry);
    serve(request, response, entry).catch((error) => {
      if (!response.headersSent) reply(response, entry, 500, {}, `${error.message}\n`);
      else response.destroy(error);
    });
  });

  async function serve(request, response, entry) {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return reply(response, entry, 405, { Allow: "GET, HEAD" }, "method not allowed\n");
    }
    const head = request.method === "HEAD";
    const path = entry.path;
    if (path === "/simple") return reply(response, entry, 301, { Location: "/simple/" });
    if (path === "/simple/") {
      return page(request, response, entry, rootPage(projects), head);
    }
    const project = /^\/simple\/([^/]+)(\/?)$/.exec(path);
    if (project) {
      const [, requested = "", slash] = project;
      const name = decoded(requested);
      if (name === undefined || !NAME.test(name)) {
        return reply(response, entry, 404, {}, "not a project name\n");
      }
      const normalized = normalizeProjectName(name);
      // PyPI sends a non-normalized or slash-less project URL to the normalized one.
      if (normalized !== requested || slash === "") {
        return reply(response, entry, 301, { Location: `/simple/${normalized}/` });
      }
      const known = projects.get(normalized);
      if (!known) return reply(response, entry, 404, {}, `no project ${normalized}\n`);
      return page(request, response, entry, projectPage(normalized, known), head);
    }
    const file = /^\/files\/([^/]+)$/.exec(path);
    const wheel = file ? files.get(decoded(file[1] ?? "") ?? "") : undefined;
    if (!wheel) return reply(response, entry, 404, {}, "not found\n");
    const headers = {
      "Cache-Control": "max-age=365000000, immutable, public",
      ETag: `"${wheel.sha256}"`,
      "Last-Modified": wheel.modified,
      "Content-Type": "application/octet-stream",
    };
    if (matches(request, headers.ETag)) return reply(response, entry, 304, headers);
    headers["Content-Length"] = String(wheel.size);
    entry.status = 200;
    response.writeHead(200, headers);
    if (head) return void response.end();
    await sendFile(response, entry, wheel.path, bytesPerSecond);
  }

  function page(request, response, entry, html, head) {
    const body = Buffer.from(html);
    const headers = {
      "Cache-Control": "max-age=600, public",
      ETag: `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`,
      "Content-Type": "text/html; charset=utf-8",
    };
    if (matches(request, headers.ETag)) return reply(response, entry, 304, headers);
    headers["Content-Length"] = String(body.length);
    return reply(response, entry, 200, headers, head ? undefined : body);
  }

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const port = server.address().port;
  const host = `127.0.0.1:${port}`;

  return {
    url: `http://${host}`,
    host,
    port,
    async add(name, version, addOptions = {}) {
      const wheel = await ensureWheel(dir, name, version, addOptions.sizeBytes ?? 0);
      const normalized = normalizeProjectName(name);
      let project = projects.get(normalized);
      if (!project) {
        project = { name, wheels: new Map() };
        projects.set(normalized, project);
      }
      project.wheels.set(wheel.file, wheel);
      files.set(wheel.file, wheel);
      return {
        name,
        version,
        file: wheel.file,
        path: wheel.path,
        sha256: wheel.sha256,
        size: wheel.size,
      };
    },
    requests: () => log.map((entry) => ({ ...entry })),
    clear() {
      log = [];
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** PEP 503: lowercase, every run of "-", "_" and "." becomes one "-". */
export function normalizeProjectName(name) {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

function decoded(component) {
  try {
    return decodeURIComponent(component);
  } catch {
    return undefined;
  }
}

function pathOf(url) {
  return new URL(url ?? "/", "http://index.invalid").pathname;
}

function matches(request, etag) {
  const header = request.headers["if-none-match"];
  if (header === undefined) return false;
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === etag || tag === "*");
}

function reply(response, entry, status, headers, body) {
  entry.status = status;
  response.writeHead(status, headers);
  if (body !== undefined) entry.bytes += Buffer.byteLength(body);
  response.end(body);
}

async function sendFile(response, entry, path, bytesPerSecond) {
  const started = performance.now();
  const stream = createReadStream(path, {
    highWaterMark: bytesPerSecond ? PACE_CHUNK : 256 * 1024,
  });
  try {
    for await (const chunk of stream) {
      if (response.destroyed) return;
      if (bytesPerSecond) {
        // Due once everything sent so far would have taken its time on the paced link.
        const due = started + ((entry.bytes + chunk.length) / bytesPerSecond) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        if (response.destroyed) return;
      }
      entry.bytes += chunk.length;
      if (!response.write(chunk)) await drained(response);
    }
    response.end();
  } finally {
    stream.destroy();
  }
}

function drained(response) {
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done);
      response.off("close", done);
      resolve();
    };
    response.on("drain", done);
    response.on("close", done);
  });
}

function rootPage(projects) {
  const links = [...projects.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([normalized, project]) => `    <a href="${normalized}/">${project.name}</a><br/>`);
  return html("Simple index", links);
}

function projectPage(normalized, project) {
  const links = [...project.wheels.values()]
    .sort((a, b) => a.file.localeCompare(b.file))
    .map(
      (wheel) =>
        `    <a href="../../files/${wheel.file}#sha256=${wheel.sha256}">${wheel.file}</a><br/>`,
    );
  return html(`Links for ${normalized}`, links);
}

function html(title, links) {
  return [
    "<!DOCTYPE html>",
    "<html>",
    "  <head>",
    '    <meta name="pypi:repository-version" content="1.0">',
    `    <title>${title}</title>`,
    "  </head>",
    "  <body>",
    `    <h1>${title}</h1>`,
    ...links,
    "  </body>",
    "</html>",
    "",
  ].join("\n");
}

/** The wheel for name/version/size under `dir`, written when missing; its hash read back. */
async function ensureWheel(dir, name, version, sizeBytes) {
  if (!NAME.test(name)) {
    throw new Error(`wheel index: "${name}" is not a valid project name (PEP 508)`);
  }
  if (!VERSION.test(version)) {
    throw new Error(`wheel index: "${version}" is not a version this index can serve (PEP 440)`);
  }
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0 || sizeBytes > MAX_SIZE) {
    throw new Error(`wheel index: sizeBytes must be an integer from 0 to ${MAX_SIZE}`);
  }
  const distribution = name.toLowerCase().replace(/[-_.]+/g, "_");
  const file = `${distribution}-${version}-py3-none-any.whl`;
  // One folder per wheel identity: the file name alone does not say how big it was asked to be.
  const folder = join(dir, FORMAT, `${distribution}-${version}-${sizeBytes}`);
  const path = join(folder, file);
  let bytes = await readFile(path).catch(() => undefined);
  if (!bytes) {
    bytes = makeWheel(name, distribution, version, sizeBytes);
    await mkdir(folder, { recursive: true });
    // Write then rename: a parallel worker sees the whole wheel or none.
    const partial = `${path}.${process.pid}.${Date.now()}.partial`;
    try {
      await writeFile(partial, bytes);
      await rename(partial, path);
    } finally {
      await rm(partial, { force: true });
    }
  }
  const info = await stat(path);
  return {
    file,
    path,
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    modified: info.mtime.toUTCString(),
  };
}

function makeWheel(name, distribution, version, sizeBytes) {
  const info = `${distribution}-${version}.dist-info`;
  const entries = [
    [`${distribution}/__init__.py`, Buffer.from(`VERSION = "${version}"\n`)],
    [`${distribution}/data.bin`, incompressible(`${name}/${version}`, sizeBytes)],
    [
      `${info}/METADATA`,
      Buffer.from(
        `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: A test wheel of ${sizeBytes} data bytes from the imagesmith wheel index\n`,
      ),
    ],
    [
      `${info}/WHEEL`,
      Buffer.from(
        "Wheel-Version: 1.0\nGenerator: imagesmith-wheel-index\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
      ),
    ],
  ];
  const record = entries.map(
    ([path, data]) =>
      `${path},sha256=${createHash("sha256").update(data).digest("base64url")},${data.length}\n`,
  );
  entries.push([`${info}/RECORD`, Buffer.from(`${record.join("")}${info}/RECORD,,\n`)]);
  return zip(entries);
}

/** Deterministic bytes no compressor shrinks: AES-256-CTR keyed by `seed`, over zeros. */
function incompressible(seed, size) {
  const key = createHash("sha256").update(seed).digest();
  const cipher = createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
}

/**
 * A zip archive of stored (uncompressed) entries: local headers, the central directory and its end
 * record. Timestamps are the DOS epoch, 1980-01-01 00:00, so equal input gives equal bytes.
 */
function zip(entries) {
  const DOS_TIME = 0;
  const DOS_DATE = (1 << 5) | 1;
  const UTF8 = 0x0800;
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [path, data] of entries) {
    const name = Buffer.from(path);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(UTF8, 6);
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the mode below counts)
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(UTF8, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal attributes: all 0 (already zeroed)
    header.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

// zlib.crc32 arrived in Node 20.15 and 22.2; older Node 20 releases need the table.
const nativeCrc32 = typeof zlib.crc32 === "function" ? zlib.crc32 : undefined;
let crcTable;

/** CRC-32 (IEEE 802.3, as zip uses it) of `data`, unsigned. */
export function crc32(data) {
  if (nativeCrc32) return nativeCrc32(data) >>> 0;
  return tableCrc32(data);
}

/** The table-driven CRC-32, exported so a test can hold it against zlib's. */
export function tableCrc32(data) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
