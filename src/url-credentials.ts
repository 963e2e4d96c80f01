/**
 * Credentials written inside a URL (`https://user:token@pypi.acme.internal/simple`, the usual way
 * to reach a private index) are secrets. They never go into a Dockerfile, a label, a plan or a
 * log: the URL is rendered without them, shown with them masked, and the build receives them only
 * as a build secret, a netrc file the package tool reads (`NETRC`), which is never kept in the
 * image, its config or its history.
 */

/** One `machine … login … password …` entry of a netrc file. */
export interface UrlCredential {
  /** The host name (netrc matches hosts without their port). */
  machine: string;
  login: string;
  password: string;
}

/** The build secret that carries them, and where a RUN step mounts it. */
export const NETRC_SECRET = "imagesmith-netrc";
export const NETRC_TARGET = `/run/secrets/${NETRC_SECRET}`;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The credentials a URL carries, when it carries any. */
export function credentialOf(url: string): UrlCredential | undefined {
  const parsed = parse(url);
  if (!parsed || (parsed.username === "" && parsed.password === "")) return undefined;
  return {
    machine: parsed.hostname,
    login: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/** The URL without its credentials: what a Dockerfile may hold. */
export function withoutCredentials(url: string): string {
  const parsed = parse(url);
  if (!parsed || (parsed.username === "" && parsed.password === "")) return url;
  parsed.username = "";
  parsed.password = "";
  return parsed.toString();
}

/** The URL as it may be shown: `https://***@host/simple` when it carries credentials. */
export function maskedUrl(url: string): string {
  const parsed = parse(url);
  // Not a URL at all: whatever stands between "//" and an "@" is masked all the same.
  if (!parsed) return url.replace(/^([^/]*\/\/)[^/@]*@/, "$1***@");
  if (parsed.username === "" && parsed.password === "") return url;
  const bare = withoutCredentials(url);
  return bare.replace(`${parsed.protocol}//`, `${parsed.protocol}//***@`);
}

/** A netrc file for these credentials (one entry per machine; the first one for a machine wins). */
export function netrc(credentials: readonly UrlCredential[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const { machine, login, password } of credentials) {
    if (seen.has(machine)) continue;
    seen.add(machine);
    lines.push(`machine ${machine} login ${netrcToken(login)} password ${netrcToken(password)}`);
  }
  return lines.join("\n") + "\n";
}

/** netrc tokens are separated by whitespace; a quoted token holds anything else. */
function netrcToken(value: string): string {
  return /^[^\s"\\]+$/.test(value) ? value : `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
