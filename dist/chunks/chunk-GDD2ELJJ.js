#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

// src/url-credentials.ts
var NETRC_SECRET = "imagesmith-netrc";
var NETRC_TARGET = `/run/secrets/${NETRC_SECRET}`;
function parse(url) {
  try {
    return new URL(url);
  } catch {
    return void 0;
  }
}
function credentialOf(url) {
  const parsed = parse(url);
  if (!parsed || parsed.username === "" && parsed.password === "") return void 0;
  return {
    machine: parsed.hostname,
    login: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password)
  };
}
function withoutCredentials(url) {
  const parsed = parse(url);
  if (!parsed || parsed.username === "" && parsed.password === "") return url;
  parsed.username = "";
  parsed.password = "";
  return parsed.toString();
}
function maskedUrl(url) {
  const parsed = parse(url);
  if (!parsed) return url.replace(/^([^/]*\/\/)[^/@]*@/, "$1***@");
  if (parsed.username === "" && parsed.password === "") return url;
  const bare = withoutCredentials(url);
  return bare.replace(`${parsed.protocol}//`, `${parsed.protocol}//***@`);
}
function netrc(credentials) {
  const seen = /* @__PURE__ */ new Set();
  const lines = [];
  for (const { machine, login, password } of credentials) {
    if (seen.has(machine)) continue;
    seen.add(machine);
    lines.push(`machine ${machine} login ${netrcToken(login)} password ${netrcToken(password)}`);
  }
  return lines.join("\n") + "\n";
}
function netrcToken(value) {
  return /^[^\s"\\]+$/.test(value) ? value : `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export {
  NETRC_SECRET,
  NETRC_TARGET,
  credentialOf,
  withoutCredentials,
  maskedUrl,
  netrc
};
