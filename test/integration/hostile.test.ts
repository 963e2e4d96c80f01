/**
 * A pull request is untrusted input: a catalog of hostile files, read by the CLI and by the bundled
 * Action as the runner runs it. Each file is reported where it stands, none of its secrets is
 * shown anywhere, nothing is written outside imagesmith's own folder, and it all stays small and
 * fast.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { annotations, pullRequestEvent, runAction } from "../helpers/action.js";
import { CLI } from "../helpers/cli.js";
import { temp } from "../helpers/git.js";
import { type GitHubApi, startGitHubApi } from "../helpers/github-api.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";

const exec = promisify(execFile);

const GIT_TOKEN = "ghp_checkoutTokenThatMustNeverBeShown0001";
const SECRET = "s3cr3t-line-from-a-file-outside-the-catalog";
const NEWLINE_NAME = "evil\n::add-mask::forged.yaml";
const MARKDOWN_NAME = "<img src=x onerror=alert(1)>`@everyone`.yaml";

let registry: TestRegistry;
let github: GitHubApi;
let root: string;
let outside: string;

beforeAll(async () => {
  registry = await startRegistry();
  github = await startGitHubApi();
  outside = await temp("imagesmith-outside-");
  await writeFile(join(outside, "secret.txt"), `${SECRET}\n`);
  await writeFile(join(outside, "target.json"), "untouched\n");
  root = await temp("imagesmith-hostile-");
  const images = join(root, "images");
  await mkdir(images, { recursive: true });
  await mkdir(join(root, ".git"), { recursive: true });
  await writeFile(
    join(root, ".git/config"),
    `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${GIT_TOKEN}\n`,
  );
  await writeFile(
    join(root, "imagesmith.yaml"),
    `registry: ${registry.host}/hostile\ninsecureRegistries: [${registry.host}]\n`,
  );
  await writeFile(join(images, "fine.yaml"), "displayName: fine\nurl: debian:12\nglobal: true\n");
  await symlink("../.git/config", join(images, "leak.yaml"));
  await symlink(join(outside, "secret.txt"), join(images, "secret.yaml"));
  await symlink("/dev/zero", join(images, "zero.yaml"));
  await exec("mkfifo", [join(images, "fifo.yaml")]);
  await mkdir(join(images, "folder.yaml"));
  await writeFile(
    join(images, NEWLINE_NAME),
    "displayName: forged\nurl: debian:12\nglobal: true\n",
  );
  await writeFile(
    join(images, MARKDOWN_NAME),
    "displayName: markdown\nurl: debian:12\nglobal: true\n",
  );
  // A billion laughs: nine levels of ten aliases each.
  const levels = ['a0: &a0 ["lol"]'];
  for (let level = 1; level <= 9; level++)
    levels.push(
      `a${level}: &a${level} [${Array(10)
        .fill(`*a${level - 1}`)
        .join(", ")}]`,
    );
  await writeFile(
    join(images, "bomb.yaml"),
    `displayName: bomb\nurl: debian:12\nglobal: true\nx-bomb:\n  ${levels.join("\n  ")}\n`,
  );
  await writeFile(
    join(images, "long.yaml"),
    `displayName: long\nbuild:\n  baseImage: debian:12\n  packages:\n    apt: [${"a".repeat(100_000)}-]\nglobal: true\n`,
  );
  // Committed symlinks where imagesmith writes its own files.
  await mkdir(join(root, ".imagesmith"), { recursive: true });
  await symlink(join(outside, "target.json"), join(root, ".imagesmith/plan.json"));
}, 900_000);

afterAll(async () => {
  await registry?.stop();
  await github?.stop();
});

/** The CLI under /usr/bin/time: its exit code, output, wall seconds and peak memory. */
async function measured(args: string[]): Promise<{
  code: number;
  out: string;
  err: string;
  seconds: number;
  mib: number;
}> {
  const result = await exec("/usr/bin/time", ["-f", "%e %M", process.execPath, CLI, ...args], {
    maxBuffer: 1 << 28,
  }).then(
    (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
    (failed: { code?: number; stdout?: string; stderr?: string }) => ({
      code: failed.code ?? -1,
      stdout: failed.stdout ?? "",
      stderr: failed.stderr ?? "",
    }),
  );
  const lines = result.stderr.trimEnd().split("\n");
  const [seconds = "0", kib = "0"] = (lines.pop() ?? "").split(" ");
  return {
    code: result.code,
    out: result.stdout,
    err: lines.join("\n"),
    seconds: Number(seconds),
    mib: Number(kib) / 1024,
  };
}

/** What every hostile file must be reported as, in a formatted problem line. */
const EXPECTED = [
  /images\/leak\.yaml:1:1: error file-type: not read: it is a symlink to a place outside the catalog's images\/ folder/,
  /images\/secret\.yaml:1:1: error file-type: not read: it is a symlink to a place outside/,
  /images\/zero\.yaml:1:1: error file-type: not read: it is a symlink to a place outside/,
  /images\/fifo\.yaml:1:1: error file-type: not read: it is not a regular file \(a FIFO, a socket or a device\)/,
  /images\/folder\.yaml:1:1: error file-type: not read: it is a folder, not a definition file/,
  /images\/evil\\n::add-mask::forged\.yaml:1:1: error file-name: not read: the name holds a line break/,
  /images\/bomb\.yaml:\d+:\d+: error yaml-syntax: .*alias/i,
  /images\/long\.yaml:5:\d+: error apt-package:/,
];

function expectNoSecrets(text: string): void {
  expect(text).not.toContain(GIT_TOKEN);
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain("lol, lol");
}

describe("a catalog of hostile files", () => {
  it.each([["validate"], ["plan"]])(
    "%s reports each file where it stands, shows none of their secrets, and stays fast and small",
    async (command) => {
      const run = await measured([command, "--root", root]);

      expect(run.code).toBe(1);
      for (const pattern of EXPECTED) expect(run.out + run.err).toMatch(pattern);
      expectNoSecrets(run.out + run.err);
      // One problem per line: the newline in a file name forges no line of its own.
      expect((run.out + run.err).split("\n").some((line) => line.startsWith("::"))).toBe(false);
      expect(run.out.length + run.err.length).toBeLessThan(200_000);
      expect(run.seconds).toBeLessThan(10);
      expect(run.mib).toBeLessThan(300);
    },
  );

  it("in the Action, annotates each file, and neither the log, the summary nor the comment shows a secret, forges a command or renders markup", async () => {
    const run = await runAction({
      workspace: root,
      inputs: { command: "plan", "github-token": "gh-token" },
      event: pullRequestEvent(77),
      apiUrl: github.url,
    });

    expect(run.code).toBe(1);
    const found = annotations(run.stdout);
    for (const file of [
      "leak.yaml",
      "secret.yaml",
      "zero.yaml",
      "fifo.yaml",
      "bomb.yaml",
      "long.yaml",
    ])
      expect(found.some((a) => a.properties.file === `images/${file}`)).toBe(true);
    const body = github.comments.find((c) => c.issue === 77)?.body ?? "";
    for (const text of [run.stdout, run.stderr, run.summary, body]) expectNoSecrets(text);
    // No line of the log is a command the pull request wrote.
    expect(run.stdout.split("\n").filter((line) => /^\s*::add-mask::forged/.test(line))).toEqual(
      [],
    );
    // The name is shown as code (text, whatever it holds), and escaped everywhere else: no markup
    // and no mention survives.
    const code = "``images/<img src=x onerror=alert(1)>`@everyone`.yaml:1:14``";
    expect(body).toContain(code);
    const prose = body.replace(code, "");
    expect(prose).not.toMatch(/(^|[^\\])<img/);
    expect(prose).not.toMatch(/(^|[^\\])@everyone/);
    expect(body.length).toBeLessThan(65_536);
    // The committed symlink at .imagesmith/plan.json was replaced, not written through.
    expect(await readFile(join(outside, "target.json"), "utf8")).toBe("untouched\n");
  });
});
