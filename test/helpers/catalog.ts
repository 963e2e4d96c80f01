import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";
import type { Problem } from "../../src/model.js";
import { validate } from "../../src/pipeline.js";
import type { ValidationResult } from "../../src/stages/validate/index.js";

const made: string[] = [];

afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes a catalog folder (relative path → file content) into a fresh temp dir. */
export async function writeCatalog(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "imagesmith-test-"));
  made.push(root);
  await mkdir(join(root, "images"), { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), content);
  }
  return root;
}

/** Validates a catalog given as files. */
export async function validateFiles(
  files: Record<string, string | Uint8Array>,
): Promise<ValidationResult> {
  return validate({ root: await writeCatalog(files) });
}

/** The problems one rule raised, as `line:column severity message` strings easy to assert on. */
export function raised(result: ValidationResult, rule: string): Problem[] {
  return result.problems.filter((p) => p.rule === rule);
}

/** A minimal valid existing-image definition, with overrides appended as YAML lines. */
export function existing(name: string, extra = "global: true"): string {
  return `displayName: ${name}\nurl: docker.io/library/python:3.11\n${extra}\n`;
}

/** A minimal valid build definition whose packages section is `packages` (YAML, indented by 4). */
export function built(name: string, packages: string, extra = "global: true"): string {
  return `displayName: ${name}\nbuild:\n  baseImage: debian:bookworm\n  packages:\n${packages
    .split("\n")
    .map((line) => (line ? "    " + line : line))
    .join("\n")}\n${extra}\n`;
}
