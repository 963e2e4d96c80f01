#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  run
} from "./chunk-LIJCRL7V.js";
import "./chunk-XML4HPHG.js";

// src/git.ts
async function gitSource(root) {
  const info = {};
  const commit = await run("git", ["-C", root, "rev-parse", "HEAD"]).catch(() => "");
  if (/^[0-9a-f]{40,64}$/.test(commit)) info.commit = commit;
  const remote = await run("git", ["-C", root, "config", "--get", "remote.origin.url"]).catch(
    () => ""
  );
  if (remote) info.repo = publicUrl(remote);
  return info;
}
function publicUrl(remote) {
  const scp = /^[\w.-]+@([\w.-]+):(.+?)(\.git)?$/.exec(remote);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  try {
    const url = new URL(remote);
    url.username = "";
    url.password = "";
    return url.toString().replace(/\.git$/, "");
  } catch {
    return remote;
  }
}
async function commitHistory(root, commit, head) {
  if (commit === head) return "same";
  try {
    await run("git", ["-C", root, "merge-base", "--is-ancestor", commit, "HEAD"]);
    return "ancestor";
  } catch (error) {
    return error.exitCode === 1 ? "not-ancestor" : "unknown";
  }
}
export {
  commitHistory,
  gitSource,
  publicUrl
};
