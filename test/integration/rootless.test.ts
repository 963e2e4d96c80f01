/**
 * Builds without root, as on GitHub's hosted runners (jobs run as the user `runner`, with
 * subordinate ids in /etc/subuid): rootless buildah builds and pushes, but opens the image it built
 * only inside `buildah unshare`, so the doors run themselves again there. The bundled CLI and Action
 * run as a user of their own, made here, with a real registry, real buildah and real apt.
 */
import { execFile } from "node:child_process";
import { chmod, cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pullRequestEvent, pushEvent, startAction } from "../helpers/action.js";
import { startGitHubApi } from "../helpers/github-api.js";
import { startImagesmith, waitForOutput } from "../helpers/cli.js";
import { debianBase } from "../helpers/debian-base.js";
import { commit, git, temp } from "../helpers/git.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";
import { createRegistry } from "../../src/registry/client.js";
import { parseImageReference } from "../../src/grammars/image-ref.js";

const exec = promisify(execFile);

const USER = "imagesmith-rootless";
/** Subordinate ids of the user: what a runner's /etc/subuid gives `runner`. */
const SUBORDINATE = "300000-365535";

interface User {
  uid: number;
  gid: number;
  home: string;
}

let user: User;
let registry: TestRegistry;
let debian: string;
/** dist/ copied where the user can read it, wherever this checkout is. */
let dist: string;

/** The test's user, made once per machine: a home, subordinate uids and gids, no root. */
async function rootlessUser(): Promise<User> {
  if (process.getuid?.() !== 0)
    throw new Error("these tests make a user of their own: run them as root (CI does)");
  const known = await exec("id", ["-u", USER]).then(
    () => true,
    () => false,
  );
  if (!known) await exec("useradd", ["--create-home", "--shell", "/bin/sh", USER]);
  const subuid = await readFile("/etc/subuid", "utf8").catch(() => "");
  if (!subuid.split("\n").some((line) => line.startsWith(`${USER}:`)))
    await exec("usermod", ["--add-subuids", SUBORDINATE, "--add-subgids", SUBORDINATE, USER]);
  const [uid, gid, home] = await Promise.all([
    exec("id", ["-u", USER]).then(({ stdout }) => Number(stdout.trim())),
    exec("id", ["-g", USER]).then(({ stdout }) => Number(stdout.trim())),
    exec("getent", ["passwd", USER]).then(({ stdout }) => stdout.trim().split(":")[5] ?? ""),
  ]);
  return { uid, gid, home };
}

/** `chown -R` to the test's user: the checkout is the runner's own. */
async function giveToUser(dir: string): Promise<void> {
  await exec("chown", ["-R", `${user.uid}:${user.gid}`, dir]);
}

/** The user's environment: their home, the PATH, nothing of the test's. */
function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: user.home, LANG: "C.UTF-8", ...extra };
}

function startAsUser(args: readonly string[], cwd: string) {
  return startImagesmith(args, userEnv(), {
    cwd,
    uid: user.uid,
    gid: user.gid,
    cli: join(dist, "cli.js"),
    onlyEnv: true,
  });
}

/** Runs a command as the user; resolves to its standard output. */
async function asUser(file: string, args: string[]): Promise<string> {
  const { stdout } = await exec(file, args, {
    uid: user.uid,
    gid: user.gid,
    env: userEnv(),
    cwd: user.home,
  });
  return stdout;
}

/** A catalog repository owned by the user, publishing under `prefix`, with `tools` built from `build`. */
async function catalog(prefix: string, build: string): Promise<string> {
  const dir = join(await temp("imagesmith-rootless-"), "repo");
  await mkdir(dir);
  await git(dir, "init", "-q", "-b", "main");
  await commit(dir, {
    "imagesmith.yaml": `registry: ${registry.host}/${prefix}\ninsecureRegistries: [${registry.host}]\n`,
    "images/tools.yaml": `displayName: tools\nglobal: true\nbuild:\n  baseImage: ${debian}\n${build}`,
  });
  await giveToUser(join(dir, ".."));
  return dir;
}

async function tags(prefix: string, name: string): Promise<string[]> {
  const client = createRegistry({ insecureRegistries: [registry.host] });
  const ref = parseImageReference(`${registry.host}/${prefix}/${name}`);
  if (!ref.ok) throw new Error(name);
  return client.tags(ref.value).catch(() => []);
}

interface ResultFile {
  images: {
    name: string;
    state: string;
    facts?: { installed?: { apt: number }; sbom?: string };
    error?: string;
  }[];
}

beforeAll(async () => {
  user = await rootlessUser();
  registry = await startRegistry();
  debian = await debianBase(registry.host);
  dist = join(await temp("imagesmith-rootless-dist-"), "dist");
  await cp(join(import.meta.dirname, "../../dist"), dist, { recursive: true });
  await chmod(join(dist, ".."), 0o755);
});

