import { describe, expect, it } from "vitest";
import { validate } from "../../src/pipeline.js";
import { built, existing, raised, validateFiles, writeCatalog } from "../helpers/catalog.js";

describe("rule display-name", () => {
  it.each(["PyTorch", "torch_2", "-torch", "torch-", "a..b", "a.-b", "x".repeat(64), ""])(
    "rejects %j with a suggestion",
    async (name) => {
      const result = await validateFiles({
        "images/x.yaml": `displayName: ${JSON.stringify(name)}\nurl: debian\nglobal: true\n`,
      });

      const [problem] = raised(result, "display-name");
      expect(problem).toMatchObject({
        line: 1,
        column: 14,
        severity: "error",
        pointer: "/displayName",
      });
      expect(result.valid).toBe(false);
    },
  );

  it("suggests a valid name for one with capitals and spaces", async () => {
    const result = await validateFiles({
      "images/x.yaml": "displayName: PyTorch 2.3\nurl: debian\nglobal: true\n",
    });

    expect(raised(result, "display-name")[0]?.message).toContain("e.g. pytorch-2.3");
  });

  it.each(["a", "pytorch-2.3", "tf.2.16", "0x"])("accepts %j", async (name) => {
    const result = await validateFiles({ [`images/${name}.yaml`]: existing(name) });

    expect(result.problems).toEqual([]);
  });
});

describe("rule file-name", () => {
  it("tells to rename a file that does not match its display name", async () => {
    const result = await validateFiles({ "images/torch.yaml": existing("pytorch-2.3") });

    expect(raised(result, "file-name")).toEqual([
      expect.objectContaining({
        file: "images/torch.yaml",
        line: 1,
        column: 14,
        message: expect.stringContaining("rename the file to pytorch-2.3.yaml"),
      }),
    ]);
  });
});

describe("rule unique-name", () => {
  it("tells both files when a group image takes a system image's name", async () => {
    const result = await validateFiles({
      "images/base.yaml": existing("base"),
      "images/groups/research/base.yaml": "displayName: base\nurl: debian\n",
    });

    expect(raised(result, "unique-name")).toEqual([
      expect.objectContaining({
        file: "images/base.yaml",
        message: expect.stringContaining("images/groups/research/base.yaml"),
      }),
      expect.objectContaining({
        file: "images/groups/research/base.yaml",
        message: expect.stringContaining("images/base.yaml"),
      }),
    ]);
  });
});

describe("rule url-or-build", () => {
  it("rejects a definition with both url and build", async () => {
    const result = await validateFiles({
      "images/a.yaml":
        "displayName: a\nurl: debian\nbuild:\n  baseImage: debian\n  packages: {apt: [git]}\nglobal: true\n",
    });

    expect(raised(result, "url-or-build")).toEqual([
      expect.objectContaining({ line: 4, column: 3 }),
    ]);
  });

  it("rejects a definition with neither", async () => {
    const result = await validateFiles({ "images/a.yaml": "displayName: a\nglobal: true\n" });

    expect(raised(result, "url-or-build")).toHaveLength(1);
  });

  it.each([
    [
      "both",
      "displayName: a\nurl: debian\nbuild:\n  baseImage: debian\n  packages: {apt: [git]}\n",
    ],
    ["neither", "displayName: a\n"],
  ])("tells %s once, not again from the schema's copy of the rule", async (_case, text) => {
    const result = await validateFiles({ "images/a.yaml": `${text}global: true\n` });

    expect(result.problems.map((p) => p.rule)).toEqual(["url-or-build"]);
  });
});

describe("rule gpu-url", () => {
  it("rejects urlForGpu on a gpu image", async () => {
    const result = await validateFiles({
      "images/a.yaml":
        "displayName: a\ntype: gpu\nurl: nvidia/cuda:12.1.0-base-ubuntu22.04\nurlForGpu: nvidia/cuda:12.1.0-base-ubuntu22.04\nglobal: true\n",
    });

    expect(raised(result, "gpu-url")).toEqual([expect.objectContaining({ line: 4, column: 12 })]);
  });

  it("tells urlForGpu on an image that defaults to cpu once, not again from the schema", async () => {
    const result = await validateFiles({
      "images/a.yaml": "displayName: a\nurl: debian\nurlForGpu: debian\nglobal: true\n",
    });

    expect(result.problems.map((p) => p.rule)).toEqual(["gpu-url"]);
  });

  it("accepts urlForGpu on a universal image", async () => {
    const result = await validateFiles({
      "images/a.yaml":
        "displayName: a\ntype: universal\nurl: pytorch/pytorch:2.3.0\nurlForGpu: pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime\nglobal: true\n",
    });

    expect(result.problems).toEqual([]);
  });
});

