/**
 * The package as a user gets it: `npm pack` of this repository, installed into an empty folder,
 * its `imagesmith` bin run from outside the repository against a catalog and a real registry.
 * Builds nothing: it packs the dist/ already built (CI builds and checks it before the tests).
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existing, writeCatalog } from "../helpers/catalog.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";
import { node24 } from "../helpers/node24.js";
import { pushImage } from "../helpers/seed.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");

/** What `npm pack --json` says of one tarball (the fields read here). */
interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

interface BinRun {
  code: number;
  out: string;
  err: string;
}

let work: string;
let packed: Packed;
let installed: string;
let registry: TestRegistry;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "imagesmith-package-"));
  const pack = await run(
    "npm",
    ["pack", "--json", "--ignore-scripts", "--pack-destination", work, ROOT],
    { cwd: work },
  );
  const [tarball] = JSON.parse(pack.stdout) as Packed[];
  if (!tarball) throw new Error(`npm pack made no tarball: ${pack.stdout}${pack.stderr}`);
  packed = tarball;
  installed = join(work, "installed");
  await mkdir(installed);
  await writeFile(join(installed, "package.json"), '{ "private": true }\n');
  await run("npm", ["install", "--no-audit", "--no-fund", join(work, packed.filename)], {
    cwd: installed,
  });
  registry = await startRegistry();
});

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Runs the installed bin as a shell would (through its shebang), from a folder of its own. */
async function installedBin(...args: string[]): Promise<BinRun> {
  return capture(join(installed, "node_modules/.bin/imagesmith"), args);
}

async function capture(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<BinRun> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: tmpdir(), ...(env ? { env } : {}) });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, out: failed.stdout ?? "", err: failed.stderr ?? "" };
  }
}

describe("the npm package", () => {
  it("holds the CLI bundle, the schemas and the documents, and nothing else", () => {
    const paths = packed.files.map((file) => file.path);

    console.log(
      `${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} bytes unpacked, ${paths.length} files`,
    );
    const unexpected = paths.filter(
      (path) =>
        !/^(dist\/cli\.js|dist\/chunks\/[^/]+\.js|schemas\/[^/]+\.json)$/.test(path) &&
        !["package.json", "README.md", "LICENSE", "CHANGELOG.md"].includes(path),
    );
    expect(unexpected).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(["dist/cli.js", "LICENSE", "CHANGELOG.md"]));
    expect(paths).not.toContain("dist/index.js");
  });

  it("installs with no dependency of its own: the bundle inlines them", async () => {
    const modules = (await readdir(join(installed, "node_modules"))).filter(
      (entry) => !entry.startsWith("."),
    );
    const manifest = JSON.parse(
      await readFile(join(installed, "node_modules/imagesmith/package.json"), "utf8"),
    ) as { dependencies?: Record<string, string> };

    console.log(`installed: ${modules.length} package(s) in node_modules: ${modules.join(", ")}`);
    expect(modules).toEqual(["imagesmith"]);
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  it("prints the version of package.json", async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      version: string;
    };

    const result = await installedBin("--version");

    expect(result).toMatchObject({ code: 0, out: `${version}\n` });
  });

  it("validates, plans, publishes and plans again against a previous catalog, from any folder", async () => {
    const upstream = `${registry.host}/upstream/tiny:1`;
    await pushImage(upstream);
    const root = await writeCatalog({
      "imagesmith.yaml": `registry: ${registry.host}/acme\ninsecureRegistries: [${registry.host}]\n`,
      "images/tiny.yaml": existing("tiny").replace("docker.io/library/python:3.11", upstream),
    });
    const previous = join(work, "previous.json");

    const validated = await installedBin("validate", "--root", root);
    const first = await installedBin("plan", "--root", root, "--format", "json");
    const published = await installedBin("publish", "--root", root);
    const pulled = await installedBin("catalog", "pull", "--root", root, "--out", previous);
    const again = await installedBin(
      "plan",
      "--root",
      root,
      "--format",
      "json",
      "--previous",
      previous,
    );

    expect(validated.code, validated.err).toBe(0);
    expect(validated.out).toContain("1 image valid");
    expect(first.code, first.err).toBe(0);
    expect(planned(first.out)).toEqual([["tiny", "register"]]);
    expect(published.code, published.out + published.err).toBe(0);
    expect(pulled.code, pulled.err).toBe(0);
    expect(again.code, again.err).toBe(0);
    expect(planned(again.out)).toEqual([["tiny", "skip"]]);
  });
});

describe("on Node 24, the runtime of GitHub's runners", () => {
  it("the installed CLI prints its version, validates and plans against a registry", async () => {
    const node = await node24();
    const cli = join(installed, "node_modules/imagesmith/dist/cli.js");
    const upstream = `${registry.host}/upstream/tiny:24`;
    await pushImage(upstream, { content: "node 24" });
    const root = await writeCatalog({
      "imagesmith.yaml": `registry: ${registry.host}/node24\ninsecureRegistries: [${registry.host}]\n`,
      "images/tiny.yaml": existing("tiny").replace("docker.io/library/python:3.11", upstream),
    });

    const version = await capture(node, ["--version"]);
    const shown = await capture(node, [cli, "--version"]);
    const validated = await capture(node, [cli, "validate", "--root", root]);
    const first = await capture(node, [cli, "plan", "--root", root, "--format", "json"]);

    console.log(`node ${version.out.trim()}: imagesmith ${shown.out.trim()}`);
    expect(version.out).toMatch(/^v24\./);
    expect(shown.code, shown.err).toBe(0);
    expect(validated.code, validated.err).toBe(0);
    expect(validated.out).toContain("1 image valid");
    expect(first.code, first.err).toBe(0);
    expect(planned(first.out)).toEqual([["tiny", "register"]]);
  });

  it("the bundled Action validates a catalog and writes its summary", async () => {
    const node = await node24();
    const root = await writeCatalog({ "images/tiny.yaml": existing("tiny") });
    const summary = join(work, "summary-24.md");
    await writeFile(summary, "");

    const result = await capture(node, [join(ROOT, "dist/index.js")], {
      PATH: process.env.PATH ?? "",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: root,
      GITHUB_STEP_SUMMARY: summary,
      INPUT_COMMAND: "validate",
      INPUT_ROOT: ".",
    });

    expect(result.code, result.out + result.err).toBe(0);
    expect(await readFile(summary, "utf8")).toContain(
      "1 image valid (1 system, 0 group; 0 built, 1 existing), no problems.",
    );
  });
});

function planned(json: string): [string, string][] {
  const plan = JSON.parse(json) as { images: { name: string; action: string }[] };
  return plan.images.map((entry) => [entry.name, entry.action]);
}
