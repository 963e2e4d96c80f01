import { describe, expect, it } from "vitest";
import type { InstalledPackage, Inventory } from "../inventory/index.js";
import {
  cycloneDxSbom,
  MAX_COMPONENTS,
  pep503,
  sbomPackages,
  type SbomInput,
  uuidV5,
} from "./cyclonedx.js";
import { SbomError } from "./errors.js";

const DIGEST = `sha256:${"a".repeat(64)}`;
const OTHER_DIGEST = `sha256:${"b".repeat(64)}`;

const PACKAGES: InstalledPackage[] = [
  { manager: "apt", name: "attr", version: "1:2.4.47-2+b1", detail: "amd64" },
  { manager: "apt", name: "libc6", version: "2.36-9+deb12u4", detail: "amd64" },
  { manager: "pip", name: "PyYAML", version: "6.0.1" },
  { manager: "pip", name: "zope.interface", version: "6.2" },
  {
    manager: "conda",
    name: "numpy",
    version: "1.26.4",
    detail: "py311h64a7726_0",
    channel: "https://conda.anaconda.org/conda-forge/linux-64",
  },
];

function input(packages = PACKAGES, extra: Partial<SbomInput> = {}): SbomInput {
  const inventory: Inventory = { packages, problems: [] };
  return {
    inventory,
    image: { name: "py", repository: "127.0.0.1:5000/team/py", digest: DIGEST },
    distro: { id: "debian", versionId: "12" },
    tool: { name: "imagesmith", version: "0.1.0" },
    timestamp: "2024-07-01T12:00:00Z",
    ...extra,
  };
}

/** The purls of a BOM's components, by name. */
function purls(bom: { components: { name: string; purl?: string }[] }): Record<string, string> {
  return Object.fromEntries(bom.components.map((c) => [c.name, c.purl ?? ""]));
}

/** The error a function throws, which must be one. */
function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected it to throw");
}