describe("rule image-ref", () => {
  it("points at the character where a reference goes wrong", async () => {
    const result = await validateFiles({
      "images/a.yaml": "displayName: a\nurl: Docker.io/Library/Ubuntu\nglobal: true\n",
    });

    const [problem] = raised(result, "image-ref");
    expect(problem).toMatchObject({ line: 2, severity: "error", pointer: "/url" });
    expect(problem?.column).toBeGreaterThan(5);
  });

  it("rejects image:<name> outside build.baseImage", async () => {
    const result = await validateFiles({
      "images/a.yaml": "displayName: a\nurl: image:b\nglobal: true\n",
    });

    expect(raised(result, "image-ref")[0]?.message).toContain("only build.baseImage");
  });

  it("rejects image: followed by something that is not an image name", async () => {
    const result = await validateFiles({
      "images/a.yaml":
        "displayName: a\nbuild:\n  baseImage: 'image:Foo Bar'\n  packages: {apt: [git]}\nglobal: true\n",
    });

    expect(raised(result, "image-ref")).toHaveLength(1);
  });
});

describe("rule base-image", () => {
  it("rejects a catalog base that does not exist, suggesting a near name", async () => {
    const result = await validateFiles({
      "images/datascience.yaml": existing("datascience"),
      "images/nlp.yaml": built("nlp", "pip: [transformers]").replace(
        "debian:bookworm",
        "image:datascence",
      ),
    });

    expect(raised(result, "base-image")[0]?.message).toContain('did you mean "datascience"');
  });

  it("rejects a system image built on a group image", async () => {
    const result = await validateFiles({
      "images/groups/research/mine.yaml": "displayName: mine\nurl: debian\n",
      "images/wide.yaml": built("wide", "apt: [git]").replace("debian:bookworm", "image:mine"),
    });

    expect(raised(result, "base-image")).toEqual([
      expect.objectContaining({ file: "images/wide.yaml", line: 3 }),
    ]);
  });

  it("lets a group image build on a system image and on its own group's images", async () => {
    const result = await validateFiles({
      "images/sys.yaml": existing("sys"),
      "images/groups/research/one.yaml":
        "displayName: one\nbuild:\n  baseImage: image:sys\n  packages: {apt: [git]}\n",
      "images/groups/research/two.yaml":
        "displayName: two\nbuild:\n  baseImage: image:one\n  packages: {apt: [vim]}\n",
    });

    expect(result.problems).toEqual([]);
  });
});

describe("rule base-cycle", () => {
  it("names every file on the cycle, once per file", async () => {
    const on = (base: string) => `  baseImage: image:${base}\n  packages: {apt: [git]}`;
    const result = await validateFiles({
      "images/a.yaml": `displayName: a\nbuild:\n${on("b")}\nglobal: true\n`,
      "images/b.yaml": `displayName: b\nbuild:\n${on("c")}\nglobal: true\n`,
      "images/c.yaml": `displayName: c\nbuild:\n${on("a")}\nglobal: true\n`,
      "images/d.yaml": `displayName: d\nbuild:\n${on("a")}\nglobal: true\n`,
    });

    const cycle = raised(result, "base-cycle");
    expect(cycle.map((p) => p.file)).toEqual(["images/a.yaml", "images/b.yaml", "images/c.yaml"]);
    for (const problem of cycle) {
      for (const file of ["images/a.yaml", "images/b.yaml", "images/c.yaml"])
        expect(problem.message).toContain(file);
      expect(problem.message).not.toContain("images/d.yaml");
      expect(problem).toMatchObject({ line: 3, column: 14 });
    }
  });

  it("reports an image based on itself", async () => {
    const result = await validateFiles({
      "images/a.yaml":
        "displayName: a\nbuild:\n  baseImage: image:a\n  packages: {apt: [git]}\nglobal: true\n",
    });

    expect(raised(result, "base-cycle")).toHaveLength(1);
  });
});