afterAll(async () => {
  // The user's buildah store keeps the layers (the next run's cache), not this run's names.
  if (user && registry) {
    const names = await asUser("buildah", ["images", "--format", "{{.Name}}:{{.Tag}}"]).catch(
      () => "",
    );
    const ours = names.split("\n").filter((name) => name.startsWith(`${registry.host}/`));
    if (ours.length > 0) await asUser("buildah", ["rmi", "--force", ...ours]).catch(() => "");
  }
  await registry?.stop();
});

describe("building without root", () => {
  it("runs again under buildah unshare: the contracts pass, the inventory and SBOM are recorded, the image is pushed", async () => {
    const root = await catalog(
      "rootless-ok",
      "  packages:\n    apt: [jq]\n  tests:\n    - jq --version\n",
    );
    const checked = await startAsUser(["doctor", "--format", "json"], root).done;
    expect(checked.out).toMatch(/"name": "rootless",\s+"status": "ok"/);
    const { done } = startAsUser(["build"], join(root, "images"));
    const result = await done;
    expect(result.err).toContain("running again under buildah unshare");
    expect(result.code, result.err).toBe(0);
    expect(result.err).not.toContain("were not checked");
    const written = JSON.parse(
      await readFile(join(root, ".imagesmith/results/build.json"), "utf8"),
    ) as ResultFile;
    const [tools] = written.images;
    expect(tools?.state).toBe("done");
    expect(tools?.facts?.installed?.apt).toBeGreaterThan(50);
    expect(tools?.facts?.sbom).toMatch(/^sha256:/);
    expect(await tags("rootless-ok", "tools")).not.toEqual([]);
    // What it wrote is the user's, as outside the namespace.
    const owner = await exec("stat", ["-c", "%u", join(root, ".imagesmith/results/build.json")]);
    expect(Number(owner.stdout.trim())).toBe(user.uid);
  });

  it("a failing test command fails the build before the push", async () => {
    const root = await catalog("rootless-fails", "  tests:\n    - test -e /not-in-the-image\n");
    const result = await startAsUser(["build"], root).done;
    expect(result.code).toBe(1);
    expect(result.out + result.err).toMatch(/test -e \/not-in-the-image/);
    expect(await tags("rootless-fails", "tools")).toEqual([]);
  });

  it("SIGTERM reaches the build inside the namespace: it ends within 2 s and leaves no process or container", async () => {
    const root = await catalog("rootless-cancel", "  tests:\n    - sleep 120\n");
    const run = startAsUser(["build"], root);
    await waitForOutput(run.output, /checking/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const sent = performance.now();
    run.child.kill("SIGTERM");
    const result = await run.done;
    const took = performance.now() - sent;
    expect(result.code, result.err).toBe(143);
    expect(took).toBeLessThan(2000);
    expect(result.err).toContain("cancelled");
    expect(result.err).not.toMatch(/Unable to determine exit status/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const left = await exec("pgrep", ["-u", String(user.uid), "-a"]).then(
      ({ stdout }) => stdout.trim(),
      () => "",
    );
    expect(left).toBe("");
    expect((await asUser("buildah", ["containers", "--quiet"])).trim()).toBe("");
    expect(await tags("rootless-cancel", "tools")).toEqual([]);
  });

  it("a user without subordinate ids is told how to get them, before anything is built", async () => {
    const name = "imagesmith-nosub";
    const known = await exec("id", ["-u", name]).then(
      () => true,
      () => false,
    );
    // A system user: useradd gives it no subordinate ids.
    if (!known) await exec("useradd", ["--system", "--no-create-home", "--shell", "/bin/sh", name]);
    const uid = Number((await exec("id", ["-u", name])).stdout.trim());
    const gid = Number((await exec("id", ["-g", name])).stdout.trim());
    const root = await catalog("rootless-nosub", "  packages:\n    apt: [jq]\n");
    await exec("chown", ["-R", `${uid}:${gid}`, join(root, "..")]);

    const result = await startImagesmith(["build"], userEnv({ HOME: join(root, "..") }), {
      cwd: root,
      uid,
      gid,
      cli: join(dist, "cli.js"),
      onlyEnv: true,
    }).done;

    expect(result.code).toBe(2);
    expect(result.err).toContain(
      `/etc/subuid and /etc/subgid give the user ${name} no subordinate ids`,
    );
    expect(result.err).toContain(
      `sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${name}`,
    );
    expect(await tags("rootless-nosub", "tools")).toEqual([]);
    // With --format json, the same as a JSON error on standard output.
    const json = await startImagesmith(
      ["build", "--format", "json"],
      userEnv({ HOME: join(root, "..") }),
      { cwd: root, uid, gid, cli: join(dist, "cli.js"), onlyEnv: true },
    ).done;
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toMatchObject({
      error: { kind: "usage", message: expect.stringContaining("no subordinate ids") as string },
    });
    // doctor says the same, as one failed check.
    const checked = await startImagesmith(
      ["doctor", "--format", "json"],
      userEnv({ HOME: join(root, "..") }),
      { cwd: root, uid, gid, cli: join(dist, "cli.js"), onlyEnv: true },
    ).done;
    const rootless = (
      JSON.parse(checked.out) as { checks: { name: string; status: string; detail: string }[] }
    ).checks.find((entry) => entry.name === "rootless");
    expect(checked.code).toBe(1);
    expect(rootless?.status).toBe("fail");
    expect(rootless?.detail).toContain(`give the user ${name} no subordinate ids`);
  });

  it("a kernel that refuses buildah its namespace (Ubuntu 24.04's AppArmor rule) is one error saying so", async () => {
    // That kernel is out of reach here: a buildah that answers as buildah does there stands in.
    const bin = await temp("imagesmith-refusing-buildah-");
    await writeFile(
      join(bin, "buildah"),
      '#!/bin/sh\nif [ "$1" = unshare ]; then echo "Error during unshare(CLONE_NEWUSER): Operation not permitted" >&2; exit 1; fi\nexec /usr/bin/buildah "$@"\n',
      { mode: 0o755 },
    );
    await chmod(bin, 0o755);
    const root = await catalog("rootless-refused", "  packages:\n    apt: [jq]\n");

    const result = await startImagesmith(
      ["build"],
      userEnv({ PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}` }),
      { cwd: root, uid: user.uid, gid: user.gid, cli: join(dist, "cli.js"), onlyEnv: true },
    ).done;

    expect(result.code).toBe(2);
    expect(result.err).toContain(
      "buildah cannot make the user namespace it needs without root (Error during unshare(CLONE_NEWUSER): Operation not permitted)",
    );
    expect(result.err).not.toContain("running again");
    expect(await tags("rootless-refused", "tools")).toEqual([]);
  });

  it("the Action, as the runner's user, builds in the namespace with the secret inputs, and writes its outputs", async () => {
    // A registry that wants the password given as an input: the step inside must get it too.
    const authed = await startRegistry({ auth: "htpasswd" });
    try {
      const creds = { username: authed.username ?? "", password: authed.password ?? "" };
      const base = await debianBase(authed.host, { creds });
      const dir = join(await temp("imagesmith-rootless-"), "repo");
      await mkdir(dir);
      await git(dir, "init", "-q", "-b", "main");
      await commit(dir, {
        "imagesmith.yaml": `registry: ${authed.host}/rootless-action\ninsecureRegistries: [${authed.host}]\n`,
        "images/tools.yaml": `displayName: tools\nglobal: true\nbuild:\n  baseImage: ${base}\n  packages:\n    apt: [jq]\n`,
      });
      const workspace = join(dir, "..");
      await giveToUser(workspace);
      const { done } = await startAction({
        workspace,
        inputs: {
          command: "run",
          root: "repo",
          "registry-username": creds.username,
          "registry-password": creds.password,
        },
        event: pushEvent(),
        apiUrl: "http://127.0.0.1:9",
        action: join(dist, "index.js"),
        user,
      });
      const run = await done;
      expect(run.stdout + run.stderr).toContain("running again under buildah unshare");
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).not.toContain("were not checked");
      // Only the masking command itself (which the runner consumes) names it.
      const shown = (run.stdout + run.stderr).replace(/^::add-mask::.*$/gm, "");
      expect(shown).not.toContain(creds.password);
      const digests = JSON.parse(run.outputs.digests ?? "{}") as Record<string, string>;
      expect(digests.tools).toMatch(new RegExp(`^${authed.host}/rootless-action/tools@sha256:`));
    } finally {
      await authed.stop();
    }
  });

  it("the Action's verify, as the runner's user, posts the comment with the token given as an input", async () => {
    const github = await startGitHubApi();
    try {
      const root = await catalog("rootless-verify", "  tests:\n    - test -x /bin/sh\n");
      const { done } = await startAction({
        workspace: join(root, ".."),
        inputs: { command: "verify", root: "repo", "github-token": "gh-token" },
        event: pullRequestEvent(7),
        apiUrl: github.url,
        action: join(dist, "index.js"),
        user,
      });
      const run = await done;
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.outputs.verified).toBe("true");
      const [posted] = github.comments.filter((comment) => comment.issue === 7);
      expect(posted?.body).toContain("## imagesmith verify");
      expect(posted?.body).toMatch(/\| tools \| ✓ \| ✓ 3 \|/);
    } finally {
      await github.stop();
    }
  });
});
