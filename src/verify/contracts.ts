/**
 * Contracts: what a built image must hold before it is published, checked inside the image as it
 * was built and reported by name, each with what was wrong.
 *
 * - `packages`: every declared package is installed, at a version its entry allows. Read from the
 *   image's package databases (the dpkg status, the Python distributions' metadata, conda-meta),
 *   which is what `dpkg-query`, `pip` and `conda list` read too, without needing them in the image.
 * - `user`: the image runs as its base's user (the build switched to root to install, and back).
 * - `cuda` (gpu and universal images): the CUDA runtime library is on a library path the image
 *   gives, checked by its files, not by a GPU.
 * - `test: <command>` (the definition's `build.tests`): the command runs in the image with exit 0.
 *
 * Commands run with no network and a time limit (the builder's BuiltImage.run).
 */
import type { BuiltImage } from "../builders/types.js";
import type { InstalledPackage, Inventory } from "../inventory/index.js";
import { existsInRoot, listInRoot, readInRoot } from "../inventory/rootfs.js";
import type { ImageDefinition, PackageManager } from "../model.js";
import { isRootUser } from "../stages/render/index.js";
import { declaredPackage, packageKey } from "../versions/index.js";

export interface ContractResult {
  /** "packages", "user", "cuda", or "test: <command>". */
  name: string;
  ok: boolean;
  /** Failed: what was wrong, or the command's last lines of output. */
  output?: string;
  seconds: number;
}

export interface ContractInput {
  definition: ImageDefinition;
  /** What the image's packages are (read once, also for the SBOM). */
  inventory: Inventory;
  /** The user the base image runs as (undefined: root). */
  baseUser?: string;
  /** The limit of each command, in milliseconds. */
  timeoutMs: number;
}

/** Runs every contract of an image, in order; never rejects for a contract's sake. */
export async function runContracts(
  image: BuiltImage,
  input: ContractInput,
): Promise<ContractResult[]> {
  const results: ContractResult[] = [];
  const timed = async (name: string, check: () => Promise<string | undefined>): Promise<void> => {
    const started = performance.now();
    const problem = await check();
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    results.push({
      name,
      ok: problem === undefined,
      ...(problem ? { output: problem } : {}),
      seconds,
    });
  };
  await timed("packages", async () => packageProblems(input.definition, input.inventory));
  await timed("user", async () => userProblem(image, input.baseUser));
  if (input.definition.type !== "cpu") await timed("cuda", async () => cudaProblem(image));
  for (const command of input.definition.build?.tests ?? []) {
    await timed(`test: ${command}`, async () => {
      const outcome = await image.run(command, { timeoutMs: input.timeoutMs });
      if (outcome.exitCode === 0) return undefined;
      const why = outcome.timedOut
        ? `stopped after ${input.timeoutMs / 1000} s (testTimeout)`
        : outcome.exitCode === undefined
          ? "could not run"
          : `exit ${outcome.exitCode}`;
      return outcome.output.trim() ? `${why}:\n${outcome.output.trimEnd()}` : why;
    });
  }
  return results;
}

/** The packages contract: one line per declared package that is missing or at a version its entry refuses. */
export function packageProblems(
  definition: ImageDefinition,
  inventory: Inventory,
): string | undefined {
  const installed = new Map<string, InstalledPackage[]>();
  for (const entry of inventory.packages) {
    const key = `${entry.manager}:${packageKey(entry.manager, entry.name)}`;
    installed.set(key, [...(installed.get(key) ?? []), entry]);
  }
  const problems: string[] = [];
  const lists = definition.build?.packages ?? { apt: [], conda: [], pip: [] };
  for (const manager of ["apt", "conda", "pip"] as PackageManager[]) {
    for (const entry of lists[manager]) {
      const declared = declaredPackage(manager, entry);
      if (!declared) continue;
      const found = installed.get(`${manager}:${declared.key}`) ?? [];
      if (found.length === 0) {
        if (declared.required) problems.push(`${manager}: ${entry} is not installed`);
        continue;
      }
      if (found.some((pkg) => declared.allows(pkg.version, pkg.detail))) continue;
      const versions = found.map((pkg) => pkg.version).join(", ");
      problems.push(
        `${manager}: ${entry} wants ${declared.constraint ?? "any version"}, but ${versions} is installed`,
      );
    }
  }
  if (problems.length === 0) return undefined;
  const unread = inventory.problems.length
    ? `\n(the inventory could not read: ${inventory.problems.slice(0, 3).join("; ")})`
    : "";
  return problems.join("\n") + unread;
}

