import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { defaultConfig, type ImageDefinition, type PackageLists } from "../../src/model.js";
import {
  imageLabels,
  recipeHash,
  renderDockerfile,
  renderRecipe,
} from "../../src/stages/render/index.js";

const DIGEST = "sha256:" + "ab".repeat(32);

function image(
  packages: Partial<PackageLists>,
  baseImage = "quay.io/jupyter/base-notebook:2024-06-17",
): ImageDefinition {
  return {
    name: "datascience",
    displayName: "datascience",
    description: 'Notebook with "quotes", $HOME and a \\ backslash',
    type: "cpu",
    global: true,
    groups: [],
    file: "images/datascience.yaml",
    system: true,
    build: { baseImage, packages: { apt: [], conda: [], pip: [], ...packages } },
  };
}

/** Every RUN instruction's exec-form argv, read back the way a Dockerfile parser reads it. */
function runArgvs(dockerfile: string): string[][] {
  const joined = dockerfile.replace(/\\\n/g, "");
  return joined
    .split("\n")
    .filter((line) => line.startsWith("RUN "))
    .map((line) => JSON.parse(line.slice(4).replace(/^(?:--mount=\S+\s+)+/, "")) as string[]);
}

const HOSTILE = {
  apt: ["git", "vim=2:9.0.1378-2", "libc6:amd64", "openssh-client/bookworm-backports"],
  conda: [
    "-c conda-forge::numpy==1.17*",
    "scipy>=1.10,<2",
    "pytorch[build=*cuda*]",
    "numpy 1.8* py27_0",
  ],
  pip: [
    "numpy>=1.0",
    "name; os_name == 'x'",
    "requests[security]>=2.8.1",
    "pkg @ https://example.com/a b$c.whl",
    "x<2",
  ],
};

