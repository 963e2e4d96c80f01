#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  BuildError
} from "./chunk-FXXF4CZO.js";
import {
  compareDebianVersions,
  parseAptPackage,
  parseCondaSpec,
  parseDebianVersion,
  parsePipRequirement
} from "./chunk-SCQLJQHS.js";
import {
  CONTROL_CHARACTER
} from "./chunk-PRF7RUCG.js";
import {
  isRootUser
} from "./chunk-V4OKTXNJ.js";

// src/verify/index.ts
import { readFile } from "node:fs/promises";

// src/inventory/index.ts
import { lstat as lstat2, readdir as readdir2 } from "node:fs/promises";
import { join as join2, relative } from "node:path";

// src/inventory/rootfs.ts
import { lstat, open, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
var MAX_HOPS = 40;
var MAX_LISTED = 1e4;
async function resolveInRoot(root, path) {
  const pending = split(path);
  const resolved = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift();
    if (part === "..") {
      resolved.pop();
      continue;
    }
    const host = join(root, ...resolved, part);
    const info = await lstat(host).catch(() => void 0);
    if (!info) return void 0;
    if (!info.isSymbolicLink()) {
      resolved.push(part);
      continue;
    }
    if (++hops > MAX_HOPS) return void 0;
    const target = await readlink(host).catch(() => void 0);
    if (target === void 0) return void 0;
    if (target.startsWith("/")) resolved.length = 0;
    pending.unshift(...split(target));
  }
  return join(root, ...resolved);
}
function split(path) {
  return path.split("/").filter((part) => part !== "" && part !== ".");
}
async function readInRoot(root, path, max) {
  const host = await resolveInRoot(root, path);
  return host === void 0 ? void 0 : readRegularFile(host, max);
}
async function readRegularFile(path, max) {
  const info = await lstat(path).catch(() => void 0);
  if (!info?.isFile()) return void 0;
  if (info.size > max) return "too-large";
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(buffer, 0, info.size, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}
async function listInRoot(root, path) {
  const host = await resolveInRoot(root, path);
  if (host === void 0) return [];
  const names = await readdir(host).catch(() => []);
  return names.sort().slice(0, MAX_LISTED);
}
async function existsInRoot(root, path) {
  return await resolveInRoot(root, path) !== void 0;
}
async function readOsRelease(root) {
  for (const file of ["etc/os-release", "usr/lib/os-release"]) {
    const text = await readInRoot(root, file, 64 * 1024);
    if (text === void 0 || text === "too-large") continue;
    const fields = /* @__PURE__ */ new Map();
    for (const line of text.split("\n")) {
      const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (match) fields.set(match[1], unquote(match[2]));
    }
    const id = fields.get("ID");
    if (!id || !/^[a-z0-9._-]{1,64}$/.test(id)) continue;
    const versionId = fields.get("VERSION_ID");
    const prettyName = fields.get("PRETTY_NAME");
    return {
      id,
      ...versionId && /^[A-Za-z0-9._~-]{1,64}$/.test(versionId) ? { versionId } : {},
      ...prettyName ? { prettyName: prettyName.slice(0, 200) } : {}
    };
  }
  return void 0;
}
function unquote(value) {
  const match = /^(["'])(.*)\1$/.exec(value);
  return match ? match[2] : value;
}

// src/inventory/index.ts
var MAX_DATABASE_BYTES = 64 * 1024 * 1024;
var MAX_METADATA_BYTES = 1024 * 1024;
var PYTHON_LIBS = ["usr/lib", "usr/local/lib", "opt/conda/lib"];
var CONDA_PREFIXES = ["opt/conda", "usr/local", "root/miniconda3", "opt/miniconda3"];
var MAX_ENTRIES = 1e5;
async function readInventory(root) {
  const inventory = { packages: [], problems: [] };
  const status = await readCapped(root, "var/lib/dpkg/status", MAX_DATABASE_BYTES, inventory);
  if (status !== void 0) {
    const parsed = parseDpkgStatus(status);
    inventory.packages.push(...parsed.packages);
    inventory.problems.push(...parsed.problems.map((p) => `var/lib/dpkg/status: ${p}`));
  }
  for (const lib of PYTHON_LIBS) {
    for (const python of await listDirs(root, lib, /^python3(?:\.\d+)?$/)) {
      for (const folder of ["site-packages", "dist-packages"]) {
        const site = `${lib}/${python}/${folder}`;
        for (const entry of await listDirs(root, site, /\.(?:dist|egg)-info$/)) {
          const file = `${site}/${entry}/${entry.endsWith(".dist-info") ? "METADATA" : "PKG-INFO"}`;
          const text = await readCapped(root, file, MAX_METADATA_BYTES, inventory);
          if (text === void 0) continue;
          const found = parsePythonMetadata(text);
          if (found) inventory.packages.push({ manager: "pip", ...found });
          else inventory.problems.push(`${file}: no Name and Version`);
        }
      }
    }
  }
  for (const prefix of CONDA_PREFIXES) {
    const meta = `${prefix}/conda-meta`;
    for (const entry of await listFiles(root, meta, /\.json$/)) {
      const text = await readCapped(root, `${meta}/${entry}`, MAX_METADATA_BYTES, inventory);
      if (text === void 0) continue;
      const found = parseCondaMeta(text);
      if (found) inventory.packages.push(found);
      else inventory.problems.push(`${meta}/${entry}: not a conda package record`);
    }
  }
  inventory.packages.sort(
    (a, b) => a.manager.localeCompare(b.manager) || a.name.localeCompare(b.name) || a.version.localeCompare(b.version)
  );
  return inventory;
}
function parseDpkgStatus(text) {
  const packages = [];
  const problems = [];
  let line = 1;
  for (const stanza of text.split(/\n[ \t]*\n/)) {
    const startLine = line;
    line += stanza.split("\n").length + 1;
    if (stanza.trim() === "") continue;
    const fields = /* @__PURE__ */ new Map();
    for (const raw of stanza.split("\n")) {
      if (raw.startsWith(" ") || raw.startsWith("	")) continue;
      const colon = raw.indexOf(":");
      if (colon <= 0) continue;
      fields.set(raw.slice(0, colon).toLowerCase(), raw.slice(colon + 1).trim());
    }
    const name = fields.get("package");
    if ((fields.get("status") ?? "").split(/\s+/)[2] !== "installed") continue;
    const version = fields.get("version");
    if (!name || !version) {
      if (problems.length < 10)
        problems.push(`line ${startLine}: an installed entry without Package or Version`);
      continue;
    }
    const arch = fields.get("architecture");
    packages.push({ manager: "apt", name, version, ...arch ? { detail: arch } : {} });
    if (packages.length >= MAX_ENTRIES) {
      problems.push(`more than ${MAX_ENTRIES} packages: the rest is not read`);
      break;
    }
  }
  return { packages, problems };
}
function parsePythonMetadata(text) {
  let name;
  let version;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line === "") break;
    const match = /^(Name|Version):\s*(.*)$/i.exec(line);
    if (!match) continue;
    if (match[1]?.toLowerCase() === "name") name ??= match[2]?.trim();
    else version ??= match[2]?.trim();
  }
  return name && version ? { name, version } : void 0;
}
function parseCondaMeta(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return void 0;
  }
  if (typeof data !== "object" || data === null) return void 0;
  const record = data;
  if (typeof record.name !== "string" || typeof record.version !== "string") return void 0;
  return {
    manager: "conda",
    name: record.name,
    version: record.version,
    ...typeof record.build === "string" ? { detail: record.build } : {},
    ...typeof record.channel === "string" ? { channel: record.channel } : {}
  };
}
async function readCapped(root, file, max, inventory) {
  if (!await insideRoot(root, file)) return void 0;
  const path = join2(root, file);
  const info = await lstat2(path).catch(() => void 0);
  if (!info) return void 0;
  const text = await readRegularFile(path, max);
  if (text === void 0) inventory.problems.push(`${file}: not a regular file, not read`);
  if (text === "too-large")
    inventory.problems.push(`${file}: larger than ${Math.round(max / 1024 / 1024)} MiB, not read`);
  return text === "too-large" ? void 0 : text;
}
async function insideRoot(root, file) {
  const parts = file.split("/").slice(0, -1);
  let path = root;
  for (const part of parts) {
    path = join2(path, part);
    const info = await lstat2(path).catch(() => void 0);
    if (!info?.isDirectory()) return false;
  }
  return !relative(root, join2(root, file)).startsWith("..");
}
async function listDirs(root, folder, pattern) {
  return list(root, folder, pattern, (entry) => entry.isDirectory());
}
async function listFiles(root, folder, pattern) {
  return list(root, folder, pattern, (entry) => entry.isFile());
}
async function list(root, folder, pattern, keep) {
  if (!await insideRoot(root, `${folder}/x`)) return [];
  const entries = await readdir2(join2(root, folder), { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => keep(entry) && pattern.test(entry.name)).map((entry) => entry.name).sort().slice(0, MAX_ENTRIES);
}

// src/versions/glob.ts
function matchesGlob(text, pattern) {
  let t = 0;
  let p = 0;
  let star = -1;
  let starEnd = 0;
  while (t < text.length) {
    if (pattern[p] === "*") {
      star = p;
      starEnd = t;
      p += 1;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p += 1;
      t += 1;
    } else if (star >= 0) {
      p = star + 1;
      starEnd += 1;
      t = starEnd;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p += 1;
  return p === pattern.length;
}

// src/versions/installed.ts
var MAX_INSTALLED_LENGTH = 256;
function isPlausible(value) {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_INSTALLED_LENGTH && !CONTROL_CHARACTER.test(value);
}
function sign(order) {
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}
function compareBigints(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// src/versions/conda-version.ts
var VERSION_CHARACTERS = /^[*.+!_0-9a-z]+$/;
var RUNS = /[0-9]+|\*+|[^0-9*]+/g;
var DEV = "DEV";
var POST = Number.POSITIVE_INFINITY;
function parseCondaVersion(text) {
  if (!isPlausible(text)) return void 0;
  let normalized = text.trim().toLowerCase();
  if (normalized === "") return void 0;
  if (!VERSION_CHARACTERS.test(normalized) && normalized.includes("-") && !normalized.includes("_")) {
    normalized = normalized.replaceAll("-", "_");
  }
  if (!VERSION_CHARACTERS.test(normalized)) return void 0;
  const epochParts = normalized.split("!");
  if (epochParts.length > 2) return void 0;
  const epoch = epochParts.length === 2 ? epochParts[0] ?? "" : "0";
  if (!/^[0-9]+$/.test(epoch)) return void 0;
  const localParts = (epochParts[epochParts.length - 1] ?? "").split("+");
  if (localParts.length > 2) return void 0;
  const main = localParts[0] ?? "";
  if (main === "") return void 0;
  const local = localParts.length === 2 ? (localParts[1] ?? "").replaceAll("_", ".").split(".") : [];
  const version = [epoch, ...splitMain(main)].map(runsOf);
  const localRuns = local.map(runsOf);
  if (version.includes(void 0) || localRuns.includes(void 0)) return void 0;
  return {
    version: version.filter((runs) => runs !== void 0),
    local: localRuns.filter((runs) => runs !== void 0),
    normalized
  };
}
function splitMain(main) {
  if (!main.endsWith("_")) return main.replaceAll("_", ".").split(".");
  const components = main.slice(0, -1).replaceAll("_", ".").split(".");
  components[components.length - 1] += "_";
  return components;
}
function runsOf(component) {
  const runs = (component.match(RUNS) ?? []).map((run) => {
    if (/^[0-9]/.test(run)) return BigInt(run);
    if (run === "post") return POST;
    if (run === "dev") return DEV;
    return run;
  });
  if (runs.length === 0) return void 0;
  return /^[0-9]/.test(component) ? runs : [0n, ...runs];
}
function compareParsed(a, b) {
  return compareComponents(a.version, b.version) || compareComponents(a.local, b.local);
}
function compareComponents(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const left = a[i] ?? [];
    const right = b[i] ?? [];
    for (let j = 0; j < Math.max(left.length, right.length); j += 1) {
      const order = compareRuns(left[j] ?? 0n, right[j] ?? 0n);
      if (order !== 0) return order;
    }
  }
  return 0;
}
function compareRuns(a, b) {
  if (typeof a === "string" || typeof b === "string") {
    if (typeof a !== "string") return 1;
    if (typeof b !== "string") return -1;
    return compareStrings(a, b);
  }
  if (a === b) return 0;
  if (a === POST) return 1;
  if (b === POST) return -1;
  return compareBigints(BigInt(a), BigInt(b));
}
function equalRuns(a, b) {
  return compareRuns(a, b) === 0;
}
function startsWith(version, prefix) {
  if (prefix.local.length > 0 && compareComponents(version.version, prefix.version) !== 0) {
    return false;
  }
  const ours = prefix.local.length > 0 ? version.local : version.version;
  const theirs = prefix.local.length > 0 ? prefix.local : prefix.version;
  const last = theirs.length - 1;
  const lastTheirs = theirs[last];
  if (lastTheirs === void 0) return false;
  if (compareComponents(ours.slice(0, last), theirs.slice(0, last)) !== 0) return false;
  const lastOurs = ours[last] ?? [];
  const lastRun = lastTheirs.length - 1;
  if (compareComponents([lastOurs.slice(0, lastRun)], [lastTheirs.slice(0, lastRun)]) !== 0) {
    return false;
  }
  const mine = lastOurs[lastRun] ?? 0n;
  const wanted = lastTheirs[lastRun] ?? 0n;
  if (typeof wanted === "string") return typeof mine === "string" && mine.startsWith(wanted);
  return equalRuns(mine, wanted);
}
function condaVersionPredicate(spec) {
  const tokens = tokenize(spec);
  if (tokens === void 0) return void 0;
  const parser = { tokens, next: 0 };
  const predicate = parseAlternatives(parser);
  return parser.next === tokens.length ? predicate : void 0;
}
function tokenize(spec) {
  const tokens = [];
  let rest = spec;
  for (; ; ) {
    rest = rest.trimStart();
    if (rest === "") return tokens;
    const token = /^(?:\^[^$]*\$|[()|,]|[^()|,]+)/.exec(rest)?.[0];
    if (token === void 0) return void 0;
    tokens.push(token.trim());
    rest = rest.slice(token.length);
  }
}
function parseAlternatives(parser) {
  const options = [parseConjunction(parser)];
  while (parser.tokens[parser.next] === "|") {
    parser.next += 1;
    options.push(parseConjunction(parser));
  }
  const compiled = options.filter((option) => option !== void 0);
  if (compiled.length !== options.length) return void 0;
  const [only] = compiled;
  if (compiled.length === 1) return only;
  return (raw, version) => compiled.some((option) => option(raw, version));
}
function parseConjunction(parser) {
  const parts = [parseGroup(parser)];
  while (parser.tokens[parser.next] === ",") {
    parser.next += 1;
    parts.push(parseGroup(parser));
  }
  const compiled = parts.filter((part) => part !== void 0);
  if (compiled.length !== parts.length) return void 0;
  const [only] = compiled;
  if (compiled.length === 1) return only;
  return (raw, version) => compiled.every((part) => part(raw, version));
}
function parseGroup(parser) {
  const token = parser.tokens[parser.next];
  if (token === void 0 || token === ")" || token === "|" || token === ",") return void 0;
  parser.next += 1;
  if (token !== "(") return compileTerm(token);
  const inner = parseAlternatives(parser);
  if (parser.tokens[parser.next] !== ")") return void 0;
  parser.next += 1;
  return inner;
}
var RELATION = /^(=|==|!=|<=|>=|<|>|~=)(?![=<>!~])(\S+)$/;
var OPERATOR_START = /^[=<>!~]/;
function compileTerm(term) {
  if (term.startsWith("^") || term.endsWith("$")) return compileRegex(term);
  if (OPERATOR_START.test(term)) return compileRelation(term);
  if (term === "*") return () => true;
  if (term.replace(/\*+$/, "").includes("*")) return (raw) => matchesGlob(raw, term);
  if (term.endsWith("*")) {
    const prefix = parseCondaVersion(term.replace(/\*+$/, "").replace(/\.+$/, ""));
    return prefix === void 0 ? void 0 : (_raw, version) => startsWith(version, prefix);
  }
  const exact = parseCondaVersion(term);
  return exact === void 0 ? void 0 : (_raw, version) => compareParsed(version, exact) === 0;
}
function compileRegex(term) {
  if (!term.startsWith("^") || !term.endsWith("$")) return void 0;
  try {
    const pattern = new RegExp(term);
    return (raw) => pattern.test(raw);
  } catch {
    return void 0;
  }
}
function compileRelation(term) {
  const match = RELATION.exec(term);
  let operator = match?.[1];
  let operand = match?.[2];
  if (operator === void 0 || operand === void 0) return void 0;
  if (operand.endsWith(".*")) {
    if (operator === "~=") return void 0;
    if (operator === "!=") operator = "!=startswith";
    operand = operand.slice(0, -2);
  }
  const target = parseCondaVersion(operand);
  if (target === void 0) return void 0;
  const holds = relation(operator, target);
  return holds === void 0 ? void 0 : (_raw, version) => holds(version);
}
function relation(operator, target) {
  switch (operator) {
    case "==":
      return (v) => compareParsed(v, target) === 0;
    case "!=":
      return (v) => compareParsed(v, target) !== 0;
    case "<=":
      return (v) => compareParsed(v, target) <= 0;
    case ">=":
      return (v) => compareParsed(v, target) >= 0;
    case "<":
      return (v) => compareParsed(v, target) < 0;
    case ">":
      return (v) => compareParsed(v, target) > 0;
    case "=":
      return (v) => startsWith(v, target);
    case "!=startswith":
      return (v) => !startsWith(v, target);
    case "~=":
      return compatibleWith(target);
    default:
      return void 0;
  }
}
function compatibleWith(target) {
  const series = parseCondaVersion(target.normalized.split(".").slice(0, -1).join("."));
  if (series === void 0) return () => false;
  return (v) => compareParsed(v, target) >= 0 && startsWith(v, series);
}
function matchSpecVersion(version, build) {
  if (version === "=" || version === "==" || !version.startsWith("=")) return version;
  const bare = version.replace(/^=+/, "");
  if (version.startsWith("==") && build === void 0) return bare;
  if (/[=,|]/.test(bare)) return version;
  return build === void 0 && !bare.endsWith("*") ? `${bare}*` : bare;
}
function buildPredicate(build) {
  if (build.startsWith("^") && build.endsWith("$")) {
    try {
      const pattern = new RegExp(build);
      return (installed) => pattern.test(installed);
    } catch {
      return void 0;
    }
  }
  if (build.includes("*")) return (installed) => matchesGlob(installed, build);
  return (installed) => installed === build;
}

// src/versions/pep440.ts
var VERSION = new RegExp(
  [
    "^\\s*v?",
    "(?:(?<epoch>[0-9]+)!)?",
    "(?<release>[0-9]+(?:\\.[0-9]+)*)",
    "(?:[-_.]?(?<prePhase>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pre>[0-9]+)?)?",
    "(?:-(?<implicitPost>[0-9]+)|[-_.]?(?<postMark>post|rev|r)[-_.]?(?<post>[0-9]+)?)?",
    "(?:[-_.]?(?<devMark>dev)[-_.]?(?<dev>[0-9]+)?)?",
    "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
    "\\s*$"
  ].join(""),
  "i"
);
var PRE_PHASES = {
  a: "a",
  alpha: "a",
  b: "b",
  beta: "b",
  c: "rc",
  pre: "rc",
  preview: "rc",
  rc: "rc"
};
var PHASE_ORDER = { a: 0, b: 1, rc: 2 };
function parsePep440(text) {
  if (!isPlausible(text)) return void 0;
  const groups = VERSION.exec(text)?.groups;
  if (groups?.release === void 0) return void 0;
  const version = {
    epoch: BigInt(groups.epoch ?? "0"),
    release: groups.release.split(".").map((part) => BigInt(part))
  };
  if (groups.prePhase !== void 0) {
    version.pre = {
      phase: PRE_PHASES[groups.prePhase.toLowerCase()] ?? "rc",
      number: BigInt(groups.pre ?? "0")
    };
  }
  if (groups.implicitPost !== void 0) version.post = BigInt(groups.implicitPost);
  else if (groups.postMark !== void 0) version.post = BigInt(groups.post ?? "0");
  if (groups.devMark !== void 0) version.dev = BigInt(groups.dev ?? "0");
  if (groups.local !== void 0) {
    version.local = groups.local.toLowerCase().split(/[-_.]/).map((part) => /^[0-9]+$/.test(part) ? BigInt(part) : part);
  }
  return version;
}
function compareVersions(a, b) {
  return comparePublic(a, b) || compareLocal(a.local, b.local);
}
function comparePublic(a, b) {
  return compareBigints(a.epoch, b.epoch) || compareRelease(a.release, b.release) || compareRank(preRank(a), preRank(b)) || compareRank(postRank(a), postRank(b)) || compareRank(devRank(a), devRank(b));
}
function compareRelease(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const order = compareBigints(a[i] ?? 0n, b[i] ?? 0n);
    if (order !== 0) return order;
  }
  return 0;
}
function compareRank(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i] ?? -1;
    const y = b[i] ?? -1;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}
function preRank(version) {
  if (version.pre !== void 0) return [1, PHASE_ORDER[version.pre.phase], version.pre.number];
  if (version.post === void 0 && version.dev !== void 0) return [0];
  return [2];
}
function postRank(version) {
  return version.post === void 0 ? [0] : [1, version.post];
}
function devRank(version) {
  return version.dev === void 0 ? [1] : [0, version.dev];
}
function compareLocal(a, b) {
  if (a === void 0 || b === void 0) return a === b ? 0 : a === void 0 ? -1 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (typeof x !== typeof y) return typeof x === "string" ? -1 : 1;
    const order = typeof x === "string" ? compareStrings(x, String(y)) : compareBigints(x, BigInt(y));
    if (order !== 0) return order;
  }
  return sign(a.length - b.length);
}
var CLAUSE = /^(===|==|!=|<=|>=|~=|<|>)(.+)$/;
function pipSpecifierPredicate(specifier) {
  const clauses = specifier.split(",").map(compileClause);
  if (clauses.some((clause) => clause === void 0)) return () => false;
  const compiled = clauses.filter((clause) => clause !== void 0);
  return (version) => {
    if (!isPlausible(version)) return false;
    const parsed = parsePep440(version);
    return compiled.every((clause) => clause(version, parsed));
  };
}
function compileClause(text) {
  const match = CLAUSE.exec(text.trim());
  const operator = match?.[1];
  const operand = match?.[2]?.trim();
  if (operator === void 0 || operand === void 0 || operand === "") return void 0;
  if (operator === "===") return (raw) => raw.toLowerCase() === operand.toLowerCase();
  const wildcard = operand.endsWith(".*");
  const spec = parsePep440(wildcard ? operand.slice(0, -2) : operand);
  if (spec === void 0) return void 0;
  const holds = comparison(operator, spec, wildcard);
  if (holds === void 0) return void 0;
  return (_raw, parsed) => parsed !== void 0 && holds(parsed);
}
function comparison(operator, spec, wildcard) {
  if (wildcard) {
    if (operator === "==") return (v) => inSeries(v, spec);
    if (operator === "!=") return (v) => !inSeries(v, spec);
    return void 0;
  }
  switch (operator) {
    case "==":
      return (v) => equal(v, spec);
    case "!=":
      return (v) => !equal(v, spec);
    case ">=":
      return (v) => compareVersions(v, spec) >= 0;
    case "<=":
      return (v) => comparePublic(v, spec) <= 0;
    case "<":
      return lessThan(spec);
    case ">":
      return greaterThan(spec);
    case "~=":
      return compatibleWith2(spec);
    default:
      return void 0;
  }
}
function equal(version, spec) {
  return spec.local === void 0 ? comparePublic(version, spec) === 0 : compareVersions(version, spec) === 0;
}
function inSeries(version, prefix) {
  if (version.epoch !== prefix.epoch) return false;
  return prefix.release.every((number, i) => (version.release[i] ?? 0n) === number);
}
function lessThan(spec) {
  const isPre = spec.pre !== void 0 || spec.dev !== void 0;
  const bound = isPre ? spec : { ...withoutLocal(spec), dev: 0n };
  return (v) => compareVersions(v, bound) < 0;
}
function greaterThan(spec) {
  if (spec.dev !== void 0) {
    const bound = { ...withoutLocal(spec), dev: spec.dev + 1n };
    return (v) => compareVersions(v, bound) >= 0;
  }
  if (spec.post !== void 0) {
    const bound = { ...withoutLocal(spec), post: spec.post + 1n, dev: 0n };
    return (v) => compareVersions(v, bound) >= 0;
  }
  return (v) => compareVersions(v, spec) > 0 && !samePreRelease(v, spec);
}
function samePreRelease(version, spec) {
  return version.epoch === spec.epoch && compareRelease(version.release, spec.release) === 0 && version.pre?.phase === spec.pre?.phase && version.pre?.number === spec.pre?.number;
}
function compatibleWith2(spec) {
  if (spec.release.length < 2) return void 0;
  const series = { epoch: spec.epoch, release: spec.release.slice(0, -1) };
  return (v) => compareVersions(v, spec) >= 0 && inSeries(v, series);
}
function withoutLocal(version) {
  const copy = { epoch: version.epoch, release: version.release };
  if (version.pre !== void 0) copy.pre = version.pre;
  if (version.post !== void 0) copy.post = version.post;
  if (version.dev !== void 0) copy.dev = version.dev;
  return copy;
}

