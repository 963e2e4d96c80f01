// npm run bench: measures the CLI as a user runs it (the bundled dist/cli.js in a fresh process),
// over generated catalogs, and prints wall time and peak memory. Not a test: it asserts nothing,
// it prints figures against the targets from the issues.
//
//   npm run bench                 all benchmarks
//   npm run bench -- validate     only the validate benchmark
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

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

const benchmarks = { validate: benchValidate };
for (const [name, run] of Object.entries(benchmarks)) {
  if (only && only !== name) continue;
  await run();
}
