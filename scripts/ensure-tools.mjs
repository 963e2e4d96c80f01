// The system tools the demo and the integration tests use. Installs the missing ones through apt
// when run as root on Debian; otherwise says exactly what to install and exits 1.
//
//   node scripts/ensure-tools.mjs      (npm test runs it first, as pretest)
import { execFileSync, spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";

/** command → Debian package */
export const TOOLS = {
  buildah: "buildah",
  skopeo: "skopeo",
  "docker-registry": "docker-registry",
  debootstrap: "debootstrap",
  htpasswd: "apache2-utils",
  openssl: "openssl",
  python3: "python3",
  // Rootless builds (test/integration/rootless.test.ts): buildah's user namespace maps subordinate ids.
  newuidmap: "uidmap",
  pgrep: "procps",
  // The catalog site's browser tests: Debian's chromium, driven by playwright-core.
  chromium: "chromium",
};

export function ensureTools(log = (line) => console.error(line)) {
  const missing = [
    ...new Set(
      Object.entries(TOOLS)
        .filter(([tool]) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0)
        .map(([, pkg]) => pkg),
    ),
  ];
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || spawnSync("sh", ["-c", "command -v apt-get"]).status !== 0) {
    log(
      `missing: ${missing.join(", ")}. Install them (apt-get install ${missing.join(" ")}) and run again.`,
    );
    process.exit(1);
  }
  log(`installing ${missing.join(", ")} with apt-get`);
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", ...missing], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) ensureTools();