// src/versions/index.ts
function declaredPackage(manager, entry) {
  switch (manager) {
    case "apt":
      return declaredApt(entry);
    case "pip":
      return declaredPip(entry);
    case "conda":
      return declaredConda(entry);
    default:
      return void 0;
  }
}
function packageKey(manager, name) {
  const text = typeof name === "string" ? name : "";
  return manager === "pip" ? text.toLowerCase().replace(/[-_.]+/g, "-") : text.toLowerCase();
}
function guarded(check) {
  return (version, detail) => {
    if (!isPlausible(version)) return false;
    try {
      return check(version, detail);
    } catch {
      return false;
    }
  };
}
function declaredApt(entry) {
  const parsed = parseAptPackage(entry);
  if (!parsed.ok) return void 0;
  const { name, arch, version } = parsed.value;
  const constraint = (arch === void 0 ? "" : `:${arch}`) + (version === void 0 ? "" : `=${version}`);
  return {
    manager: "apt",
    name,
    key: packageKey("apt", name),
    ...constraint === "" ? {} : { constraint },
    required: true,
    allows: guarded((installed, detail) => {
      if (!parseDebianVersion(installed).ok) return false;
      if (detail !== void 0 && !aptArchAllows(arch, detail)) return false;
      return version === void 0 || aptVersionAllows(version, installed);
    })
  };
}
function aptArchAllows(arch, detail) {
  if (arch === void 0 || arch === "any" || arch === "native") return true;
  return detail === arch || detail === "all";
}
function aptVersionAllows(selector, installed) {
  const wanted = selector.toLowerCase();
  const actual = installed.toLowerCase();
  if (wanted.endsWith("*")) return actual.startsWith(wanted.slice(0, -1));
  return actual === wanted || compareDebianVersions(installed, selector) === 0;
}
function declaredPip(entry) {
  const parsed = parsePipRequirement(entry);
  if (!parsed.ok) return void 0;
  const { name, specifier, url, marker } = parsed.value;
  const constrained = url === void 0 && specifier !== void 0;
  const predicate = constrained ? pipSpecifierPredicate(specifier) : (version) => parsePep440(version) !== void 0;
  return {
    manager: "pip",
    name,
    key: packageKey("pip", name),
    ...constrained ? { constraint: specifier } : {},
    required: marker === void 0,
    allows: guarded((version) => predicate(version))
  };
}
function declaredConda(entry) {
  const parsed = parseCondaSpec(entry);
  if (!parsed.ok) return void 0;
  const spec = parsed.value;
  const version = condaVersion(spec);
  const anyVersion = version === void 0 || version === "*";
  const versionHolds = anyVersion ? () => true : condaVersionPredicate(version) ?? (() => false);
  const buildHolds = spec.build === void 0 ? void 0 : buildPredicate(spec.build);
  const constraint = condaConstraint(anyVersion ? void 0 : version, spec.build);
  return {
    manager: "conda",
    name: spec.name,
    key: packageKey("conda", spec.name),
    ...constraint === void 0 ? {} : { constraint },
    required: !spec.name.includes("*"),
    allows: guarded((installed, detail) => {
      const parsedVersion = parseCondaVersion(installed);
      if (parsedVersion === void 0 || !versionHolds(installed, parsedVersion)) return false;
      if (detail === void 0 || spec.build === void 0) return true;
      return isPlausible(detail) && buildHolds !== void 0 && buildHolds(detail);
    })
  };
}
function condaVersion(spec) {
  if (spec.version === void 0) return void 0;
  if (spec.brackets.version !== void 0) return matchSpecVersion(spec.version, void 0);
  return matchSpecVersion(spec.version, outsideBuild(spec));
}
function outsideBuild(spec) {
  if (spec.brackets.build === void 0) return spec.build;
  const bracket = spec.spec.indexOf("[");
  if (bracket < 0) return void 0;
  const outside = parseCondaSpec(spec.spec.slice(0, bracket).trimEnd());
  return outside.ok ? outside.value.build : void 0;
}
function condaConstraint(version, build) {
  const exact = version !== void 0 && /^[^=<>!~^*|,()]+$/.test(version);
  const text = exact ? `==${version}` : version;
  if (build === void 0) return text;
  return `${text ?? "*"} ${build}`;
}

