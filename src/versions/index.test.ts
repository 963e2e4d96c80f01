import { describe, expect, it } from "vitest";

import { parsePipRequirement } from "../grammars/pep508.js";
import {
  type DeclaredPackage,
  type Manager,
  compareCondaVersions,
  comparePep440,
  declaredPackage,
  packageKey,
} from "./index.js";

function declared(manager: Manager, entry: string): DeclaredPackage {
  const result = declaredPackage(manager, entry);
  if (result === undefined) throw new Error(`${manager} entry ${entry} was refused`);
  return result;
}

/** What a report needs of an entry, without its `allows`. */
function summary(entry: DeclaredPackage): Omit<DeclaredPackage, "allows"> {
  const copy: Partial<DeclaredPackage> = { ...entry };
  delete copy.allows;
  return copy as Omit<DeclaredPackage, "allows">;
}

describe("declaredPackage (apt)", () => {
  it.each<[string, Omit<DeclaredPackage, "allows">]>([
    ["curl", { manager: "apt", name: "curl", key: "curl", required: true }],
    [
      "curl=7.88.1-10+deb12u5",
      {
        manager: "apt",
        name: "curl",
        key: "curl",
        constraint: "=7.88.1-10+deb12u5",
        required: true,
      },
    ],
    [
      "vim=2:9.0*",
      { manager: "apt", name: "vim", key: "vim", constraint: "=2:9.0*", required: true },
    ],
    [
      "libc6:i386",
      { manager: "apt", name: "libc6", key: "libc6", constraint: ":i386", required: true },
    ],
    [
      "libc6:i386=2.36-9",
      { manager: "apt", name: "libc6", key: "libc6", constraint: ":i386=2.36-9", required: true },
    ],
    ["curl/bookworm-backports", { manager: "apt", name: "curl", key: "curl", required: true }],
    ["g++", { manager: "apt", name: "g++", key: "g++", required: true }],
  ])("reads %s", (entry, expected) => {
    expect(summary(declared("apt", entry))).toEqual(expected);
  });

  it("allows exactly the pinned version, epoch included", () => {
    const vim = declared("apt", "vim=2:9.0.1378-2");

    expect(vim.allows("2:9.0.1378-2")).toBe(true);
    expect(vim.allows("9.0.1378-2")).toBe(false);
    expect(vim.allows("2:9.0.1378-2+b1")).toBe(false);
    expect(vim.allows("2:9.0.1378-3")).toBe(false);
  });

  it("allows the same version spelled differently, as apt (case) and dpkg (a zero epoch) see it", () => {
    expect(declared("apt", "pkg=1.0RC1-1").allows("1.0rc1-1")).toBe(true);
    expect(declared("apt", "pkg=0:1.0-1").allows("1.0-1")).toBe(true);
  });

  it('allows every version that starts with a prefix ending in "*"', () => {
    const curl = declared("apt", "curl=7.88*");

    expect(curl.allows("7.88.1-10+deb12u5")).toBe(true);
    expect(curl.allows("7.88")).toBe(true);
    expect(curl.allows("7.89.0-1")).toBe(false);
    expect(curl.allows("1:7.88.1-1")).toBe(false);
  });

  it("allows any version for a release selector or no selector", () => {
    for (const entry of ["curl", "curl/bookworm-backports", "curl/12"]) {
      expect(declared("apt", entry).allows("7.88.1-10+deb12u5")).toBe(true);
    }
  });

  it("requires the declared architecture when the installed one is given", () => {
    const libc = declared("apt", "libc6:i386=2.36-9");

    expect(libc.allows("2.36-9", "i386")).toBe(true);
    expect(libc.allows("2.36-9", "amd64")).toBe(false);
    expect(libc.allows("2.36-9")).toBe(true);
    expect(libc.allows("2.36-8", "i386")).toBe(false);
  });

  it('takes an "all" package for any declared architecture, and "any" or "native" for any', () => {
    expect(declared("apt", "tzdata:amd64").allows("2024a-0+deb12u1", "all")).toBe(true);
    expect(declared("apt", "libc6:any").allows("2.36-9", "arm64")).toBe(true);
    expect(declared("apt", "libc6:native").allows("2.36-9", "amd64")).toBe(true);
    expect(declared("apt", "libc6").allows("2.36-9", "s390x")).toBe(true);
  });

  it("allows no installed version dpkg would refuse, even without a constraint", () => {
    const curl = declared("apt", "curl");

    for (const version of ["", "v1.0", "1.0_1", "1:", "-1", "1.0 1", "1".repeat(300)]) {
      expect(curl.allows(version)).toBe(false);
    }
  });

  it("refuses entries the apt grammar refuses", () => {
    for (const entry of ["", "Curl", "-o", "curl=", "curl=1.0/bookworm", "./x.deb"]) {
      expect(declaredPackage("apt", entry)).toBeUndefined();
    }
  });
});

