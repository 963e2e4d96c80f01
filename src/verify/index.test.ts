import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InstalledPackage } from "../inventory/index.js";
import {
  contractSummary,
  formatBytes,
  meaningfulTail,
  packageDelta,
  verifiedImages,
  type Inspection,
} from "./index.js";

const apt = (name: string, version: string): InstalledPackage => ({
  manager: "apt",
  name,
  version,
});
const pip = (name: string, version: string): InstalledPackage => ({
  manager: "pip",
  name,
  version,
});

describe("packageDelta", () => {
  it("names what was added, removed and changed, with versions, sorted by manager and name", () => {
    const delta = packageDelta(
      [apt("hello", "2.10-3"), apt("libc6", "2.36-9"), pip("numpy", "1.26.4"), pip("six", "1.16")],
      [
        apt("bc", "1.07.1-3"),
        apt("hello", "2.10-3"),
        apt("libc6", "2.36-9+deb12u4"),
        pip("NumPy", "2.0.1"),
      ],
    );
    expect(delta).toEqual({
      added: [{ manager: "apt", name: "bc", after: "1.07.1-3" }],
      removed: [{ manager: "pip", name: "six", before: "1.16" }],
      changed: [
        { manager: "apt", name: "libc6", before: "2.36-9", after: "2.36-9+deb12u4" },
        { manager: "pip", name: "NumPy", before: "1.26.4", after: "2.0.1" },
      ],
    });
  });

  it("compares a package installed for two architectures by both versions", () => {
    const before = [apt("libc6", "2.36-9"), { ...apt("libc6", "2.36-9"), detail: "i386" }];
    expect(packageDelta(before, [apt("libc6", "2.36-9")]).changed).toEqual([
      { manager: "apt", name: "libc6", before: "2.36-9, 2.36-9", after: "2.36-9" },
    ]);
    expect(packageDelta(before, before)).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe("contractSummary", () => {
  it("says which contracts failed, with the line that says why", () => {
    expect(
      contractSummary([
        {
          name: "test: python -c 'import torch'",
          ok: false,
          output:
            "exit 1:\nTraceback (most recent call last):\nModuleNotFoundError: No module named 'torch'",
          seconds: 0.4,
        },
        {
          name: "cuda",
          ok: false,
          output: "no CUDA runtime (libcudart.so*) in the image\nlooked in: /usr/lib",
          seconds: 0,
        },
      ]),
    ).toBe(
      "contracts failed: test: python -c 'import torch' (exit 1: ModuleNotFoundError: No module named 'torch'); cuda (no CUDA runtime (libcudart.so*) in the image)",
    );
  });
});

describe("formatBytes", () => {
  it("uses decimal units, as registries do", () => {
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(252_340_000)).toBe("252 MB");
    expect(formatBytes(1_234_000_000)).toBe("1.2 GB");
    expect(formatBytes(45_600)).toBe("45.6 kB");
  });
});

describe("verifiedImages and the build log", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "imagesmith-verify-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps the lines of a failed build that say why, without progress or imagesmith's own", async () => {
    const log = join(dir, "tools.log");
    await writeFile(
      log,
      [
        "imagesmith: building tools as r/tools:1 with buildah",
        "STEP 2/3: RUN apt-get update && apt-get install -y nosuch",
        "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]",
        "Reading package lists...",
        "E: Unable to locate package nosuch",
        'error building at STEP "RUN apt-get ...": exit status 100',
        "imagesmith: build failed (exit 100): E: Unable to locate package nosuch",
      ].join("\n"),
    );
    expect(await meaningfulTail(log)).toEqual([
      "STEP 2/3: RUN apt-get update && apt-get install -y nosuch",
      "E: Unable to locate package nosuch",
    ]);

    const [image] = await verifiedImages({
      entries: [{ name: "tools", reasons: ["recipe-changed"] }],
      outcomes: [
        {
          name: "tools",
          state: "failed",
          error: `build failed (exit 100): E: Unable to locate package nosuch; see ${log}`,
          logFile: log,
        },
      ],
      inspections: new Map(),
      served: async () => ({ packages: [], unpacked: 100, exists: true }),
    });
    expect(image).toMatchObject({
      name: "tools",
      state: "failed",
      error: "build failed (exit 100): E: Unable to locate package nosuch",
      logTail: [
        "STEP 2/3: RUN apt-get update && apt-get install -y nosuch",
        "E: Unable to locate package nosuch",
      ],
      size: { before: 100 },
    });
    expect(image?.delta).toBeUndefined();
  });

  it("compares an inspected build with the served image's SBOM, or says there was none", async () => {
    const inspection: Inspection = {
      inventory: { packages: [apt("bc", "1.07"), apt("hello", "2.10")], problems: [] },
      unpackedBytes: 2000,
      contracts: [{ name: "packages", ok: true, seconds: 0 }],
    };
    const entries = [
      { name: "a", reasons: ["recipe-changed"] },
      { name: "b", reasons: ["new"] },
      { name: "c", reasons: ["recipe-changed"] },
    ];
    const outcomes = entries.map((entry) => ({
      name: entry.name,
      state: "done" as const,
      logFile: "",
    }));
    const served = async (name: string) =>
      name === "a"
        ? { packages: [apt("hello", "2.10")], unpacked: 1500, exists: true }
        : name === "c"
          ? { packages: [], exists: false }
          : undefined;
    const images = await verifiedImages({
      entries,
      outcomes,
      inspections: new Map(entries.map((entry) => [entry.name, inspection])),
      served,
    });
    expect(
      images.map((image) => [image.name, image.delta?.baseline, image.delta?.added.length]),
    ).toEqual([
      ["a", "served", 1],
      ["b", "new", 2],
      ["c", "no-sbom", 2],
    ]);
    expect(images[0]?.size).toEqual({ before: 1500, after: 2000 });
    expect(images[0]?.installed).toEqual({ apt: 2, pip: 0, conda: 0 });
  });
});
