import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { documentOf, parseYamlFile, positionOf } from "../../src/source/yaml-file.js";

function fast(text: string): unknown {
  return parseYamlFile("x.yaml", Buffer.from(text)).data;
}

describe("yaml-file", () => {
  // Every plain scalar form of the YAML 1.2 core schema, and near misses that must stay strings.
  const scalars = [
    "~",
    "null",
    "Null",
    "NULL",
    "",
    "nULL",
    "true",
    "True",
    "TRUE",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "0",
    "-1",
    "+12",
    "007",
    "0o17",
    "0o8",
    "0x1F",
    "0xg",
    "0b101",
    "1_000",
    "1.5",
    "-1.5",
    ".5",
    "5.",
    "1e3",
    "1E-3",
    "+1.0e+3",
    "1.2.3",
    ".inf",
    "-.Inf",
    "+.INF",
    ".nan",
    ".NaN",
    "nan",
    "inf",
    "2024-06-17",
    "12:30:00",
    "1:20",
    "0.1.0",
    "3.11",
    "2.3",
    "1e",
    "0x",
    "=",
    "<<",
    "!",
    "numpy==1.17*",
    "-c conda-forge::numpy",
  ];

  it.each(scalars)("reads the plain scalar %j as the yaml package does", (scalar) => {
    const text = `value: ${scalar}\nlist: [${scalar || "''"}]\n`;

    expect(fast(text)).toEqual(parse(text));
  });

  it.each([
    "a: &x [1, 2]\nb: *x\n",
    "a: !!str 1.0\nb: !!int '3'\n",
    "a: |\n  line one\n  line two\n",
    "a: >\n  folded\n  text\n",
    "a: 'single ''quoted'''\nb: \"double \\t \\u00e9\"\n",
    "? complex\n: value\n",
    "a:\n  - b: 1\n    c: [x, {y: z}]\n",
    "# only a comment\n",
    "\ufeffa: 1\n",
    "a: 1\r\nb: 2\r\n",
  ])("reads %j as the yaml package does", (text) => {
    expect(fast(text)).toEqual(parse(text) ?? null);
  });

  it("does not build the located document for a file that parses", () => {
    const file = parseYamlFile("x.yaml", Buffer.from("a: 1\n"));

    expect(file.doc).toBeUndefined();
    expect(documentOf(file)?.contents).toBeTruthy();
  });

  it("gives 1-based lines and columns", () => {
    const file = parseYamlFile("x.yaml", Buffer.from("a: 1\nbb: 2\n\nc: 3"));

    expect(positionOf(file, 0)).toEqual({ line: 1, column: 1 });
    expect(positionOf(file, 5)).toEqual({ line: 2, column: 1 });
    expect(positionOf(file, 9)).toEqual({ line: 2, column: 5 });
    expect(positionOf(file, 12)).toEqual({ line: 4, column: 1 });
  });
});