describe("rule apt-package", () => {
  it("locates a bad entry in a flow list", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", "apt: [git, -oDPkg::Pre-Invoke::=touch]"),
    });

    expect(raised(result, "apt-package")).toEqual([
      expect.objectContaining({ line: 5, column: 16, pointer: "/build/packages/apt/1" }),
    ]);
  });

  it("locates a bad entry in a block string by its line", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", "apt: |\n  git\n\n  Vim\n  curl"),
    });

    expect(raised(result, "apt-package")).toEqual([
      expect.objectContaining({ line: 8, column: 7 }),
    ]);
  });
});

describe("rule conda-package", () => {
  it("accepts the --channel spelling of the -c form", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", 'conda: ["--channel conda-forge::numpy>=1.26"]'),
    });

    expect(result.problems).toEqual([]);
  });

  it("locates a CEP 26 name with doubled separators at the separators", async () => {
    const result = await validateFiles({ "images/a.yaml": built("a", "conda: [pkg--name]") });

    expect(raised(result, "conda-package")).toEqual([
      expect.objectContaining({ line: 5, column: 16, message: expect.stringContaining("CEP 26") }),
    ]);
  });

  it("accepts the documented -c channel:: form", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", 'conda: ["-c conda-forge::numpy==1.17*"]'),
    });

    expect(result.problems).toEqual([]);
  });

  it("rejects a shell metacharacter in a build string", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", "conda:\n  - numpy=1.17=py37;rm"),
    });

    expect(raised(result, "conda-package")).toEqual([expect.objectContaining({ line: 6 })]);
  });
});

describe("rule pip-package", () => {
  it("accepts PEP 508 specifiers, extras, markers and URLs", async () => {
    const result = await validateFiles({
      "images/a.yaml": built(
        "a",
        "pip:\n  - numpy>=1.0\n  - requests[security]>=2.8.1\n  - \"name; os_name == 'x'\"\n  - pip @ https://github.com/pypa/pip/archive/1.3.1.zip",
      ),
    });

    expect(result.problems).toEqual([]);
  });

  it("rejects an option passed as a package", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", "pip: [--index-url=http://x]"),
    });

    expect(raised(result, "pip-package")).toEqual([
      expect.objectContaining({ line: 5, column: 11 }),
    ]);
  });
});

describe("rule package-line", () => {
  it("rejects an entry with a line break in it", async () => {
    const result = await validateFiles({ "images/a.yaml": built("a", 'pip: ["numpy\\nscipy"]') });

    expect(raised(result, "package-line")[0]?.message).toContain("line break");
  });

  it("locates a line break written as an escape inside a quoted list entry", async () => {
    const result = await validateFiles({ "images/a.yaml": built("a", 'pip: ["numpy\\nscipy"]') });

    expect(raised(result, "package-line")).toEqual([
      expect.objectContaining({
        line: 5,
        column: 17,
        message: expect.stringContaining("line break"),
      }),
    ]);
  });

  it("locates a line break inside a block scalar list entry", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", "pip:\n  - |\n    numpy\n    scipy"),
    });

    expect(raised(result, "package-line")).toEqual([
      expect.objectContaining({ line: 7, column: 14, pointer: "/build/packages/pip/0" }),
    ]);
  });

  it("locates a problem after an escape or a doubled quote at the character itself", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", `apt: ["caf\\u00e9", 'it''s']`),
    });

    expect(raised(result, "apt-package")).toEqual([
      expect.objectContaining({ line: 5, column: 15 }),
      expect.objectContaining({ line: 5, column: 27 }),
    ]);
  });

  it("passes a tab on to the grammars: PEP 508 whitespace, refused by apt", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", 'pip: ["numpy\\t>=1.0"]\napt: ["git\\tvim"]'),
    });

    expect(raised(result, "pip-package")).toEqual([]);
    expect(raised(result, "apt-package")).toEqual([
      expect.objectContaining({
        line: 6,
        column: 15,
        message: expect.stringContaining("whitespace"),
      }),
    ]);
  });

  it("rejects a control character", async () => {
    const result = await validateFiles({ "images/a.yaml": built("a", 'apt: ["git\\u0007"]') });

    expect(raised(result, "package-line")[0]?.message).toContain("U+0007");
  });

  it("rejects a comment line inside a block string", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", "pip: |\n  # tools\n  numpy"),
    });

    expect(raised(result, "package-line")).toEqual([
      expect.objectContaining({ line: 6, column: 7 }),
    ]);
  });

  it("rejects an empty list entry", async () => {
    const result = await validateFiles({ "images/a.yaml": built("a", 'apt: [git, "  "]') });

    expect(raised(result, "package-line")).toHaveLength(1);
  });

  it("ignores blank lines and surrounding spaces in a block string", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", "apt: |\n\n  git   \n\n    vim\n"),
    });

    expect(result.problems).toEqual([]);
  });
});

