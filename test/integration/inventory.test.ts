/**
 * The inventory reader on real package databases: the Debian python base's dpkg status and the
 * pip Debian installed, and wheels pip installed from a loopback index, read from the mounted
 * filesystem of real images (buildah mount), not by running a package manager.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildahBuilder } from "../../src/builders/buildah.js";
import { readInventory } from "../../src/inventory/index.js";
import { inspectBuiltImage, type Inspection } from "../../src/verify/index.js";
import { DEBIAN_CACHE_DIR, pythonBase } from "../helpers/debian-base.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";
import { startWheelIndex, type WheelIndex } from "../helpers/wheel-index.js";

const exec = promisify(execFile);

let registry: TestRegistry;
let index: WheelIndex;
let base: string;
let work: string;
const containers: string[] = [];
const images: string[] = [];

beforeAll(async () => {
  registry = await startRegistry();
  index = await startWheelIndex({ dir: join(DEBIAN_CACHE_DIR, "wheels") });
  base = await pythonBase(registry.host);
  work = await mkdtemp(join(tmpdir(), "imagesmith-inventory-itg-"));
});

afterAll(async () => {
  for (const id of containers) await exec("buildah", ["rm", id]).catch(() => undefined);
  for (const image of images) await exec("buildah", ["rmi", image]).catch(() => undefined);
  await index?.stop();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The root filesystem of `image`, mounted read-only for reading. */
async function mounted(image: string): Promise<string> {
  const { stdout } = await exec("buildah", ["from", "--quiet", "--pull=never", image]);
  const id = stdout.trim();
  containers.push(id);
  return (await exec("buildah", ["mount", id])).stdout.trim();
}

describe("the inventory of real images", () => {
  it("lists the Debian packages and the pip Debian installed in the python base", async () => {
    await exec("buildah", ["pull", "--tls-verify=false", "--quiet", base]);

    const inventory = await readInventory(await mounted(base));

    expect(inventory.problems).toEqual([]);
    const apt = inventory.packages.filter((p) => p.manager === "apt");
    expect(apt.length).toBeGreaterThan(80);
    expect(apt.find((p) => p.name === "python3-pip")?.version).toMatch(/^23\.0\.1/);
    expect(apt.find((p) => p.name === "dpkg")?.detail).toBe("amd64");
    expect(inventory.packages.find((p) => p.manager === "pip" && p.name === "pip")?.version).toBe(
      "23.0.1",
    );
  });

  it("lists wheels pip installed from an index, with their versions", async () => {
    await index.add("inventory-demo", "1.2.3", { sizeBytes: 1024 });
    const context = join(work, "context");
    await mkdir(context, { recursive: true });
    await writeFile(
      join(context, "Dockerfile"),
      `FROM ${base}\nRUN PIP_BREAK_SYSTEM_PACKAGES=1 pip install --index-url ${index.url}/simple --trusted-host ${index.host} inventory-demo\n`,
    );
    const tag = `localhost/imagesmith-test/inventory:${Date.now()}`;
    images.push(tag);
    await exec(
      "buildah",
      [
        "build",
        "--isolation",
        "chroot",
        "--layers",
        "--force-rm",
        "--pull=never",
        "-t",
        tag,
        context,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );

    const inventory = await readInventory(await mounted(tag));

    expect(inventory.packages).toContainEqual({
      manager: "pip",
      name: "inventory-demo",
      version: "1.2.3",
    });
  });
});

describe("a hostile image", () => {
  it("has its huge and malformed databases reported, not read, and the build's contracts say so", async () => {
    await exec("buildah", ["pull", "--tls-verify=false", "--quiet", base]);
    const tag = `localhost/imagesmith-test/hostile:${Date.now()}`;
    images.push(tag);
    // A status file past the cap, a METADATA that is not one, a conda record that is not JSON, and
    // a dist-info folder that is a symlink to the runner's /etc.
    const dockerfile = [
      `FROM ${base}`,
      "RUN head -c 70000000 /dev/zero | tr '\\0' 'x' > /var/lib/dpkg/status \\",
      " && mkdir -p /usr/lib/python3/dist-packages/evil-1.0.dist-info /opt/conda/conda-meta \\",
      " && printf 'not headers at all' > /usr/lib/python3/dist-packages/evil-1.0.dist-info/METADATA \\",
      " && printf '{not json' > /opt/conda/conda-meta/bad-1.0-0.json \\",
      " && ln -s /etc /usr/lib/python3/dist-packages/host-1.0.dist-info",
    ].join("\n");
    const logged: string[] = [];
    let inspection: Inspection | undefined;
    const started = Date.now();

    const result = await buildahBuilder().build({
      name: "hostile",
      dockerfile,
      ref: tag,
      extraRefs: [],
      insecureRegistries: [registry.host],
      platform: "linux/amd64",
      push: false,
      log: (line) => logged.push(line),
      signal: new AbortController().signal,
      inspect: async (image, log) => {
        inspection = await inspectBuiltImage(
          image,
          {
            definition: {
              name: "hostile",
              displayName: "hostile",
              type: "cpu",
              global: true,
              groups: [],
              file: "images/hostile.yaml",
              system: true,
              build: { baseImage: base, packages: { apt: ["dpkg"], conda: [], pip: [] } },
            },
            timeoutMs: 10_000,
          },
          log,
        );
      },
    });

    expect(result.digest).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(120_000);
    expect(inspection?.inventory.problems).toEqual(
      expect.arrayContaining([
        "var/lib/dpkg/status: larger than 64 MiB, not read",
        "usr/lib/python3/dist-packages/evil-1.0.dist-info/METADATA: no Name and Version",
        "opt/conda/conda-meta/bad-1.0-0.json: not a conda package record",
      ]),
    );
    expect(inspection?.inventory.packages.filter((p) => p.manager === "apt")).toEqual([]);
    const packages = inspection?.contracts.find((c) => c.name === "packages");
    expect(packages?.ok).toBe(false);
    expect(packages?.output).toContain("apt: dpkg is not installed");
    expect(packages?.output).toContain("larger than 64 MiB, not read");
    expect(logged).toContain(
      "imagesmith: inventory: var/lib/dpkg/status: larger than 64 MiB, not read",
    );
    expect(inspection?.unpackedBytes).toBeGreaterThan(70_000_000);
  });
});