describe("declaredPackage (pip)", () => {
  it.each<[string, Omit<DeclaredPackage, "allows">]>([
    [
      "requests[security]>=2.8.1",
      { manager: "pip", name: "requests", key: "requests", constraint: ">=2.8.1", required: true },
    ],
    [
      "Zope_Interface==5.*",
      {
        manager: "pip",
        name: "Zope_Interface",
        key: "zope-interface",
        constraint: "==5.*",
        required: true,
      },
    ],
    ["numpy", { manager: "pip", name: "numpy", key: "numpy", required: true }],
    [
      "name (>=1.0, <2)",
      { manager: "pip", name: "name", key: "name", constraint: ">=1.0,<2", required: true },
    ],
    [
      'pywin32>=1.0; sys_platform == "win32"',
      { manager: "pip", name: "pywin32", key: "pywin32", constraint: ">=1.0", required: false },
    ],
    [
      "pkg @ https://example.com/pkg-1.0.tar.gz",
      { manager: "pip", name: "pkg", key: "pkg", required: true },
    ],
    [
      'pkg @ git+https://example.com/pkg.git ; python_version < "3.12"',
      { manager: "pip", name: "pkg", key: "pkg", required: false },
    ],
  ])("reads %s", (entry, expected) => {
    expect(summary(declared("pip", entry))).toEqual(expected);
  });

  it("matches the version specifier as pip does", () => {
    const torch = declared("pip", "torch>=2.1,!=2.2.*,<2.5");

    expect(torch.allows("2.3.0+cu121")).toBe(true);
    expect(torch.allows("2.1.0")).toBe(true);
    expect(torch.allows("2.2.1")).toBe(false);
    expect(torch.allows("2.5.0rc1")).toBe(false);
    expect(torch.allows("2.0.1")).toBe(false);
  });

  it("allows a local build of a pinned version and an installed pre-release in range", () => {
    expect(declared("pip", "torch==2.3.0").allows("2.3.0+cu121")).toBe(true);
    expect(declared("pip", "jax>=0.4").allows("0.5.0rc1")).toBe(true);
  });

  it("allows any PEP 440 version for a direct reference or an entry without a specifier", () => {
    for (const entry of ["pkg @ https://example.com/pkg-1.0.tar.gz", "pkg", "pkg[extra]"]) {
      const pkg = declared("pip", entry);

      expect(pkg.allows("0.1.dev0+g1a2b3c4")).toBe(true);
      expect(pkg.allows("not a version")).toBe(false);
    }
  });

  it("checks the version of an entry with a marker when it is installed", () => {
    const pkg = declared("pip", 'pywin32>=300; sys_platform == "win32"');

    expect(pkg.allows("306")).toBe(true);
    expect(pkg.allows("228")).toBe(false);
  });

  it("refuses entries the pep508 grammar refuses", () => {
    for (const entry of ["", "-r requirements.txt", "numpy=1.0", "./local", "numpy>=1.0.*"]) {
      expect(declaredPackage("pip", entry)).toBeUndefined();
    }
  });
});

