import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildahBuildArguments, buildahBuilder, registriesConf } from "./buildah.js";
import { BuildError, type BuildRequest } from "./types.js";

/**
 * A fake `buildah` on PATH for argv-level checks: records argv, the environment variables the
 * builder sets and the registries.conf it points at; `build` fails when the Dockerfile says FAIL,
 * `push` writes the digest file. The real buildah runs in test/integration/build.test.ts.
 */
const FAKE_BUILDAH = `#!/usr/bin/env node
const fs = require("node:fs");
const argv = process.argv.slice(2);
const conf = process.env.CONTAINERS_REGISTRIES_CONF;
const file = argv.includes("--file") ? argv[argv.indexOf("--file") + 1] : undefined;
const dockerfile = file ? fs.readFileSync(file, "utf8") : undefined;
fs.appendFileSync(process.env.FAKE_RECORD, JSON.stringify({
  argv,
  registryAuthFile: process.env.REGISTRY_AUTH_FILE,
  registriesConfPath: conf,
  registriesConf: conf && fs.existsSync(conf) ? fs.readFileSync(conf, "utf8") : undefined,
  dockerfile,
  tmpdir: process.env.TMPDIR,
  cacheLink: process.env.TMPDIR && fs.existsSync(process.env.TMPDIR + "/buildah-cache")
    ? fs.readlinkSync(process.env.TMPDIR + "/buildah-cache") : undefined,
}) + "\\n");
// FAKE_FAIL_PUSHES=N: the first N pushes answer as a registry's 503 would.
const counter = process.env.FAKE_RECORD + ".pushes";
if (argv[0] === "push" && process.env.FAKE_FAIL_PUSHES) {
  const done = fs.existsSync(counter) ? Number(fs.readFileSync(counter, "utf8")) : 0;
  fs.writeFileSync(counter, String(done + 1));
  if (done < Number(process.env.FAKE_FAIL_PUSHES)) {
    console.error('Error: writing blob: uploading layer chunked: StatusCode: 503, "<html><body><h1>503 Service Unavailable</h1>"');
    process.exit(125);
  }
}
if (argv[0] === "push" && process.env.FAKE_DENY_PUSH) {
  console.error("Error: writing blob: initiating layer upload to /v2/images/ds/blobs/uploads/: requested access to the resource is denied");
  process.exit(125);
}
// FAKE_MEMFD_ONCE=1: the first build fails as buildah's chroot run now and then does.
const builds = process.env.FAKE_RECORD + ".builds";
if (argv[0] === "build" && process.env.FAKE_MEMFD_ONCE && !fs.existsSync(builds)) {
  fs.writeFileSync(builds, "1");
  console.error("Close_Fd sealing memfd copy: Device or resource busy");
  console.error('Error: building at STEP "RUN apt-get install hello": exit status 1');
  process.exit(1);
}
// FAKE_CACHE_PUSH_FAILS=1: a build with --cache-to fails as buildah does when the cache push does.
if (argv[0] === "build" && argv.includes("--cache-to") && process.env.FAKE_CACHE_PUSH_FAILS) {
  console.log("--> Pushing cache registry.test/images/imagesmith-cache:abc");
  console.error('Error: failed pushing cache to {{{"registry.test" "images/imagesmith-cache"} "abc"}}: writing blob: 503 Service Unavailable');
  process.exit(125);
}
if (argv[0] === "build" && dockerfile.includes("FAIL")) {
  console.log("STEP 2/2: RUN apt-get install nosuchpkg");
  console.log("E: Unable to locate package nosuchpkg");
  console.error("subprocess exited with status 100");
  console.error('Error: building at STEP "RUN apt-get install nosuchpkg": exit status 100');
  process.exit(100);
}
// FAKE_MOUNT_FAILS=1: buildah mount refuses, as rootless buildah does outside buildah unshare.
if (argv[0] === "mount" && process.env.FAKE_MOUNT_FAILS) {
  console.error("Error: cannot mount using driver overlay in rootless mode. You need to run it in a \`buildah unshare\` session");
  process.exit(125);
}
if (argv[0] === "push" && argv.includes("--digestfile")) {
  fs.writeFileSync(argv[argv.indexOf("--digestfile") + 1], "sha256:" + "cd".repeat(32));
}
console.log(argv[0] + " ok");
`;

