/**
 * `imagesmith doctor` as a user runs it (the bundled CLI): a real registry that wants a password,
 * real buildah, a real git checkout. It reads only: nothing is pushed, no secret is printed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existing } from "../helpers/catalog.js";
import { imagesmith } from "../helpers/cli.js";
import { commit, gitRepository } from "../helpers/git.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";
import { createRegistry } from "../../src/registry/client.js";

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry({ auth: "htpasswd" });
});

afterAll(async () => {
  await registry?.stop();
});

interface DoctorJson {
  ready: boolean;
  checks: { name: string; status: string; detail: string }[];
}

async function catalog(files: Record<string, string> = {}): Promise<string> {
  const root = await gitRepository("https://git.example.invalid/acme/ml-images.git");
  await commit(root, {
    "imagesmith.yaml": `registry: ${registry.host}/acme\ninsecureRegistries: [${registry.host}]\n`,
    "images/tiny.yaml": existing("tiny"),
    ...files,
  });
  return root;
}

async function doctor(
  root: string,
  password = registry.password ?? "",
): Promise<{ code: number; json: DoctorJson; text: string }> {
  const env = {
    IMAGESMITH_REGISTRY_USERNAME: registry.username ?? "",
    IMAGESMITH_REGISTRY_PASSWORD: password,
  };
  const [json, text] = await Promise.all([
    imagesmith(["doctor", "--root", root, "--format", "json"], env),
    imagesmith(["doctor", "--root", root], env),
  ]);
  expect(json.out + json.err + text.out + text.err).not.toContain(password);
  return { code: json.code, json: JSON.parse(json.out) as DoctorJson, text: text.out };
}

function check(json: DoctorJson, name: string): { status: string; detail: string } {
  const found = json.checks.find((entry) => entry.name === name);
  if (!found) throw new Error(`no ${name} check in ${JSON.stringify(json)}`);
  return found;
}

describe("imagesmith doctor", () => {
  it("is ready with a valid catalog, buildah and a registry that takes the credentials", async () => {
    const root = await catalog();
    const client = createRegistry({ insecureRegistries: [registry.host] });
    const before = await client.catalog(registry.host).catch(() => []);

    const { code, json, text } = await doctor(root);

    expect(code, JSON.stringify(json, null, 2)).toBe(0);
    expect(json.ready).toBe(true);
    expect(json.checks.map((entry) => entry.name)).toEqual([
      "node",
      "catalog",
      "git",
      "builder",
      "registry",
      "push",
      "credentials",
    ]);
    expect(check(json, "push").detail).toBe(
      `${registry.host}/acme/imagesmith-catalog takes a push (an upload was started and cancelled)`,
    );
    expect(check(json, "catalog").detail).toBe("1 image valid");
    expect(check(json, "git").detail).toMatch(
      /^commit [0-9a-f]{12} of https:\/\/git\.example\.invalid/,
    );
    expect(check(json, "builder").detail).toMatch(/^buildah version \d/);
    expect(check(json, "registry").detail).toBe(
      `${registry.host}/acme answers; nothing is published at ${registry.host}/acme/imagesmith-catalog:latest yet`,
    );
    expect(check(json, "credentials").detail).toBe(
      `IMAGESMITH_REGISTRY_USERNAME (${registry.username ?? ""}) is sent to ${registry.host} only`,
    );
    expect(text).toMatch(/^ok {4}node {9}node \d+\.\d+/);
    expect(text).toContain("ready: nothing keeps this machine");
    // It pushed nothing.
    expect(await client.catalog(registry.host).catch(() => [])).toEqual(before);
  });

  it("fails the registry check when the password is refused, and says so", async () => {
    const root = await catalog();

    const { code, json, text } = await doctor(root, "not-the-password");

    expect(code).toBe(1);
    expect(json.ready).toBe(false);
    expect(check(json, "registry")).toMatchObject({ status: "fail" });
    expect(check(json, "registry").detail).toMatch(/401|unauthori[sz]ed|refused|credentials/i);
    expect(text).toMatch(/^FAIL {2}registry/m);
    expect(text).toContain("1 check failed");
  });

  it("fails the push check when the credentials may only pull", async () => {
    const readOnly = await startRegistry({ auth: "token", pullOnly: true });
    try {
      const root = await gitRepository();
      await commit(root, {
        "imagesmith.yaml": `registry: ${readOnly.host}/acme\ninsecureRegistries: [${readOnly.host}]\n`,
        "images/tiny.yaml": existing("tiny"),
      });
      const env = {
        IMAGESMITH_REGISTRY_USERNAME: readOnly.username ?? "",
        IMAGESMITH_REGISTRY_PASSWORD: readOnly.password ?? "",
      };

      const result = await imagesmith(["doctor", "--root", root, "--format", "json"], env);
      const json = JSON.parse(result.out) as DoctorJson;

      expect(result.code).toBe(1);
      expect(check(json, "registry")).toMatchObject({ status: "ok" });
      expect(check(json, "push")).toMatchObject({ status: "fail" });
      expect(check(json, "push").detail).toMatch(
        /imagesmith-catalog refuses a push with these credentials, .*: POST .* \(starting an upload/,
      );
      expect(result.out + result.err).not.toContain(readOnly.password ?? "");
    } finally {
      await readOnly.stop();
    }
  });

  it("fails the catalog check of an invalid catalog and warns of a missing registry, running every check", async () => {
    const root = await catalog({
      "imagesmith.yaml": "groups: [research]\n",
      "images/broken.yaml": "displayName: broken\ntype: tpu\nglobal: true\nurl: x:1\n",
    });

    const { code, json } = await doctor(root);

    expect(code).toBe(1);
    expect(check(json, "catalog")).toMatchObject({ status: "fail" });
    expect(check(json, "catalog").detail).toContain("imagesmith validate lists them");
    expect(check(json, "registry")).toMatchObject({ status: "warn" });
    expect(check(json, "builder")).toMatchObject({ status: "ok" });
  });
});
