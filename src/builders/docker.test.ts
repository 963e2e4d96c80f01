import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dockerBuilder, dockerBuildArguments } from "./docker.js";
import { BuildError, type BuildRequest } from "./types.js";

/**
 * A fake `docker` on PATH: records its argv, environment, DOCKER_CONFIG contents and standard
 * input, then behaves by the Dockerfile it reads: FAIL fails like buildx, HANG starts two sleeps
 * (one in its own session) and waits, anything else writes a metadata file and succeeds.
 */
const FAKE_DOCKER = `#!/usr/bin/env node
const fs = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");
const argv = process.argv.slice(2);
const stdin = fs.readFileSync(0, "utf8");
const configDir = process.env.DOCKER_CONFIG;
const record = {
  argv,
  stdin,
  dockerConfig: configDir,
  registryAuthFile: process.env.REGISTRY_AUTH_FILE,
  config: configDir && fs.existsSync(path.join(configDir, "config.json"))
    ? JSON.parse(fs.readFileSync(path.join(configDir, "config.json"), "utf8")) : undefined,
  entries: configDir && fs.existsSync(configDir) ? fs.readdirSync(configDir).sort() : [],
};
fs.appendFileSync(process.env.FAKE_RECORD, JSON.stringify(record) + "\\n");
if (stdin.includes("FAIL")) {
  console.log("#5 [2/2] RUN apt-get install nosuchpkg");
  console.log("#5 0.512 E: Unable to locate package nosuchpkg");
  console.error("#5 ERROR: process \\"/bin/sh -c apt-get install nosuchpkg\\" did not complete successfully: exit code: 100");
  console.error("ERROR: failed to solve: process \\"/bin/sh -c apt-get install nosuchpkg\\" did not complete successfully: exit code: 100");
  process.exit(1);
}
if (stdin.includes("HANG")) {
  const marker = stdin.match(/HANG (\\S+)/)[1];
  spawn("setsid", ["sleep", marker], { stdio: "ignore" });
  spawn("sleep", [marker], { stdio: "ignore" });
  console.log("#4 [2/2] RUN sleep " + marker);
  setInterval(() => {}, 1000);
} else {
  console.log("#4 [2/2] RUN apt-get install hello");
  console.log("#5 exporting to image");
  console.log("#5 pushing layers done");
  const metadata = argv[argv.indexOf("--metadata-file") + 1];
  fs.writeFileSync(metadata, JSON.stringify({ "containerimage.digest": "sha256:" + "ab".repeat(32) }));
}
`;

let dir: string;
let fakeBin: string;
let record: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "imagesmith-docker-test-"));
  fakeBin = join(dir, "bin");
  record = join(dir, "calls.jsonl");
  await mkdir(fakeBin);
  await writeFile(join(fakeBin, "docker"), FAKE_DOCKER);
  await chmod(join(fakeBin, "docker"), 0o755);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Call {
  argv: string[];
  stdin: string;
  dockerConfig?: string;
  registryAuthFile?: string;
  config?: Record<string, unknown>;
  entries: string[];
}

async function calls(): Promise<Call[]> {
  const text = await readFile(record, "utf8");
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Call);
}

function request(overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    name: "ds",
    dockerfile: "FROM registry.test/base@sha256:1234\nRUN apt-get install hello\n",
    ref: "registry.test/images/ds:0123456789abcdef",
    extraRefs: ["registry.test/images/ds:latest"],
    insecureRegistries: [],
    platform: "linux/amd64",
    log: () => undefined,
    signal: new AbortController().signal,
    ...overrides,
  };
}

function builder(env: Record<string, string> = {}): ReturnType<typeof dockerBuilder> {
  return dockerBuilder({
    env: { PATH: `${fakeBin}:${process.env.PATH ?? ""}`, FAKE_RECORD: record, ...env },
    killGraceMs: 1000,
  });
}

