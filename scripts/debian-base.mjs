/**
 * A real Debian bookworm base image for the demo and the integration tests, which run `apt-get`
 * inside builds (the Debian archive is reachable; Docker Hub is not, so the base is made here).
 * Plain JavaScript so the demo runs it with node alone; debian-base.d.mts types it for the tests.
 *
 * - The root filesystem comes from `debootstrap --variant=minbase bookworm`, ONCE: it is kept as a
 *   tarball in /var/cache/imagesmith-test and reused across test runs (and CI runs that keep that
 *   folder). Making it takes 30-90 s (the first run pays it); a file lock keeps parallel test
 *   workers from making it twice.
 * - The tarball is committed to a local buildah image once (buildah's store persists too), so a
 *   later call only pushes.
 * - `debianBase(host)` pushes it to `<host>/upstream/debian:bookworm` (root, like Docker Hub's
 *   debian); `debianBase(host, { user: "1000" })` pushes a variant whose `config.User` is that user
 *   (a uid need not exist in /etc/passwd for USER to work), for tests of the restored base user.
 * - `pythonBase(host)` pushes `<host>/upstream/debian:bookworm-python`: the same image with
 *   `python3-pip` installed from the Debian archive, for pip builds. It is made once into the local
 *   image `localhost/imagesmith-test/debian:bookworm-python` (labelled with the image it came from,
 *   so a new tarball makes it again), under a file lock of its own.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export const DEBIAN_CACHE_DIR = "/var/cache/imagesmith-test";
export const DEBIAN_TARBALL = join(DEBIAN_CACHE_DIR, "bookworm-minbase.tar");
const LOCK = `${DEBIAN_TARBALL}.lock`;
const LOCAL_IMAGE = "localhost/imagesmith-test/debian";
const PYTHON_TAG = "bookworm-python";
const PYTHON_LOCK = join(DEBIAN_CACHE_DIR, `${PYTHON_TAG}.lock`);
/** What goes into the python image; part of its identity, so a change here makes it again. */
const PYTHON_PACKAGES = ["python3-pip"];
const LOCK_STALE_MS = 15 * 60_000;
const DEFAULT_MIRROR = "http://deb.debian.org/debian";

const localImages = new Map();

/**
 * Pushes a Debian bookworm minbase image to `${registryHost}/upstream/debian:bookworm` (or
 * `:bookworm-user-<user>` with `user`) over plain HTTP and resolves to that reference.
 */
export async function debianBase(registryHost, options = {}) {
  const user = options.user;
  const tag = user === undefined ? "bookworm" : `bookworm-user-${user.replace(/[^\w.-]/g, "-")}`;
  const local = await sharedLocalImage(tag, user, options.log ?? (() => {}));
  return push(local, `${registryHost}/upstream/debian:${tag}`, options.creds);
}

/** One `localImage` per tag and process, however many callers ask at once. */
function sharedLocalImage(tag, user, log) {
  let local = localImages.get(tag);
  if (!local) {
    local = localImage(tag, user, log);
    localImages.set(tag, local);
  }
  return local;
}

let pythonImage;

/**
 * Pushes the bookworm minbase image with python3 and pip (`apt-get install --no-install-recommends
 * python3-pip`) to `${registryHost}/upstream/debian:bookworm-python` and resolves to that reference.
 */
export async function pythonBase(registryHost, options = {}) {
  const log = options.log ?? (() => {});
  pythonImage ??= localPythonImage(log);
  return push(await pythonImage, `${registryHost}/upstream/debian:${PYTHON_TAG}`, options.creds);
}

async function push(local, ref, creds) {
  // Throwaway test credentials only; imagesmith itself never puts a password on a command line.
  const auth = creds ? ["--creds", `${creds.username}:${creds.password}`] : [];
  await buildah(["push", "--quiet", "--tls-verify=false", ...auth, local, `docker://${ref}`]);
  return ref;
}

