/**
 * The build stage with the real buildah and a real registry: apt layers from the Debian archive on
 * a Debian base made by debootstrap (test/helpers/debian-base.ts), pushed over plain HTTP.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBuilder } from "../../src/builders/index.js";
import type { Builder } from "../../src/builders/types.js";
import { run } from "../../src/exec.js";
import { type BuildJob, type BuildOutcome, runBuilds } from "../../src/stages/build/index.js";
import { debianBase } from "../helpers/debian-base.js";
import { type LiveProcess, liveProcesses } from "../helpers/processes.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";

let registry: TestRegistry;
let base: string;
let workDir: string;
let logDir: string;
/** Local image names this file made, removed again at the end (the layers stay as cache). */
const localRefs: string[] = [];
/** A per-run value, so the first build of a layer really runs it. */
const nonce = randomBytes(6).toString("hex");

beforeAll(async () => {
  registry = await startRegistry();
  base = await debianBase(registry.host);
  workDir = await mkdtemp(join(tmpdir(), "imagesmith-build-itg-"));
  logDir = join(workDir, "logs");
});

afterAll(async () => {
  for (const ref of localRefs) await run("buildah", ["rmi", ref]).catch(() => undefined);
  await run("buildah", ["rmi", base]).catch(() => undefined);
  await registry?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** The Dockerfile shape render produces: one exec-form RUN whose packages reach apt as "$@". */
function aptDockerfile(from: string, packages: string[], marker: string): string {
  const script = `echo ${marker} > /etc/imagesmith-marker && apt-get update -qq && apt-get install -y --no-install-recommends "$@" && rm -rf /var/lib/apt/lists/*`;
  const argv = ["/bin/sh", "-c", script, "sh", ...packages];
  return `FROM ${from}\nUSER root\nRUN ${JSON.stringify(argv)}\n`;
}

function job(name: string, dockerfile: string, dependsOn: string[] = []): BuildJob {
  const ref = `${registry.host}/images/${name}:${nonce}`;
  localRefs.push(ref);
  return {
    name,
    dependsOn,
    request: {
      name,
      dockerfile,
      ref,
      extraRefs: [],
      insecureRegistries: [registry.host],
      platform: "linux/amd64",
    },
  };
}

async function build(
  jobs: BuildJob[],
  options: { builder?: Builder; signal?: AbortSignal; output?: (line: string) => void } = {},
): Promise<Map<string, BuildOutcome>> {
  const outcomes = await runBuilds(jobs, {
    builder: options.builder ?? createBuilder("buildah"),
    jobs: 2,
    logDir,
    signal: options.signal ?? new AbortController().signal,
    ...(options.output ? { output: options.output } : {}),
  });
  return new Map(outcomes.map((outcome) => [outcome.name, outcome]));
}

async function registryDigest(ref: string): Promise<string> {
  const out = await run("skopeo", ["inspect", "--tls-verify=false", `docker://${ref}`]);
  return (JSON.parse(out) as { Digest: string }).Digest;
}

/** A buildah image store of its own, as a fresh CI runner has: nothing pulled, no layers. */
async function freshStore(): Promise<{ env: Record<string, string>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(workDir, "store-"));
  const conf = join(dir, "storage.conf");
  await writeFile(
    conf,
    `[storage]\ndriver = "overlay"\ngraphroot = "${dir}/root"\nrunroot = "${dir}/run"\n`,
  );
  const env = { CONTAINERS_STORAGE_CONF: conf };
  return {
    env,
    async remove() {
      await run("buildah", ["rmi", "--all", "--force"], { env }).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe("build stage with buildah", () => {
  const name = "hello";
  let first: BuildOutcome | undefined;
  let firstLog = "";

  it("builds and pushes an image with the apt package inside, under the digest the registry reports", async () => {
    const hello = job(name, aptDockerfile(base, ["hello"], `hello-${nonce}`));
    hello.request.extraRefs = [`${registry.host}/images/${name}:latest`];
    hello.request.cacheRepo = `${registry.host}/images/imagesmith-cache`;
    const output: string[] = [];

    const outcomes = await build([hello], { output: (line) => output.push(line) });

    first = outcomes.get(name);
    expect(first?.state).toBe("done");
    expect(first?.digest).toBe(await registryDigest(hello.request.ref));
    expect(await registryDigest(`${registry.host}/images/${name}:latest`)).toBe(first?.digest);
    firstLog = await readFile(join(logDir, "hello.log"), "utf8");
    expect(firstLog).toContain("Setting up hello");
    expect(output.some((line) => line.startsWith("[hello] STEP 3/3: RUN"))).toBe(true);
    // The pushed image, pulled into an empty store, runs the package.
    const store = await freshStore();
    try {
      const container = await run(
        "buildah",
        ["from", "--quiet", "--tls-verify=false", hello.request.ref],
        { env: store.env },
      );
      const greeting = await run(
        "buildah",
        ["run", "--isolation", "chroot", container, "--", "hello"],
        { env: store.env },
      );
      await run("buildah", ["rm", container], { env: store.env });
      expect(greeting).toBe("Hello, world!");
    } finally {
      await store.remove();
    }
  });

  it("reuses the local layer cache when the same Dockerfile is built again", async () => {
    expect(first?.state).toBe("done");
    const again = job(`${name}-again`, aptDockerfile(base, ["hello"], `hello-${nonce}`));

    const outcomes = await build([again]);

    const log = await readFile(join(logDir, `${name}-again.log`), "utf8");
    expect(outcomes.get(`${name}-again`)?.state).toBe("done");
    expect(stepUsedCache(firstLog, "STEP 3/3")).toBe(false);
    expect(stepUsedCache(log, "STEP 3/3")).toBe(true);
    expect(log).not.toContain("Setting up hello");
  });

  it("lets a fresh runner reuse the layers the first build pushed to the registry cache", async () => {
    expect(first?.state).toBe("done");
    const store = await freshStore();
    const fresh = job(`${name}-fresh`, aptDockerfile(base, ["hello"], `hello-${nonce}`));
    fresh.request.cacheRepo = `${registry.host}/images/imagesmith-cache`;

    try {
      const outcomes = await build([fresh], {
        builder: createBuilder("buildah", { env: store.env }),
      });

      const log = await readFile(join(logDir, `${name}-fresh.log`), "utf8");
      expect(outcomes.get(`${name}-fresh`)?.state).toBe("done");
      expect(log).toContain("Cache pulled from remote");
      expect(stepUsedCache(log, "STEP 3/3")).toBe(true);
      expect(log).not.toContain("Setting up hello");
    } finally {
      await store.remove();
    }
  });

  it("fails a build with apt's error, skips its child and still builds an independent sibling", async () => {
    const bad = job("bad", aptDockerfile(base, ["nosuchpkg"], `bad-${nonce}`));
    const child = job("bad-child", `FROM ${bad.request.ref}\nRUN ["/bin/true"]\n`, ["bad"]);
    const sibling = job(
      "sibling",
      `FROM ${base}\nRUN ["/bin/sh", "-c", "echo ${nonce} > /sibling"]\n`,
    );

    const outcomes = await build([bad, child, sibling]);

    const badLog = join(logDir, "bad.log");
    expect(outcomes.get("bad")).toMatchObject({
      state: "failed",
      error: `build failed (exit 100): E: Unable to locate package nosuchpkg; see ${badLog}`,
    });
    expect(await readFile(badLog, "utf8")).toContain("E: Unable to locate package nosuchpkg");
    expect(outcomes.get("bad-child")).toMatchObject({
      state: "skipped",
      reason: "parent bad failed",
    });
    expect(outcomes.get("sibling")?.state).toBe("done");
    expect(outcomes.get("sibling")?.digest).toBe(await registryDigest(sibling.request.ref));
  });

  it("cancels a running build within seconds and leaves no buildah or sleep process behind", async () => {
    const marker = `${40 + Math.floor(Math.random() * 50)}.${process.pid % 1000}`;
    const slow = job("slow", `FROM ${base}\nRUN ["sleep", "${marker}"]\n`);
    const controller = new AbortController();
    let sleeping!: () => void;
    const started = new Promise<void>((resolve) => (sleeping = resolve));

    const running = build([slow], {
      signal: controller.signal,
      output: (line) => {
        if (line.includes("STEP 2/2: RUN") && line.includes(marker)) sleeping();
      },
    });
    await started;
    await waitFor(async () =>
      (await liveProcesses()).some((p) => p.cmdline.includes(`sleep ${marker}`)),
    );
    const tree = await buildahTree();
    const abortedAt = Date.now();
    controller.abort();
    const outcomes = await running;
    const seconds = (Date.now() - abortedAt) / 1000;

    expect(outcomes.get("slow")?.state).toBe("cancelled");
    expect(seconds).toBeLessThan(8);
    expect(tree.some((p) => p.cmdline.startsWith("buildah build"))).toBe(true);
    const alive = await liveProcesses();
    const survivors = alive.filter((p) =>
      tree.some((t) => t.pid === p.pid && t.startTime === p.startTime),
    );
    expect(survivors).toEqual([]);
    expect(alive.filter((p) => p.cmdline.includes(marker))).toEqual([]);
    const containers = (JSON.parse((await run("buildah", ["containers", "--json"])) || "null") ??
      []) as { imagename: string }[];
    expect(containers.filter((c) => c.imagename.includes(registry.host))).toEqual([]);
  });
});

/** Whether buildah reused a cached layer for the step whose line starts with `step`. */
function stepUsedCache(log: string, step: string): boolean {
  const lines = log.split("\n");
  const start = lines.findIndex((line) => line.startsWith(step));
  if (start === -1) throw new Error(`no ${step} in the log`);
  const end = lines.findIndex((line, index) => index > start && /^(STEP|COMMIT)\b/.test(line));
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .some((line) => line.startsWith("--> Using cache"));
}

/** The buildah processes this test process started, and every process below them, right now. */
async function buildahTree(): Promise<LiveProcess[]> {
  const all = await liveProcesses();
  const below = all.filter((p) => p.ppid === process.pid && p.cmdline.startsWith("buildah "));
  const parents = new Set(below.map((p) => p.pid));
  let grew = true;
  while (grew) {
    grew = false;
    for (const candidate of all) {
      if (parents.has(candidate.ppid) && !parents.has(candidate.pid)) {
        parents.add(candidate.pid);
        below.push(candidate);
        grew = true;
      }
    }
  }
  return below;
}

async function waitFor(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
