// npm run bench: measures the CLI as a user runs it (the bundled dist/cli.js in a fresh process),
// over generated catalogs, and prints wall time and peak memory. Not a test: it asserts nothing,
// it prints figures against the targets from the issues.
//
//   npm run bench                 all benchmarks
//   npm run bench -- validate     only the validate benchmark (also: plan, build, verify, site, sync, action)
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { appendFile, cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { startLocalRegistry } from "./local-registry.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const CLI = join(ROOT, "dist/cli.js");
const WORK = join(ROOT, ".bench");
const only = process.argv[2];

if (!existsSync(CLI)) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
if (!existsSync("/usr/bin/time")) {
  console.error("bench needs GNU time for peak memory: apt-get install time");
  process.exit(2);
}

/** Runs the CLI once; returns wall seconds and peak RSS in MiB. */
function measure(args) {
  const result = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, CLI, ...args], {
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
  const last = result.stderr.trim().split("\n").at(-1) ?? "";
  const [wall, kib] = last.split(" ").map(Number);
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(
      `imagesmith ${args.join(" ")} exited ${result.status}: ${result.stderr.slice(-2000)}`,
    );
  }
  return { wall, mib: kib / 1024, status: result.status };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const APT = [
  "git",
  "vim=2:9.0.1378-2",
  "curl",
  "build-essential",
  "libgl1",
  "libglib2.0-0",
  "openssh-client/bookworm-backports",
  "libc6:amd64",
];
const CONDA = [
  "-c conda-forge::numpy==1.17*",
  "scipy>=1.10",
  "conda-forge::xgboost[build_number='>=1']",
  "pandas 2.2.* py311*",
  "python=3.11",
];
const PIP = [
  "torch==2.3.0",
  "requests[security]>=2.8.1",
  "polars>=0.20; python_version >= '3.9'",
  "transformers==4.41.2",
  "tokenizers>=0.19,<0.20",
  "pip @ https://github.com/pypa/pip/archive/1.3.1.zip",
];
const GROUPS = ["ml-team", "research", "vision", "analysts", "platform"];

/** A realistic catalog of `count` images: 40% existing, 60% built (a third of those on another catalog image), 20% group images. */
async function generateCatalog(count) {
  const dir = join(WORK, `catalog-${count}`);
  if (existsSync(join(dir, ".complete"))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "images"), { recursive: true });
  for (const group of GROUPS) await mkdir(join(dir, "images/groups", group), { recursive: true });
  await writeFile(
    join(dir, "imagesmith.yaml"),
    `registry: localhost:5000/bench\ngroups: [${GROUPS.join(", ")}]\n`,
  );
  const systemNames = [];
  const writes = [];
  for (let i = 0; i < count; i++) {
    const name = `image-${String(i).padStart(5, "0")}`;
    const group = i % 5 === 4 ? GROUPS[i % GROUPS.length] : undefined;
    const access = group
      ? ""
      : i % 3 === 0
        ? "global: true\n"
        : `groups: [${GROUPS[i % 5]}, ${GROUPS[(i + 1) % 5]}]\n`;
    let body;
    if (i % 5 < 2) {
      body = `type: ${i % 2 ? "cpu" : "universal"}\nurl: registry.example.com/team/base-${i}:2024.${i % 12}\n${i % 2 ? "" : `urlForGpu: registry.example.com/team/base-${i}:2024.${i % 12}-cuda\n`}pullSecret: example-pull\n`;
    } else {
      const parent =
        systemNames.length > 10 && i % 3 === 0
          ? `image:${systemNames[(i * 7) % systemNames.length]}`
          : `quay.io/jupyter/base-notebook:2024-06-${String((i % 28) + 1).padStart(2, "0")}`;
      const list = (items, k) =>
        items
          .slice(0, k)
          .map((p) => `      - ${JSON.stringify(p)}\n`)
          .join("");
      body = `type: cpu\nbuild:\n  baseImage: ${parent}\n  packages:\n    apt:\n${list(APT, 3 + (i % 5))}    conda:\n${list(CONDA, 2 + (i % 3))}    pip:\n${list(PIP, 3 + (i % 3))}`;
    }
    const text = `displayName: ${name}\ndescription: Benchmark image number ${i}\n${body}${access}`;
    const file = group
      ? join(dir, "images/groups", group, `${name}.yaml`)
      : join(dir, "images", `${name}.yaml`);
    if (!group && i % 5 !== 0) systemNames.push(name);
    writes.push(writeFile(file, text));
    if (writes.length >= 256) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  await writeFile(join(dir, ".complete"), "");
  return dir;
}

async function benchValidate() {
  console.log("\nimagesmith validate (target: 1,000 in < 1 s, 10,000 in < 5 s)");
  console.log("images   runs  wall median  wall min  peak RSS");
  for (const count of [100, 1000, 10000]) {
    const dir = await generateCatalog(count);
    const runs = count >= 10000 ? 3 : 5;
    const results = [];
    for (let run = 0; run < runs; run++)
      results.push(measure(["validate", "--root", dir, "--format", "json"]));
    const bad = results.find((r) => r.status !== 0);
    if (bad)
      throw new Error(
        `the generated ${count}-image catalog did not validate; run: node dist/cli.js validate --root ${dir}`,
      );
    const walls = results.map((r) => r.wall);
    console.log(
      `${String(count).padStart(6)}  ${String(runs).padStart(4)}  ${median(walls).toFixed(2).padStart(9)} s  ${Math.min(
        ...walls,
      )
        .toFixed(2)
        .padStart(6)} s  ${Math.max(...results.map((r) => r.mib))
        .toFixed(0)
        .padStart(5)} MiB`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// plan: a no-op plan (every image already in the registry) against a local CNCF distribution
// registry, and the same references looked up one by one with skopeo.

/** The bench's registry: storage under .bench kept between runs, so seeded images survive; access log counted. */
async function startBenchRegistry() {
  const registry = await startLocalRegistry({ dir: join(WORK, "registry"), accessLog: true });
  const requests = () =>
    (
      readFileSync(registry.logPath, "utf8").match(/"(GET|HEAD|PUT|POST|PATCH|DELETE) \/v2\//g) ??
      []
    ).length;
  return { ...registry, requests };
}

const sha256 = (data) => "sha256:" + createHash("sha256").update(data).digest("hex");

/** Pushes one tiny image through the distribution API; returns what is needed to tag it anywhere. */
async function pushTinyImage(host, repository, user) {
  const layer = gzipSync(Buffer.alloc(1024)); // an empty tar archive is two zero blocks
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: { User: user },
      rootfs: { type: "layers", diff_ids: [sha256(Buffer.alloc(1024))] },
    }),
  );
  for (const blob of [layer, config]) {
    const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: "POST" });
    const location = new URL(start.headers.get("location"), `http://${host}`);
    location.searchParams.set("digest", sha256(blob));
    const put = await fetch(location, {
      method: "PUT",
      body: blob,
      headers: { "content-type": "application/octet-stream" },
    });
    if (!put.ok) throw new Error(`blob upload to ${repository}: ${put.status}`);
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: sha256(config),
        size: config.length,
      },
      layers: [
        {
          mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
          digest: sha256(layer),
          size: layer.length,
        },
      ],
    }),
  );
  return { repository, manifest, blobs: [sha256(layer), sha256(config)] };
}

