import { describe, expect, it } from "vitest";
import { type Baseline, publishRefusal } from "./baseline.js";

const HEAD = "1".repeat(40);
const PUBLISHED = "2".repeat(40);
const REPO = "https://github.com/acme/images";

function baseline(extra: Partial<Baseline> = {}): Baseline {
  return {
    from: "registry",
    ref: "ghcr.io/acme/images/imagesmith-catalog:latest",
    digest: `sha256:${"a".repeat(64)}`,
    commit: PUBLISHED,
    repo: REPO,
    ...extra,
  };
}

describe("publishRefusal", () => {
  it.each([
    ["the same commit", baseline({ history: "same" })],
    ["a commit HEAD contains", baseline({ history: "ancestor" })],
    ["nothing published yet", { from: "registry", ref: "r" } satisfies Baseline],
    [
      "a catalog published from a folder that was not a git checkout",
      baseline({ commit: undefined }),
    ],
    ["no registry at all", { from: "none" } satisfies Baseline],
  ])("lets a publish over %s go ahead", (_name, given) => {
    expect(publishRefusal(given, { repo: REPO, commit: HEAD })).toBeUndefined();
  });

  it.each([
    [
      "a catalog that could not be read",
      baseline({ error: "GET …: 401 unauthorized" }),
      "could not be read (GET …: 401 unauthorized)",
    ],
    [
      "a file given with --previous",
      { from: "file", ref: "old.json" } satisfies Baseline,
      "plan again without --previous",
    ],
    [
      "a commit HEAD does not contain",
      baseline({ history: "not-ancestor" }),
      "this checkout is stale or has diverged",
    ],
    [
      "a commit the checkout does not have",
      baseline({ history: "unknown" }),
      "which this checkout does not have",
    ],
    [
      "another repository's catalog",
      baseline({ repo: "https://github.com/acme/other", history: "unknown" }),
      "two catalogs share the registry prefix",
    ],
  ])("refuses a publish over %s, saying why", (_name, given, words) => {
    expect(publishRefusal(given, { repo: REPO, commit: HEAD })).toContain(words);
  });

  it("refuses a publish from a folder that is not a git checkout over a catalog that names its commit", () => {
    expect(publishRefusal(baseline(), { repo: REPO })).toContain(
      "this folder is not a git checkout",
    );
  });

  it("takes one repository's URLs as the same whatever their case, .git or trailing slash", () => {
    expect(
      publishRefusal(
        baseline({ repo: "https://GitHub.com/acme/images.git", history: "ancestor" }),
        {
          repo: `${REPO}/`,
          commit: HEAD,
        },
      ),
    ).toBeUndefined();
  });
});
