import { describe, expect, it } from "vitest";
import { credentialOf, maskedUrl, netrc, withoutCredentials } from "./url-credentials.js";

const URL = "https://ci-bot:t%40ken@pypi.acme.internal:8443/simple";

describe("credentials in URLs", () => {
  it("takes them out of the URL, shows them masked, and hands them over as netrc", () => {
    expect(withoutCredentials(URL)).toBe("https://pypi.acme.internal:8443/simple");
    expect(maskedUrl(URL)).toBe("https://***@pypi.acme.internal:8443/simple");
    expect(credentialOf(URL)).toEqual({
      machine: "pypi.acme.internal",
      login: "ci-bot",
      password: "t@ken",
    });
    expect(netrc([credentialOf(URL) ?? { machine: "", login: "", password: "" }])).toBe(
      "machine pypi.acme.internal login ci-bot password t@ken\n",
    );
  });

  it("masks what looks like credentials in text that is not a URL at all", () => {
    expect(maskedUrl("https://u:p a$s@host/simple")).toBe("https://***@host/simple");
  });

  it("leaves a URL without credentials as it is", () => {
    expect(withoutCredentials("https://pypi.org/simple")).toBe("https://pypi.org/simple");
    expect(maskedUrl("https://pypi.org/simple")).toBe("https://pypi.org/simple");
    expect(credentialOf("https://pypi.org/simple")).toBeUndefined();
  });

  it("quotes a password netrc would split", () => {
    expect(netrc([{ machine: "h", login: "u", password: 'a "b c' }])).toBe(
      'machine h login u password "a \\"b c"\n',
    );
  });
});