/** Tags the tiny image as ref (HOST/REPO:TAG): blobs mounted from where they were pushed, then the manifest. */
async function tagTiny(host, image, ref) {
  const rest = ref.slice(host.length + 1);
  const colon = rest.lastIndexOf(":");
  const repository = rest.slice(0, colon);
  const tag = rest.slice(colon + 1);
  if (repository !== image.repository) {
    // Once per repository: concurrent mounts of one blob into one repository race in the registry.
    image.mounted ??= new Map();
    if (!image.mounted.has(repository))
      image.mounted.set(repository, mountBlobs(host, image, repository));
    await image.mounted.get(repository);
  }
  const put = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    method: "PUT",
    body: image.manifest,
    headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
  });
  if (!put.ok) throw new Error(`tagging ${ref}: ${put.status} ${await put.text()}`);
}

async function mountBlobs(host, image, repository) {
  for (const digest of image.blobs) {
    const response = await fetch(
      `http://${host}/v2/${repository}/blobs/uploads/?mount=${digest}&from=${image.repository}`,
      { method: "POST" },
    );
    if (response.status !== 201)
      throw new Error(`mounting ${digest} into ${repository}: ${response.status}`);
  }
}

/** The floor: the same HEAD requests from a bare keep-alive loop, 32 in flight, nothing else. */
async function bareHeadLoop(refs) {
  const { Agent, request } = await import("node:http");
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const head = (ref) =>
    new Promise((resolve, reject) => {
      const slash = ref.indexOf("/");
      const [hostname, port] = ref.slice(0, slash).split(":");
      const rest = ref.slice(slash + 1);
      const colon = rest.lastIndexOf(":");
      const path = `/v2/${rest.slice(0, colon)}/manifests/${rest.slice(colon + 1)}`;
      const req = request(
        {
          agent,
          hostname,
          port,
          method: "HEAD",
          path,
          headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
        },
        (res) => {
          res.resume();
          res.on("end", resolve);
        },
      );
      req.on("error", reject);
      req.end();
    });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < refs.length) await head(refs[next++]);
    }),
  );
  agent.destroy();
  return (performance.now() - started) / 1000;
}

async function inBatches(items, size, work) {
  for (let i = 0; i < items.length; i += size)
    await Promise.all(items.slice(i, i + size).map(work));
}