// src/verify/contracts.ts
async function runContracts(image, input) {
  const results = [];
  const timed = async (name, check) => {
    const started = performance.now();
    const problem = await check();
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    results.push({
      name,
      ok: problem === void 0,
      ...problem ? { output: problem } : {},
      seconds
    });
  };
  await timed("packages", async () => packageProblems(input.definition, input.inventory));
  await timed("user", async () => userProblem(image, input.baseUser));
  if (input.definition.type !== "cpu") await timed("cuda", async () => cudaProblem(image));
  for (const command of input.definition.build?.tests ?? []) {
    await timed(`test: ${command}`, async () => {
      const outcome = await image.run(command, { timeoutMs: input.timeoutMs });
      if (outcome.exitCode === 0) return void 0;
      const why = outcome.timedOut ? `stopped after ${input.timeoutMs / 1e3} s (testTimeout)` : outcome.exitCode === void 0 ? "could not run" : `exit ${outcome.exitCode}`;
      return outcome.output.trim() ? `${why}:
${outcome.output.trimEnd()}` : why;
    });
  }
  return results;
}
function packageProblems(definition, inventory) {
  const installed = /* @__PURE__ */ new Map();
  for (const entry of inventory.packages) {
    const key = `${entry.manager}:${packageKey(entry.manager, entry.name)}`;
    installed.set(key, [...installed.get(key) ?? [], entry]);
  }
  const problems = [];
  const lists = definition.build?.packages ?? { apt: [], conda: [], pip: [] };
  for (const manager of ["apt", "conda", "pip"]) {
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
        `${manager}: ${entry} wants ${declared.constraint ?? "any version"}, but ${versions} is installed`
      );
    }
  }
  if (problems.length === 0) return void 0;
  const unread = inventory.problems.length ? `
(the inventory could not read: ${inventory.problems.slice(0, 3).join("; ")})` : "";
  return problems.join("\n") + unread;
}
async function userProblem(image, baseUser) {
  const built = image.config.user;
  if (isRootUser(baseUser)) {
    return isRootUser(built) ? void 0 : `the base runs as root, but the image runs as ${JSON.stringify(built)}`;
  }
  if (built !== baseUser)
    return `the base runs as ${JSON.stringify(baseUser)}, but the image runs as ${JSON.stringify(built ?? "root")}: the build did not restore it`;
  const name = (baseUser ?? "").split(":")[0] ?? "";
  if (/^\d+$/.test(name)) return void 0;
  const passwd = await readInRoot(image.root, "etc/passwd", 4 * 1024 * 1024);
  if (typeof passwd === "string" && passwd.split("\n").some((line) => line.split(":")[0] === name))
    return void 0;
  return `the image runs as ${JSON.stringify(name)}, but /etc/passwd in it has no such user`;
}
var CUDA_LIBRARY_DIRS = [
  "/usr/local/cuda/lib64",
  "/usr/local/cuda/lib",
  "/usr/local/cuda/targets/x86_64-linux/lib",
  "/usr/local/cuda/targets/sbsa-linux/lib",
  "/usr/lib/x86_64-linux-gnu",
  "/usr/lib/aarch64-linux-gnu",
  "/usr/lib64",
  "/usr/lib",
  "/opt/conda/lib"
];
var CUDA_RUNTIME = /^libcudart\.so(?:\.\d+)*$/;
async function cudaProblem(image) {
  const dirs = /* @__PURE__ */ new Set();
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
    if (found && await existsInRoot(image.root, `${dir}/${found}`)) return void 0;
  }
  const cudaVersion = image.config.env.find((v) => v.startsWith("CUDA_VERSION="));
  return [
    `no CUDA runtime (libcudart.so*) in the image, which is type gpu or universal: build it on a CUDA base (e.g. nvidia/cuda:12.4.1-runtime-ubuntu22.04), or set type: cpu`,
    cudaVersion ? `(its environment says ${cudaVersion}, but the library is not there)` : "",
    `looked in: ${[...dirs].slice(0, 12).join(", ")}${dirs.size > 12 ? ", \u2026" : ""}`
  ].filter(Boolean).join("\n");
}

