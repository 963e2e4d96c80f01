/**
 * The build stage under registry faults and cancels, as a user runs it (the bundled CLI in its own
 * process): real buildah, a real registry behind a fault proxy that answers 503, drops connections
 * or stops answering on chosen requests, and SIGTERM at each stage. Every CLI here uses a buildah
 * store of its own, so the working containers it leaves (or does not) are countable exactly.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { debianBase } from "../helpers/debian-base.js";
import { writeCatalog } from "../helpers/catalog.js";
import { imagesmith, startImagesmith, waitForOutput } from "../helpers/cli.js";
import { type FaultProxy, type ProxiedRequest, startFaultProxy } from "../helpers/fault-proxy.js";
import { liveProcesses } from "../helpers/processes.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";

const exec = promisify(execFile);

let registry: TestRegistry;
let proxy: FaultProxy;
let base: string;
let store: { env: Record<string, string>; dir: string };

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry.url);
  base = await debianBase(registry.host);
  const dir = await mkdtemp(join(tmpdir(), "imagesmith-faults-store-"));
  const conf = join(dir, "storage.conf");
  await writeFile(
    conf,
    `[storage]\ndriver = "overlay"\ngraphroot = "${dir}/root"\nrunroot = "${dir}/run"\n`,
  );
  store = { env: { CONTAINERS_STORAGE_CONF: conf, XDG_CACHE_HOME: join(dir, "cache") }, dir };
});

afterAll(async () => {
  await exec("buildah", ["rmi", "--all", "--force"], {
    env: { ...process.env, ...store.env },
  }).catch(() => undefined);
  await proxy?.stop();
  await registry?.stop();
  if (store) await rm(store.dir, { recursive: true, force: true });
});

beforeEach(() => proxy.clear());

let counter = 0;

/** A catalog of one image built on the Debian base and pushed through the proxy. */
async function catalog(
  options: { layerCache?: boolean; existing?: boolean; tests?: string[] } = {},
) {
  counter++;
  const name = `img${counter}`;
  const definition = options.existing
    ? `displayName: ${name}\nurl: ${base}\nglobal: true\n`
    : `displayName: ${name}\nbuild:\n  baseImage: ${base}\n  packages:\n    apt: [hello]\n${options.tests ? `  tests: ${JSON.stringify(options.tests)}\n` : ""}global: true\n`;
  const root = await writeCatalog({
    "imagesmith.yaml": `registry: ${proxy.host}/faults${counter}\ninsecureRegistries: [${proxy.host}, ${registry.host}]\nlayerCache: ${options.layerCache === true}\n`,
    [`images/${name}.yaml`]: definition,
  });
  return { root, name, repository: `/v2/faults${counter}/` };
}

const writes = (request: ProxiedRequest): boolean =>
  request.method === "POST" || request.method === "PUT" || request.method === "PATCH";

async function containers(): Promise<string[]> {
  const { stdout } = await exec("buildah", ["containers", "--quiet"], {
    env: { ...process.env, ...store.env },
  });
  return stdout.split("\n").filter(Boolean);
}

/** Processes still running whose command line names the proxy: what the CLI started, orphaned. */
async function orphans(): Promise<string[]> {
  return (await liveProcesses())
    .map((p) => p.cmdline)
    .filter((cmdline) => cmdline.includes(proxy.host) && !cmdline.includes("vitest"));
}

async function logsOf(root: string): Promise<string> {
  const dir = join(root, ".imagesmith/logs");
  const texts: string[] = [];
  for (const image of await readdir(dir).catch(() => [] as string[]))
    for (const file of await readdir(join(dir, image)))
      texts.push(await readFile(join(dir, image, file), "utf8"));
  return texts.join("\n");
}

