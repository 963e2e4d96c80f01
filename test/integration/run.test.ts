import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDebianBase } from "../../scripts/debian-base.mjs";
import type { PublishedCatalog } from "../../src/catalog/index.js";
import { writeCatalog } from "../helpers/catalog.js";
import { imagesmith, startImagesmith, waitForOutput } from "../helpers/cli.js";
import { imageIn } from "../helpers/published.js";
import { runIn } from "../helpers/processes.js";
import { startRegistry, type TestRegistry } from "../helpers/registry.js";

const exec = promisify(execFile);
async function readCatalog(root: string): Promise<PublishedCatalog> {
  return JSON.parse(
    await readFile(join(root, ".imagesmith/catalog.json"), "utf8"),
  ) as PublishedCatalog;
}

const image = imageIn;

async function configUser(ref: string): Promise<string> {
  const { stdout } = await exec("skopeo", [
    "inspect",
    "--config",
    "--tls-verify=false",
    `docker://${ref}`,
  ]);
  return (JSON.parse(stdout) as { config?: { User?: string } }).config?.User ?? "";
}

let registry: TestRegistry;
let bases: { plain: string; withUser: string };

beforeAll(async () => {
  registry = await startRegistry();
  bases = await seedDebianBase(registry.host);
}, 600_000);

afterAll(async () => {
  await registry?.stop();
});