describe("docker builder", () => {
  it("runs docker buildx build with platform, tags, cache, build args and a metadata file, the Dockerfile on stdin", async () => {
    const dockerfile = "FROM registry.test/base@sha256:1234\nRUN apt-get install hello\n";

    await builder().build(
      request({
        dockerfile,
        cacheRepo: "registry.test/images/imagesmith-cache",
        buildArgs: { PIP_INDEX_URL: "https://pypi.internal/simple" },
      }),
    );

    const [call] = await calls();
    const argv = call?.argv ?? [];
    const metadata = argv[argv.indexOf("--metadata-file") + 1] ?? "";
    const context = argv[argv.length - 1] ?? "";
    expect(argv).toEqual([
      "buildx",
      "build",
      "--progress=plain",
      "--provenance=false",
      "--platform",
      "linux/amd64",
      "--push",
      "--tag",
      "registry.test/images/ds:0123456789abcdef",
      "--tag",
      "registry.test/images/ds:latest",
      "--cache-to",
      "type=registry,ref=registry.test/images/imagesmith-cache,mode=max,ignore-error=true",
      "--cache-from",
      "type=registry,ref=registry.test/images/imagesmith-cache",
      "--build-arg",
      "PIP_INDEX_URL=https://pypi.internal/simple",
      "--metadata-file",
      metadata,
      "--file",
      "-",
      context,
    ]);
    expect(call?.stdin).toBe(dockerfile);
    expect(call?.dockerConfig).toBeUndefined();
  });

  it("resolves to the digest buildx wrote to the metadata file, reporting the push when the export starts", async () => {
    const log: string[] = [];
    const marks: number[] = [];

    const result = await builder().build(
      request({
        log: (line) => log.push(line),
        onPhase: (phase) => phase === "pushing" && marks.push(log.length),
      }),
    );

    expect(result.digest).toBe(`sha256:${"ab".repeat(32)}`);
    expect(log).toEqual([
      "#4 [2/2] RUN apt-get install hello",
      "#5 exporting to image",
      "#5 pushing layers done",
    ]);
    expect(marks).toEqual([1]);
  });

  it("marks plain-HTTP registries insecure for the push and for the cache", () => {
    const args = dockerBuildArguments(
      request({
        ref: "127.0.0.1:5000/images/ds:0123456789abcdef",
        extraRefs: [],
        cacheRepo: "127.0.0.1:5000/images/imagesmith-cache",
        insecureRegistries: ["127.0.0.1:5000"],
      }),
      { context: "/ctx", metadataFile: "/meta.json" },
    );

    expect(args).not.toContain("--push");
    expect(args).toContain("type=image,push=true,registry.insecure=true");
    expect(args).toContain(
      "type=registry,ref=127.0.0.1:5000/images/imagesmith-cache,mode=max,ignore-error=true,registry.insecure=true",
    );
    expect(args).toContain(
      "type=registry,ref=127.0.0.1:5000/images/imagesmith-cache,registry.insecure=true",
    );
  });

  it("rebuilds without any cache when asked, still exporting the fresh steps to the layer cache", () => {
    const args = dockerBuildArguments(
      request({ noCache: true, cacheRepo: "registry.test/images/imagesmith-cache" }),
      { context: "/ctx", metadataFile: "/meta.json" },
    );

    expect(args).toContain("--no-cache");
    expect(args).toContain("--cache-to");
    expect(args).not.toContain("--cache-from");
  });

  it("hands credentials over only in a private DOCKER_CONFIG that keeps the user's buildx state", async () => {
    const password = "pw-never-on-argv";
    const authFile = join(dir, "auth.json");
    const auth = Buffer.from(`robot:${password}`).toString("base64");
    await writeFile(authFile, JSON.stringify({ auths: { "registry.test": { auth } } }));
    const userConfig = join(dir, "user-docker");
    await mkdir(join(userConfig, "buildx"), { recursive: true });
    await writeFile(
      join(userConfig, "config.json"),
      JSON.stringify({
        credsStore: "desktop",
        credHelpers: { "registry.test": "ecr-login", "other.test": "gcloud" },
        auths: { "other.test": { auth: "b3RoZXI6dXNlcg==" } },
        currentContext: "default",
      }),
    );

    await builder({ DOCKER_CONFIG: userConfig }).build(request({ authFile }));

    const [call] = await calls();
    expect(call?.argv.join(" ")).not.toContain(password);
    expect(call?.argv.join(" ")).not.toContain(auth);
    expect(call?.dockerConfig).not.toBe(userConfig);
    expect(call?.config).toEqual({
      auths: { "other.test": { auth: "b3RoZXI6dXNlcg==" }, "registry.test": { auth } },
      credHelpers: { "other.test": "gcloud" },
      currentContext: "default",
    });
    expect(call?.entries).toEqual(["buildx", "config.json"]);
    // The private config folder is gone after the build.
    await expect(readdir(call?.dockerConfig ?? "")).rejects.toThrow();
  });

  it("rejects with a BuildError naming the exit code and the line that says what failed", async () => {
    const error = await builder()
      .build(request({ dockerfile: "FROM x\nRUN FAIL\n" }))
      .catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).cancelled).toBe(false);
    expect((error as BuildError).message).toBe(
      "build failed (exit 1): E: Unable to locate package nosuchpkg",
    );
  });

  it("kills docker and every process it started, even one in its own session, when cancelled", async () => {
    const marker = `${60 + Math.floor(Math.random() * 1000)}.${process.pid}`;
    const controller = new AbortController();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const build = builder().build(
      request({
        dockerfile: `FROM x\nRUN HANG ${marker}\n`,
        signal: controller.signal,
        log: (line) => {
          if (line.includes("RUN sleep")) started();
        },
      }),
    );
    await running;
    await waitFor(async () => (await processesWith(marker)).length === 2);

    controller.abort();
    const error = await build.catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).cancelled).toBe(true);
    expect(await processesWith(marker)).toEqual([]);
  });
});

/** Command lines of live (not zombie) processes that mention `text`. */
async function processesWith(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, "utf8")).split("\0").join(" ");
      if (cmdline.includes(text)) found.push(cmdline.trim());
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
