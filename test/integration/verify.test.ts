/**
 * Verification builds and contracts, as a user runs them (the bundled CLI): real buildah, a real
 * registry, real apt against the Debian archive. A catalog is published from "main" first; then
 * each case changes its definitions as a pull request would and runs `verify`, and for the
 * contracts also `run` as main does after the merge.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { writeCatalog } from "../helpers/catalog.js";
import { imagesmith } from "../helpers/cli.js";
import { debianBase } from "../helpers/debian-base.js";
import { imageIn, servedAt } from "../helpers/published.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";
import { createRegistry } from "../../src/registry/client.js";
import { parseImageReference } from "../../src/grammars/image-ref.js";
import type { VerifiedImage } from "../../src/verify/index.js";

let registry: TestRegistry;
let debian: string;

beforeAll(async () => {
  registry = await startRegistry();
  debian = await debianBase(registry.host);
});

afterAll(async () => {
  await registry?.stop();
});

function config(prefix: string, extra = ""): string {
  return `registry: ${registry.host}/${prefix}\ninsecureRegistries: [${registry.host}]\nlayerCache: false\n${extra}`;
}

function tools(apt: string[], extra = ""): string {
  return `displayName: tools\nbuild:\n  baseImage: ${debian}\n  packages:\n    apt: [${apt.join(", ")}]\n${extra}global: true\n`;
}

/** Every tag of every repository under the registry: what a verification must leave as it was. */
async function registryState(): Promise<Record<string, string[]>> {
  const client = createRegistry({ insecureRegistries: [registry.host] });
  const state: Record<string, string[]> = {};
  for (const repository of await client.catalog(registry.host)) {
    const ref = parseImageReference(`${registry.host}/${repository}`);
    if (!ref.ok) throw new Error(repository);
    state[repository] = (await client.tags(ref.value)).sort();
  }
  return state;
}

interface VerifyJson {
  passed: boolean;
  summary: string;
  images: VerifiedImage[];
}

async function verifyJson(root: string): Promise<{ code: number; json: VerifyJson; err: string }> {
  const result = await imagesmith(["verify", "--root", root, "--format", "json"]);
  return { code: result.code, json: JSON.parse(result.out) as VerifyJson, err: result.err };
}