let dir: string;
let fakeBin: string;
let record: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "imagesmith-buildah-test-"));
  fakeBin = join(dir, "bin");
  record = join(dir, "calls.jsonl");
  await mkdir(fakeBin);
  await writeFile(join(fakeBin, "buildah"), FAKE_BUILDAH);
  await chmod(join(fakeBin, "buildah"), 0o755);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Call {
  argv: string[];
  tmpdir?: string;
  cacheLink?: string;
  registryAuthFile?: string;
  registriesConfPath?: string;
  registriesConf?: string;
  dockerfile?: string;
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

function builder(env: Record<string, string> = {}): ReturnType<typeof buildahBuilder> {
  return buildahBuilder({
    env: {
      PATH: `${fakeBin}:${process.env.PATH ?? ""}`,
      FAKE_RECORD: record,
      // The inherited registries.conf, so the test does not depend on the machine's.
      CONTAINERS_REGISTRIES_CONF: join(dir, "system-registries.conf"),
      TMPDIR: dir,
      ...env,
    },
    pushRetryBaseMs: 10,
  });
}

const MARKER = expect.stringMatching(/^imagesmith-build-[0-9a-f]{16}:127\.0\.0\.1$/) as unknown;

describe("buildah builder", () => {
  it("builds with layers, chroot isolation, the platform, cache and build args, then pushes every reference", async () => {
    const log: string[] = [];
    const pushingAt: number[] = [];

    const result = await builder().build(
      request({
        cacheRepo: "registry.test/images/imagesmith-cache",
        buildArgs: { CONDA_CHANNEL_ALIAS: "https://conda.internal" },
        log: (line) => log.push(line),
        onPhase: (phase) => phase === "pushing" && pushingAt.push(log.length),
      }),
    );

    const [build, push, pushExtra] = await calls();
    const argv = build?.argv ?? [];
    const dockerfile = argv[argv.indexOf("--file") + 1] ?? "";
    expect(argv).toEqual([
      "build",
      "--layers",
      "--force-rm",
      "--isolation",
      "chroot",
      "--pull=missing",
      "--add-host",
      MARKER,
      "--build-arg",
      "CONDA_CHANNEL_ALIAS=https://conda.internal",
      "--cache-from",
      "registry.test/images/imagesmith-cache",
      "--cache-to",
      "registry.test/images/imagesmith-cache",
      "--file",
      dockerfile,
      "--tag",
      "registry.test/images/ds:0123456789abcdef",
      argv[argv.length - 1],
    ]);
    expect(build?.dockerfile).toBe(request().dockerfile);
    expect(push?.argv).toEqual([
      "push",
      "--digestfile",
      push?.argv[2],
      "registry.test/images/ds:0123456789abcdef",
      "docker://registry.test/images/ds:0123456789abcdef",
    ]);
    expect(pushExtra?.argv).toEqual([
      "push",
      "registry.test/images/ds:0123456789abcdef",
      "docker://registry.test/images/ds:latest",
    ]);
    expect(result.digest).toBe(`sha256:${"cd".repeat(32)}`);
    expect(log).toEqual(["build ok", "push ok", "push ok"]);
    expect(pushingAt).toEqual([1]);
  });

  it("passes credentials only as REGISTRY_AUTH_FILE and never a TLS or credentials flag", async () => {
    const authFile = join(dir, "auth.json");

    await builder().build(request({ authFile, insecureRegistries: ["127.0.0.1:5000"] }));

    for (const call of await calls()) {
      expect(call.registryAuthFile).toBe(authFile);
      expect(call.argv.filter((arg) => /^--(creds|tls-verify|authfile)/.test(arg))).toEqual([]);
    }
  });

  it("marks exactly the configured registries insecure in a registries.conf on top of the inherited one", async () => {
    await writeFile(
      join(dir, "system-registries.conf"),
      'unqualified-search-registries = ["docker.io"]\n',
    );

    await builder().build(request({ insecureRegistries: ["127.0.0.1:5000", "registry.lan"] }));

    const [build, push] = await calls();
    expect(build?.registriesConf).toBe(
      [
        "# Written by imagesmith for one build.",
        "",
        'unqualified-search-registries = ["docker.io"]',
        "",
        "[[registry]]",
        'location = "127.0.0.1:5000"',
        "insecure = true",
        "",
        "[[registry]]",
        'location = "registry.lan"',
        "insecure = true",
        "",
      ].join("\n"),
    );
    expect(push?.registriesConf).toBe(build?.registriesConf);
  });

  it("leaves registries.conf alone when no registry is insecure", async () => {
    await builder().build(request());

    const [build] = await calls();
    expect(build?.registriesConfPath).toBe(join(dir, "system-registries.conf"));
  });

  it("rejects with a BuildError naming the exit code and the apt error, and pushes nothing", async () => {
    const pushing: string[] = [];

    const error = await builder()
      .build(
        request({
          dockerfile: "FROM x\nRUN FAIL\n",
          onPhase: (phase) => phase === "pushing" && pushing.push("!"),
        }),
      )
      .catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).message).toBe(
      "build failed (exit 100): E: Unable to locate package nosuchpkg",
    );
    expect((await calls()).map((call) => call.argv[0])).toEqual(["build"]);
    expect(pushing).toEqual([]);
  });

  it("pushes again after a transient registry failure, saying so in the log", async () => {
    const log: string[] = [];

    const result = await builder({ FAKE_FAIL_PUSHES: "2" }).build(
      request({ extraRefs: [], log: (line) => log.push(line) }),
    );

    expect(result.digest).toBe(`sha256:${"cd".repeat(32)}`);
    expect((await calls()).map((call) => call.argv[0])).toEqual(["build", "push", "push", "push"]);
    const retries = log.filter((line) => line.includes("trying again"));
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatch(
      /^imagesmith: push to registry\.test\/images\/ds:0123456789abcdef failed \(exit 125\): .*503.*; trying again in \d+\.\d s \(attempt 2 of 4\)$/,
    );
  });

  it("gives up after the retries, naming the registry's answer", async () => {
    const error = await builder({ FAKE_FAIL_PUSHES: "9" })
      .build(request({ extraRefs: [] }))
      .catch((reason: unknown) => reason);

    expect((error as BuildError).message).toMatch(
      /^push to .* failed \(exit 125\): .*503 Service Unavailable/,
    );
    expect((await calls()).filter((call) => call.argv[0] === "push")).toHaveLength(4);
  });

  it("builds again when buildah's chroot run could not seal its memfd copy", async () => {
    const result = await builder({ FAKE_MEMFD_ONCE: "1" }).build(request({ extraRefs: [] }));

    expect(result.digest).toBe(`sha256:${"cd".repeat(32)}`);
    expect((await calls()).map((call) => call.argv[0])).toEqual(["build", "build", "push"]);
  });

  it("does not retry a refusal", async () => {
    const error = await builder({ FAKE_DENY_PUSH: "1" })
      .build(request({ extraRefs: [] }))
      .catch((reason: unknown) => reason);

    expect((error as BuildError).message).toMatch(/denied/);
    expect((await calls()).filter((call) => call.argv[0] === "push")).toHaveLength(1);
  });

  it("builds again without the layer cache when pushing the cache fails, and warns", async () => {
    const log: string[] = [];

    const result = await builder({ FAKE_CACHE_PUSH_FAILS: "1" }).build(
      request({
        cacheRepo: "registry.test/images/imagesmith-cache",
        log: (line) => log.push(line),
      }),
    );

    const builds = (await calls()).filter((call) => call.argv[0] === "build");
    expect(builds.map((call) => call.argv.includes("--cache-to"))).toEqual([true, false]);
    expect(result.digest).toBe(`sha256:${"cd".repeat(32)}`);
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^the layer cache registry\.test\/images\/imagesmith-cache was not updated \(.*503 Service Unavailable.*\); the image is built and pushed without it$/,
      ),
    ]);
    expect(log.some((line) => line.startsWith("imagesmith: warning: the layer cache"))).toBe(true);
  });

  it("rebuilds without any cache when asked, still updating the layer cache", async () => {
    await builder().build(
      request({ noCache: true, cacheRepo: "registry.test/images/imagesmith-cache" }),
    );

    const [build] = await calls();
    expect(build?.argv).toContain("--pull=missing");
    expect(build?.argv).toContain("--no-cache");
    expect(build?.argv).toContain("--cache-to");
    expect(build?.argv).not.toContain("--cache-from");
  });

  it("pulls a catalog parent's tag again when this run did not build it", async () => {
    await builder().build(request({ refreshBase: true }));

    const [build] = await calls();
    expect(build?.argv).toContain("--pull=always");
    expect(build?.argv).not.toContain("--pull=missing");
  });

  it("points buildah's cache mounts at the package cache through a TMPDIR of the build's own", async () => {
    const cache = join(dir, "packages");

    await builder().build(request({ packageCache: cache }));

    const [build] = await calls();
    expect(build?.cacheLink).toBe(cache);
    expect(build?.tmpdir?.startsWith(join(dir, "imagesmith-buildah-"))).toBe(true);
  });

  it("says buildah is missing when it is not installed", async () => {
    const missing = buildahBuilder({ command: join(dir, "no-such-buildah") });

    const error = await missing.build(request()).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).message).toMatch(/^build failed: .*is not installed/);
  });
});