describe("rule duplicate-package", () => {
  it("warns about the same package twice, whatever its version", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", "pip: [numpy, NumPy>=1.0, scipy]"),
    });

    expect(raised(result, "duplicate-package")).toEqual([
      expect.objectContaining({
        severity: "warning",
        message: expect.stringContaining('also listed as "numpy"'),
      }),
    ]);
    expect(result.valid).toBe(true);
  });
});

describe("rule k8s-name", () => {
  it("rejects a pull secret that is not a Kubernetes name", async () => {
    const result = await validateFiles({
      "images/a.yaml": existing("a", "global: true\npullSecret: My_Secret"),
    });

    expect(raised(result, "k8s-name")).toEqual([
      expect.objectContaining({ line: 4, pointer: "/pullSecret" }),
    ]);
  });

  it("rejects a group folder that is not a Kubernetes name", async () => {
    const result = await validateFiles({
      "images/groups/Research/a.yaml": "displayName: a\nurl: debian\n",
    });

    expect(raised(result, "k8s-name")[0]?.message).toContain("images/groups/Research/");
  });

  it("rejects a group name in groups", async () => {
    const result = await validateFiles({ "images/a.yaml": existing("a", "groups: [ml_team]") });

    expect(raised(result, "k8s-name")).toEqual([expect.objectContaining({ pointer: "/groups/0" })]);
  });
});

describe("rule access", () => {
  it("rejects global together with groups", async () => {
    const result = await validateFiles({
      "images/a.yaml": existing("a", "global: true\ngroups: [research]"),
    });

    expect(raised(result, "access")).toHaveLength(1);
  });

  it("tells global together with groups once, not again from the schema", async () => {
    const result = await validateFiles({
      "images/a.yaml": existing("a", "global: true\ngroups: [research]"),
    });

    expect(result.problems.map((p) => p.rule)).toEqual(["access"]);
  });

  it("accepts global with an empty list of groups", async () => {
    const result = await validateFiles({
      "images/a.yaml": existing("a", "global: true\ngroups: []"),
    });

    expect(result.problems).toEqual([]);
  });
});

describe("rule no-access", () => {
  it("warns that nobody can use an image with neither global nor groups", async () => {
    const result = await validateFiles({ "images/a.yaml": existing("a", "") });

    expect(raised(result, "no-access")).toEqual([expect.objectContaining({ severity: "warning" })]);
    expect(result.valid).toBe(true);
  });
});

describe("rule group-image-access", () => {
  it("rejects a global group image", async () => {
    const result = await validateFiles({
      "images/groups/research/a.yaml": "displayName: a\nurl: debian\nglobal: true\n",
    });

    expect(raised(result, "group-image-access")).toEqual([expect.objectContaining({ line: 3 })]);
  });

  it("tells a global group image with groups as group-image-access only", async () => {
    const result = await validateFiles({
      "images/groups/research/a.yaml":
        "displayName: a\nurl: debian\nglobal: true\ngroups: [research]\n",
    });

    expect(result.problems.map((p) => p.rule)).toEqual(["group-image-access"]);
  });

  it("rejects a group image given to another group", async () => {
    const result = await validateFiles({
      "images/groups/research/a.yaml": "displayName: a\nurl: debian\ngroups: [vision]\n",
    });

    expect(raised(result, "group-image-access")[0]?.message).toContain('"research"');
  });

  it("accepts a group image naming its own group", async () => {
    const result = await validateFiles({
      "images/groups/research/a.yaml": "displayName: a\nurl: debian\ngroups: [research]\n",
    });

    expect(result.problems).toEqual([]);
    expect(result.catalog.images[0]).toMatchObject({
      groups: ["research"],
      groupName: "research",
      system: false,
    });
  });
});