describe("cycloneDxSbom", () => {
  it("gives each package the purl of its type, in the purl spec's canonical form", () => {
    const bom = cycloneDxSbom(input());

    expect(purls(bom)).toEqual({
      attr: "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64&distro=debian-12",
      libc6: "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
      PyYAML: "pkg:pypi/pyyaml@6.0.1",
      "zope.interface": "pkg:pypi/zope-interface@6.2",
      numpy:
        "pkg:conda/numpy@1.26.4?build=py311h64a7726_0&channel=https:%2F%2Fconda.anaconda.org%2Fconda-forge%2Flinux-64",
    });
  });

  it("names the distribution in deb purls as given, and falls back to debian without one", () => {
    const apt: InstalledPackage[] = [
      { manager: "apt", name: "Bash", version: "5.2", detail: "arm64" },
    ];

    const ubuntu = cycloneDxSbom(input(apt, { distro: { id: "Ubuntu" } }));
    const unknown = cycloneDxSbom(input(apt, { distro: undefined }));

    expect(ubuntu.components[0]?.purl).toBe("pkg:deb/ubuntu/bash@5.2?arch=arm64&distro=ubuntu");
    expect(unknown.components[0]?.purl).toBe("pkg:deb/debian/bash@5.2?arch=arm64");
  });

  it("percent-encodes what a hostile package name or version holds, and never throws on it", () => {
    const odd: InstalledPackage[] = [
      { manager: "pip", name: "a b", version: "1.0#frag?q=1&x" },
      { manager: "conda", name: "c/d", version: "2@3", detail: "é", channel: "main" },
      { manager: "apt", name: "e\ud800", version: "1%" },
    ];

    const bom = cycloneDxSbom(input(odd));

    expect(purls(bom)).toEqual({
      "a b": "pkg:pypi/a%20b@1.0%23frag%3Fq%3D1%26x",
      "c/d": "pkg:conda/c%2Fd@2%403?build=%C3%A9&channel=main",
      "e\ud800": "pkg:deb/debian/e%EF%BF%BD@1%25?distro=debian-12",
    });
  });

  it("describes the image as a container named after it, its digest the version, with an oci purl", () => {
    const bom = cycloneDxSbom(input());

    expect(bom).toMatchObject({
      bomFormat: "CycloneDX",
      specVersion: "1.6",
      version: 1,
      metadata: {
        timestamp: "2024-07-01T12:00:00Z",
        tools: { components: [{ type: "application", name: "imagesmith", version: "0.1.0" }] },
        component: {
          type: "container",
          name: "py",
          version: DIGEST,
          purl: `pkg:oci/py@${DIGEST}?repository_url=127.0.0.1:5000%2Fteam%2Fpy`,
        },
      },
    });
    expect(bom.components.every((c) => c.type === "library")).toBe(true);
    expect(bom.components.map((c) => c.properties)).toEqual(
      ["apt", "apt", "conda", "pip", "pip"].map((value) => [{ name: "imagesmith:manager", value }]),
    );
  });

  it("has a serial number that is a UUID v5 of the image digest: the same image, the same serial", () => {
    const first = cycloneDxSbom(input());
    const again = cycloneDxSbom(input(PACKAGES.slice(1), { timestamp: "2025-01-01T00:00:00Z" }));
    const other = cycloneDxSbom(
      input(PACKAGES, { image: { ...input().image, digest: OTHER_DIGEST } }),
    );

    expect(first.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(again.serialNumber).toBe(first.serialNumber);
    expect(other.serialNumber).not.toBe(first.serialNumber);
  });

  it("is the same document whatever order the inventory lists packages in, duplicates once", () => {
    const shuffled = [...PACKAGES].reverse();
    const doubled = [...PACKAGES, ...PACKAGES.map((pkg) => ({ ...pkg }))];

    const bom = JSON.stringify(cycloneDxSbom(input()));

    expect(JSON.stringify(cycloneDxSbom(input(shuffled)))).toBe(bom);
    expect(JSON.stringify(cycloneDxSbom(input(doubled)))).toBe(bom);
    expect(cycloneDxSbom(input()).components.map((c) => c.name)).toEqual([
      "attr",
      "libc6",
      "numpy",
      "PyYAML",
      "zope.interface",
    ]);
  });

  it("gives every component its own bom-ref, even two whose purls are the same", () => {
    const twins: InstalledPackage[] = [
      { manager: "pip", name: "PyYAML", version: "6.0.1" },
      { manager: "pip", name: "pyyaml", version: "6.0.1" },
      { manager: "pip", name: "py_yaml", version: "6.0.1" },
    ];

    const bom = cycloneDxSbom(input(twins));
    const refs = [bom.metadata.component, ...bom.components].map((c) => c["bom-ref"]);

    expect(new Set(refs).size).toBe(4);
    expect(bom.components.map((c) => [c.name, c.purl])).toEqual([
      ["PyYAML", "pkg:pypi/pyyaml@6.0.1"],
      ["py_yaml", "pkg:pypi/py-yaml@6.0.1"],
      ["pyyaml", "pkg:pypi/pyyaml@6.0.1"],
    ]);
  });

  it("records the inventory's problems as properties of the BOM", () => {
    const bom = cycloneDxSbom({
      ...input(),
      inventory: { packages: [], problems: ["var/lib/dpkg/status: larger than 64 MiB, not read"] },
    });

    expect(bom.metadata.properties).toEqual([
      {
        name: "imagesmith:inventory-problem",
        value: "var/lib/dpkg/status: larger than 64 MiB, not read",
      },
    ]);
    expect(bom.components).toEqual([]);
  });

  it("refuses an image digest or a timestamp that is not one", () => {
    const digest = thrown(() =>
      cycloneDxSbom(input(PACKAGES, { image: { ...input().image, digest: "latest" } })),
    );
    const timestamp = thrown(() => cycloneDxSbom(input(PACKAGES, { timestamp: "yesterday" })));

    expect(digest).toBeInstanceOf(SbomError);
    expect((digest as SbomError).code).toBe("invalid-input");
    expect((timestamp as SbomError).message).toContain('"yesterday" is not a date-time');
  });
});

describe("sbomPackages", () => {
  it("reads back the packages a BOM was made from, through JSON", () => {
    const bom = JSON.parse(
      JSON.stringify(cycloneDxSbom(input([...PACKAGES].reverse()))),
    ) as unknown;

    const packages = sbomPackages(bom);

    expect(packages).toEqual([PACKAGES[0], PACKAGES[1], PACKAGES[4], PACKAGES[2], PACKAGES[3]]);
  });

  it("reads another tool's BOM by its purls when it has no imagesmith properties", () => {
    const bom = {
      bomFormat: "CycloneDX",
      specVersion: "1.5",
      components: [
        {
          type: "library",
          name: "bash",
          version: "5.2.15-2+b2",
          purl: "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12",
        },
        { type: "library", name: "requests", version: "2.31.0", purl: "pkg:pypi/requests@2.31.0" },
        { type: "library", name: "lodash", version: "4.17.21", purl: "pkg:npm/lodash@4.17.21" },
        { type: "operating-system", name: "debian", version: "12" },
      ],
    };

    expect(sbomPackages(bom)).toEqual([
      { manager: "apt", name: "bash", version: "5.2.15-2+b2", detail: "amd64" },
      { manager: "pip", name: "requests", version: "2.31.0" },
    ]);
  });

  it("is an SbomError saying so for anything that is not a CycloneDX BOM", () => {
    for (const data of [null, 42, "CycloneDX", [], {}, { bomFormat: "SPDX", specVersion: "2.3" }]) {
      const error = thrown(() => sbomPackages(data));

      expect(error).toBeInstanceOf(SbomError);
      expect((error as SbomError).code).toBe("not-a-bom");
      expect((error as SbomError).message).toMatch(/^not a CycloneDX BOM/);
    }
  });

  it("skips every component it cannot read, and never throws on one", () => {
    const good = {
      name: "ok",
      version: "1",
      properties: [{ name: "imagesmith:manager", value: "pip" }],
    };
    const bom = {
      bomFormat: "CycloneDX",
      specVersion: "1.6",
      components: [
        null,
        7,
        "pkg:pypi/x@1",
        [good],
        { ...good, name: 5 },
        { ...good, name: "" },
        { ...good, version: undefined },
        { ...good, name: "x".repeat(10_000) },
        { ...good, name: "evil\nname" },
        { ...good, version: "1\u001b[31m" },
        { name: "nomanager", version: "1" },
        { name: "badpurl", version: "1", purl: "pkg:deb/debian/x@%E0%A4%A" },
        { name: "hugepurl", version: "1", purl: `pkg:pypi/${"x".repeat(100_000)}@1` },
        { ...good, name: "props", properties: "imagesmith:manager=apt" },
        { ...good, name: "badvalue", properties: [{ name: "imagesmith:manager", value: "npm" }] },
        { ...good, name: "__proto__" },
        good,
      ],
    };

    const packages = sbomPackages(bom);

    expect(packages).toEqual([
      { manager: "pip", name: "__proto__", version: "1" },
      { manager: "pip", name: "ok", version: "1" },
    ]);
  });

  it("takes details only from a purl of the manager's own type, checked like names", () => {
    const bom = {
      bomFormat: "CycloneDX",
      specVersion: "1.6",
      components: [
        {
          name: "curl",
          version: "8.5",
          purl: "pkg:pypi/curl@8.5?arch=amd64",
          properties: [{ name: "imagesmith:manager", value: "apt" }],
        },
        {
          name: "zlib",
          version: "1.3",
          purl: `pkg:conda/zlib@1.3?build=${"b".repeat(600)}&channel=conda%0Aforge`,
        },
      ],
      comment: { components: "ignored" },
    };

    expect(sbomPackages(bom)).toEqual([
      { manager: "apt", name: "curl", version: "8.5" },
      { manager: "conda", name: "zlib", version: "1.3" },
    ]);
  });

  it("reads at most MAX_COMPONENTS components, and an absent component list as none", () => {
    const component = {
      name: "p",
      version: "1",
      properties: [{ name: "imagesmith:manager", value: "pip" }],
    };
    const many = Array.from({ length: MAX_COMPONENTS + 10 }, (_, i) => ({
      ...component,
      name: `p${i}`,
    }));

    const packages = sbomPackages({ bomFormat: "CycloneDX", specVersion: "1.6", components: many });
    const none = sbomPackages({ bomFormat: "CycloneDX", specVersion: "1.6", components: "many" });

    expect(packages).toHaveLength(MAX_COMPONENTS);
    expect(none).toEqual([]);
  });
});

describe("pep503", () => {
  it("lowercases and folds runs of - _ . into one dash", () => {
    expect(pep503("Foo.Bar__baz-_-Qux")).toBe("foo-bar-baz-qux");
  });
});

describe("uuidV5", () => {
  it("matches RFC 4122's name-based UUID for a known name in the DNS namespace", () => {
    expect(uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });
});