describe("buildahBuildArguments", () => {
  it("leaves out the cache and build args when none are asked for", () => {
    const args = buildahBuildArguments(request({ platform: "linux/arm64" }), {
      dockerfile: "/t/Dockerfile",
      context: "/t/context",
      digestFile: "/t/digest",
    });

    expect(args).toEqual([
      "build",
      "--layers",
      "--force-rm",
      "--isolation",
      "chroot",
      "--pull=missing",
      "--platform",
      "linux/arm64",
      "--file",
      "/t/Dockerfile",
      "--tag",
      "registry.test/images/ds:0123456789abcdef",
      "/t/context",
    ]);
  });
});

describe("registriesConf", () => {
  it("drops an inherited v1-format file, which cannot be mixed with [[registry]] tables", () => {
    const v1 = '[registries.insecure]\nregistries = ["old.lan"]\n';

    expect(registriesConf(["127.0.0.1:5000"], v1)).toBe(
      [
        "# Written by imagesmith for one build.",
        "",
        "[[registry]]",
        'location = "127.0.0.1:5000"',
        "insecure = true",
        "",
      ].join("\n"),
    );
  });
});

describe("a built image buildah cannot open for its contracts", () => {
  it("is still pushed, with a warning saying what was not checked and why", async () => {
    let inspected = false;
    const result = await builder({ FAKE_MOUNT_FAILS: "1" }).build(
      request({
        inspect: async () => {
          inspected = true;
        },
      }),
    );

    expect(inspected).toBe(false);
    expect(result.digest).toBe(`sha256:${"cd".repeat(32)}`);
    expect(result.warnings).toEqual([
      expect.stringContaining(
        "the image's contracts, inventory and SBOM were not checked: buildah could not open it (cannot mount using driver overlay in rootless mode",
      ),
    ]);
    const argv = (await calls()).map((call) => call.argv[0]);
    expect(argv).toEqual(["build", "from", "mount", "rm", "push", "push"]);
  });
});
