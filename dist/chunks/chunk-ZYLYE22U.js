#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  plural,
  renderTable
} from "./chunk-YCP7WCHU.js";
import {
  escapeMarkdown,
  inlineCode
} from "./chunk-MK5LT3LH.js";
import {
  VERSION
} from "./chunk-GTKEN5HG.js";
import {
  UsageError
} from "./chunk-TQMSZ7SH.js";

// src/cancel.ts
function cancelOnSignals(notice, again) {
  const controller = new AbortController();
  let received;
  const onSignal = (signal) => {
    if (received) {
      again?.(signal);
      return;
    }
    received = signal;
    notice(signal);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  };
}
function signalExitCode(signal) {
  return signal === "SIGINT" ? 130 : 143;
}
function cancelling(signal, again) {
  return `imagesmith: ${signal}: cancelling${again ? ` (${again})` : ""}`;
}
function cancelledUnpublished(signal) {
  return `cancelled (${signal}): nothing was published after the cancel`;
}

// src/doors.ts
import { realpathSync } from "node:fs";
import { constants } from "node:os";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
function isEntryPoint(moduleUrl) {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
var USERNS_VARIABLE = "IMAGESMITH_USERNS";
function needsBuildahNamespace(builder, env) {
  return builder === "buildah" && process.platform === "linux" && process.getuid?.() !== 0 && !env._CONTAINERS_USERNS_CONFIGURED && env[USERNS_VARIABLE] !== "off";
}
async function buildsInNamespace(root, env) {
  if (!needsBuildahNamespace("buildah", env)) return false;
  const { catalogBuilder } = await import("./pipeline-KRWTZLRS.js");
  return needsBuildahNamespace(await catalogBuilder(root).catch(() => "buildah"), env);
}
async function rerunInBuildahNamespace(env, notice) {
  const script = process.argv[1];
  if (!script) throw new Error("cannot run imagesmith again: node was started without a script");
  const [exec, { rootlessProblem }] = await Promise.all([
    import("./exec-USMB34OW.js"),
    import("./rootless-FYGN3NTP.js")
  ]);
  const problem = await rootlessProblem(env);
  if (problem) throw new UsageError(problem);
  const command = [...process.execArgv, script, ...process.argv.slice(2)];
  const { groupEnded, groupMembers, handOver, signalProcess } = exec;
  notice(
    "imagesmith: building without root: running again under buildah unshare, where buildah can open the images it builds"
  );
  const child = handOver("buildah", ["unshare", "--", process.execPath, ...command], { env });
  let received;
  const door = basename(process.execPath).slice(0, 15);
  const forward = (signal) => {
    received ??= signal;
    if (child.group <= 0) return;
    void groupMembers(child.group).then((members) => {
      const doors = members.filter((member) => member.comm === door);
      if (doors.length === 0) signalProcess(-child.group, signal);
      for (const member of doors) signalProcess(member.pid, signal);
    });
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  try {
    const { code, signal } = await child.exited;
    await groupEnded(child.group, 3e4);
    if (received) return signalExitCode(received);
    if (signal) return 128 + (constants.signals[signal] ?? 0);
    return code ?? 1;
  } finally {
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
  }
}

// src/ports.ts
import { setMaxListeners } from "node:events";
import { homedir } from "node:os";
import { join } from "node:path";
function credentialsHost(env, config) {
  return env.IMAGESMITH_REGISTRY_HOST || config.registry?.split("/")[0] || void 0;
}
function registryPort(env, signal) {
  return async (config, callOff) => {
    const [{ createRegistry }, { loadCredentialsFromEnvironment }] = await Promise.all([
      import("./client-Q7XZ4ZXI.js"),
      import("./credentials-KILYQEGS.js")
    ]);
    const host = credentialsHost(env, config);
    const cancel = signal && callOff ? either(signal, callOff) : signal ?? callOff;
    if (cancel) setMaxListeners(0, cancel);
    return createRegistry({
      insecureRegistries: config.insecureRegistries,
      credentials: await loadCredentialsFromEnvironment(
        host === void 0 ? env : { ...env, IMAGESMITH_REGISTRY_HOST: host }
      ),
      userAgent: `imagesmith/${VERSION}`,
      ...cancel ? { signal: cancel } : {}
    });
  };
}
function either(a, b) {
  const both = new AbortController();
  for (const signal of [a, b]) {
    if (signal.aborted) {
      both.abort(signal.reason);
      break;
    }
    signal.addEventListener("abort", () => both.abort(signal.reason), { once: true });
  }
  return both.signal;
}
function pushCredentialsFrom(env) {
  return (config) => {
    const username = env.IMAGESMITH_REGISTRY_USERNAME;
    const password = env.IMAGESMITH_REGISTRY_PASSWORD;
    const host = credentialsHost(env, config);
    if (!username || !password || !config.registry || !host) return void 0;
    return { host, username, password };
  };
}
function cacheDirectory(env) {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache"), "imagesmith");
}
function pushTargetFrom(env, registryInput = "") {
  const prefix = registryInput.trim().replace(/\/+$/, "");
  if (prefix)
    return { host: prefix.split("/")[0] ?? prefix, prefix, from: "the Action's registry input" };
  const host = env.IMAGESMITH_REGISTRY_HOST?.trim();
  return host ? { host, from: "IMAGESMITH_REGISTRY_HOST" } : void 0;
}
function doorPorts(env, signal, registryInput) {
  const pushTarget = pushTargetFrom(env, registryInput);
  return {
    registry: registryPort(env, signal),
    cacheDir: cacheDirectory(env),
    signal,
    pushCredentials: pushCredentialsFrom(env),
    ...pushTarget ? { pushTarget } : {}
  };
}

// src/report/catalog.ts
function formatProblem(problem) {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.severity} ${problem.rule}: ${problem.message}`;
}
function accessOf(image) {
  if (image.global) return "global";
  return image.groups.length === 0 ? "nobody" : image.groups.join(",");
}
function formatImageTable(images) {
  return renderTable(
    ["NAME", "TYPE", "SOURCE", "ACCESS", "SCOPE"],
    images.map((image) => [
      image.name,
      image.type,
      image.build ? "build" : "existing",
      accessOf(image),
      image.groupName === void 0 ? "system" : `group ${image.groupName}`
    ])
  );
}
function problemCounts(problems) {
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  if (problems.length === 0) return "no problems";
  return [errors && plural(errors, "error"), warnings && plural(warnings, "warning")].filter(Boolean).join(", ");
}
function formatValidationText(result) {
  const lines = result.problems.map(formatProblem);
  const { images } = result.catalog;
  if (result.valid) {
    if (lines.length > 0) lines.push("");
    lines.push(formatImageTable(images), "", validLine(result));
  } else {
    const files = new Set(result.problems.filter((p) => p.severity === "error").map((p) => p.file));
    lines.push("", `${problemCounts(result.problems)} in ${plural(files.size, "file")}`);
  }
  return lines.join("\n");
}
function validLine(result) {
  const { images } = result.catalog;
  const built = images.filter((i) => i.build).length;
  const system = images.filter((i) => i.system).length;
  return `${plural(images.length, "image")} valid (${system} system, ${images.length - system} group; ${built} built, ${images.length - built} existing), ${problemCounts(result.problems)}`;
}
function formatValidationJson(result) {
  return JSON.stringify(
    {
      valid: result.valid,
      images: result.catalog.images.map((image) => ({
        name: image.name,
        file: image.file,
        displayName: image.displayName,
        type: image.type,
        source: image.build ? "build" : "existing",
        system: image.system,
        ...image.groupName === void 0 ? {} : { groupName: image.groupName }
      })),
      problems: result.problems
    },
    null,
    2
  );
}
function formatValidationMarkdown(problems, maxRows = 200) {
  const out = [
    "## imagesmith plan",
    "",
    `### :x: The catalog is invalid: ${problemCounts(problems)}`,
    "",
    "Nothing was planned. Fix these (each is also marked on its line in the diff), then push again.",
    "",
    "| where | severity | rule | problem |",
    "| --- | --- | --- | --- |",
    ...problems.slice(0, maxRows).map(
      (p) => `| ${inlineCode(`${p.file}:${p.line}:${p.column}`)} | ${p.severity} | ${p.rule} | ${escapeMarkdown(p.message)} |`
    )
  ];
  if (problems.length > maxRows) out.push(`| \u2026 | | | ${problems.length - maxRows} more |`);
  return out.join("\n") + "\n";
}

