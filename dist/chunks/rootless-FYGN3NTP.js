#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  ExecError,
  run
} from "./chunk-LIJCRL7V.js";
import "./chunk-XML4HPHG.js";

// src/builders/rootless.ts
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
var APPARMOR_USERNS = "/proc/sys/kernel/apparmor_restrict_unprivileged_userns";
async function namespaceProblem(env) {
  try {
    await run("buildah", ["unshare", "true"], { env });
    return void 0;
  } catch (error) {
    if (!(error instanceof ExecError) || error.exitCode === void 0)
      return `${error.message}: buildah builds the images (apt-get install buildah)`;
    const why = error.stderrTail.split("\n").map((line) => line.trim()).findLast((line) => line !== "" && !/level=warning/.test(line)) ?? `exit ${error.exitCode}`;
    const restricted = readOrEmpty(APPARMOR_USERNS).trim() === "1";
    return `buildah cannot make the user namespace it needs without root (${why})${restricted ? `: ${APPARMOR_USERNS} is 1, so AppArmor refuses user namespaces to programs without a profile that allows them; on a throwaway runner, run sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 first` : ""}; or build as root`;
  }
}
async function rootlessProblem(env) {
  const { username, uid } = userInfo();
  const missing = missingSubordinateIds(
    { name: username, uid },
    { "/etc/subuid": readOrEmpty("/etc/subuid"), "/etc/subgid": readOrEmpty("/etc/subgid") }
  );
  if (missing.length > 0)
    return `${missing.join(" and ")} give the user ${username} no subordinate ids, which rootless buildah needs to unpack any image: sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${username} (GitHub's hosted runners have them), or build as root`;
  return namespaceProblem(env);
}
function missingSubordinateIds(user, files) {
  return Object.entries(files).filter(
    ([, text]) => !text.split("\n").some((line) => {
      const [owner, , count] = line.trim().split(":");
      return (owner === user.name || owner === String(user.uid)) && Number(count) > 0;
    })
  ).map(([file]) => file);
}
function readOrEmpty(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
export {
  missingSubordinateIds,
  rootlessProblem
};
