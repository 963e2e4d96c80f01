import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAptPackage } from "./apt.js";
import { parseCondaSpec } from "./conda.js";
import { parsePipRequirement } from "./pep508.js";
import type { ParseResult } from "./scanner.js";

/**
 * The accuracy corpus: entries drawn from each ecosystem's own test suites and specifications,
 * each with whether the ecosystem accepts it and where it comes from (corpus/*.json):
 *
 * - conda: conda's tests/models/test_match_spec.py and test_version.py (the classic parser; the
 *   tests that need the rattler solver's repodata v3 keys are left out), CEP 26 and CEP 29, the
 *   pkg-specs page of conda's documentation, and the -c / --channel form.
 * - pip: pypa/packaging's tests/test_requirements.py and test_markers.py and the examples of the
 *   living dependency-specifiers spec; the verdict is packaging's, except where the spec or
 *   packaging's newer tests say otherwise (the entry's "note" says so).
 * - apt: names and versions from Debian bookworm's Packages index, dpkg's t-version.c, Debian
 *   policy §5.6.1 and §5.6.12, apt's modifier test and apt-get(8)'s entry forms.
 *
 * Every invalid entry must be refused with an index inside the entry. A valid entry may be refused
 * only on purpose: such entries carry "refusedOnPurpose", the reason, which docs/rules.md repeats.
 */
interface CorpusEntry {
  input: string;
  valid: boolean;
  source: string;
  note?: string;
  refusedOnPurpose?: string;
}

const ECOSYSTEMS: Record<string, (input: string) => ParseResult<unknown>> = {
  conda: parseCondaSpec,
  pip: parsePipRequirement,
  apt: parseAptPackage,
};

/** The share of valid entries that must be accepted. */
const MINIMUM_ACCEPTED = 0.97;
/** Below this many entries of each kind the figures would mean little. */
const MINIMUM_ENTRIES = 100;

function corpus(ecosystem: string): CorpusEntry[] {
  const url = new URL(`./corpus/${ecosystem}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as CorpusEntry[];
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)} %`;
}

describe.each(Object.keys(ECOSYSTEMS))("the %s accuracy corpus", (ecosystem) => {
  const parse = ECOSYSTEMS[ecosystem] ?? parseCondaSpec;
  const entries = corpus(ecosystem);
  const valid = entries.filter((entry) => entry.valid);
  const invalid = entries.filter((entry) => !entry.valid);
  const results = new Map(entries.map((entry) => [entry.input, parse(entry.input)]));
  const result = (entry: CorpusEntry) => results.get(entry.input) ?? parse(entry.input);

  it("is large enough to be meaningful, with each entry's source", () => {
    expect(valid.length).toBeGreaterThanOrEqual(MINIMUM_ENTRIES);
    expect(invalid.length).toBeGreaterThanOrEqual(MINIMUM_ENTRIES);
    expect(new Set(entries.map((entry) => entry.input)).size).toBe(entries.length);
    for (const entry of entries) expect(entry.source, entry.input).not.toBe("");
  });

  it("refuses every invalid entry, at an index inside it, with a message", () => {
    const accepted = invalid.filter((entry) => result(entry).ok).map((entry) => entry.input);
    expect(accepted).toEqual([]);
    for (const entry of invalid) {
      const outcome = result(entry);
      if (outcome.ok) continue;
      expect(outcome.error.index, entry.input).toBeGreaterThanOrEqual(0);
      expect(outcome.error.index, entry.input).toBeLessThanOrEqual(entry.input.length);
      expect(outcome.error.message, entry.input).not.toBe("");
    }
  });

  it(`accepts at least ${MINIMUM_ACCEPTED * 100} % of the valid entries, refusing the rest only on purpose`, () => {
    const refused = valid.filter((entry) => !result(entry).ok);
    const accepted = valid.length - refused.length;
    const rejected = invalid.filter((entry) => !result(entry).ok).length;
    console.log(
      `${ecosystem}: accepted ${accepted}/${valid.length} valid entries (${percent(accepted, valid.length)}), ` +
        `rejected ${rejected}/${invalid.length} invalid entries (${percent(rejected, invalid.length)})` +
        refused
          .map((entry) => {
            const outcome = result(entry);
            const why = outcome.ok ? "" : outcome.error.message;
            return `\n  refused on purpose: ${JSON.stringify(entry.input)}: ${entry.refusedOnPurpose ?? "NO REASON"} (says: ${why})`;
          })
          .join(""),
    );
    // A refusal of a valid entry is a decision, recorded with its reason in the corpus.
    expect(
      refused.filter((entry) => entry.refusedOnPurpose === undefined).map((e) => e.input),
    ).toEqual([]);
    // And the recorded decisions are still what the grammar does.
    const stale = valid.filter((entry) => entry.refusedOnPurpose !== undefined && result(entry).ok);
    expect(stale.map((entry) => entry.input)).toEqual([]);
    expect(accepted / valid.length).toBeGreaterThanOrEqual(MINIMUM_ACCEPTED);
  });
});