describe("declaredPackage (conda)", () => {
  it.each<[string, Omit<DeclaredPackage, "allows">]>([
    ["numpy", { manager: "conda", name: "numpy", key: "numpy", required: true }],
    [
      "conda-forge::NumPy=1.17",
      { manager: "conda", name: "NumPy", key: "numpy", constraint: "1.17*", required: true },
    ],
    [
      "numpy==1.17",
      { manager: "conda", name: "numpy", key: "numpy", constraint: "==1.17", required: true },
    ],
    [
      "numpy 1.17.*",
      { manager: "conda", name: "numpy", key: "numpy", constraint: "1.17.*", required: true },
    ],
    [
      "numpy >= 1.10 , < 2",
      { manager: "conda", name: "numpy", key: "numpy", constraint: ">=1.10,<2", required: true },
    ],
    [
      "numpy=1.17=py37_0",
      {
        manager: "conda",
        name: "numpy",
        key: "numpy",
        constraint: "==1.17 py37_0",
        required: true,
      },
    ],
    [
      "python 3.11.* *_cpython",
      {
        manager: "conda",
        name: "python",
        key: "python",
        constraint: "3.11.* *_cpython",
        required: true,
      },
    ],
    [
      "blas * openblas_0",
      { manager: "conda", name: "blas", key: "blas", constraint: "* openblas_0", required: true },
    ],
    ["numpy=*", { manager: "conda", name: "numpy", key: "numpy", required: true }],
    [
      "-c conda-forge::numpy==1.17*",
      { manager: "conda", name: "numpy", key: "numpy", constraint: "1.17*", required: true },
    ],
    [
      "numpy[version='>=1.8,<2']",
      { manager: "conda", name: "numpy", key: "numpy", constraint: ">=1.8,<2", required: true },
    ],
    [
      "https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py312h8753938_0.conda",
      {
        manager: "conda",
        name: "numpy",
        key: "numpy",
        constraint: "==1.26.4 py312h8753938_0",
        required: true,
      },
    ],
    ["num*", { manager: "conda", name: "num*", key: "num*", required: false }],
  ])("reads %s", (entry, expected) => {
    expect(summary(declared("conda", entry))).toEqual(expected);
  });

  // conda, tests/models/test_match_spec.py (test_match_1): every spec against numpy-1.7.1-py27_0.
  it.each<[string, boolean]>([
    ["numpy 1.7*", true],
    ["numpy 1.7.1", true],
    ["numpy 1.7", false],
    ["numpy 1.5*", false],
    ["numpy >=1.5", true],
    ["numpy >=1.5,<2", true],
    ["numpy >=1.8,<1.9", false],
    ["numpy >1.5,<2,!=1.7.1", false],
    ["numpy >1.8,<2|==1.7", false],
    ["numpy >1.8,<2|>=1.7.1", true],
    ["numpy >=1.8|1.7*", true],
    ["numpy ==1.7", false],
    ["numpy >=1.5,>1.6", true],
    ["numpy ==1.7.1", true],
    ["numpy ==1.7.1.0", true],
    ["numpy==1.7.1.0.0", true],
    ["numpy >=1,*.7.*", true],
    ["numpy *.7.*,>=1", true],
    ["numpy >=1,*.8.*", false],
    ["numpy >=2,*.7.*", false],
    ["numpy 1.6*|1.7*", true],
    ["numpy 1.6*|1.8*", false],
    ["numpy 1.6.2|1.7*", true],
    ["numpy 1.6.2|1.7.1", true],
    ["numpy 1.6.2|1.7.0", false],
    ["numpy 1.7.1 py27_0", true],
    ["numpy 1.7.1 py26_0", false],
    ["numpy >1.7.1a", true],
  ])("judges numpy-1.7.1-py27_0 against %s: %s", (entry, expected) => {
    expect(declared("conda", entry).allows("1.7.1", "py27_0")).toBe(expected);
  });

  // conda, tests/models/test_match_spec.py (test_match_1, the single asserts after the table).
  it.each<[string, string, string, boolean]>([
    ["numpy >=1.0.1", "1.0.1a", "0", false],
    ["numpy >=1.0.1.vc11", "1.0.1a.vc11", "0", false],
    ["numpy >=1.0.1*.vc11", "1.0.1a.vc11", "0", true],
    ["numpy <1.0.1", "1.0.1.vc11", "0", true],
    ["numpy <1.0.1", "1.0.1a.vc11", "0", true],
    ["numpy >=1.0.1.vc11", "1.0.1a", "0", false],
    ["numpy >=1.0.1a", "1.0.1z", "0", true],
    ["numpy >=1.0.1a py27*", "1.0.1z", "py27_1", true],
    ["blas * openblas_0", "1.0", "openblas_0", true],
  ])("judges %s against version %s build %s: %s", (entry, version, build, expected) => {
    expect(declared("conda", entry).allows(version, build)).toBe(expected);
  });

  it('reads "=1.17" as the series 1.17 and "==1.17" as exactly 1.17', () => {
    const fuzzy = declared("conda", "numpy=1.17");
    const exact = declared("conda", "numpy==1.17");

    expect(fuzzy.allows("1.17.3")).toBe(true);
    expect(fuzzy.allows("1.17")).toBe(true);
    expect(fuzzy.allows("1.170")).toBe(false);
    expect(fuzzy.allows("1.18.0")).toBe(false);
    expect(exact.allows("1.17.0")).toBe(true);
    expect(exact.allows("1.17.3")).toBe(false);
  });

  it('reads "=1.17" as exact when a build string follows it, as MatchSpec does', () => {
    const pinned = declared("conda", "numpy=1.17=py37_0");

    expect(pinned.allows("1.17", "py37_0")).toBe(true);
    expect(pinned.allows("1.17.3", "py37_0")).toBe(false);
    expect(pinned.allows("1.17", "py38_0")).toBe(false);
  });

  it('keeps "=1.17" a series when the build string is given in brackets', () => {
    const spec = declared("conda", "numpy=1.17[build=py37_*]");

    expect(spec.allows("1.17.3", "py37_0")).toBe(true);
    expect(spec.allows("1.17.3", "py38_0")).toBe(false);
  });

  it("uses the outside build for the version and the bracket build for the match", () => {
    const spec = declared("conda", "numpy=1.2=py37[build=py38]");

    expect(spec.allows("1.2", "py38")).toBe(true);
    expect(spec.allows("1.2.1", "py38")).toBe(false);
    expect(spec.allows("1.2", "py37")).toBe(false);
  });

  it("reads a version in brackets, with groups and regular expressions", () => {
    const grouped = declared("conda", "numpy[version='(1.5|1.6.*),<2']");
    const regex = declared("conda", "numpy[version='^1\\.(7|8)\\..*$']");

    expect(grouped.allows("1.6.1")).toBe(true);
    expect(grouped.allows("1.5.1")).toBe(false);
    expect(regex.allows("1.8.0")).toBe(true);
    expect(regex.allows("1.9.0")).toBe(false);
  });

  it("matches alternatives as exact versions unless they have a wildcard", () => {
    const spec = declared("conda", "numpy 1.8|1.9");

    expect(spec.allows("1.8")).toBe(true);
    expect(spec.allows("1.9.0")).toBe(true);
    expect(spec.allows("1.8.1")).toBe(false);
  });

  it("checks the build string only when the installed one is given", () => {
    const spec = declared("conda", "numpy 1.17 py37_*");

    expect(spec.allows("1.17", "py37_0")).toBe(true);
    expect(spec.allows("1.17", "py38_0")).toBe(false);
    expect(spec.allows("1.17")).toBe(true);
    expect(spec.allows("1.17", "py37_0\u0000")).toBe(false);
  });

  it("allows any version conda can read when the entry has no constraint", () => {
    const numpy = declared("conda", "numpy");

    expect(numpy.allows("1.26.4", "py312h8753938_0")).toBe(true);
    expect(numpy.allows("2024a")).toBe(true);
    expect(numpy.allows("1..2")).toBe(false);
    expect(numpy.allows("1.2&3")).toBe(false);
  });

  it("refuses entries the conda grammar refuses", () => {
    for (const entry of [
      "",
      "numpy # comment",
      "numpy==1.2*|1.3",
      "numpy 1.0 2.0 3.0",
      "./x.conda",
    ]) {
      expect(declaredPackage("conda", entry)).toBeUndefined();
    }
  });
});

