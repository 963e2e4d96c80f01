import { describe, expect, it } from "vitest";
import { artifactManifest, EMPTY_CONFIG, OCI_EMPTY_MEDIA_TYPE, sha256 } from "./artifact.js";

const layer = { mediaType: "application/x.test", digest: `sha256:${"a".repeat(64)}`, size: 3 };

describe("artifactManifest", () => {
  it("is an image-spec 1.1 artifact: the empty config inline, one layer, its type", () => {
    const manifest = JSON.parse(
      new TextDecoder().decode(artifactManifest({ artifactType: "application/x.test", layer })),
    ) as Record<string, unknown>;

    expect(manifest).toEqual({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType: "application/x.test",
      config: {
        mediaType: OCI_EMPTY_MEDIA_TYPE,
        digest: sha256(EMPTY_CONFIG),
        size: 2,
        data: "e30=",
      },
      layers: [layer],
    });
  });

  it("carries a title, a subject and annotations, and no empty annotations", () => {
    const subject = {
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: layer.digest,
      size: 9,
    };
    const full = JSON.parse(
      new TextDecoder().decode(
        artifactManifest({
          artifactType: "application/x.test",
          layer: { ...layer, title: "x.json" },
          subject,
          annotations: { a: "1" },
        }),
      ),
    ) as {
      layers: { annotations?: Record<string, string> }[];
      subject?: unknown;
      annotations?: unknown;
    };
    const bare = new TextDecoder().decode(
      artifactManifest({ artifactType: "application/x.test", layer, annotations: {} }),
    );

    expect(full.layers[0]?.annotations).toEqual({ "org.opencontainers.image.title": "x.json" });
    expect(full.subject).toEqual(subject);
    expect(full.annotations).toEqual({ a: "1" });
    expect(bare).not.toContain("annotations");
  });

  it("gives the same bytes for the same artifact: an unchanged push moves no tag", () => {
    const one = artifactManifest({ artifactType: "application/x.test", layer });
    const two = artifactManifest({ artifactType: "application/x.test", layer: { ...layer } });
    expect(sha256(one)).toBe(sha256(two));
  });
});
