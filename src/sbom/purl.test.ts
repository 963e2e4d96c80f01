import { describe, expect, it } from "vitest";
import { formatPurl, parsePurl } from "./purl.js";

describe("formatPurl", () => {
  it("builds the purl spec's own examples for deb, pypi, conda and oci", () => {
    expect(
      formatPurl({
        type: "deb",
        namespace: "debian",
        name: "attr",
        version: "1:2.4.47-2+b1",
        qualifiers: { arch: "amd64" },
      }),
    ).toBe("pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64");
    expect(formatPurl({ type: "pypi", name: "django-allauth", version: "12.23" })).toBe(
      "pkg:pypi/django-allauth@12.23",
    );
    expect(
      formatPurl({
        type: "conda",
        name: "absl-py",
        version: "0.4.1",
        qualifiers: {
          type: "tar.bz2",
          subdir: "linux-64",
          channel: "main",
          build: "py36h06a4308_0",
        },
      }),
    ).toBe(
      "pkg:conda/absl-py@0.4.1?build=py36h06a4308_0&channel=main&subdir=linux-64&type=tar.bz2",
    );
    expect(
      formatPurl({
        type: "oci",
        name: "debian",
        version: "sha256:244fd47e07d10",
        qualifiers: { tag: "latest", repository_url: "docker.io/library/debian", arch: "amd64" },
      }),
    ).toBe(
      "pkg:oci/debian@sha256:244fd47e07d10?arch=amd64&repository_url=docker.io%2Flibrary%2Fdebian&tag=latest",
    );
  });

  it("percent-encodes every separator and non-ASCII character in a value, never the colon", () => {
    const purl = formatPurl({
      type: "generic",
      name: "a b/c",
      version: "1@2?3#4&5=6%7!'()*é:",
      qualifiers: { note: "x&y=z" },
    });

    expect(purl).toBe(
      "pkg:generic/a%20b%2Fc@1%402%3F3%234%265%3D6%257%21%27%28%29%2A%C3%A9:?note=x%26y%3Dz",
    );
  });

  it("leaves out qualifiers without a value and survives a lone surrogate", () => {
    const purl = formatPurl({
      type: "deb",
      namespace: "debian",
      name: "x\ud800",
      version: "1",
      qualifiers: { arch: undefined, distro: "" },
    });

    expect(purl).toBe("pkg:deb/debian/x%EF%BF%BD@1");
  });
});

describe("parsePurl", () => {
  it("reads back what formatPurl builds, values decoded", () => {
    const parts = {
      type: "conda",
      name: "numpy",
      version: "1.26.4",
      qualifiers: { build: "py311_0", channel: "https://conda.anaconda.org/conda-forge/linux-64" },
    };

    expect(parsePurl(formatPurl(parts))).toEqual(parts);
    expect(parsePurl("pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64#sub/path")).toEqual({
      type: "deb",
      namespace: "debian",
      name: "attr",
      version: "1:2.4.47-2+b1",
      qualifiers: { arch: "amd64" },
    });
  });

  it("is undefined for what is not a purl, and never throws on a bad percent-encoding", () => {
    expect(parsePurl("https://example.com/x")).toBeUndefined();
    expect(parsePurl("pkg:")).toBeUndefined();
    expect(parsePurl("pkg:deb/")).toBeUndefined();
    expect(parsePurl("pkg:deb/debian/x@%E0%A4%A")).toBeUndefined();
    expect(parsePurl("pkg:deb/debian/x@1?arch=%ZZ")).toBeUndefined();
  });

  it("does not let a qualifier named __proto__ reach the prototype", () => {
    const purl = parsePurl("pkg:pypi/x@1?__proto__=polluted&a=b");

    expect(purl?.qualifiers).toEqual({ a: "b" });
    expect(Object.getPrototypeOf(purl?.qualifiers)).toBe(Object.prototype);
  });
});
