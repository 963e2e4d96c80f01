import { describe, expect, it } from "vitest";
import { BUILDERS, createBuilder } from "./index.js";

describe("createBuilder", () => {
  it("makes the builder named in imagesmith.yaml", () => {
    expect(createBuilder("buildah").name).toBe("buildah");
    expect(createBuilder("docker").name).toBe("docker");
    expect(Object.keys(BUILDERS).sort()).toEqual(["buildah", "docker"]);
  });

  it("rejects an unknown name with the list of known ones", () => {
    expect(() => createBuilder("kaniko")).toThrow(
      'unknown builder "kaniko": set builder in imagesmith.yaml to one of "buildah", "docker"',
    );
  });

  it("does not mistake an Object prototype property for a builder", () => {
    expect(() => createBuilder("toString")).toThrow(/unknown builder "toString"/);
  });
});
