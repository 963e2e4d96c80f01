import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BuiltImage, CommandOutcome } from "../builders/types.js";
import type { InstalledPackage } from "../inventory/index.js";
import type { ImageDefinition } from "../model.js";
import { packageProblems, runContracts } from "./contracts.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "imagesmith-contracts-"));
  await mkdir(join(root, "etc"), { recursive: true });
  await writeFile(
    join(root, "etc/passwd"),
    "root:x:0:0:root:/root:/bin/bash\njovyan:x:1000:100::/home/jovyan:/bin/bash\n",
  );
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function definition(
  overrides: Partial<ImageDefinition> = {},
  packages: Partial<Record<"apt" | "pip" | "conda", string[]>> = {},
  tests?: string[],
): ImageDefinition {
  return {
    name: "ds",
    displayName: "ds",
    type: "cpu",
    global: true,
    groups: [],
    file: "images/ds.yaml",
    system: true,
    build: {
      baseImage: "debian:12",
      packages: { apt: [], conda: [], pip: [], ...packages },
      ...(tests ? { tests } : {}),
    },
    ...overrides,
  };
}

function image(
  config: BuiltImage["config"],
  run?: (command: string) => CommandOutcome,
): BuiltImage {
  return {
    root,
    config,
    run: async (command) => run?.(command) ?? { exitCode: 0, output: "", timedOut: false },
  };
}

const installed = (
  manager: InstalledPackage["manager"],
  name: string,
  version: string,
  detail?: string,
): InstalledPackage => ({
  manager,
  name,
  version,
  ...(detail ? { detail } : {}),
});

describe("the packages contract", () => {
  it("passes when every declared package is installed at an allowed version", () => {
    const problems = packageProblems(
      definition(
        {},
        {
          apt: ["hello", "libc6=2.36-9*"],
          pip: ["NumPy>=1.26,<2", "requests[socks]"],
          conda: ["conda-forge::scipy=1.11"],
        },
      ),
      {
        packages: [
          installed("apt", "hello", "2.10-3", "amd64"),
          installed("apt", "libc6", "2.36-9+deb12u4", "amd64"),
          installed("pip", "numpy", "1.26.4"),
          installed("pip", "requests", "2.32.3"),
          installed("conda", "scipy", "1.11.4", "py311h64a7726_0"),
        ],
        problems: [],
      },
    );
    expect(problems).toBeUndefined();
  });

  it("names each package missing or at a version its entry refuses", () => {
    const problems = packageProblems(
      definition(
        {},
        { apt: ["hello", "bc=1.07.1-3"], pip: ["numpy==1.26.4", 'tomli; python_version < "3.11"'] },
      ),
      {
        packages: [installed("apt", "bc", "1.07.1-2"), installed("pip", "numpy", "2.0.1")],
        problems: ["var/lib/dpkg/status: line 3: an installed entry without Package or Version"],
      },
    );
    expect(problems?.split("\n")).toEqual([
      "apt: hello is not installed",
      "apt: bc=1.07.1-3 wants =1.07.1-3, but 1.07.1-2 is installed",
      "pip: numpy==1.26.4 wants ==1.26.4, but 2.0.1 is installed",
      "(the inventory could not read: var/lib/dpkg/status: line 3: an installed entry without Package or Version)",
    ]);
  });
});

describe("runContracts", () => {
  it("checks the base's user is restored, and that it exists in the image", async () => {
    const ok = await runContracts(image({ user: "jovyan", env: [], labels: {} }), {
      definition: definition(),
      inventory: { packages: [], problems: [] },
      baseUser: "jovyan",
      timeoutMs: 1000,
    });
    expect(ok.map((c) => [c.name, c.ok])).toEqual([
      ["packages", true],
      ["user", true],
    ]);

    const root_ = await runContracts(image({ env: [], labels: {} }), {
      definition: definition(),
      inventory: { packages: [], problems: [] },
      baseUser: "jovyan",
      timeoutMs: 1000,
    });
    expect(root_[1]?.output).toContain('the base runs as "jovyan", but the image runs as "root"');

    const ghost = await runContracts(image({ user: "ghost", env: [], labels: {} }), {
      definition: definition(),
      inventory: { packages: [], problems: [] },
      baseUser: "ghost",
      timeoutMs: 1000,
    });
    expect(ghost[1]?.output).toContain("/etc/passwd in it has no such user");
  });

  it("finds the CUDA runtime of a gpu image through the image's own links and LD_LIBRARY_PATH", async () => {
    const gpu = definition({ type: "gpu" });
    const run = () =>
      runContracts(image({ env: ["LD_LIBRARY_PATH=/opt/nv/lib"], labels: {} }), {
        definition: gpu,
        inventory: { packages: [], problems: [] },
        timeoutMs: 1000,
      });
    const before = (await run()).find((c) => c.name === "cuda");
    expect(before?.ok).toBe(false);
    expect(before?.output).toContain("no CUDA runtime (libcudart.so*)");
    expect(before?.output).toContain("/opt/nv/lib");

    await mkdir(join(root, "opt/cuda-12.4/lib64"), { recursive: true });
    await writeFile(join(root, "opt/cuda-12.4/lib64/libcudart.so.12.4.127"), "");
    await symlink("libcudart.so.12.4.127", join(root, "opt/cuda-12.4/lib64/libcudart.so.12"));
    await mkdir(join(root, "opt/nv"), { recursive: true });
    await symlink("/opt/cuda-12.4/lib64", join(root, "opt/nv/lib"));
    expect((await run()).find((c) => c.name === "cuda")?.ok).toBe(true);
  });

  it("does not take a link pointing out of the image for the CUDA runtime", async () => {
    const host = await mkdtemp(join(tmpdir(), "imagesmith-host-"));
    try {
      await writeFile(join(host, "libcudart.so.12"), "");
      await mkdir(join(root, "usr/local"), { recursive: true });
      await symlink(host, join(root, "usr/local/cuda"));
      const results = await runContracts(image({ env: [], labels: {} }), {
        definition: definition({ type: "universal" }),
        inventory: { packages: [], problems: [] },
        timeoutMs: 1000,
      });
      expect(results.find((c) => c.name === "cuda")?.ok).toBe(false);
    } finally {
      await rm(host, { recursive: true, force: true });
    }
  });

  it("runs each test command, reporting its exit, output and time limit", async () => {
    const results = await runContracts(
      image({ env: [], labels: {} }, (command) =>
        command === "true"
          ? { exitCode: 0, output: "", timedOut: false }
          : command === "slow"
            ? { output: "started", timedOut: true }
            : {
                exitCode: 1,
                output: "Traceback\nModuleNotFoundError: No module named 'torch'",
                timedOut: false,
              },
      ),
      {
        definition: definition({}, {}, ["true", "python -c 'import torch'", "slow"]),
        inventory: { packages: [], problems: [] },
        timeoutMs: 5000,
      },
    );
    expect(results.map((c) => [c.name, c.ok, c.output])).toEqual([
      ["packages", true, undefined],
      ["user", true, undefined],
      ["test: true", true, undefined],
      [
        "test: python -c 'import torch'",
        false,
        "exit 1:\nTraceback\nModuleNotFoundError: No module named 'torch'",
      ],
      ["test: slow", false, "stopped after 5 s (testTimeout):\nstarted"],
    ]);
  });
});
