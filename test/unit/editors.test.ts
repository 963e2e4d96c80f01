/**
 * What an editor reports while a definition is typed: the real yaml-language-server (the language
 * server of VS Code's YAML extension, and of most other editors' YAML support), in process, fed the
 * schema files of this repository. The published schema URL (the modeline `imagesmith new` writes)
 * is answered with the local file it serves.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { describe, expect, it } from "vitest";
import { type Diagnostic, getLanguageService, type SchemasSettings } from "yaml-language-server";
import { renderDefinition } from "../../src/stages/scaffold.js";

const ROOT = join(import.meta.dirname, "../..");
const PUBLISHED = "https://imagesmith.dev/schemas/";

/** The server caches parsed documents by URI and version: every text checked gets a new version. */
let version = 0;

/** Fetches schemas as the editor would: files from disk, the published URL from schemas/. */
async function requestSchema(uri: string): Promise<string> {
  if (uri.startsWith("file:")) return readFile(fileURLToPath(uri), "utf8");
  if (uri.startsWith(PUBLISHED)) {
    const name = uri.slice(PUBLISHED.length);
    if (/^[a-z]+\.schema\.json$/.test(name)) return readFile(join(ROOT, "schemas", name), "utf8");
  }
  throw new Error(`no network in this test: ${uri}`);
}

/** The diagnostics an editor shows for `text`, saved as `file` of this repository. */
async function diagnose(
  file: string,
  text: string,
  schemas: SchemasSettings[] = [],
): Promise<Diagnostic[]> {
  const service = getLanguageService({
    schemaRequestService: requestSchema,
    workspaceContext: {
      resolveRelativePath: (relativePath, resource) => new URL(relativePath, resource).href,
    },
  });
  service.configure({ validate: true, hover: false, completion: false, schemas });
  const uri = pathToFileURL(join(ROOT, file)).href;
  version += 1;
  return service.doValidation(TextDocument.create(uri, "yaml", version, text), false);
}

function messagesAt(diagnostics: Diagnostic[], line: number): string[] {
  return diagnostics.filter((d) => d.range.start.line === line).map((d) => d.message);
}

describe("editors (yaml-language-server)", () => {
  // Line numbers are 0-based, as the language server counts them.
  const BAD = [
    "# yaml-language-server: $schema=../schemas/image.schema.json",
    "displayName: bad",
    "url: debian:bookworm",
    "urlForGpu: nvidia/cuda:12.1.0-base-ubuntu22.04",
    "global: true",
    "groups: [research]",
    "build:",
    "  baseImage: debian:bookworm",
    "",
  ].join("\n");

  it("reports url-or-build, access and gpu-url problems at their keys, in the rules' words", async () => {
    const diagnostics = await diagnose("images/bad.yaml", BAD);

    expect(messagesAt(diagnostics, 6)).toEqual([
      expect.stringContaining("either url (use an existing image) or build"),
    ]);
    expect(messagesAt(diagnostics, 5)).toEqual([
      expect.stringContaining("global: true already gives every group access"),
    ]);
    expect(messagesAt(diagnostics, 3)).toEqual([
      expect.stringContaining("urlForGpu is only for type: universal"),
    ]);
    expect(diagnostics).toHaveLength(3);
  });

  it("reports a definition with neither url nor build", async () => {
    const text = "# yaml-language-server: $schema=../schemas/image.schema.json\ndisplayName: a\n";

    const diagnostics = await diagnose("images/a.yaml", text);

    expect(diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining("a definition needs url (use an existing image) or build"),
    ]);
  });

  it("reports nothing once the definition is fixed", async () => {
    const fixed = BAD.replace("url: debian:bookworm\n", "type: universal\n").replace(
      "groups: [research]\n",
      "",
    );

    expect(await diagnose("images/bad.yaml", fixed)).toEqual([]);
  });

  it("checks what imagesmith new writes against the published schema URL", async () => {
    const text = renderDefinition({
      displayName: "bad",
      type: "cpu",
      url: "debian:bookworm",
      urlForGpu: "nvidia/cuda:12.1.0-base-ubuntu22.04",
      packages: { apt: [], conda: [], pip: [] },
      global: true,
      groups: ["research"],
    });

    const diagnostics = await diagnose("images/bad.yaml", text);

    expect(diagnostics.map((d) => d.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("urlForGpu is only for type: universal"),
        expect.stringContaining("global: true already gives every group access"),
      ]),
    );
  });

  it("finds the schema from the yaml.schemas setting when a file has no modeline", async () => {
    const text = BAD.split("\n").slice(1).join("\n");

    const diagnostics = await diagnose("images/groups/research/bad.yaml", text, [
      { uri: `${PUBLISHED}image.schema.json`, fileMatch: ["images/**/*.yaml"] },
    ]);

    expect(diagnostics).toHaveLength(3);
  });

  it.each([
    "images/pytorch-2.3.yaml",
    "images/groups/research/llm-finetune.yaml",
    "examples/demo/images/groups/research/notes.yaml",
    "imagesmith.yaml",
  ])("reports nothing for the example %s, through its own modeline", async (file) => {
    const text = await readFile(join(ROOT, file), "utf8");

    expect(await diagnose(file, text)).toEqual([]);
  });
});
