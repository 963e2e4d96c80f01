import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  MAX_DATABASE_BYTES,
  parseCondaMeta,
  parseDpkgStatus,
  parsePythonMetadata,
  readInventory,
} from "./index.js";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** An image root with these files (relative path → content). */
async function root(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "imagesmith-inventory-"));
  roots.push(dir);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(join(dir, file, ".."), { recursive: true });
    await writeFile(join(dir, file), content);
  }
  return dir;
}

const STATUS = [
  "Package: hello",
  "Status: install ok installed",
  "Architecture: amd64",
  "Version: 2.10-3",
  "Description: example",
  " the classic greeting",
  " .",
  "",
  "Package: gone",
  "Status: deinstall ok config-files",
  "Version: 1.0",
  "",
  "Package: broken",
  "Status: install reinstreq half-installed",
  "Version: 0.1",
  "",
].join("\n");

describe("parseDpkgStatus", () => {
  it("lists installed packages only, with version and architecture", () => {
    expect(parseDpkgStatus(STATUS)).toEqual({
      packages: [{ manager: "apt", name: "hello", version: "2.10-3", detail: "amd64" }],
      problems: [],
    });
  });

  it("survives garbage: no crash, no package made up", () => {
    const garbage = "\u0000\u00ff:::\n\n \n:Status install ok installed\nPackage:\n\n".repeat(1000);

    expect(parseDpkgStatus(garbage).packages).toEqual([]);
  });
});

describe("parsePythonMetadata and parseCondaMeta", () => {
  it("reads Name and Version from the headers, not the description", () => {
    const text =
      "Metadata-Version: 2.1\r\nName: Requests\r\nVersion: 2.32.3\r\n\r\nName: not-this\n";

    expect(parsePythonMetadata(text)).toEqual({ name: "Requests", version: "2.32.3" });
    expect(parsePythonMetadata("Name: x\n")).toBeUndefined();
  });

  it("reads a conda-meta record and refuses what is not one", () => {
    expect(
      parseCondaMeta(
        '{"name":"numpy","version":"1.26.4","build":"py311h","channel":"conda-forge"}',
      ),
    ).toEqual({
      manager: "conda",
      name: "numpy",
      version: "1.26.4",
      detail: "py311h",
      channel: "conda-forge",
    });
    expect(parseCondaMeta("[1,2]")).toBeUndefined();
    expect(parseCondaMeta("{")).toBeUndefined();
  });
});

describe("readInventory", () => {
  it("reads dpkg, Python distributions and conda-meta from an image's filesystem", async () => {
    const dir = await root({
      "var/lib/dpkg/status": STATUS,
      "usr/lib/python3/dist-packages/pip-23.0.1.dist-info/METADATA": "Name: pip\nVersion: 23.0.1\n",
      "usr/local/lib/python3.11/site-packages/old.egg-info/PKG-INFO": "Name: old\nVersion: 0.9\n",
      "opt/conda/conda-meta/numpy-1.26.4-py311h.json": '{"name":"numpy","version":"1.26.4"}',
    });

    const inventory = await readInventory(dir);

    expect(inventory.problems).toEqual([]);
    expect(inventory.packages.map((p) => `${p.manager} ${p.name} ${p.version}`)).toEqual([
      "apt hello 2.10-3",
      "conda numpy 1.26.4",
      "pip old 0.9",
      "pip pip 23.0.1",
    ]);
  });

  it("reports a huge status file instead of reading it", async () => {
    const dir = await root({ "var/lib/dpkg/status": "" });
    await truncate(join(dir, "var/lib/dpkg/status"), MAX_DATABASE_BYTES + 1);

    const inventory = await readInventory(dir);

    expect(inventory.packages).toEqual([]);
    expect(inventory.problems).toEqual(["var/lib/dpkg/status: larger than 64 MiB, not read"]);
  });

  it("never follows a symlink the image put on the way to a database", async () => {
    const outside = await root({
      status: STATUS,
      "lib/python3/dist-packages/x.dist-info/METADATA": "Name: x\nVersion: 1\n",
    });
    const dir = await root({});
    await mkdir(join(dir, "var/lib/dpkg"), { recursive: true });
    await symlink(join(outside, "status"), join(dir, "var/lib/dpkg/status"));
    await mkdir(join(dir, "usr"), { recursive: true });
    await symlink(join(outside, "lib"), join(dir, "usr/lib"));

    const inventory = await readInventory(dir);

    expect(inventory.packages).toEqual([]);
    expect(inventory.problems).toEqual(["var/lib/dpkg/status: not a regular file, not read"]);
  });
});