describe("declaredPackage", () => {
  it("refuses a manager it does not know", () => {
    expect(declaredPackage("brew" as Manager, "wget")).toBeUndefined();
  });
});

describe("packageKey", () => {
  it.each<[Manager, string, string]>([
    ["apt", "libc6", "libc6"],
    ["apt", "LibC6", "libc6"],
    ["pip", "Zope.Interface", "zope-interface"],
    ["pip", "typing__extensions", "typing-extensions"],
    ["pip", "Foo-._Bar", "foo-bar"],
    ["conda", "NumPy", "numpy"],
    ["conda", "_libgcc_mutex", "_libgcc_mutex"],
  ])("keys the installed %s package %s as %s", (manager, name, expected) => {
    expect(packageKey(manager, name)).toBe(expected);
  });

  it("normalizes pip names exactly as the pep508 grammar does", () => {
    for (const name of [
      "Django",
      "zope.interface",
      "Foo__Bar",
      "a-_.b",
      "PyYAML",
      "ruamel.yaml.clib",
    ]) {
      const parsed = parsePipRequirement(name);

      expect(parsed.ok && packageKey("pip", name) === parsed.value.normalizedName).toBe(true);
    }
  });

  it("keys a declared entry and the same package installed alike", () => {
    expect(declared("pip", "Django>=4").key).toBe(packageKey("pip", "django"));
    expect(declared("conda", "conda-forge::PyTorch").key).toBe(packageKey("conda", "pytorch"));
  });

  it("returns an empty key for a name that is no string", () => {
    expect(packageKey("pip", null as unknown as string)).toBe("");
  });
});