// src/stages/plan/units.ts
var MAX_UNITS = 256;
function planUnits(plan, maxUnits = MAX_UNITS) {
  const limit = Math.max(1, Math.min(MAX_UNITS, Math.floor(maxUnits)));
  const builds = plan.images.filter((entry) => entry.action === "build");
  const index = new Map(builds.map((entry, position) => [entry.name, position]));
  const root = builds.map((_, position) => position);
  const find = (position) => {
    while (root[position] !== position) {
      root[position] = root[root[position]];
      position = root[position];
    }
    return position;
  };
  for (const [position, entry] of builds.entries()) {
    for (const parent of entry.dependsOn) {
      const other = index.get(parent);
      if (other !== void 0) root[find(position)] = find(other);
    }
  }
  const chains = /* @__PURE__ */ new Map();
  for (const [position, entry] of builds.entries()) {
    const key = find(position);
    chains.set(key, [...chains.get(key) ?? [], entry.name]);
  }
  const ordered = [...chains.values()].sort(
    (a, b) => b.length - a.length || ((a[0] ?? "") < (b[0] ?? "") ? -1 : 1)
  );
  const bins = [];
  for (const chain of ordered) {
    if (bins.length < limit) {
      bins.push([...chain]);
      continue;
    }
    let smallest = bins[0];
    for (const bin of bins) if (bin.length < smallest.length) smallest = bin;
    smallest.push(...chain);
  }
  return bins.map((bin, position) => ({
    unit: `unit-${position + 1}`,
    images: [...bin].sort((a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0))
  }));
}

// src/report/matrix.ts
var DEFAULT_MAX_UNITS = 16;
function formatMatrix(plan, maxUnits = DEFAULT_MAX_UNITS) {
  return {
    include: planUnits(plan, maxUnits).map((unit) => ({
      unit: unit.unit,
      images: unit.images.join(",")
    }))
  };
}
function changedImages(plan) {
  return plan.images.filter((entry) => entry.action === "build").map((entry) => entry.name);
}
function hasChanges(plan) {
  return plan.images.some((entry) => entry.action !== "skip");
}

export {
  cancelOnSignals,
  signalExitCode,
  cancelling,
  cancelledUnpublished,
  isEntryPoint,
  buildsInNamespace,
  rerunInBuildahNamespace,
  pushTargetFrom,
  doorPorts,
  formatProblem,
  formatImageTable,
  problemCounts,
  formatValidationText,
  validLine,
  formatValidationJson,
  formatValidationMarkdown,
  DEFAULT_MAX_UNITS,
  formatMatrix,
  changedImages,
  hasChanges
};