describe("rule unknown-group", () => {
  it("rejects a group not in imagesmith.yaml, suggesting a near one", async () => {
    const result = await validateFiles({
      "imagesmith.yaml": "groups: [research, vision]\n",
      "images/a.yaml": existing("a", "groups: [reserch]"),
    });

    expect(raised(result, "unknown-group")[0]?.message).toContain('did you mean "research"');
  });

  it("rejects a group folder not in imagesmith.yaml, on the file, suggesting a near one", async () => {
    const result = await validateFiles({
      "imagesmith.yaml": "groups: [research, vision]\n",
      "images/groups/reserch/a.yaml": "displayName: a\nurl: debian:12\n",
    });

    expect(raised(result, "unknown-group")).toEqual([
      expect.objectContaining({
        file: "images/groups/reserch/a.yaml",
        line: 1,
        column: 1,
        message: expect.stringContaining(
          'the folder images/groups/reserch/ names the group "reserch", which imagesmith.yaml does not list (rename the folder, or add the group to groups:); did you mean "research"?',
        ),
      }),
    ]);
  });

  it("accepts any group when imagesmith.yaml lists none", async () => {
    const result = await validateFiles({ "images/a.yaml": existing("a", "groups: [anything]") });

    expect(result.problems).toEqual([]);
  });
});

describe("rule duplicate-group", () => {
  it("warns about a group listed twice", async () => {
    const result = await validateFiles({
      "images/a.yaml": existing("a", "groups: [research, research]"),
    });

    expect(raised(result, "duplicate-group")).toEqual([
      expect.objectContaining({ pointer: "/groups/1", severity: "warning" }),
    ]);
  });
});

describe("rule empty-build", () => {
  it("warns about a build that installs nothing", async () => {
    const result = await validateFiles({
      "images/a.yaml": "displayName: a\nbuild:\n  baseImage: debian\nglobal: true\n",
    });

    expect(raised(result, "empty-build")[0]?.message).toContain("url: debian");
  });
});

describe("rule type-mismatch", () => {
  it("warns when a CUDA image is left at the cpu default", async () => {
    const result = await validateFiles({
      "images/a.yaml": existing("a").replace(
        "python:3.11",
        "nvidia/cuda:12.1.0-runtime-ubuntu22.04",
      ),
    });

    expect(raised(result, "type-mismatch")[0]?.message).toContain("type defaults to cpu");
  });
});

describe("rule unknown-field", () => {
  it("says what to do instead of build.pullSecret, which a build has no use for", async () => {
    const result = await validateFiles({
      "images/a.yaml": built("a", "apt: [git]").replace(
        "build:\n",
        "build:\n  pullSecret: quay-readonly\n",
      ),
    });

    expect(raised(result, "unknown-field")).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringContaining(
          "a build pulls its base with the login the runner has for that registry",
        ),
      }),
    ]);
  });

  it("suggests the field that was meant, at the key", async () => {
    const result = await validateFiles({
      "images/a.yaml": existing("a", "global: true\nurlForGPU: x"),
    });

    expect(raised(result, "unknown-field")).toEqual([
      expect.objectContaining({
        line: 4,
        column: 1,
        pointer: "/urlForGPU",
        message: expect.stringContaining('did you mean "urlForGpu"'),
      }),
    ]);
  });

  it("explains PrimeHub's fields", async () => {
    const result = await validateFiles({
      "images/a.yaml": existing("a", "global: true\nimageSpec: {}"),
    });

    expect(raised(result, "unknown-field")[0]?.message).toContain('"build"');
  });

  it("finds unknown fields inside build.packages", async () => {
    const result = await validateFiles({ "images/a.yaml": built("a", "apt: [git]\nyum: [git]") });

    expect(raised(result, "unknown-field")).toEqual([
      expect.objectContaining({ line: 6, column: 5, pointer: "/build/packages/yum" }),
    ]);
  });
});

