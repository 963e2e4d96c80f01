import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultRoot, main } from "../../src/cli.js";
import { imageSchema } from "../../src/stages/validate/schema.js";
import { existing, writeCatalog } from "../helpers/catalog.js";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t + "\n"), err: (t) => (err += t + "\n") });
  return { code, out, err };
}

describe("imagesmith validate", () => {
  it("prints a table and exits 0 for a valid catalog", async () => {
    const root = await writeCatalog({
      "images/a.yaml": existing("a"),
      "images/groups/research/b.yaml": "displayName: b\nurl: debian\n",
    });

    const { code, out } = await run("validate", "--root", root);

    expect(code).toBe(0);
    expect(out).toMatch(/NAME\s+TYPE\s+SOURCE\s+ACCESS\s+SCOPE/);
    expect(out).toMatch(/b\s+cpu\s+existing\s+research\s+group research/);
    expect(out).toContain("2 images valid (1 system, 1 group; 0 built, 2 existing), no problems");
  });

  it("prints file:line:col: severity rule: message lines and exits 1 on errors", async () => {
    const root = await writeCatalog({
      "images/a.yaml": "displayName: a\nurl: debian\nglobal: true\ngroups: [x]\n",
    });

    const { code, out } = await run("validate", "--root", root);

    expect(code).toBe(1);
    expect(out).toContain(
      "images/a.yaml:4:9: error access: global: true already gives every group access",
    );
    expect(out).toContain("1 error in 1 file");
  });

  it("prints the JSON contract", async () => {
    const root = await writeCatalog({
      "images/a.yaml": existing("a", ""),
      "images/groups/research/b.yaml":
        "displayName: b\nbuild:\n  baseImage: image:a\n  packages: {pip: [numpy]}\n",
    });

    const { code, out } = await run("validate", "--root", root, "--format", "json");

    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      valid: true,
      images: [
        {
          name: "a",
          file: "images/a.yaml",
          displayName: "a",
          type: "cpu",
          source: "existing",
          system: true,
        },
        {
          name: "b",
          file: "images/groups/research/b.yaml",
          displayName: "b",
          type: "cpu",
          source: "build",
          system: false,
          groupName: "research",
        },
      ],
      problems: [
        {
          file: "images/a.yaml",
          line: 1,
          column: 1,
          rule: "no-access",
          message: expect.stringContaining("nobody can use this image"),
          severity: "warning",
          pointer: "",
        },
      ],
    });
  });

  it("exits 2 on bad usage", async () => {
    expect((await run("validate", "--format", "yaml")).code).toBe(2);
    expect((await run("frobnicate")).code).toBe(2);
    expect((await run("validate", "--no-such-flag")).code).toBe(2);
  });

  it("exits 0 for --help and --version", async () => {
    const help = await run("--help");

    expect(help.code).toBe(0);
    expect(help.out).toContain("validate");
    expect((await run("--version")).code).toBe(0);
  });
});

describe("imagesmith list", () => {
  it("prints one row per image", async () => {
    const root = await writeCatalog({
      "images/a.yaml": existing("a", "groups: [research, vision]"),
      "images/b.yaml":
        "displayName: b\ntype: gpu\nbuild:\n  baseImage: nvidia/cuda:12.1.0-runtime-ubuntu22.04\n  packages: {apt: [git]}\nglobal: true\n",
    });

    const { code, out } = await run("list", "--root", root);

    expect(code).toBe(0);
    expect(out.trim().split("\n")).toEqual([
      expect.stringMatching(/^NAME\s+TYPE\s+SOURCE\s+ACCESS\s+SCOPE$/),
      expect.stringMatching(/^a\s+cpu\s+existing\s+research,vision\s+system$/),
      expect.stringMatching(/^b\s+gpu\s+build\s+global\s+system$/),
    ]);
    const json = JSON.parse((await run("list", "--root", root, "--format", "json")).out) as {
      name: string;
      global: boolean;
      groups: string[];
    }[];
    expect(json.map(({ name, global, groups }) => ({ name, global, groups }))).toEqual([
      { name: "a", global: false, groups: ["research", "vision"] },
      { name: "b", global: true, groups: [] },
    ]);
  });
});