describe("imagesmith run, end to end with buildah and a real registry", () => {
  let root: string;
  const config = () =>
    `registry: ${registry.host}/catalog\ninsecureRegistries: [${registry.host}]\npullSecret: our-registry\n`;
  const tools = (apt: string) =>
    `displayName: tools\nbuild:\n  baseImage: ${bases.withUser}\n  packages:\n    apt: [${apt}]\nglobal: true\n`;
  const child = (apt: string) =>
    `displayName: child\nbuild:\n  baseImage: image:tools\n  packages:\n    apt: [${apt}]\ngroups: [research]\n`;

  beforeAll(async () => {
    root = await writeCatalog({
      "imagesmith.yaml": config(),
      "images/tools.yaml": tools("hello"),
      "images/child.yaml": child("tree"),
      "images/debian.yaml": `displayName: debian\nurl: ${bases.plain}\nglobal: true\n`,
    });
  });

  it("builds, pushes and publishes every image, with the packages really inside and the base's user restored", async () => {
    const { code, err } = await imagesmith(["run", "--root", root]);

    expect(code, err).toBe(0);
    expect(err).toMatch(/^tools {2}done in \d+\.\d s$/m);
    const catalog = await readCatalog(root);
    const built = image(catalog, "tools");
    expect(built).toMatchObject({ status: "ready", pullSecret: "our-registry", system: true });
    expect(built.url).toMatch(new RegExp(`^${registry.host}/catalog/tools.*@sha256:[0-9a-f]{64}$`));
    expect(await runIn(built.url ?? "", ["hello"])).toContain("Hello, world!");
    expect(await runIn(image(catalog, "child").url ?? "", ["tree", "--version"])).toContain(
      "tree v",
    );
    expect(await configUser(built.url ?? "")).toBe("1000");
    expect(image(catalog, "debian")).toMatchObject({ status: "ready" });
    expect(image(catalog, "debian").url).toMatch(/@sha256:[0-9a-f]{64}$/);
    const { stdout } = await exec("skopeo", [
      "inspect",
      "--tls-verify=false",
      "--format",
      "{{.Digest}}",
      `docker://${built.url?.split("@")[0]}`,
    ]).catch(() => ({ stdout: "" }));
    expect(stdout === "" || built.url?.endsWith(stdout.trim())).toBe(true);
    expect(built.build?.log).toBe(`.imagesmith/logs/tools/${built.build?.recipeHash}.log`);
    expect(await readFile(join(root, built.build?.log ?? ""), "utf8")).toContain("hello");
  });

  it("rebuilds nothing on a second run", async () => {
    const { code, err } = await imagesmith(["run", "--root", root]);

    expect(code).toBe(0);
    expect(err).toContain("Nothing to build.");
    expect(err).not.toMatch(/done in/);
    const plan = await imagesmith(["plan", "--root", root, "--format", "json"]);
    expect((JSON.parse(plan.out) as { summary: { build: number } }).summary.build).toBe(0);
  });

  it("rebuilds exactly the changed image", async () => {
    await writeFile(join(root, "images/child.yaml"), child("tree, bc"));

    const { code, err } = await imagesmith(["run", "--root", root]);

    expect(code).toBe(0);
    expect(err).toMatch(/^child {2}done in/m);
    expect(err).not.toMatch(/^tools /m);
    expect(
      await runIn(image(await readCatalog(root), "child").url ?? "", ["sh", "-c", "echo 2+3 | bc"]),
    ).toBe("5\n");
  });

  it("keeps the last good image when a rebuild fails, skips its children and builds the rest", async () => {
    const before = await readCatalog(root);
    await writeFile(join(root, "images/tools.yaml"), tools("hello, no-such-package-imagesmith"));
    await writeFile(
      join(root, "images/other.yaml"),
      `displayName: other\nbuild:\n  baseImage: ${bases.plain}\n  packages:\n    apt: [jq]\nglobal: true\n`,
    );

    const { code, err } = await imagesmith(["run", "--root", root]);

    expect(code).toBe(1);
    expect(err).toContain("no-such-package-imagesmith");
    const after = await readCatalog(root);
    expect(image(after, "tools")).toMatchObject({
      status: "failed",
      url: image(before, "tools").url,
      // The build it serves is untouched; the failed attempt is recorded beside it.
      build: image(before, "tools").build,
      attempt: { status: "failed" },
    });
    expect(image(after, "tools").attempt?.error).toContain("no-such-package-imagesmith");
    expect(image(after, "child").url).toBe(image(before, "child").url);
    expect(image(after, "other").status).toBe("ready");
    const status = await imagesmith(["status", "--root", root]);
    expect(status.out).toMatch(/tools\s+failed/);
    const served = await imagesmith(["logs", "tools", "--root", root]);
    expect(served.out).toContain("imagesmith: pushed");
    expect(served.out).not.toContain("no-such-package-imagesmith");
    const attempt = await imagesmith(["logs", "tools", "--attempt", "--root", root]);
    expect(attempt.out).toContain("no-such-package-imagesmith");
    await writeFile(join(root, "images/tools.yaml"), tools("hello"));
  });

  it("pushes the catalog as an OCI artifact that catalog pull reads back", async () => {
    await imagesmith(["run", "--root", root]);
    const out = join(root, "pulled.json");

    const { code, err } = await imagesmith(["catalog", "pull", "--root", root, "--out", out]);

    expect(code, err).toBe(0);
    expect(JSON.parse(await readFile(out, "utf8"))).toEqual(await readCatalog(root));
  });

  it("exports PrimeHub Image resources", async () => {
    const { code, out } = await imagesmith(["export", "--format", "primehub", "--root", root]);

    expect(code).toBe(0);
    expect(out).toContain("apiVersion: primehub.io/v1alpha1");
    expect(out).toContain("kind: Image");
  });
});

const INDEX_PASSWORD = "index-Pa55-never-shown";