/**
 * The user contract: the image runs as its base's user, and a named user exists in the image's
 * /etc/passwd (a numeric one need not).
 */
async function userProblem(
  image: BuiltImage,
  baseUser: string | undefined,
): Promise<string | undefined> {
  const built = image.config.user;
  if (isRootUser(baseUser)) {
    return isRootUser(built)
      ? undefined
      : `the base runs as root, but the image runs as ${JSON.stringify(built)}`;
  }
  if (built !== baseUser)
    return `the base runs as ${JSON.stringify(baseUser)}, but the image runs as ${JSON.stringify(built ?? "root")}: the build did not restore it`;
  const name = (baseUser ?? "").split(":")[0] ?? "";
  if (/^\d+$/.test(name)) return undefined;
  const passwd = await readInRoot(image.root, "etc/passwd", 4 * 1024 * 1024);
  if (typeof passwd === "string" && passwd.split("\n").some((line) => line.split(":")[0] === name))
    return undefined;
  return `the image runs as ${JSON.stringify(name)}, but /etc/passwd in it has no such user`;
}

/** Where the CUDA runtime (`libcudart.so*`) is looked for, beside the image's LD_LIBRARY_PATH. */
const CUDA_LIBRARY_DIRS = [
  "/usr/local/cuda/lib64",
  "/usr/local/cuda/lib",
  "/usr/local/cuda/targets/x86_64-linux/lib",
  "/usr/local/cuda/targets/sbsa-linux/lib",
  "/usr/lib/x86_64-linux-gnu",
  "/usr/lib/aarch64-linux-gnu",
  "/usr/lib64",
  "/usr/lib",
  "/opt/conda/lib",
];
const CUDA_RUNTIME = /^libcudart\.so(?:\.\d+)*$/;

/**
 * The cuda contract: `libcudart.so*` in a folder the dynamic loader searches: the image's
 * LD_LIBRARY_PATH, the folders of /etc/ld.so.conf.d, the usual CUDA and system library folders,
 * and the runtime pip wheels bring (`nvidia/cuda_runtime/lib` in site-packages, as torch's do).
 */
async function cudaProblem(image: BuiltImage): Promise<string | undefined> {
  const dirs = new Set<string>();
  for (const variable of image.config.env) {
    if (!variable.startsWith("LD_LIBRARY_PATH=")) continue;
    for (const dir of variable.slice("LD_LIBRARY_PATH=".length).split(":"))
      if (dir.startsWith("/")) dirs.add(dir);
  }
  for (const file of await listInRoot(image.root, "etc/ld.so.conf.d")) {
    if (!file.endsWith(".conf")) continue;
    const text = await readInRoot(image.root, `etc/ld.so.conf.d/${file}`, 64 * 1024);
    if (typeof text !== "string" || text === "too-large") continue;
    for (const line of text.split("\n")) if (line.trim().startsWith("/")) dirs.add(line.trim());
  }
  for (const dir of CUDA_LIBRARY_DIRS) dirs.add(dir);
  for (const lib of ["/usr/local/lib", "/usr/lib", "/opt/conda/lib"]) {
    for (const python of await listInRoot(image.root, lib)) {
      if (!/^python3(?:\.\d+)?$/.test(python)) continue;
      for (const site of ["site-packages", "dist-packages"])
        dirs.add(`${lib}/${python}/${site}/nvidia/cuda_runtime/lib`);
    }
  }
  for (const dir of [...dirs].slice(0, 200)) {
    const names = await listInRoot(image.root, dir);
    const found = names.find((name) => CUDA_RUNTIME.test(name));
    if (found && (await existsInRoot(image.root, `${dir}/${found}`))) return undefined;
  }
  const cudaVersion = image.config.env.find((v) => v.startsWith("CUDA_VERSION="));
  return [
    `no CUDA runtime (libcudart.so*) in the image, which is type gpu or universal: build it on a CUDA base (e.g. nvidia/cuda:12.4.1-runtime-ubuntu22.04), or set type: cpu`,
    cudaVersion ? `(its environment says ${cudaVersion}, but the library is not there)` : "",
    `looked in: ${[...dirs].slice(0, 12).join(", ")}${dirs.size > 12 ? ", …" : ""}`,
  ]
    .filter(Boolean)
    .join("\n");
}
