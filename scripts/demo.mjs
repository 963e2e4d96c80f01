// npm run demo: the main job end to end on a fresh machine, offline.
// Installs what is missing (as root, through apt), starts a registry on loopback, seeds a Debian
// base made with debootstrap, runs `imagesmith run` over examples/demo, prints the catalog, then
// runs again to show that nothing is rebuilt.
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { seedDebianBase } from "./debian-base.mjs";
import { ensureTools } from "./ensure-tools.mjs";
import { startLocalRegistry } from "./local-registry.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const WORK = join(ROOT, ".imagesmith-demo");
const CLI = join(ROOT, "dist/cli.js");
const say = (text) => console.log(`\n== ${text}`);

/** examples/demo with REGISTRY replaced by the running registry's address. */
function prepareCatalog(host) {
  const catalog = join(WORK, "catalog");
  rmSync(catalog, { recursive: true, force: true });
  cpSync(join(ROOT, "examples/demo"), catalog, { recursive: true });
  const visit = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.ya?ml$/.test(name))
        writeFileSync(path, readFileSync(path, "utf8").replaceAll("REGISTRY", host));
    }
  };
  visit(catalog);
  return catalog;
}

function imagesmith(...args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [CLI, ...args], { stdio: "inherit" });
  return { status: result.status, seconds: (performance.now() - started) / 1000 };
}

ensureTools();
if (!existsSync(CLI))
  execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
say("starting a registry on loopback");
const registry = await startLocalRegistry({ dir: join(WORK, "registry"), fresh: true });
try {
  console.log(`registry at ${registry.host}`);
  say("seeding an offline Debian base (debootstrap, cached after the first time)");
  const bases = await seedDebianBase(registry.host, (line) => console.log(line));
  console.log(`pushed ${bases.plain} and ${bases.withUser}`);
  const catalog = prepareCatalog(registry.host);
  say(`imagesmith validate --root ${catalog}`);
  imagesmith("validate", "--root", catalog);
  say("imagesmith run: validate, plan, build, push, publish");
  const first = imagesmith("run", "--root", catalog);
  if (first.status !== 0) process.exit(first.status ?? 1);
  say("imagesmith status");
  imagesmith("status", "--root", catalog);
  say("imagesmith run again: nothing changed, so nothing is rebuilt");
  const second = imagesmith("run", "--root", catalog);
  console.log(
    `\nfirst run ${first.seconds.toFixed(1)} s, second run ${second.seconds.toFixed(1)} s`,
  );
  say("imagesmith plan: every image is in the registry");
  imagesmith("plan", "--root", catalog);
  process.exitCode = second.status ?? 1;
} finally {
  registry.stop();
}