describe("imagesmith run with pip from a package index on loopback", () => {
  let index: Server;
  let port: number;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), "imagesmith-wheel-"));
    // A real wheel, made with the standard library's zipfile: one module that says which version it is.
    const script = [
      "import sys, zipfile, hashlib, base64",
      "files = {'imagesmith_demo/__init__.py': b'VALUE = \"from the loopback index\"\\n',",
      " 'imagesmith_demo-1.0.dist-info/METADATA': b'Metadata-Version: 2.1\\nName: imagesmith-demo\\nVersion: 1.0\\n',",
      " 'imagesmith_demo-1.0.dist-info/WHEEL': b'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}",
      "record = ''.join(f'{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b\"=\").decode()},{len(d)}\\n' for n, d in files.items())",
      "files['imagesmith_demo-1.0.dist-info/RECORD'] = (record + 'imagesmith_demo-1.0.dist-info/RECORD,,\\n').encode()",
      "with zipfile.ZipFile(sys.argv[1], 'w') as z:",
      "    [z.writestr(n, d) for n, d in files.items()]",
    ].join("\n");
    const wheel = join(dir, "imagesmith_demo-1.0-py3-none-any.whl");
    await exec("python3", ["-c", script, wheel]);
    const bytes = await readFile(wheel);
    index = createServer((request, response) => {
      // A private index: nothing without the password.
      if (
        request.headers.authorization !==
        `Basic ${Buffer.from(`ci-bot:${INDEX_PASSWORD}`).toString("base64")}`
      ) {
        response.writeHead(401, { "WWW-Authenticate": 'Basic realm="private index"' });
        response.end();
        return;
      }
      if (request.url === "/simple/imagesmith-demo/") {
        response.setHeader("content-type", "text/html");
        response.end(
          '<a href="/files/imagesmith_demo-1.0-py3-none-any.whl">imagesmith_demo-1.0-py3-none-any.whl</a>',
        );
      } else if (request.url === "/files/imagesmith_demo-1.0-py3-none-any.whl") {
        response.end(bytes);
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => index.listen(0, "127.0.0.1", resolve));
    port = (index.address() as { port: number }).port;
  });

  afterAll(() => {
    index?.close();
  });

  it("installs a requirement from a private index whose password is in its URL, and the password is nowhere: not in the Dockerfile, the plan, the output, the logs, the catalog, or the image's config and history", async () => {
    const root = await writeCatalog({
      "imagesmith.yaml": `registry: ${registry.host}/pip\ninsecureRegistries: [${registry.host}]\npip:\n  indexUrl: http://ci-bot:${INDEX_PASSWORD}@127.0.0.1:${port}/simple\n  trustedHosts: ['127.0.0.1:${port}']\n  breakSystemPackages: true\n`,
      "images/py.yaml": `displayName: py\nbuild:\n  baseImage: ${bases.plain}\n  packages:\n    apt: [python3-pip]\n    pip: ["imagesmith-demo==1.0; python_version >= '3'"]\nglobal: true\n`,
    });

    const plan = await imagesmith(["plan", "--root", root, "--format", "json"]);
    const rendered = await imagesmith(["render", "--root", root]);
    const { code, out, err } = await imagesmith(["run", "--root", root]);

    expect(code, err).toBe(0);
    const url = image(await readCatalog(root), "py").url ?? "";
    const { stdout: config } = await exec("skopeo", [
      "inspect",
      "--config",
      "--tls-verify=false",
      `docker://${url}`,
    ]);
    const dockerfile = await readFile(join(root, ".imagesmith/render/py/Dockerfile"), "utf8");
    expect(dockerfile).toContain(`ARG PIP_INDEX_URL="http://127.0.0.1:${port}/simple"`);
    expect(dockerfile).toContain("--mount=type=secret,id=imagesmith-netrc");
    const logs = await readdir(join(root, ".imagesmith/logs/py"));
    const everything = [
      plan.out,
      plan.err,
      rendered.out,
      dockerfile,
      out,
      err,
      config,
      await readFile(join(root, ".imagesmith/catalog.json"), "utf8"),
      ...(await Promise.all(
        logs.map((log) => readFile(join(root, ".imagesmith/logs/py", log), "utf8")),
      )),
    ].join("\n");
    expect(everything).not.toContain(INDEX_PASSWORD);
    expect(JSON.parse(config)).toHaveProperty("history");
    expect(
      await runIn(url, ["python3", "-c", "import imagesmith_demo; print(imagesmith_demo.VALUE)"]),
    ).toBe("from the loopback index\n");
  });
});