/** A catalog of `count` images on `host`: 70% built on ten shared bases (a fifth of them on another catalog image), 30% existing. */
async function generatePlanCatalog(host, count) {
  const dir = join(WORK, `plan-${count}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "images"), { recursive: true });
  await writeFile(
    join(dir, "imagesmith.yaml"),
    `registry: ${host}/catalog\ninsecureRegistries: [${host}]\n`,
  );
  const writes = [];
  const builtNames = [];
  for (let i = 0; i < count; i++) {
    const name = `image-${String(i).padStart(5, "0")}`;
    let body;
    if (i % 10 < 3) {
      body = `url: ${host}/upstream/existing:v${i}\n`;
    } else {
      const base =
        builtNames.length > 20 && i % 5 === 0
          ? `image:${builtNames[(i * 7) % builtNames.length]}`
          : `${host}/upstream/base-${i % 10}:1`;
      body = `build:\n  baseImage: ${base}\n  packages:\n    apt: [git, curl]\n    pip: ["numpy>=1.${i % 20}", "requests[security]"]\n`;
      if (!base.startsWith("image:")) builtNames.push(name);
    }
    writes.push(
      writeFile(join(dir, "images", `${name}.yaml`), `displayName: ${name}\n${body}global: true\n`),
    );
    if (writes.length >= 256) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  return dir;
}

function planOnce(dir) {
  const run = measure(["plan", "--root", dir, "--format", "json"]);
  if (run.status !== 0) throw new Error(`plan failed on ${dir}`);
  return run;
}

async function benchPlan() {
  if (!existsSync("/usr/bin/docker-registry")) {
    console.error(
      "\nplan bench needs the CNCF distribution registry: apt-get install docker-registry skopeo",
    );
    return;
  }
  const registry = await startBenchRegistry();
  try {
    const { host } = registry;
    const tiny = await pushTinyImage(host, "upstream/base-0", "1000");
    for (let k = 1; k < 10; k++) await tagTiny(host, tiny, `${host}/upstream/base-${k}:1`);
    await tagTiny(host, tiny, `${host}/upstream/base-0:1`);
    console.log(
      "\nimagesmith plan, no-op (target: 1,000 in < 1 s with ~1 request per image, within 1.25× the bare HEAD loop; 10,000 in < 5 s and < 300 MB)",
    );
    console.log(
      "images   plan wall  peak RSS  requests/image   bare HEAD loop   skopeo inspect loop   ratio   ratio to floor",
    );
    for (const count of [100, 1000, 10000]) {
      const dir = await generatePlanCatalog(host, count);
      const existing = Array.from({ length: count }, (_, i) => i)
        .filter((i) => i % 10 < 3)
        .map((i) => `${host}/upstream/existing:v${i}`);
      await inBatches(existing, 16, (ref) => tagTiny(host, tiny, ref));
      // A first plan says what to build; seeding those references makes the next plans no-ops.
      const first = JSON.parse(
        execFileSync(process.execPath, [CLI, "plan", "--root", dir, "--format", "json"], {
          encoding: "utf8",
          maxBuffer: 1 << 30,
        }),
      );
      const refs = first.images.map((image) => image.ref);
      await inBatches(
        first.images.filter((image) => image.action === "build").map((image) => image.ref),
        16,
        (ref) => tagTiny(host, tiny, ref),
      );
      // A no-op is a plan against the published catalog: main has published what it built.
      execFileSync(process.execPath, [CLI, "publish", "--root", dir], { stdio: "ignore" });
      planOnce(dir); // warms the base-config cache, as any earlier run on the machine would have
      const runs = [];
      for (let i = 0; i < 3; i++) {
        const before = registry.requests();
        const run = planOnce(dir);
        await new Promise((resolve) => setTimeout(resolve, 200)); // let the access log drain
        runs.push({ ...run, requests: registry.requests() - before });
      }
      const check = JSON.parse(
        execFileSync(process.execPath, [CLI, "plan", "--root", dir, "--format", "json"], {
          encoding: "utf8",
          maxBuffer: 1 << 30,
        }),
      );
      if (check.summary.skip !== count)
        throw new Error(`the ${count}-image plan is not a no-op: ${JSON.stringify(check.summary)}`);
      // skopeo: the same references, one process each (a raw manifest fetch, the equivalent of our HEAD).
      const sample =
        refs.length > 1000 ? refs.filter((_, i) => i % Math.ceil(refs.length / 1000) === 0) : refs;
      const started = performance.now();
      for (const ref of sample) {
        execFileSync("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${ref}`], {
          stdio: ["ignore", "ignore", "inherit"],
        });
      }
      const skopeoSeconds = ((performance.now() - started) / 1000) * (refs.length / sample.length);
      // The floor the plan is read against: the median of three, as the plan's wall is.
      const floors = [];
      for (let i = 0; i < 3; i++) floors.push(await bareHeadLoop(refs));
      const floor = median(floors);
      const wall = median(runs.map((r) => r.wall));
      const note = sample.length < refs.length ? ` (from ${sample.length})` : "";
      console.log(
        `${String(count).padStart(6)}  ${wall.toFixed(2).padStart(7)} s  ${Math.max(
          ...runs.map((r) => r.mib),
        )
          .toFixed(0)
          .padStart(
            4,
          )} MiB  ${(median(runs.map((r) => r.requests)) / count).toFixed(2).padStart(14)}   ${floor.toFixed(2).padStart(10)} s   ${skopeoSeconds.toFixed(1).padStart(10)} s${note.padEnd(11)}  ${(skopeoSeconds / wall).toFixed(0).padStart(4)}x   ${(wall / floor).toFixed(2).padStart(13)}x`,
      );
    }
  } finally {
    registry.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// build: a pip layer of twenty wheels cold and after adding one (warm package cache), and
// imagesmith's overhead over buildah build + push of the same Dockerfile.

const WHEELS = 20;
const WHEEL_BYTES = 3 * 1024 * 1024;

/** Runs a command to completion without blocking the event loop (the wheel index must keep answering). */
function timed(file, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0)
        reject(new Error(`${file} ${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ seconds: (performance.now() - started) / 1000, stdout, stderr });
    });
  });
}

/** The wheel files an index answered with 200 since it was cleared. */
function filesServed(index) {
  return index.requests().filter((r) => r.path.includes("/files/") && r.status === 200).length;
}

/**
 * One pip-layer experiment against an index paced at `bytesPerSecond` (undefined: loopback speed):
 * a cold build (empty store, empty package cache), then the same layer with one package more.
 */
async function pipLayer(registry, base, bytesPerSecond, label) {
  const slug = label.replace(/[^a-z0-9]+/g, "-");
  const { startWheelIndex } = await import("./wheel-index.mjs");
  const index = await startWheelIndex({
    dir: join(WORK, "wheels"),
    ...(bytesPerSecond ? { bytesPerSecond } : {}),
  });
  try {
    const names = Array.from({ length: WHEELS + 1 }, (_, i) => `bench-wheel-${i}`);
    for (const name of names) await index.add(name, "1.0", { sizeBytes: WHEEL_BYTES });
    const dir = join(WORK, `pip-${slug}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, "images"), { recursive: true });
    await writeFile(
      join(dir, "imagesmith.yaml"),
      `registry: ${registry.host}/bench-${slug}\ninsecureRegistries: [${registry.host}]\nlayerCache: false\npip:\n  indexUrl: ${index.url}/simple\n  trustedHosts: ['${index.host}']\n  breakSystemPackages: true\n`,
    );
    const definition = (count) =>
      `displayName: bench\nbuild:\n  baseImage: ${base}\n  packages:\n    pip: [${names.slice(0, count).join(", ")}]\nglobal: true\n`;
    await writeFile(join(dir, "images/bench.yaml"), definition(WHEELS));
    const env = { ...process.env, XDG_CACHE_HOME: join(dir, "cache") };
    spawnSync("buildah", ["rmi", "--all", "--force"], { stdio: "ignore" });
    await timed("buildah", ["pull", "--tls-verify=false", "--quiet", base]);

    // `build`: the build stage as the plan asks for it (publishing is the same in both).
    index.clear();
    const cold = await timed(process.execPath, [CLI, "build", "--root", dir], { env });
    const coldFiles = filesServed(index);
    await writeFile(join(dir, "images/bench.yaml"), definition(WHEELS + 1));
    index.clear();
    const warm = await timed(process.execPath, [CLI, "build", "--root", dir], { env });
    const warmFiles = filesServed(index);
    console.log(
      `${label.padEnd(22)} cold ${cold.seconds.toFixed(1).padStart(5)} s (${coldFiles} wheels fetched)   +1 package, warm cache ${warm.seconds.toFixed(1).padStart(5)} s (${warmFiles} fetched)   ratio ${(warm.seconds / cold.seconds).toFixed(2)}`,
    );
    return dir;
  } finally {
    await index.stop();
  }
}