describe("the exported comparisons", () => {
  it("order PEP 440 and conda versions", () => {
    expect(comparePep440("1.0rc1", "1.0")).toBe(-1);
    expect(compareCondaVersions("1.1.post1", "1.1post1")).toBe(-1);
  });
});

describe("allows on hostile input", () => {
  const entries: [Manager, string][] = [
    ["apt", "curl"],
    ["apt", "curl=7.88*"],
    ["apt", "libc6:i386=2.36-9"],
    ["pip", "numpy"],
    ["pip", "numpy>=1.0,!=1.3.*,<2"],
    ["pip", "foo===1.0"],
    ["pip", "torch~=2.3"],
    ["conda", "numpy"],
    ["conda", "numpy >=1.0,<2|1.7*"],
    ["conda", "numpy[version='^1\\.(7|8)\\..*$']"],
    ["conda", "numpy 1.*.3 *_cuda*"],
  ];

  const hostile: unknown[] = [
    "",
    " ",
    "\u0000",
    "1.0\n",
    "9".repeat(10_000),
    "1.".repeat(5_000),
    "*".repeat(300),
    "1.0+" + "a.".repeat(130),
    "١.٠",
    "1.0\u202e",
    "💥",
    null,
    undefined,
    42,
    {},
    [],
    "__proto__",
  ];

  it.each(entries)(
    "never throws for the %s entry %s and allows nothing garbled",
    (manager, entry) => {
      const pkg = declared(manager, entry);

      for (const version of hostile) {
        for (const detail of [undefined, ...hostile]) {
          expect(pkg.allows(version as string, detail as string)).toBe(false);
        }
      }
    },
  );

  it("gives a boolean for thousands of random version-like strings", () => {
    const alphabet = "0123456789.!+-_*abcdevpostrcABC~: ";
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const packages = entries.map(([manager, entry]) => declared(manager, entry));

    for (let i = 0; i < 3000; i += 1) {
      const length = Math.floor(random() * 20);
      const text = Array.from(
        { length },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join("");
      for (const pkg of packages) {
        expect(typeof pkg.allows(text, text)).toBe("boolean");
      }
      expect(Number.isInteger(comparePep440(text, "1.0"))).toBe(true);
      expect(Number.isInteger(compareCondaVersions(text, "1.0"))).toBe(true);
    }
  });

  it("answers a long hostile version quickly", () => {
    const pkg = declared("conda", "numpy 1*1*1*1*1*1*1*1*1*1*2.*");
    const start = Date.now();

    const result = pkg.allows("1".repeat(256));

    expect(result).toBe(false);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