describe("imagesmith run, cancelled", () => {
  it("stops every builder process on SIGTERM, publishes nothing and exits 143", async () => {
    const root = await writeCatalog({
      "imagesmith.yaml": `registry: ${registry.host}/cancel\ninsecureRegistries: [${registry.host}]\n`,
      "images/slow.yaml": `displayName: slow\nbuild:\n  baseImage: ${bases.plain}\n  packages:\n    apt: [python3-pip, build-essential]\nglobal: true\n`,
    });
    // --force: the apt step runs even when an earlier run left it in the local layer cache.
    const started = startImagesmith(["run", "--root", root, "--verbose", "--force", "slow"]);
    await waitForOutput(started.output, /\[slow\] .*(Get:|Hit:|Reading)/);

    started.child.kill("SIGTERM");
    const { code } = await started.done;
    const output = started.output();

    expect(code).toBe(143);
    expect(output).toContain("cancelled: nothing was published");
    await expect(readCatalog(root)).rejects.toThrow(/ENOENT/);
    const pulled = await imagesmith(["catalog", "pull", "--root", root]);
    expect(pulled.err).toContain("nothing is published at");
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const { stdout } = await exec("ps", ["-eo", "args"]);
    expect(
      stdout.split("\n").filter(
        (line) =>
          // Only this build's processes: other test files build at the same time.
          line.includes(root) || (line.includes("apt-get") && line.includes("build-essential")),
      ),
    ).toEqual([]);
  });
});

describe("imagesmith run with a password", () => {
  it("sends IMAGESMITH_REGISTRY_* credentials to the catalog's registry only, never to a base image's", async () => {
    const [target, bases] = await Promise.all([
      startRegistry({ auth: "htpasswd" }),
      startRegistry({ auth: "htpasswd", password: "the-base-registry-password" }),
    ]);
    try {
      const seeded = await seedDebianBase(bases.host, () => undefined, {
        username: bases.username ?? "",
        password: bases.password ?? "",
      });
      const root = await writeCatalog({
        "imagesmith.yaml": `registry: ${target.host}/ml\ninsecureRegistries: [${target.host}, ${bases.host}]\n`,
        "images/a.yaml": `displayName: a\nbuild:\n  baseImage: ${seeded.plain}\n  packages:\n    apt: [hello]\nglobal: true\n`,
      });
      // The base registry's login is in the auth file (buildah login); the target's in the variables.
      const authFile = join(root, "auth.json");
      const basic = (user = "", pass = "") => Buffer.from(`${user}:${pass}`).toString("base64");
      await writeFile(
        authFile,
        JSON.stringify({
          auths: { [bases.host]: { auth: basic(bases.username, bases.password) } },
        }),
      );
      const env = {
        IMAGESMITH_REGISTRY_USERNAME: target.username ?? "",
        IMAGESMITH_REGISTRY_PASSWORD: target.password ?? "",
        REGISTRY_AUTH_FILE: authFile,
      };

      const scoped = await imagesmith(["plan", "--root", root], env);
      const everywhere = await imagesmith(["plan", "--root", root], {
        ...env,
        IMAGESMITH_REGISTRY_HOST: bases.host,
      });

      expect(scoped.code, scoped.out + scoped.err).toBe(0);
      expect(scoped.out).toMatch(/a\s+build/);
      // Told to use them for the base registry instead, the target's password is refused there.
      expect(everywhere.code).toBe(1);
      expect(everywhere.out + everywhere.err).toContain(bases.host);
    } finally {
      await Promise.all([target.stop(), bases.stop()]);
    }
  });

  it("never writes the registry password to a log, an output or a file", async () => {
    const secure = await startRegistry({ auth: "htpasswd" });
    try {
      const creds = { username: secure.username ?? "", password: secure.password ?? "" };
      const seeded = await seedDebianBase(secure.host, () => undefined, creds);
      const root = await writeCatalog({
        "imagesmith.yaml": `registry: ${secure.host}/secret\ninsecureRegistries: [${secure.host}]\n`,
        "images/a.yaml": `displayName: a\nbuild:\n  baseImage: ${seeded.plain}\n  packages:\n    apt: [hello]\nglobal: true\n`,
      });
      const env = {
        IMAGESMITH_REGISTRY_USERNAME: creds.username,
        IMAGESMITH_REGISTRY_PASSWORD: creds.password,
      };

      const result = await imagesmith(["run", "--root", root], env);

      expect(result.code, result.err).toBe(0);
      expect(result.out + result.err).not.toContain(creds.password);
      expect(result.out + result.err).not.toContain(
        Buffer.from(`${creds.username}:${creds.password}`).toString("base64"),
      );
      for (const file of await listFiles(root)) {
        const text = await readFile(file, "utf8").catch(() => "");
        expect(text, file).not.toContain(creds.password);
      }
    } finally {
      await secure.stop();
    }
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}