// src/verify/index.ts
var ContractFailure = class extends BuildError {
  constructor(failed) {
    super(contractSummary(failed), false);
    this.failed = failed;
    this.name = "ContractFailure";
  }
  failed;
};
function contractSummary(failed) {
  const parts = failed.map((result) => {
    const first = lastMeaningfulLine(result.output ?? "");
    return `${result.name}${first ? ` (${first})` : ""}`;
  });
  return `${failed.length === 1 ? "contract" : "contracts"} failed: ${parts.join("; ")}`;
}
function lastMeaningfulLine(output) {
  const lines = output.split("\n").map((line2) => line2.trim()).filter(Boolean);
  const first = lines[0] ?? "";
  const line = /^(?:exit \d+|stopped after .*):$/.test(first) && lines.length > 1 ? `${first.slice(0, -1)}: ${lines[lines.length - 1]}` : first;
  return line.length > 200 ? `${line.slice(0, 199)}\u2026` : line;
}
async function inspectBuiltImage(image, input, log) {
  const [inventory, distro] = await Promise.all([
    readInventory(image.root),
    readOsRelease(image.root)
  ]);
  for (const problem of inventory.problems.slice(0, 20)) log(`imagesmith: inventory: ${problem}`);
  const contracts = await runContracts(image, { ...input, inventory });
  for (const result of contracts) {
    log(
      `imagesmith: contract ${result.name}: ${result.ok ? "passed" : "FAILED"} (${result.seconds.toFixed(1)} s)`
    );
    if (!result.ok) for (const line of (result.output ?? "").split("\n")) log(`  ${line}`);
  }
  const counts = countByManager(inventory.packages);
  log(
    `imagesmith: installed: ${counts.apt} apt, ${counts.pip} pip, ${counts.conda} conda packages${image.unpackedBytes === void 0 ? "" : `; ${formatBytes(image.unpackedBytes)} unpacked`}`
  );
  return {
    inventory,
    ...image.unpackedBytes === void 0 ? {} : { unpackedBytes: image.unpackedBytes },
    ...distro ? { distro: { id: distro.id, ...distro.versionId ? { versionId: distro.versionId } : {} } } : {},
    contracts
  };
}
function countByManager(packages) {
  const counts = { apt: 0, pip: 0, conda: 0 };
  for (const entry of packages) counts[entry.manager]++;
  return counts;
}
function packageDelta(before, after) {
  const index = (packages) => {
    const map = /* @__PURE__ */ new Map();
    for (const entry of packages) {
      const key = `${entry.manager}\0${entry.name.toLowerCase()}`;
      map.set(key, [...map.get(key) ?? [], entry.version]);
    }
    return map;
  };
  const was = index(before);
  const now = index(after);
  const names = /* @__PURE__ */ new Map();
  for (const entry of [...before, ...after])
    names.set(`${entry.manager}\0${entry.name.toLowerCase()}`, entry.name);
  const delta = { added: [], removed: [], changed: [] };
  for (const key of [...names.keys()].sort()) {
    const [manager] = key.split("\0");
    const name = names.get(key);
    const from = was.get(key)?.sort().join(", ");
    const to = now.get(key)?.sort().join(", ");
    if (from === void 0 && to !== void 0) delta.added.push({ manager, name, after: to });
    else if (to === void 0 && from !== void 0)
      delta.removed.push({ manager, name, before: from });
    else if (from !== to)
      delta.changed.push({ manager, name, before: from, after: to });
  }
  return delta;
}
function formatBytes(bytes) {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1e3 && unit < units.length - 1) {
    value /= 1e3;
    unit++;
  }
  const digits = unit === 0 || Math.abs(value) >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