/** Starts the CLI, waits for `ready`, sends SIGTERM, and says how long it took to exit. */
async function terminateWhen(
  args: string[],
  ready: () => boolean | Promise<boolean>,
): Promise<{ code: number; ms: number; out: string; err: string }> {
  const started = startImagesmith(args, store.env);
  const deadline = Date.now() + 240_000;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`never ready; the output was:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Whatever hangs has been hanging for a moment: a cancel has to cut it short.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const at = Date.now();
  started.child.kill("SIGTERM");
  const result = await started.done;
  return { ...result, ms: Date.now() - at };
}

describe("registry faults during a build", () => {
  it("survives one 503 and one dropped connection while pushing the image", async () => {
    const { root, repository } = await catalog();
    const pushOfImage = (r: ProxiedRequest) => writes(r) && r.path.startsWith(repository);
    proxy.failNext(1, { status: 503 }, pushOfImage);
    proxy.failNext(1, "reset", pushOfImage);

    const { code, err } = await imagesmith(["run", "--root", root], store.env);

    expect(code, err).toBe(0);
    expect(proxy.requests.filter((r) => r.fault !== undefined).map((r) => r.fault)).toEqual([
      503,
      "reset",
    ]);
    const published = JSON.parse(await readFile(join(root, ".imagesmith/catalog.json"), "utf8"));
    expect(published.images[0].status).toBe("ready");
  });

  it("publishes the image with a warning when every push to the layer cache fails", async () => {
    const { root, name } = await catalog({ layerCache: true });
    proxy.failAlways({ status: 503 }, (r) => writes(r) && r.path.includes("/imagesmith-cache/"));

    const { code, err } = await imagesmith(["run", "--root", root], store.env);

    expect(code, err).toBe(0);
    expect(err).toMatch(
      new RegExp(
        `${name}: warning: the layer cache \\S+imagesmith-cache was not updated \\(.*\\); the image is built and pushed without it`,
      ),
    );
    const published = JSON.parse(await readFile(join(root, ".imagesmith/catalog.json"), "utf8"));
    expect(published.images[0].status).toBe("ready");
    expect(await containers()).toEqual([]);
  });
});

describe("SIGTERM ends a job within 2 s, leaving no process and no working container", () => {
  it("while plan waits for the registry", async () => {
    const { root } = await catalog();
    proxy.failAlways("hang", (r) => r.path.includes("/manifests/"));

    const result = await terminateWhen(["plan", "--root", root], () =>
      proxy.requests.some((r) => r.fault === "hang"),
    );

    expect(result.code, result.err).toBe(143);
    expect(result.ms).toBeLessThan(2000);
    expect(result.err).toContain("cancelled (SIGTERM)");
  });

  it("while the build pulls its layer cache", async () => {
    const { root } = await catalog({ layerCache: true });
    proxy.failAlways("hang", (r) => r.path.includes("/imagesmith-cache/"));

    const result = await terminateWhen(["run", "--root", root], () =>
      proxy.requests.some((r) => r.fault === "hang"),
    );

    expect(result.code, result.err).toBe(143);
    expect(result.ms).toBeLessThan(2000);
    expect((await orphans()).join("\n")).toBe("");
    expect(await containers(), await logsOf(root)).toEqual([]);
  });

  it("while the image is pushed", async () => {
    const { root, repository } = await catalog();
    proxy.failAlways("hang", (r) => writes(r) && r.path.startsWith(repository));

    const result = await terminateWhen(["run", "--root", root], () =>
      proxy.requests.some((r) => r.fault === "hang"),
    );

    expect(result.code, result.err).toBe(143);
    expect(result.ms).toBeLessThan(2000);
    expect(result.err).toContain("nothing was published");
    expect((await orphans()).join("\n")).toBe("");
    expect(await containers()).toEqual([]);
  });

  it("while the layer cache is pushed", async () => {
    const { root } = await catalog({ layerCache: true });
    proxy.failAlways("hang", (r) => writes(r) && r.path.includes("/imagesmith-cache/"));

    const result = await terminateWhen(["run", "--root", root], () =>
      proxy.requests.some((r) => r.fault === "hang"),
    );

    expect(result.code, result.err).toBe(143);
    expect(result.ms).toBeLessThan(2000);
    expect((await orphans()).join("\n")).toBe("");
    expect(await containers()).toEqual([]);
  });

  it("while a test command runs in the built image, and nothing is pushed", async () => {
    const marker = `${6000 + counter}`;
    const { root, repository } = await catalog({ tests: [`sleep ${marker}`] });
    const sleeping = async () =>
      (await liveProcesses()).filter((p) => p.cmdline === `sleep ${marker}`).length > 0;

    const result = await terminateWhen(["run", "--root", root], sleeping);

    expect(result.code, result.err).toBe(143);
    expect(result.ms).toBeLessThan(2000);
    expect(await sleeping()).toBe(false);
    expect((await orphans()).join("\n")).toBe("");
    expect(await containers()).toEqual([]);
    expect(proxy.requests.filter((r) => writes(r) && r.path.startsWith(repository))).toEqual([]);
  });

  it("while publish pushes the catalog, and nothing is published", async () => {
    const { root } = await catalog({ existing: true });
    proxy.failAlways("hang", (r) => writes(r) && r.path.includes("/imagesmith-catalog/"));

    const result = await terminateWhen(["publish", "--root", root], () =>
      proxy.requests.some((r) => r.fault === "hang"),
    );

    expect(result.code, result.err).toBe(143);
    expect(result.ms).toBeLessThan(2000);
    proxy.clear();
    const status = await imagesmith(["status", "--root", root], store.env);
    expect(status.err).toMatch(/nothing is published/);
  });
});

describe("a no-op run", () => {
  it("shows the plan first and says there is nothing to build", async () => {
    const { root } = await catalog();
    const first = await imagesmith(["run", "--root", root], store.env);
    expect(first.code, first.err).toBe(0);
    expect(first.err).toMatch(/^Building 1 image: img\d+ \(new\)$/m);
    expect(first.err).toMatch(/^img\d+ {2}done in \d+\.\d s$/m);
    expect(first.err).not.toMatch(/Pushing cache|TARGETARCH|STEP \d/);

    const again = await imagesmith(["run", "--root", root], store.env);

    expect(again.code, again.err).toBe(0);
    expect(again.err).toContain("Nothing to build.");
    expect(again.err).toContain("The published catalog already serves every image.");
    await waitForOutput(() => again.out, /READY|ready/);

    const json = await imagesmith(["run", "--root", root, "--format", "json"], store.env);
    expect(json.code, json.err).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      valid: true,
      summary: { build: 0, skip: 1 },
      builds: [],
      cancelled: false,
      published: { unchanged: true },
    });
  });
});