/** The committed python image, made from the minbase image when missing or made from an older one. */
async function localPythonImage(log) {
  const from = await sharedLocalImage("bookworm", undefined, log);
  const name = `${LOCAL_IMAGE}:${PYTHON_TAG}`;
  const identity = `${await imageId(from)}+${PYTHON_PACKAGES.join(",")}`;
  if ((await imageLabel(name, "imagesmith.test.python")) === identity) return name;

  await mkdir(DEBIAN_CACHE_DIR, { recursive: true });
  const release = await lock(PYTHON_LOCK);
  try {
    // Another worker may have made it while this one waited for the lock.
    if ((await imageLabel(name, "imagesmith.test.python")) === identity) return name;
    const started = Date.now();
    const container = (await buildah(["from", "--quiet", "--pull=never", from])).trim();
    try {
      // crun cannot run here (cgroups in hybrid mode), chroot isolation can; it shares the host's
      // network, so the archive in the image's sources.list (the mirror debootstrap used) is reachable.
      const script = [
        "apt-get update -qq",
        'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"',
        "apt-get clean",
        "rm -rf /var/lib/apt/lists/*",
      ].join(" && ");
      await run(
        "buildah",
        [
          "run",
          "--isolation",
          "chroot",
          container,
          "--",
          "sh",
          "-c",
          script,
          "sh",
          ...PYTHON_PACKAGES,
        ],
        10 * 60_000,
      );
      await buildah(["config", "--label", `imagesmith.test.python=${identity}`, container]);
      await buildah(["commit", "--quiet", "--rm", container, name]);
    } catch (error) {
      await buildah(["rm", container]).catch(() => undefined);
      throw error;
    }
    log(
      `debian-base: made ${name} (${PYTHON_PACKAGES.join(", ")}) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    return name;
  } finally {
    await release();
  }
}

async function imageId(name) {
  return (
    await buildah(["inspect", "--type", "image", "--format", "{{.FromImageID}}", name])
  ).trim();
}

/** The committed local image for `tag`, made from the tarball when missing or older than it. */
async function localImage(tag, user, log) {
  const tarball = await ensureTarball(log);
  const name = `${LOCAL_IMAGE}:${tag}`;
  const info = await stat(tarball);
  // Ties the committed image to the tarball it came from: a rebuilt tarball makes a new image.
  const identity = `${info.size}-${Math.trunc(info.mtimeMs)}`;
  if ((await imageLabel(name, "imagesmith.test.tarball")) === identity) return name;

  const container = (await buildah(["from", "--quiet", "scratch"])).trim();
  try {
    // `buildah add` unpacks a local tar archive into the destination.
    await buildah(["add", "--quiet", container, tarball, "/"]);
    await buildah([
      "config",
      "--os",
      "linux",
      "--arch",
      await hostArchitecture(),
      "--env",
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "--cmd",
      "/bin/bash",
      "--label",
      `imagesmith.test.tarball=${identity}`,
      ...(user === undefined ? [] : ["--user", user]),
      container,
    ]);
    await buildah(["commit", "--quiet", "--rm", container, name]);
  } catch (error) {
    await buildah(["rm", container]).catch(() => undefined);
    throw error;
  }
  return name;
}

async function imageLabel(name, label) {
  try {
    const out = await buildah([
      "inspect",
      "--type",
      "image",
      "--format",
      `{{index .OCIv1.Config.Labels "${label}"}}`,
      name,
    ]);
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The cached minbase tarball, made with debootstrap when missing. */
export async function ensureTarball(log = () => {}) {
  if (await exists(DEBIAN_TARBALL)) return DEBIAN_TARBALL;
  await mkdir(DEBIAN_CACHE_DIR, { recursive: true });
  const release = await lock(LOCK);
  try {
    // Another worker may have made it while this one waited for the lock.
    if (await exists(DEBIAN_TARBALL)) return DEBIAN_TARBALL;
    const root = await mkdtemp(join(DEBIAN_CACHE_DIR, "rootfs-"));
    const partial = `${DEBIAN_TARBALL}.${process.pid}.partial`;
    try {
      const started = Date.now();
      await run(
        "debootstrap",
        ["--variant=minbase", "bookworm", root, await debianMirror()],
        10 * 60_000,
      );
      // Device nodes and kernel filesystems belong to the runtime, not to an image layer.
      await run(
        "tar",
        [
          "--numeric-owner",
          "--exclude=./dev/*",
          "--exclude=./proc/*",
          "--exclude=./sys/*",
          "--exclude=./var/cache/apt/archives/*.deb",
          "-C",
          root,
          "-cf",
          partial,
          ".",
        ],
        5 * 60_000,
      );
      await rename(partial, DEBIAN_TARBALL);
      log(
        `debian-base: made ${DEBIAN_TARBALL} with debootstrap in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
      await rm(partial, { force: true });
    }
    return DEBIAN_TARBALL;
  } finally {
    await release();
  }
}

/** The Debian archive apt itself uses here (deb822 `URIs:` or a `deb` line), for debootstrap. */
export async function debianMirror() {
  const files = [];
  try {
    for (const entry of (await readdir("/etc/apt/sources.list.d")).sort()) {
      files.push(join("/etc/apt/sources.list.d", entry));
    }
  } catch {
    // No drop-in folder: only sources.list.
  }
  files.push("/etc/apt/sources.list");
  for (const file of files) {
    const text = await readFile(file, "utf8").catch(() => "");
    const found = file.endsWith(".sources") ? fromDeb822(text) : fromOneLine(text);
    if (found) return found;
  }
  return DEFAULT_MIRROR;
}

/** The main archive: a stanza with the plain `bookworm` suite (not -security, not -updates). */
function fromDeb822(text) {
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name) =>
      stanza
        .match(new RegExp(`^${name}:\\s*(.+)$`, "mi"))?.[1]
        ?.trim()
        .split(/\s+/) ?? [];
    if (field("Types").includes("deb") && field("Suites").includes("bookworm")) {
      const uri = field("URIs")[0];
      if (uri?.startsWith("http")) return uri;
    }
  }
  return undefined;
}

function fromOneLine(text) {
  for (const line of text.split("\n")) {
    const match = line.match(/^deb\s+(?:\[[^\]]*\]\s+)?(https?:\/\/\S+)\s+bookworm\s/);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** An exclusive lock file holding our pid; one left by a dead or hung worker is taken over. */
async function lock(path) {
  for (;;) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    if (await staleLock(path)) {
      await rm(path, { force: true });
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function staleLock(path) {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    if (Date.now() - info.mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number(text.trim());
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - info.mtimeMs > 5000;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error.code === "ESRCH";
  }
}

async function exists(path) {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function hostArchitecture() {
  return (await run("dpkg", ["--print-architecture"], 10_000)).trim();
}

async function buildah(args) {
  return run("buildah", args, 5 * 60_000);
}

async function run(file, args, timeout) {
  try {
    const { stdout } = await execFileAsync(file, args, { maxBuffer: 64 * 1024 * 1024, timeout });
    return stdout;
  } catch (error) {
    const { stderr } = error;
    const tail = (stderr ?? "").trim().split("\n").slice(-10).join("\n");
    throw new Error(`${file} ${args[0] ?? ""} failed: ${tail || String(error)}`, { cause: error });
  }
}

/** The demo's and the run tests' two bases: root, and USER 1000. */
export async function seedDebianBase(host, log = () => {}, creds) {
  const plain = await debianBase(host, { log, ...(creds ? { creds } : {}) });
  const withUser = await debianBase(host, { user: "1000", log, ...(creds ? { creds } : {}) });
  return { plain, withUser };
}
