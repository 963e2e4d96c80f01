// A Debian bookworm base image made offline (debootstrap from Debian's archive, the only place this
// machine can download from) and pushed to a registry. Shared by the demo and the build tests.
//
//   seedDebianBase(host) -> pushes HOST/upstream/debian:bookworm (root) and
//                           HOST/upstream/debian-user:bookworm (USER 1000)
import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const BASE_TARBALL = "/var/cache/imagesmith-test/bookworm-minbase.tar";
const LOCAL_IMAGE = "localhost/imagesmith-debian-base:bookworm";

/** The Debian mirror apt is configured with on this machine. */
export function debianMirror() {
  const files = ["/etc/apt/sources.list"];
  if (existsSync("/etc/apt/sources.list.d")) {
    for (const name of readdirSync("/etc/apt/sources.list.d"))
      files.push(join("/etc/apt/sources.list.d", name));
  }
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    const deb822 = /^URIs:\s*(\S+)/m.exec(text);
    if (deb822 && !deb822[1].includes("security")) return deb822[1];
    const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    if (line) return line[1];
  }
  return "http://deb.debian.org/debian";
}

/** The minbase root filesystem as a tarball, made once per machine (about a minute). */
export async function debianTarball(log = () => {}) {
  if (existsSync(BASE_TARBALL)) return BASE_TARBALL;
  await mkdir(dirname(BASE_TARBALL), { recursive: true });
  const root = await mkdtemp(join(tmpdir(), "imagesmith-debootstrap-"));
  try {
    log(`debootstrap --variant=minbase bookworm (from ${debianMirror()}), once per machine...`);
    await run("debootstrap", ["--variant=minbase", "bookworm", root, debianMirror()], {
      maxBuffer: 64 << 20,
    });
    const partial = `${BASE_TARBALL}.${process.pid}.partial`;
    await run("tar", ["-C", root, "--numeric-owner", "-cf", partial, "."], { maxBuffer: 64 << 20 });
    await run("mv", [partial, BASE_TARBALL]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return BASE_TARBALL;
}

async function localImageExists(name) {
  try {
    await run("buildah", ["inspect", "--type", "image", name]);
    return true;
  } catch {
    return false;
  }
}

/** Pushes the two demo/test bases to `host`; returns their references. */
export async function seedDebianBase(host, log = () => {}, creds) {
  // Throwaway test credentials only; imagesmith itself never puts a password on a command line.
  const auth = creds ? ["--creds", `${creds.username}:${creds.password}`] : [];
  if (!(await localImageExists(LOCAL_IMAGE))) {
    const tarball = await debianTarball(log);
    const { stdout } = await run("buildah", ["from", "scratch"]);
    const container = stdout.trim();
    try {
      await run("buildah", ["add", container, tarball, "/"]);
      await run("buildah", [
        "config",
        "--os",
        "linux",
        "--arch",
        "amd64",
        "--cmd",
        "/bin/bash",
        container,
      ]);
      await run("buildah", ["commit", "--quiet", container, LOCAL_IMAGE]);
    } finally {
      await run("buildah", ["rm", container]).catch(() => {});
    }
  }
  const plain = `${host}/upstream/debian:bookworm`;
  const withUser = `${host}/upstream/debian-user:bookworm`;
  await run("buildah", [
    "push",
    "--quiet",
    "--tls-verify=false",
    ...auth,
    LOCAL_IMAGE,
    `docker://${plain}`,
  ]);
  const { stdout } = await run("buildah", ["from", LOCAL_IMAGE]);
  const container = stdout.trim();
  try {
    await run("buildah", ["config", "--user", "1000", container]);
    await run("buildah", [
      "commit",
      "--quiet",
      container,
      "localhost/imagesmith-debian-user:bookworm",
    ]);
    await run("buildah", [
      "push",
      "--quiet",
      "--tls-verify=false",
      "localhost/imagesmith-debian-user:bookworm",
      `docker://${withUser}`,
    ]);
  } finally {
    await run("buildah", ["rm", container]).catch(() => {});
  }
  return { plain, withUser };
}