describe("render", () => {
  it("renders the full Dockerfile: base pinned, root, apt, conda, pip, user restored, labels", async () => {
    const config = defaultConfig();
    config.pip.indexUrl = "https://pypi.acme.internal/simple";
    config.pip.trustedHosts = ["pypi.acme.internal"];
    config.conda.channelAlias = "https://conda.acme.internal";
    const definition = image(HOSTILE);

    const recipe = renderRecipe({
      image: definition,
      from: `quay.io/jupyter/base-notebook@${DIGEST}`,
      baseUser: "1000",
      config,
    });
    const hash = recipeHash(recipe, DIGEST, "linux/amd64");
    const dockerfile = renderDockerfile(
      recipe,
      imageLabels(definition, hash, {
        repo: "https://github.com/acme/images",
        commit: "0123456789abcdef0123456789abcdef01234567",
      }),
    );

    await expect(dockerfile).toMatchFileSnapshot("__snapshots__/full.Dockerfile");
  });

  it("renders a catalog-based image without a user to restore", async () => {
    const recipe = renderRecipe({
      image: image({ pip: ["transformers==4.41.2"] }, "image:datascience"),
      from: "registry.acme/images/datascience:0123456789abcdef",
      config: defaultConfig(),
    });

    await expect(recipe).toMatchFileSnapshot("__snapshots__/child.Dockerfile");
    expect(recipe).not.toContain("\nUSER 0");
    expect(recipe.match(/^USER /gm)).toEqual(["USER "]);
  });

  it.each(["root", "0", "", "0:0"])("does not restore the root user %j", (user) => {
    const recipe = renderRecipe({
      image: image({ apt: ["git"] }),
      from: "debian@" + DIGEST,
      baseUser: user,
      config: defaultConfig(),
    });

    expect(recipe.match(/^USER .*$/gm)).toEqual(["USER root"]);
  });

  it("refuses a base user that USER cannot carry", () => {
    expect(() =>
      renderRecipe({
        image: image({ apt: ["git"] }),
        from: "debian@" + DIGEST,
        baseUser: "a b",
        config: defaultConfig(),
      }),
    ).toThrow(/cannot be restored/);
  });

  it("hands every package to its tool as exactly one argument, the -c channel form as channel::spec", () => {
    const recipe = renderRecipe({
      image: image(HOSTILE),
      from: "debian@" + DIGEST,
      config: defaultConfig(),
    });

    const [apt, conda, pip] = runArgvs(recipe);
    expect(apt?.slice(4)).toEqual(HOSTILE.apt);
    expect(conda?.slice(4)).toEqual([
      "conda-forge::numpy==1.17*",
      "scipy>=1.10,<2",
      "pytorch[build=*cuda*]",
      "numpy 1.8* py27_0",
    ]);
    expect(pip?.slice(4)).toEqual(HOSTILE.pip);
  });

  it("runs each layer's script in a real shell without splitting, globbing or redirecting a package", async () => {
    const work = await mkdtemp(join(tmpdir(), "imagesmith-render-"));
    const bin = join(work, "bin");
    await execa("mkdir", ["-p", bin]);
    // Fake tools that print their arguments one per line (argv-level check; the real tools run in the build tests).
    for (const tool of ["apt-get", "conda", "pip", "rm", "mkdir"]) {
      await writeFile(
        join(bin, tool),
        `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "[$a]"; done\n`,
      );
      await chmod(join(bin, tool), 0o755);
    }
    // Files a glob would expand to, and a name a redirect would create.
    await writeFile(join(work, "conda-forge::numpy==1.17x"), "");
    await writeFile(join(work, "numpy>=1.0x"), "");
    const recipe = renderRecipe({
      image: image(HOSTILE),
      from: "debian@" + DIGEST,
      config: defaultConfig(),
    });

    const outputs: string[] = [];
    for (const argv of runArgvs(recipe)) {
      const [shell, ...rest] = argv as [string, ...string[]];
      const result = await execa(shell, rest, { cwd: work, env: { PATH: `${bin}:/usr/bin:/bin` } });
      outputs.push(result.stdout);
    }

    expect(outputs[0]).toContain(["[--]", ...HOSTILE.apt.map((p) => `[${p}]`)].join("\n"));
    expect(outputs[1]).toContain(
      [
        "[--]",
        "[conda-forge::numpy==1.17*]",
        "[scipy>=1.10,<2]",
        "[pytorch[build=*cuda*]]",
        "[numpy 1.8* py27_0]",
      ].join("\n"),
    );
    expect(outputs[2]).toBe(
      [
        "[install]",
        "[--cache-dir]",
        "[/var/cache/imagesmith/pip]",
        "[--]",
        ...HOSTILE.pip.map((p) => `[${p}]`),
      ].join("\n"),
    );
    const { stdout: listing } = await execa("ls", [work]);
    expect(listing.split("\n").sort()).toEqual(["bin", "conda-forge::numpy==1.17x", "numpy>=1.0x"]);
  });

  it("mounts each package manager's download cache into its step, outside the image, and points the tool at it", () => {
    const recipe = renderRecipe({
      image: image({ apt: ["git"], conda: ["numpy"], pip: ["requests"] }),
      from: "debian@" + DIGEST,
      config: defaultConfig(),
    });

    const runs = recipe
      .replace(/\\\n/g, "")
      .split("\n")
      .filter((line) => line.startsWith("RUN "));
    const mounts = runs.map((line) => /^RUN (--mount=\S+) \[/.exec(line)?.[1]);
    expect(mounts).toEqual([
      "--mount=type=cache,id=imagesmith-apt,target=/var/cache/imagesmith/apt,sharing=locked",
      "--mount=type=cache,id=imagesmith-conda,target=/var/cache/imagesmith/conda,sharing=locked",
      "--mount=type=cache,id=imagesmith-pip,target=/var/cache/imagesmith/pip,sharing=shared",
    ]);
    const [apt, conda, pip] = runArgvs(recipe).map((argv) => argv[2] ?? "");
    expect(apt).toMatch(/^c=\/var\/cache\/imagesmith\/apt && /);
    expect(apt).toContain("Dir::Cache::Archives=$c/archives");
    expect(apt).toContain("APT::Keep-Downloaded-Packages=true");
    // Emptying the archives would empty the cache: the image never held them anyway.
    expect(apt).not.toContain("apt-get clean");
    expect(conda).toMatch(/^CONDA_PKGS_DIRS=\/var\/cache\/imagesmith\/conda conda install /);
    expect(conda).not.toContain("conda clean");
    expect(pip).toContain("pip install --cache-dir /var/cache/imagesmith/pip");
    expect(pip).not.toContain("--no-cache-dir");
  });

  it("passes mirrors as build arguments, only to the layers that use them", () => {
    const config = defaultConfig();
    config.pip.indexUrl = "https://pypi.acme.internal/simple";
    config.pip.extraIndexUrls = ["https://a.internal/simple", "https://b.internal/simple"];
    config.conda.channelAlias = "https://conda.acme.internal";

    const recipe = renderRecipe({
      image: image({ pip: ["numpy"] }),
      from: "debian@" + DIGEST,
      config,
    });

    expect(recipe).toContain('ARG PIP_INDEX_URL="https://pypi.acme.internal/simple"');
    expect(recipe).toContain(
      'ARG PIP_EXTRA_INDEX_URL="https://a.internal/simple https://b.internal/simple"',
    );
    expect(recipe).not.toContain("CONDA_CHANNEL_ALIAS");
  });

  it("escapes label values the Dockerfile parser would expand", () => {
    const dockerfile = renderDockerfile("FROM x\n", { "a.b": 'say "hi" to $USER \\ now' });

    expect(dockerfile).toBe('FROM x\nLABEL a.b="say \\"hi\\" to \\$USER \\\\ now"\n');
  });

  it("changes the recipe hash with the recipe, the base digest and the platform, and only with them", () => {
    const recipe = renderRecipe({
      image: image({ pip: ["numpy"] }),
      from: "debian@" + DIGEST,
      config: defaultConfig(),
    });
    const other = renderRecipe({
      image: image({ pip: ["numpy", "scipy"] }),
      from: "debian@" + DIGEST,
      config: defaultConfig(),
    });

    const hash = recipeHash(recipe, DIGEST, "linux/amd64");

    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(recipeHash(recipe, DIGEST, "linux/amd64")).toBe(hash);
    expect(recipeHash(other, DIGEST, "linux/amd64")).not.toBe(hash);
    expect(recipeHash(recipe, "sha256:" + "cd".repeat(32), "linux/amd64")).not.toBe(hash);
    expect(recipeHash(recipe, DIGEST, "linux/arm64")).not.toBe(hash);
  });
});
