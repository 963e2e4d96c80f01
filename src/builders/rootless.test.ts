import { describe, expect, it } from "vitest";
import { missingSubordinateIds } from "./rootless.js";

const runner = { name: "runner", uid: 1001 };

describe("missingSubordinateIds", () => {
  it("finds the user's ranges by name or by uid", () => {
    expect(
      missingSubordinateIds(runner, {
        "/etc/subuid": "other:100000:65536\nrunner:165536:65536\n",
        "/etc/subgid": "1001:165536:65536\n",
      }),
    ).toEqual([]);
  });

  it("names each file that gives the user nothing: no line, an empty range, a missing file", () => {
    expect(
      missingSubordinateIds(runner, {
        "/etc/subuid": "runnerx:100000:65536\nrunner:100000:0\n",
        "/etc/subgid": "",
      }),
    ).toEqual(["/etc/subuid", "/etc/subgid"]);
  });
});
