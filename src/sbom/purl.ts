/**
 * Package URLs (purl), built and parsed as the purl specification says
 * (docs/specification/how-to-build.md and how-to-parse.md of package-url/purl-spec):
 *
 *   pkg:type/namespace/name@version?key=value&key=value#subpath
 *
 * Every component is percent-encoded except the alphanumerics, `.-_~` and the colon (which the
 * spec never encodes); qualifiers are sorted by key and those with an empty value left out.
 * Type-specific rules (pypi's name normalisation, deb's lowercase vendor) are the caller's.
 */

export interface Purl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string | undefined>;
}

/** The canonical purl string of `purl`. */
export function formatPurl(purl: Purl): string {
  let text = `pkg:${purl.type.toLowerCase()}/`;
  if (purl.namespace !== undefined && purl.namespace !== "") {
    const segments = purl.namespace.split("/").filter((segment) => segment !== "");
    text += `${segments.map(encodeComponent).join("/")}/`;
  }
  text += encodeComponent(purl.name);
  if (purl.version !== undefined && purl.version !== "")
    text += `@${encodeComponent(purl.version)}`;
  const qualifiers = Object.entries(purl.qualifiers ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "")
    .map(([key, value]) => `${key.toLowerCase()}=${encodeComponent(value)}`)
    .sort();
  if (qualifiers.length > 0) text += `?${qualifiers.join("&")}`;
  return text;
}

/**
 * The components of a purl string (its subpath is dropped), or undefined when it is not one: no
 * `pkg:` scheme, no type or name, or a percent-encoding that does not decode.
 */
export function parsePurl(text: string): Purl | undefined {
  const hash = text.lastIndexOf("#");
  let rest = hash === -1 ? text : text.slice(0, hash);
  const question = rest.lastIndexOf("?");
  const qualifiers: Record<string, string> = {};
  if (question !== -1) {
    for (const pair of rest.slice(question + 1).split("&")) {
      const equals = pair.indexOf("=");
      if (equals <= 0) continue;
      const value = decodeComponent(pair.slice(equals + 1));
      if (value === undefined) return undefined;
      const key = pair.slice(0, equals).toLowerCase();
      if (value !== "" && key !== "__proto__") qualifiers[key] = value;
    }
    rest = rest.slice(0, question);
  }
  const colon = rest.indexOf(":");
  if (colon === -1 || rest.slice(0, colon).toLowerCase() !== "pkg") return undefined;
  rest = rest.slice(colon + 1).replace(/^\/+/, "");
  const slash = rest.indexOf("/");
  if (slash <= 0) return undefined;
  const type = rest.slice(0, slash).toLowerCase();
  rest = rest.slice(slash + 1);
  const at = rest.lastIndexOf("@");
  let version: string | undefined;
  if (at !== -1) {
    version = decodeComponent(rest.slice(at + 1));
    if (version === undefined) return undefined;
    rest = rest.slice(0, at);
  }
  const segments = rest.split("/").filter((segment) => segment !== "");
  const rawName = segments.pop();
  const name = rawName === undefined ? undefined : decodeComponent(rawName);
  if (name === undefined || name === "") return undefined;
  const namespaceSegments: string[] = [];
  for (const segment of segments) {
    const decoded = decodeComponent(segment);
    if (decoded === undefined) return undefined;
    namespaceSegments.push(decoded);
  }
  const purl: Purl = { type, name };
  if (namespaceSegments.length > 0) purl.namespace = namespaceSegments.join("/");
  if (version !== undefined && version !== "") purl.version = version;
  if (Object.keys(qualifiers).length > 0) purl.qualifiers = qualifiers;
  return purl;
}

/** Percent-encodes all but the alphanumerics, `.-_~` and `:` (UTF-8, upper-case hex). */
function encodeComponent(value: string): string {
  // encodeURIComponent also leaves !'()* alone, which purl encodes; and it encodes ":", which purl keeps.
  return encodeURIComponent(wellFormed(value))
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%3A/gi, ":");
}

/** `value` with each lone surrogate (which encodeURIComponent throws on) replaced by U+FFFD. */
function wellFormed(value: string): string {
  return value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
}

function decodeComponent(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
