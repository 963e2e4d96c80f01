import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validate } from "../../src/pipeline.js";
import { existing, raised, validateFiles } from "../helpers/catalog.js";

describe("validate on broken input", () => {
  it("locates a YAML syntax error", async () => {
    const result = await validateFiles({
      "images/a.yaml": "displayName: a\nurl: [debian\nglobal: true\n",
    });

    const [problem] = raised(result, "yaml-syntax");
    expect(problem).toMatchObject({ file: "images/a.yaml", severity: "error" });
    expect(problem?.line).toBeGreaterThanOrEqual(2);
  });

  it("reports a duplicate key where the second one stands", async () => {
    const result = await validateFiles({
      "images/a.yaml": "displayName: a\nurl: debian\nurl: ubuntu\nglobal: true\n",
    });

    expect(raised(result, "yaml-duplicate-key")).toEqual([
      expect.objectContaining({ line: 3, column: 1 }),
    ]);
  });

  it("reports a binary file", async () => {
    const result = await validateFiles({
      "images/a.yaml": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
    });

    expect(raised(result, "file-encoding")[0]?.message).toContain("binary");
  });

  it("reports invalid UTF-8 on the line it occurs", async () => {
    const bytes = Buffer.concat([
      Buffer.from("displayName: a\ndescription: caf"),
      Buffer.from([0xe9]),
      Buffer.from("\n"),
    ]);

    const result = await validateFiles({ "images/a.yaml": bytes });

    expect(raised(result, "file-encoding")).toEqual([
      expect.objectContaining({ line: 2, column: 17 }),
    ]);
  });

  it("reports an empty file", async () => {
    const result = await validateFiles({ "images/a.yaml": "" });

    expect(raised(result, "empty-file")).toHaveLength(1);
  });

  it("reports a file of only comments as empty", async () => {
    const result = await validateFiles({ "images/a.yaml": "# nothing yet\n" });

    expect(raised(result, "empty-file")).toHaveLength(1);
  });

  it("reports a list where the definition's mapping belongs", async () => {
    const result = await validateFiles({ "images/a.yaml": "- displayName: a\n- url: debian\n" });

    expect(raised(result, "field-type")[0]?.message).toContain(
      "a definition must be a mapping of fields; found a list",
    );
  });

  it("reports a scalar where a mapping belongs", async () => {
    const result = await validateFiles({ "images/a.yaml": "just some words\n" });

    expect(raised(result, "field-type")).toHaveLength(1);
  });

  it("rejects a 10 MB file without reading it as YAML", async () => {
    const big = "description: " + "x".repeat(10 * 1024 * 1024) + "\n";

    const result = await validateFiles({ "images/a.yaml": big });

    expect(raised(result, "file-size")).toHaveLength(1);
  });

  it("survives deeply nested YAML", async () => {
    const deep = "displayName: a\ndescription: " + "[".repeat(50_000) + "]".repeat(50_000) + "\n";

    const result = await validateFiles({ "images/a.yaml": deep });

    expect(result.valid).toBe(false);
  });

  it("survives deeply nested block mappings", async () => {
    let text = "displayName: a\nbuild:\n";
    for (let depth = 1; depth < 3000; depth++) text += " ".repeat(depth) + `k${depth}:\n`;

    const result = await validateFiles({ "images/a.yaml": text });

    expect(result.valid).toBe(false);
  });

  it("refuses an alias bomb", async () => {
    const lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(",")}]`,
      );

    const result = await validateFiles({
      "images/a.yaml": `displayName: a\ndescription: x\n${lines.join("\n")}\n`,
    });

    expect(result.valid).toBe(false);
  });

  it("reports a second YAML document in one file", async () => {
    const result = await validateFiles({
      "images/a.yaml": existing("a") + "---\n" + existing("b"),
    });

    expect(raised(result, "yaml-syntax")).toHaveLength(1);
  });

  it("collects the problems of every file in one run", async () => {
    const result = await validateFiles({
      "images/a.yaml": "displayName: a\nurl: [\n",
      "images/b.yaml": "displayName: B\nurl: debian\nglobal: true\n",
      "images/c.yaml": existing("c", "global: maybe"),
    });

    expect(new Set(result.problems.map((p) => p.file))).toEqual(
      new Set(["images/a.yaml", "images/b.yaml", "images/c.yaml"]),
    );
  });
});

describe("catalog layout", () => {
  it("reports a .yml file instead of skipping it", async () => {
    const result = await validateFiles({ "images/a.yml": existing("a") });

    expect(raised(result, "file-extension")).toEqual([
      expect.objectContaining({ file: "images/a.yml", message: expect.stringContaining("a.yaml") }),
    ]);
  });

  it("reports YAML in a folder no definition is read from", async () => {
    const result = await validateFiles({
      "images/extra/a.yaml": existing("a"),
      "images/groups/b.yaml": existing("b"),
    });

    expect(raised(result, "catalog-layout").map((p) => p.file)).toEqual([
      "images/extra/a.yaml",
      "images/groups/b.yaml",
    ]);
  });

  it("ignores other files such as a README", async () => {
    const result = await validateFiles({
      "images/README.md": "# images\n",
      "images/a.yaml": existing("a"),
    });

    expect(result.problems).toEqual([]);
  });

  it("reports a folder with no images/ in it", async () => {
    const root = await mkdtemp(join(tmpdir(), "imagesmith-empty-"));

    const result = await validate({ root });

    expect(raised(result, "catalog-layout")).toHaveLength(1);
  });
});