async function verifiedImages(input) {
  const outcomes = new Map(input.outcomes.map((outcome) => [outcome.name, outcome]));
  return Promise.all(
    input.entries.map(async (entry) => {
      const outcome = outcomes.get(entry.name);
      const inspection = input.inspections.get(entry.name);
      const state = outcome?.state ?? "skipped";
      const image = {
        name: entry.name,
        reasons: entry.reasons,
        state,
        contracts: inspection?.contracts ?? [],
        size: {}
      };
      const why = outcome?.error ?? outcome?.reason;
      if (why !== void 0 && state !== "done") image.error = why.replace(/; see \S+$/, "");
      if (outcome?.logFile) image.logFile = outcome.logFile;
      if (outcome?.warnings?.length) image.warnings = [...outcome.warnings];
      if (state === "failed" && outcome?.logFile && inspection === void 0)
        image.logTail = await meaningfulTail(outcome.logFile);
      const before = await input.served(entry.name);
      if (before?.unpacked !== void 0) image.size.before = before.unpacked;
      if (inspection) {
        if (inspection.unpackedBytes !== void 0) image.size.after = inspection.unpackedBytes;
        image.installed = countByManager(inspection.inventory.packages);
        const baseline = before === void 0 ? "new" : before.exists ? "served" : "no-sbom";
        image.delta = {
          ...packageDelta(
            baseline === "served" ? before?.packages ?? [] : [],
            inspection.inventory.packages
          ),
          baseline
        };
      }
      return image;
    })
  );
}
var TAIL_LINES = 15;
var NOISE = [
  /^imagesmith: /,
  /^\s*$/,
  /^(?:Error: )?(?:error )?building at STEP/i,
  /^subprocess exited with status/,
  /^Get:\d+ |^Hit:\d+ |^Ign:\d+ |^Fetched \d/,
  /^Reading (?:package lists|state information)|^Building dependency tree/
];
async function meaningfulTail(file, count = TAIL_LINES) {
  const text = await readFile(file, "utf8").catch(() => "");
  const lines = text.split("\n").filter((line) => !NOISE.some((pattern) => pattern.test(line))).map((line) => line.length > 300 ? `${line.slice(0, 299)}\u2026` : line);
  return lines.slice(-count);
}

export {
  ContractFailure,
  contractSummary,
  inspectBuiltImage,
  countByManager,
  packageDelta,
  formatBytes,
  verifiedImages,
  meaningfulTail
};