describe("verify on a pull request", () => {
  let root: string;

  beforeAll(async () => {
    root = await writeCatalog({
      "imagesmith.yaml": config("pr"),
      "images/tools.yaml": tools(["hello"]),
    });
    const main = await imagesmith(["run", "--root", root]);
    expect(main.code, main.err).toBe(0);
  });

  it("a package Debian does not have fails verify with apt's own error, and the registry is unchanged", async () => {
    const before = await registryState();
    await writeFile(join(root, "images/tools.yaml"), tools(["hello", "nosuchpkg-imagesmith"]));

    const text = await imagesmith(["verify", "--root", root]);

    expect(text.code, text.err).toBe(1);
    expect(text.out).toContain("✗ tools  build failed");
    expect(text.out).toContain("E: Unable to locate package nosuchpkg-imagesmith");
    const markdown = await imagesmith(["verify", "--root", root, "--format", "markdown"]);
    expect(markdown.out).toMatch(/\| tools \| ✗ failed \|/);
    expect(markdown.out).toContain("E: Unable to locate package nosuchpkg-imagesmith");
    expect(await registryState()).toEqual(before);
  });

  it("a package added shows as added with its version, and the size grows", async () => {
    await writeFile(join(root, "images/tools.yaml"), tools(["hello", "bc"]));
    const before = await registryState();

    const { code, json, err } = await verifyJson(root);

    expect(code, err).toBe(0);
    expect(json.passed).toBe(true);
    const image = json.images.find((entry) => entry.name === "tools") as VerifiedImage;
    expect(image.state).toBe("done");
    expect(image.contracts.map((c) => [c.name, c.ok])).toEqual([
      ["packages", true],
      ["user", true],
    ]);
    expect(image.delta?.baseline).toBe("served");
    const bc = image.delta?.added.find((change) => change.name === "bc");
    expect(bc?.manager).toBe("apt");
    expect(bc?.after).toMatch(/^1\.\d/);
    expect(image.delta?.removed).toEqual([]);
    expect(image.size.before).toBeGreaterThan(0);
    expect(image.size.after).toBeGreaterThan(image.size.before as number);
    expect(await registryState()).toEqual(before);

    const markdown = await imagesmith(["verify", "--root", root, "--format", "markdown"]);
    expect(markdown.out).toMatch(/\| added \| apt \| `bc` \| 1\.\d/);
    expect(markdown.out).toMatch(/MB → .* MB \(\+/);
  });

  it("a gpu image on a plain Debian base fails the CUDA contract", async () => {
    await writeFile(
      join(root, "images/tools.yaml"),
      tools(["hello"], "").replace("build:", "type: gpu\nbuild:"),
    );

    const { code, json } = await verifyJson(root);

    expect(code).toBe(1);
    const image = json.images[0] as VerifiedImage;
    const cuda = image.contracts.find((contract) => contract.name === "cuda");
    expect(cuda?.ok).toBe(false);
    expect(cuda?.output).toContain("no CUDA runtime (libcudart.so*)");
    expect(image.contracts.find((contract) => contract.name === "packages")?.ok).toBe(true);
  });
});

describe("tests: commands", () => {
  it("run with no network and no secrets, within the time limit; a failing one fails verify and, on main, keeps the served image", async () => {
    const root = await writeCatalog({
      "imagesmith.yaml": config("tests", "testTimeout: 3\n"),
      "images/tools.yaml": tools(["hello"]),
    });
    const first = await imagesmith(["run", "--root", root]);
    expect(first.code, first.err).toBe(0);
    const served = imageIn((await servedAt(registry.host, "tests")).catalog, "tools");

    const port = registry.host.split(":")[1] as string;
    const passing = [
      "hello --version",
      // The registry listens on the host's loopback: from the image it must be out of reach.
      `if bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}' 2>/dev/null; then echo reached the host; exit 1; fi`,
      'test -z "$IMAGESMITH_TEST_SECRET"',
    ];
    const tests = (commands: string[]) =>
      `  tests:\n${commands.map((c) => `    - ${JSON.stringify(c)}`).join("\n")}\n`;
    await writeFile(join(root, "images/tools.yaml"), tools(["hello"], tests(passing)));
    const secret = { IMAGESMITH_TEST_SECRET: "s3cr3t-value-9f2" };
    const good = await imagesmith(["verify", "--root", root, "--format", "json"], secret);
    expect(good.code, good.out + good.err).toBe(0);
    expect(good.out + good.err).not.toContain(secret.IMAGESMITH_TEST_SECRET);

    await writeFile(
      join(root, "images/tools.yaml"),
      tools(["hello"], tests([...passing, "python3 -c 'import torch'", "sleep 30"])),
    );
    const started = Date.now();
    const { code, json } = await verifyJson(root);
    expect(code).toBe(1);
    const image = json.images[0] as VerifiedImage;
    expect(image.contracts.filter((c) => !c.ok).map((c) => c.name)).toEqual([
      "test: python3 -c 'import torch'",
      "test: sleep 30",
    ]);
    expect(
      image.contracts.find((c) => c.name === "test: python3 -c 'import torch'")?.output,
    ).toMatch(/exit 127[\s\S]*python3: not found/);
    expect(image.contracts.find((c) => c.name === "test: sleep 30")?.output).toContain(
      "stopped after 3 s",
    );
    expect(Date.now() - started).toBeLessThan(60_000);

    const main = await imagesmith(["run", "--root", root]);
    expect(main.code).toBe(1);
    expect(main.err).toContain("contracts failed: test: python3 -c 'import torch'");
    const after = imageIn((await servedAt(registry.host, "tests")).catalog, "tools");
    expect(after.url).toBe(served.url);
    expect(after.status).toBe("failed");
    expect(after.attempt?.error).toContain("contracts failed");
    const log = await readFile(join(root, after.attempt?.log ?? ""), "utf8");
    expect(log).toContain("contract test: sleep 30: FAILED");
  });
});

describe("the SBOM", () => {
  it("is found from the image digest through the referrers tag and lists the installed packages", async () => {
    const root = await writeCatalog({
      "imagesmith.yaml": config("sbom"),
      "images/tools.yaml": tools(["hello"]),
    });
    const main = await imagesmith(["run", "--root", root]);
    expect(main.code, main.err).toBe(0);
    const image = imageIn((await servedAt(registry.host, "sbom")).catalog, "tools");
    const [repository, digest] = (image.url as string).split("@") as [string, string];
    const base = `${registry.url}/v2/${repository.slice(registry.host.length + 1)}`;

    const index = (await (
      await fetch(`${base}/manifests/${digest.replace(":", "-")}`, {
        headers: { accept: "application/vnd.oci.image.index.v1+json" },
      })
    ).json()) as { manifests: { digest: string; artifactType?: string }[] };
    const sbom = index.manifests.find((m) => m.artifactType === "application/vnd.cyclonedx+json");
    expect(sbom?.digest).toBe(image.build?.sbom);
    const manifest = (await (
      await fetch(`${base}/manifests/${sbom?.digest}`, {
        headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
      })
    ).json()) as { subject: { digest: string }; layers: { digest: string }[] };
    expect(manifest.subject.digest).toBe(digest);
    const bom = (await (await fetch(`${base}/blobs/${manifest.layers[0]?.digest}`)).json()) as {
      bomFormat: string;
      components: { name: string; version: string; purl: string }[];
    };
    expect(bom.bomFormat).toBe("CycloneDX");
    const hello = bom.components.find((c) => c.name === "hello");
    expect(hello?.purl).toMatch(/^pkg:deb\/debian\/hello@/);
    expect(bom.components.find((c) => c.name === "libc6")).toBeDefined();
    expect(image.build?.installed?.apt).toBe(
      bom.components.filter((c) => c.purl.startsWith("pkg:deb/")).length,
    );
    expect(image.build?.size?.compressed).toBeGreaterThan(0);
    expect(image.build?.size?.unpacked).toBeGreaterThan(image.build?.size?.compressed as number);

    // The catalog site, from the registry: the served Dockerfile and the SBOM's packages.
    const out = join(root, "site");
    const site = await imagesmith(["site", "--root", root, "--out", out]);
    expect(site.code, site.err).toBe(0);
    const page = await readFile(join(out, "images/tools.html"), "utf8");
    expect(page).toContain("<h2>Dockerfile</h2>");
    expect(page).toContain(`FROM ${debian.replace(/:[^:/]+$/, "")}@sha256:`);
    expect(page).toContain("apt-get");
    expect(page).toMatch(/<tr><td>apt<\/td><td>hello<\/td><td>2\.\d/);
    expect(page).toContain(image.build?.sbom as string);
  });
});
