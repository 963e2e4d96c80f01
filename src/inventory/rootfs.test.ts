import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsInRoot, listInRoot, readInRoot, readOsRelease, resolveInRoot } from "./rootfs.js";

let dir: string;
let root: string;
let outside: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "imagesmith-rootfs-"));
  root = join(dir, "root");
  outside = join(dir, "host");
  await mkdir(join(root, "usr/lib/x86_64-linux-gnu"), { recursive: true });
  await mkdir(join(root, "etc"), { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, "secret"), "host secret");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("resolveInRoot", () => {
  it("follows relative and absolute links inside the image, as a chroot would", async () => {
    await mkdir(join(root, "usr/local/cuda-12.4/lib64"), { recursive: true });
    await writeFile(join(root, "usr/local/cuda-12.4/lib64/libcudart.so.12.4.127"), "");
    await symlink("/usr/local/cuda-12.4", join(root, "usr/local/cuda"));
    await symlink("libcudart.so.12.4.127", join(root, "usr/local/cuda-12.4/lib64/libcudart.so.12"));
    await symlink("usr/lib", join(root, "lib"));

    expect(await resolveInRoot(root, "/usr/local/cuda/lib64/libcudart.so.12")).toBe(
      join(root, "usr/local/cuda-12.4/lib64/libcudart.so.12.4.127"),
    );
    expect(await resolveInRoot(root, "lib/x86_64-linux-gnu")).toBe(
      join(root, "usr/lib/x86_64-linux-gnu"),
    );
    expect(await listInRoot(root, "/usr/local/cuda/lib64")).toEqual([
      "libcudart.so.12",
      "libcudart.so.12.4.127",
    ]);
  });

  it("never leaves the root: absolute targets and .. stop at it", async () => {
    await symlink(outside, join(root, "etc/escape"));
    await symlink("../../../../../../host/secret", join(root, "etc/dotdot"));
    await writeFile(join(root, "secret"), "image file");

    expect(await readInRoot(root, "etc/escape/secret", 1000)).toBeUndefined();
    // ".." stops at the image's root, so it names the image's own /host/secret: not there.
    expect(await readInRoot(root, "etc/dotdot", 1000)).toBeUndefined();
    await mkdir(join(root, "host"));
    await writeFile(join(root, "host/secret"), "the image's");
    expect(await readInRoot(root, "etc/dotdot", 1000)).toBe("the image's");
  });

  it("gives up on links that loop", async () => {
    await symlink("b", join(root, "etc/a"));
    await symlink("a", join(root, "etc/b"));
    expect(await resolveInRoot(root, "etc/a")).toBeUndefined();
    expect(await existsInRoot(root, "etc/a")).toBe(false);
  });

  it("does not read a file larger than asked, nor one that is not a regular file", async () => {
    await writeFile(join(root, "etc/big"), "x".repeat(2000));
    expect(await readInRoot(root, "etc/big", 1000)).toBe("too-large");
    expect(await readInRoot(root, "etc", 1000)).toBeUndefined();
  });
});

describe("readOsRelease", () => {
  it("reads Debian's os-release through its link, unquoting values", async () => {
    await writeFile(
      join(root, "usr/lib/os-release"),
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
    );
    await symlink("../usr/lib/os-release", join(root, "etc/os-release"));
    expect(await readOsRelease(root)).toEqual({
      id: "debian",
      versionId: "12",
      prettyName: "Debian GNU/Linux 12 (bookworm)",
    });
  });

  it("refuses an ID that could not be a purl namespace", async () => {
    await writeFile(join(root, "etc/os-release"), "ID=../../evil\n");
    expect(await readOsRelease(root)).toBeUndefined();
  });
});