/** imagesmith build and buildah build + push of the same Dockerfile, cold, five times each, in turn. */
async function overhead(registry, base, dir, bytesPerSecond) {
  const { startWheelIndex } = await import("./wheel-index.mjs");
  const index = await startWheelIndex({
    dir: join(WORK, "wheels"),
    ...(bytesPerSecond ? { bytesPerSecond } : {}),
  });
  const ours = [];
  const theirs = [];
  try {
    for (let i = 0; i <= WHEELS; i++)
      await index.add(`bench-wheel-${i}`, "1.0", { sizeBytes: WHEEL_BYTES });
    // The catalog points at this index: render its Dockerfile for buildah.
    const yaml = readFileSync(join(dir, "imagesmith.yaml"), "utf8").replace(
      /127\.0\.0\.1:\d+(\/simple|')/g,
      (_, rest) => `${index.host}${rest}`,
    );
    await writeFile(join(dir, "imagesmith.yaml"), yaml);
    await timed(process.execPath, [CLI, "render", "--root", dir, "--out", join(dir, "render")]);
    const dockerfile = join(dir, "render/bench/Dockerfile");
    const context = join(dir, "context");
    await mkdir(context, { recursive: true });
    const conf = join(dir, "registries.conf");
    await writeFile(conf, `[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n`);
    for (let i = 0; i < 5; i++) {
      const fresh = join(dir, `overhead-${bytesPerSecond ?? 0}-${i}`);
      await rm(fresh, { recursive: true, force: true });
      await mkdir(join(fresh, "tmp"), { recursive: true });
      spawnSync("buildah", ["rmi", "--all", "--force"], { stdio: "ignore" });
      await timed("buildah", ["pull", "--tls-verify=false", "--quiet", base]);
      const run = await timed(process.execPath, [CLI, "build", "bench", "--root", dir], {
        env: { ...process.env, XDG_CACHE_HOME: join(fresh, "cache") },
      });
      ours.push(run.seconds);
      spawnSync("buildah", ["rmi", "--all", "--force"], { stdio: "ignore" });
      await timed("buildah", ["pull", "--tls-verify=false", "--quiet", base]);
      // buildah's cache mounts live under TMPDIR: an empty one, as imagesmith's cache folder was.
      const env = { ...process.env, CONTAINERS_REGISTRIES_CONF: conf, TMPDIR: join(fresh, "tmp") };
      const ref = `${registry.host}/bench/direct:${i}`;
      const started = performance.now();
      await timed(
        "buildah",
        [
          "build",
          "--layers",
          "--isolation",
          "chroot",
          "--pull=missing",
          "-f",
          dockerfile,
          "-t",
          ref,
          context,
        ],
        { env },
      );
      await timed("buildah", ["push", ref, `docker://${ref}`], { env });
      theirs.push((performance.now() - started) / 1000);
    }
  } finally {
    await index.stop();
  }
  return { ours, theirs };
}

async function benchBuild() {
  const store = join(WORK, "containers");
  await mkdir(store, { recursive: true });
  await writeFile(
    join(WORK, "storage.conf"),
    `[storage]\ndriver = "overlay"\ngraphroot = "${store}/root"\nrunroot = "${store}/run"\n`,
  );
  // Every buildah below (ours, imagesmith's and the base helper's) uses this store through the environment.
  process.env.CONTAINERS_STORAGE_CONF = join(WORK, "storage.conf");
  const { pythonBase } = await import("./debian-base.mjs");
  const registry = await startBenchRegistry();
  try {
    const base = await pythonBase(registry.host);
    console.log(
      `\nimagesmith build: a pip layer of ${WHEELS} wheels of ${WHEEL_BYTES / 1024 / 1024} MB, then one more (target: the index serves only the new wheel, rebuild at most 0.3x cold)`,
    );
    await pipLayer(registry, base, undefined, "loopback index");
    await pipLayer(registry, base, 5 * 1024 * 1024, "index at 5 MB/s");
    const dir = await pipLayer(registry, base, 10 * 1024 * 1024, "index at 10 MB/s");

    // Overhead: the same rendered Dockerfile built cold (an empty store but the base, an empty
    // package cache) and pushed, by imagesmith and by buildah directly; with the index at loopback
    // speed (a short build) and paced (a build that downloads as over a network).
    console.log(
      "\nimagesmith build against buildah build + push of the same Dockerfile (target: within 5 %)",
    );
    for (const pace of [undefined, 10 * 1024 * 1024]) {
      const { ours, theirs } = await overhead(registry, base, dir, pace);
      const a = median(ours);
      const b = median(theirs);
      console.log(
        `${(pace ? "index at 10 MB/s" : "loopback index").padEnd(18)} imagesmith build ${a.toFixed(2)} s   buildah build + push ${b.toFixed(2)} s   overhead ${(a - b).toFixed(2)} s = ${(((a - b) / b) * 100).toFixed(1)} %   (medians of 5)`,
      );
    }
    const noop = [];
    for (let i = 0; i < 3; i++)
      noop.push((await timed(process.execPath, [CLI, "run", "--root", dir])).seconds);
    console.log(`no-op imagesmith run: ${median(noop).toFixed(2)} s`);
  } finally {
    registry.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// verify: a pull request that changes one image of a 20-image catalog, against buildah building
// that one image's Dockerfile (target: verify costs that build plus at most 2 s).

const VERIFY_IMAGES = 20;

async function benchVerify() {
  const store = join(WORK, "containers-verify");
  await rm(store, { recursive: true, force: true });
  await mkdir(store, { recursive: true });
  await writeFile(
    join(WORK, "storage-verify.conf"),
    `[storage]\ndriver = "overlay"\ngraphroot = "${store}/root"\nrunroot = "${store}/run"\n`,
  );
  process.env.CONTAINERS_STORAGE_CONF = join(WORK, "storage-verify.conf");
  const { debianBase } = await import("./debian-base.mjs");
  const registry = await startBenchRegistry();
  try {
    const base = await debianBase(registry.host);
    const dir = join(WORK, "verify");
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, "images"), { recursive: true });
    await writeFile(
      join(dir, "imagesmith.yaml"),
      `registry: ${registry.host}/bench-verify-${Date.now().toString(36)}\ninsecureRegistries: [${registry.host}]\nlayerCache: false\n`,
    );
    const definition = (name, apt) =>
      `displayName: ${name}\nbuild:\n  baseImage: ${base}\n  packages:\n    apt: [${apt.join(", ")}]\nglobal: true\n`;
    for (let i = 0; i < VERIFY_IMAGES; i++)
      await writeFile(join(dir, `images/img-${i}.yaml`), definition(`img-${i}`, ["hello"]));
    const cache = (label) => ({ ...process.env, XDG_CACHE_HOME: join(dir, `cache-${label}`) });
    const main = await timed(process.execPath, [CLI, "run", "--root", dir], { env: cache("main") });
    console.log(
      `\nimagesmith verify: a pull request changing 1 of ${VERIFY_IMAGES} images (apt: + bc), published from main in ${main.seconds.toFixed(1)} s (target: that image's build + at most 2 s)`,
    );
    await writeFile(join(dir, "images/img-7.yaml"), definition("img-7", ["hello", "bc"]));
    await timed(process.execPath, [CLI, "render", "--root", dir, "--out", join(dir, "render")]);
    const dockerfile = join(dir, "render/img-7/Dockerfile");
    const context = join(dir, "context");
    await mkdir(context, { recursive: true });
    const conf = join(dir, "registries.conf");
    await writeFile(conf, `[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n`);

    const fresh = async () => {
      spawnSync("buildah", ["rmi", "--all", "--force"], { stdio: "ignore" });
      await timed("buildah", ["pull", "--tls-verify=false", "--quiet", base]);
    };
    const buildah = async (label, i) => {
      const tmp = join(dir, `tmp-${label}-${i}`);
      await rm(tmp, { recursive: true, force: true });
      await mkdir(tmp, { recursive: true });
      const env = { ...process.env, CONTAINERS_REGISTRIES_CONF: conf, TMPDIR: tmp };
      const args = ["build", "--layers", "--isolation", "chroot", "--pull=missing"];
      args.push("-f", dockerfile, "-t", `${registry.host}/bench-verify/direct:${i}`, context);
      return (await timed("buildah", args, { env })).seconds;
    };
    const verify = async (label, i) => {
      const run = await timed(process.execPath, [CLI, "verify", "--root", dir, "--quiet"], {
        env: cache(`${label}-${i}`),
      });
      if (!run.stdout.includes("every build and contract passed"))
        throw new Error(`verify did not pass: ${run.stdout}`);
      return run.seconds;
    };
    for (const [label, runs, cold] of [
      ["cold (empty store but the base, empty package cache)", 3, true],
      ["warm (every layer in the local store)", 5, false],
    ]) {
      const ours = [];
      const theirs = [];
      for (let i = 0; i < runs; i++) {
        if (cold) await fresh();
        theirs.push(await buildah(cold ? "cold" : "warm", i));
        if (cold) await fresh();
        ours.push(await verify(cold ? "cold" : "warm", i));
      }
      const a = median(ours);
      const b = median(theirs);
      console.log(
        `${label.padEnd(54)} verify ${a.toFixed(2)} s   buildah build ${b.toFixed(2)} s   difference ${(a - b).toFixed(2)} s   (medians of ${runs})`,
      );
    }
  } finally {
    registry.stop();
    delete process.env.CONTAINERS_STORAGE_CONF;
  }
}

// ---------------------------------------------------------------------------------------------
// site: the catalog site of a 1,000-image published catalog (target: under 2 s, list page under 1 MB).

async function benchSite() {
  const { siteCatalog } = await import("./site-catalog.mjs");
  const { statSync, readdirSync } = await import("node:fs");
  const dir = join(WORK, "site");
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "root"), { recursive: true });
  console.log(
    "\nimagesmith site: the site of a published catalog (target: 1,000 images under 2 s, list page under 1 MB)",
  );
  console.log("images  wall (median of 5)  peak RSS  files  list page  largest image page");
  for (const count of [100, 1000, 5000]) {
    const file = join(dir, `catalog-${count}.json`);
    await writeFile(file, JSON.stringify(siteCatalog(count)));
    const out = join(dir, `out-${count}`);
    const runs = [];
    for (let i = 0; i < 5; i++)
      runs.push(measure(["site", "--root", join(dir, "root"), "--catalog", file, "--out", out]));
    const pages = readdirSync(join(out, "images")).map(
      (name) => statSync(join(out, "images", name)).size,
    );
    const files = readdirSync(out, { recursive: true }).length;
    const list = statSync(join(out, "index.html")).size;
    console.log(
      `${String(count).padStart(6)}  ${median(runs.map((r) => r.wall))
        .toFixed(2)
        .padStart(8)} s          ${median(runs.map((r) => r.mib))
        .toFixed(0)
        .padStart(
          4,
        )} MiB  ${String(files).padStart(5)}  ${(list / 1024).toFixed(0).padStart(6)} KiB  ${(Math.max(...pages) / 1024).toFixed(1).padStart(6)} KiB`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// sync: sync primehub of a catalog against the stand-in PrimeHub of the tests (target: an
// unchanged PrimeHub takes at most 3 requests for 500 images, an access change one mutation).

async function benchSync() {
  const { build } = await import("esbuild");
  const { siteCatalog } = await import("./site-catalog.mjs");
  const dir = join(WORK, "sync");
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // The stand-in is TypeScript (test/helpers): bundled for this script.
  const stub = join(dir, "primehub-stub.mjs");
  await build({
    entryPoints: [join(ROOT, "test/helpers/primehub.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: stub,
    logLevel: "error",
  });
  // It reads the schema from beside itself.
  await cp(join(ROOT, "test/helpers/primehub/schema.graphql"), join(dir, "schema.graphql"));
  const { startPrimeHub, PRIMEHUB_TOKEN } = await import(stub);
  console.log(
    "\nimagesmith sync primehub (target: unchanged 500 images in at most 3 requests, an access change in 1 mutation)",
  );
  console.log("images  first sync                  unchanged               access change");
  for (const count of [500, 2000]) {
    const hub = await startPrimeHub({
      groups: ["research", "vision", "nlp", "platform"].map((name) => ({ id: `g-${name}`, name })),
    });
    try {
      const catalog = siteCatalog(count);
      const file = join(dir, `catalog-${count}.json`);
      await writeFile(file, JSON.stringify(catalog));
      const sync = async () => {
        const before = { requests: hub.requests.length, mutations: hub.mutations.length };
        const started = performance.now();
        await timed(
          process.execPath,
          [
            CLI,
            "sync",
            "primehub",
            "--endpoint",
            hub.url,
            "--root",
            dir,
            "--catalog",
            file,
            "--ledger",
            join(dir, `ledger-${count}.json`),
          ],
          { env: { ...process.env, PRIMEHUB_API_TOKEN: PRIMEHUB_TOKEN } },
        );
        const seconds = (performance.now() - started) / 1000;
        return `${seconds.toFixed(2)} s ${hub.requests.length - before.requests} req ${hub.mutations.length - before.mutations} mut`;
      };
      const first = await sync();
      const unchanged = await sync();
      const image = catalog.images.find((entry) => entry.name === "image-0007");
      image.global = !image.global;
      image.groups = image.global ? [] : ["research"];
      await writeFile(file, JSON.stringify(catalog));
      const access = await sync();
      console.log(
        `${String(count).padStart(6)}  ${first.padEnd(28)}${unchanged.padEnd(24)}${access}`,
      );
    } finally {
      await hub.stop();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// action: the Action's plan on a pull request that changes one image of a 1,000-image catalog.

/** A stand-in GitHub API that answers the comment calls and counts them. */
async function startCommentApi() {
  const calls = [];
  const comments = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      calls.push(`${request.method} ${request.url}`);
      response.setHeader("content-type", "application/json");
      if (request.method === "GET") return response.end(JSON.stringify(comments));
      const text = JSON.parse(body).body;
      const user = { login: "github-actions[bot]", type: "Bot" };
      if (request.method === "POST") comments.push({ id: comments.length + 1, body: text, user });
      else comments[0].body = text;
      response.end(JSON.stringify({ id: 1, body: text }));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, calls, stop: () => server.close() };
}

async function benchAction() {
  if (!existsSync("/usr/bin/docker-registry")) {
    console.error(
      "\naction bench needs the CNCF distribution registry: apt-get install docker-registry",
    );
    return;
  }
  const ACTION = join(ROOT, "dist/index.js");
  const registry = await startBenchRegistry();
  const api = await startCommentApi();
  try {
    const { host } = registry;
    const tiny = await pushTinyImage(host, "upstream/base-0", "1000");
    for (let k = 1; k < 10; k++) await tagTiny(host, tiny, `${host}/upstream/base-${k}:1`);
    await tagTiny(host, tiny, `${host}/upstream/base-0:1`);
    const count = 1000;
    const dir = await generatePlanCatalog(host, count);
    await inBatches(
      Array.from({ length: count }, (_, i) => i).filter((i) => i % 10 < 3),
      16,
      (i) => tagTiny(host, tiny, `${host}/upstream/existing:v${i}`),
    );
    const first = JSON.parse(
      execFileSync(process.execPath, [CLI, "plan", "--root", dir, "--format", "json"], {
        encoding: "utf8",
        maxBuffer: 1 << 30,
      }),
    );
    await inBatches(
      first.images.filter((image) => image.action === "build").map((image) => image.ref),
      16,
      (ref) => tagTiny(host, tiny, ref),
    );
    // main has published: the catalog artifact is in the registry, as the pull request finds it.
    execFileSync(process.execPath, [CLI, "publish", "--root", dir], { stdio: "ignore" });
    // The pull request adds a pip package to one image.
    const changed = join(dir, "images", "image-00005.yaml");
    await appendFile(changed, "");
    const text = readFileSync(changed, "utf8").replace(
      '"requests[security]"',
      '"requests[security]", "tqdm"',
    );
    await writeFile(changed, text);

    const runner = await mkdtemp(join(tmpdir(), "imagesmith-bench-runner-"));
    const event = join(runner, "event.json");
    await writeFile(
      event,
      JSON.stringify({
        number: 1,
        pull_request: {
          number: 1,
          head: { repo: { full_name: "acme/images" } },
          base: { repo: { full_name: "acme/images" } },
        },
        repository: { full_name: "acme/images", default_branch: "main" },
      }),
    );
    console.log(
      "\nAction plan on a pull request changing 1 of 1,000 images (target: < 2 s), a fresh checkout each run",
    );
    console.log("run   wall     peak RSS  registry requests  GitHub API calls  plan");
    const walls = [];
    for (let i = 0; i < 5; i++) {
      // A fresh runner: the definitions only, no .imagesmith (no local catalog, no caches).
      const workspace = join(runner, `ws-${i}`);
      await cp(join(dir, "images"), join(workspace, "images"), { recursive: true });
      await cp(join(dir, "imagesmith.yaml"), join(workspace, "imagesmith.yaml"));
      const outputs = join(runner, `output-${i}`);
      await writeFile(outputs, "");
      await writeFile(join(runner, `summary-${i}.md`), "");
      const before = registry.requests();
      const callsBefore = api.calls.length;
      // Asynchronous: the stand-in API answers from this process while the action runs.
      // IMAGESMITH_BENCH_PROFILE=DIR writes a V8 CPU profile of each run there.
      const profile = process.env.IMAGESMITH_BENCH_PROFILE
        ? ["--cpu-prof", "--cpu-prof-dir", process.env.IMAGESMITH_BENCH_PROFILE]
        : [];
      const result = await timed(
        "/usr/bin/time",
        ["-f", "%e %M", process.execPath, ...profile, ACTION],
        {
          cwd: workspace,
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            // A fresh runner has no caches either (base image configs live in the user's cache).
            XDG_CACHE_HOME: join(runner, `cache-${i}`),
            GITHUB_WORKSPACE: workspace,
            GITHUB_EVENT_NAME: "pull_request",
            GITHUB_EVENT_PATH: event,
            GITHUB_REF: "refs/pull/1/merge",
            GITHUB_REPOSITORY: "acme/images",
            GITHUB_API_URL: api.url,
            GITHUB_OUTPUT: outputs,
            GITHUB_STEP_SUMMARY: join(runner, `summary-${i}.md`),
            INPUT_COMMAND: "plan",
            "INPUT_GITHUB-TOKEN": "bench-token",
          },
        },
      );
      const [wall, kib] = (result.stderr.trim().split("\n").at(-1) ?? "").split(" ").map(Number);
      const changes = /changed<<(\S+)\n(.*)\n/.exec(readFileSync(outputs, "utf8"))?.[2] ?? "?";
      await new Promise((resolve) => setTimeout(resolve, 200)); // let the access log drain
      walls.push(wall);
      console.log(
        `${String(i + 1).padStart(3)}  ${wall.toFixed(2).padStart(5)} s  ${(kib / 1024).toFixed(0).padStart(5)} MiB  ${String(registry.requests() - before).padStart(17)}  ${String(api.calls.length - callsBefore).padStart(16)}  build ${changes}`,
      );
      await rm(workspace, { recursive: true, force: true });
    }
    console.log(`median: ${median(walls).toFixed(2)} s`);
    await rm(runner, { recursive: true, force: true });
  } finally {
    api.stop();
    registry.stop();
  }
}

const benchmarks = {
  validate: benchValidate,
  plan: benchPlan,
  build: benchBuild,
  verify: benchVerify,
  site: benchSite,
  sync: benchSync,
  action: benchAction,
};
for (const [name, run] of Object.entries(benchmarks)) {
  if (only && only !== name) continue;
  await run();
}