describe("imagesmith new", () => {
  it("writes a build definition that validates, with every package kept as given", async () => {
    const root = await writeCatalog({});

    const { code, out } = await run(
      "new",
      "datascience",
      "--root",
      root,
      "--base",
      "quay.io/jupyter/base-notebook:2024-06-17",
      "--apt",
      "git",
      "--apt",
      "vim=2:9.0.1378-2",
      "--conda",
      "-c conda-forge::numpy==1.17*",
      "--pip",
      "requests[security]>=2.8.1",
      "--pip",
      "name; os_name == 'x'",
      "--groups",
      "research,vision",
    );

    expect(code).toBe(0);
    expect(out).toContain("created images/datascience.yaml");
    expect((await run("validate", "--root", root)).code).toBe(0);
    const text = await readFile(join(root, "images/datascience.yaml"), "utf8");
    expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=${imageSchema.$id}`);
    const { parse } = await import("yaml");
    expect(parse(text)).toEqual({
      displayName: "datascience",
      type: "cpu",
      groups: ["research", "vision"],
      build: {
        baseImage: "quay.io/jupyter/base-notebook:2024-06-17",
        packages: {
          apt: ["git", "vim=2:9.0.1378-2"],
          conda: ["-c conda-forge::numpy==1.17*"],
          pip: ["requests[security]>=2.8.1", "name; os_name == 'x'"],
        },
      },
    });
  });

  it("writes a universal image with a GPU URL and pull secret", async () => {
    const root = await writeCatalog({});

    const { code } = await run(
      "new",
      "pytorch-2.3",
      "--root",
      root,
      "--url",
      "pytorch/pytorch:2.3.0",
      "--gpu-url",
      "pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime",
      "--pull-secret",
      "dockerhub",
      "--global",
    );

    expect(code).toBe(0);
    const { parse } = await import("yaml");
    expect(parse(await readFile(join(root, "images/pytorch-2.3.yaml"), "utf8"))).toMatchObject({
      type: "universal",
      urlForGpu: "pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime",
      pullSecret: "dockerhub",
      global: true,
    });
  });

  it("writes a group image into its group's folder", async () => {
    const root = await writeCatalog({});

    const { code, out } = await run(
      "new",
      "mine",
      "--root",
      root,
      "--url",
      "debian:bookworm",
      "--group",
      "research",
    );

    expect(code).toBe(0);
    expect(out).toContain("created images/groups/research/mine.yaml");
  });

  it("writes no group image into a folder for a group imagesmith.yaml does not list", async () => {
    const root = await writeCatalog({ "imagesmith.yaml": "groups: [research]\n" });

    const { code, err } = await run(
      "new",
      "mine",
      "--root",
      root,
      "--url",
      "debian:bookworm",
      "--group",
      "reserch",
    );

    expect(code).toBe(1);
    expect(err).toContain(
      'which imagesmith.yaml does not list (rename the folder, or add the group to groups:); did you mean "research"?',
    );
    await expect(readFile(join(root, "images/groups/reserch/mine.yaml"))).rejects.toThrow(/ENOENT/);
  });

  it("refuses a pull secret for a build's base, saying where its credentials come from", async () => {
    const root = await writeCatalog({});

    const { code, err } = await run(
      "new",
      "mine",
      "--root",
      root,
      "--base",
      "debian:bookworm",
      "--pull-secret",
      "quay-readonly",
    );

    expect(code).toBe(2);
    expect(err).toContain("--pull-secret is for --url");
  });

  it("refuses to overwrite an existing definition", async () => {
    const root = await writeCatalog({ "images/a.yaml": existing("a") });

    const { code, err } = await run("new", "a", "--root", root, "--url", "debian");

    expect(code).toBe(1);
    expect(err).toContain("images/a.yaml already exists");
    expect(await readFile(join(root, "images/a.yaml"), "utf8")).toBe(existing("a"));
  });

  it("writes nothing when the definition would be invalid, and says why", async () => {
    const root = await writeCatalog({});

    const { code, err } = await run(
      "new",
      "a",
      "--root",
      root,
      "--base",
      "debian",
      "--apt",
      "-oDPkg::Pre-Invoke::=x",
      "--global",
    );

    expect(code).toBe(1);
    expect(err).toContain("error apt-package");
    expect(err).toContain("nothing written");
    await expect(readFile(join(root, "images/a.yaml"))).rejects.toThrow();
  });

  it("rejects a name taken by a group image", async () => {
    const root = await writeCatalog({
      "images/groups/research/a.yaml": "displayName: a\nurl: debian\n",
    });

    const { code, err } = await run("new", "a", "--root", root, "--url", "debian", "--global");

    expect(code).toBe(1);
    expect(err).toContain("unique-name");
  });

  it.each([
    [["x"]],
    [["x", "--url", "a", "--base", "b"]],
    [["x", "--url", "a", "--global", "--groups", "g"]],
    [["x", "--url", "a", "--apt", "git"]],
    [["x", "--url", "a", "--group", "g", "--global"]],
    [["x", "--url", "a", "--type", "both"]],
  ])("exits 2 for bad usage %j", async (args) => {
    const { code } = await run("new", ...args);

    expect(code).toBe(2);
  });
});

describe("the catalog root", () => {
  it("is found by walking up from the working directory to imagesmith.yaml", async () => {
    const root = await writeCatalog({
      "imagesmith.yaml": "groups: [research]\n",
      "images/groups/research/b.yaml": "displayName: b\nurl: debian\n",
    });
    expect(resolve(defaultRoot(join(root, "images/groups/research")))).toBe(root);
    expect(resolve(defaultRoot(root))).toBe(root);
    // Without imagesmith.yaml anywhere up, the working directory.
    const bare = await writeCatalog({ "images/a.yaml": existing("a") });
    expect(defaultRoot(join(bare, "images"))).toBe(".");
  });
});

describe("--format json when a command fails", () => {
  it("prints a JSON object on standard output, never nothing", async () => {
    const root = await writeCatalog({ "images/bad.yaml": "displayName: Bad Name\nurl: debian\n" });

    const plan = await run("plan", "--root", root, "--format", "json");
    expect(plan.code).toBe(1);
    const planned = JSON.parse(plan.out) as { error: { kind: string; problems: unknown[] } };
    expect(planned.error.kind).toBe("invalid-catalog");
    expect(planned.error.problems.length).toBeGreaterThan(0);

    const render = await run("render", "--root", root, "--format", "json");
    expect(render.code).toBe(1);
    expect((JSON.parse(render.out) as { files: string[] }).files).toEqual([]);

    const usage = await run("status", "--root", root, "--format", "json", "--catalog");
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.out)).toEqual({
      error: { kind: "usage", message: expect.stringContaining("--catalog") },
    });

    const missing = await run(
      "status",
      "--root",
      root,
      "--format=json",
      "--catalog",
      join(root, "none.json"),
    );
    expect(missing.code).toBe(1);
    expect((JSON.parse(missing.out) as { error: { message: string } }).error.message).toContain(
      "none.json",
    );
  });
});

describe("--format json on new", () => {
  it("says what was written, or why not", async () => {
    const root = await writeCatalog({});
    const made = await run(
      "new",
      "tools",
      "--url",
      "debian:12",
      "--global",
      "--root",
      root,
      "--format",
      "json",
    );
    expect(made.code, made.err).toBe(0);
    expect(JSON.parse(made.out)).toMatchObject({
      file: "images/tools.yaml",
      written: true,
      problems: [],
    });
    const again = await run(
      "new",
      "tools",
      "--url",
      "debian:12",
      "--global",
      "--root",
      root,
      "--format",
      "json",
    );
    expect(again.code).toBe(1);
    expect(JSON.parse(again.out)).toMatchObject({ written: false, exists: true });
  });
});

describe("render --offline", () => {
  it("asks no registry and names each image it could not render, and why", async () => {
    const root = await writeCatalog({
      "imagesmith.yaml": "registry: reg.invalid/ml\n",
      "images/tagged.yaml":
        "displayName: tagged\nbuild:\n  baseImage: docker.io/library/debian:12\n  packages:\n    apt: [git]\nglobal: true\n",
    });
    const result = await run("render", "--root", root, "--offline");
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      "images/tagged.yaml: not rendered offline: tagged: resolving the base image docker.io/library/debian:12: offline: the tag docker.io/library/debian:12 needs the registry (pin it by digest, or render without --offline)",
    );
  });
});
