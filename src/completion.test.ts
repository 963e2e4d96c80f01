import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "./cli.js";

async function script(shell: string): Promise<string> {
  let out = "";
  const code = await main(["completion", shell], {
    out: (t) => (out += `${t}\n`),
    err: () => undefined,
  });
  expect(code).toBe(0);
  return out;
}

/** What bash completes for the words typed so far (the last one being completed). */
function complete(file: string, words: string[]): string[] {
  const line = words.map((w) => `'${w}'`).join(" ");
  const out = execFileSync(
    "bash",
    [
      "-c",
      `source ${file}; COMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _imagesmith_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: "utf8" },
  );
  return out.split("\n").filter(Boolean).sort();
}

describe("shell completion", () => {
  it("completes commands, subcommands, options and their fixed values in bash", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "imagesmith-completion-")), "imagesmith.bash");
    writeFileSync(file, await script("bash"));

    expect(complete(file, ["imagesmith", "pl"])).toEqual(["plan"]);
    expect(complete(file, ["imagesmith", "sync", ""])).toContain("primehub");
    expect(complete(file, ["imagesmith", "plan", "--fo"])).toEqual(["--force", "--format"]);
    expect(complete(file, ["imagesmith", "plan", "--format", ""])).toEqual([
      "json",
      "markdown",
      "matrix",
      "text",
    ]);
    expect(complete(file, ["imagesmith", "sync", "primehub", "--dr"])).toEqual(["--dry-run"]);
  });

  it("names every command and option in fish, with values only where they take one", async () => {
    const fish = await script("fish");
    expect(fish).toContain("-a verify -d 'a pull request");
    expect(fish).toMatch(
      /__fish_seen_subcommand_from plan" -l format -x -a 'text json markdown matrix'/,
    );
    expect(fish).toMatch(/__fish_seen_subcommand_from run" -l dry-run -d /);
    expect(fish).toMatch(/__fish_seen_subcommand_from run" -l root -r -F/);
    const zsh = await script("zsh");
    expect(zsh.split("\n")[0]).toBe("#compdef imagesmith");
  });
});