describe("rule required-field", () => {
  it("rejects a build without baseImage", async () => {
    const result = await validateFiles({
      "images/a.yaml": "displayName: a\nbuild:\n  packages: {apt: [git]}\nglobal: true\n",
    });

    expect(raised(result, "required-field")).toEqual([
      expect.objectContaining({ pointer: "/build/baseImage", line: 3 }),
    ]);
  });
});

describe("rule field-type", () => {
  it("tells to quote a display name YAML reads as a number", async () => {
    const result = await validateFiles({
      "images/a.yaml": "displayName: 2.3\nurl: debian\nglobal: true\n",
    });

    expect(raised(result, "field-type")[0]?.message).toContain('quote it: "2.3"');
  });

  it("tells that yes is not a boolean in YAML 1.2", async () => {
    const result = await validateFiles({ "images/a.yaml": existing("a", "global: yes") });

    expect(raised(result, "field-type")[0]?.message).toContain("true or false");
  });

  it("rejects a package list that is a mapping", async () => {
    const result = await validateFiles({ "images/a.yaml": built("a", "apt: {git: 1}") });

    expect(raised(result, "field-type")[0]?.message).toContain(
      "list of packages or a block string",
    );
  });
});

describe("rule field-value", () => {
  it("translates PrimeHub's both into universal", async () => {
    const result = await validateFiles({
      "images/a.yaml": existing("a", "global: true\ntype: both"),
    });

    expect(raised(result, "field-value")[0]?.message).toContain('"universal"');
  });
});

describe("rule registry (imagesmith.yaml)", () => {
  it.each([
    ["registry: https://ghcr.io/acme", "registry"],
    ["registry: acme-images", "registry"],
    ["insecureRegistries: [localhost:5000/x]", "registry"],
    ["mirrors: {'docker.io': 'mirror:5000'}", "registry"],
  ])("rejects %j", async (config, rule) => {
    const result = await validateFiles({
      "imagesmith.yaml": config + "\n",
      "images/a.yaml": existing("a"),
    });

    expect(raised(result, rule)).toEqual([expect.objectContaining({ file: "imagesmith.yaml" })]);
  });

  it("lists the known builders for an unknown one", async () => {
    const result = await validateFiles({
      "imagesmith.yaml": "builder: kaniko\n",
      "images/a.yaml": existing("a"),
    });

    expect(raised(result, "field-value")[0]?.message).toContain("buildah, docker");
  });
});

describe("rule push-target", () => {
  const files = (registry: string) => ({
    "imagesmith.yaml": `pullSecret: ours\nregistry: ${registry}\n`,
    "images/py.yaml": existing("py"),
  });

  it("refuses a registry the trusted side does not push to, on its line, saying where it should push", async () => {
    const root = await writeCatalog(files("evil.example/ml"));

    const result = await validate({
      root,
      pushTarget: {
        host: "ghcr.io",
        prefix: "ghcr.io/acme/ml",
        from: "the Action's registry input",
      },
    });

    expect(raised(result, "push-target")).toEqual([
      expect.objectContaining({
        file: "imagesmith.yaml",
        line: 2,
        column: 11,
        severity: "error",
        message: expect.stringContaining(
          'push target changed: this catalog pushes to "evil.example/ml", but the Action\'s registry input says ghcr.io/acme/ml',
        ),
      }),
    ]);
  });

  it.each([
    ["the same prefix", "ghcr.io/acme/ml", { host: "ghcr.io", prefix: "ghcr.io/acme/ml/" }],
    ["the same host, when only a host is trusted", "GHCR.io/acme/other", { host: "ghcr.io" }],
  ])("accepts %s", async (_name, registry, target) => {
    const result = await validate({
      root: await writeCatalog(files(registry)),
      pushTarget: { ...target, from: "IMAGESMITH_REGISTRY_HOST" },
    });

    expect(raised(result, "push-target")).toEqual([]);
  });

  it("refuses another path on the same host when the whole prefix is trusted", async () => {
    const result = await validate({
      root: await writeCatalog(files("ghcr.io/mallory/ml")),
      pushTarget: {
        host: "ghcr.io",
        prefix: "ghcr.io/acme/ml",
        from: "the Action's registry input",
      },
    });

    expect(raised(result, "push-target")).toHaveLength(1);
  });
});
