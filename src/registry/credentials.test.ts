import { describe, expect, it } from "vitest";
import type { CredentialHelperRunner, CredentialLookup } from "./credentials.js";
import { CredentialsError, loadCredentials } from "./credentials.js";
import type { Credentials } from "./types.js";

function auth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString("base64");
}

/** A file system of path → content; missing paths read as undefined. */
function files(contents: Record<string, string>): (path: string) => Promise<string | undefined> {
  return async (path) => contents[path];
}

const noHelpers: CredentialHelperRunner = async () => undefined;

async function lookup(
  lookupFn: CredentialLookup,
  host: string,
  repository?: string,
): Promise<Credentials | undefined> {
  return lookupFn(host, repository);
}

describe("loadCredentials", () => {
  it("uses the environment variables for every host when no host is named", async () => {
    const env = { IMAGESMITH_REGISTRY_USERNAME: "ci", IMAGESMITH_REGISTRY_PASSWORD: "s3cret" };

    const credentials = await loadCredentials(env, files({}), noHelpers);

    expect(await lookup(credentials, "ghcr.io")).toEqual({ username: "ci", password: "s3cret" });
    expect(await lookup(credentials, "docker.io")).toEqual({ username: "ci", password: "s3cret" });
  });

  it("uses the environment variables only for IMAGESMITH_REGISTRY_HOST when it is set", async () => {
    const env = {
      IMAGESMITH_REGISTRY_USERNAME: "ci",
      IMAGESMITH_REGISTRY_PASSWORD: "s3cret",
      IMAGESMITH_REGISTRY_HOST: "index.docker.io",
    };

    const credentials = await loadCredentials(env, files({}), noHelpers);

    expect(await lookup(credentials, "docker.io")).toEqual({ username: "ci", password: "s3cret" });
    expect(await lookup(credentials, "ghcr.io")).toBeUndefined();
  });

  it("refuses a username without a password, naming the missing variable", async () => {
    const env = { IMAGESMITH_REGISTRY_USERNAME: "ci" };

    const loading = loadCredentials(env, files({}), noHelpers);

    await expect(loading).rejects.toThrow(CredentialsError);
    await expect(loading).rejects.toThrow("IMAGESMITH_REGISTRY_PASSWORD is not");
  });

  it("reads REGISTRY_AUTH_FILE, preferring the most specific repository key", async () => {
    const env = { REGISTRY_AUTH_FILE: "/run/auth.json" };
    const content = JSON.stringify({
      auths: {
        "quay.io": { auth: auth("org", "o") },
        "quay.io/acme": { auth: auth("acme", "a") },
        "quay.io/acme/app": { auth: auth("app", "x") },
      },
    });

    const credentials = await loadCredentials(env, files({ "/run/auth.json": content }), noHelpers);

    expect(await lookup(credentials, "quay.io", "acme/app")).toEqual({
      username: "app",
      password: "x",
    });
    expect(await lookup(credentials, "quay.io", "acme/other")).toEqual({
      username: "acme",
      password: "a",
    });
    expect(await lookup(credentials, "quay.io", "elsewhere/x")).toEqual({
      username: "org",
      password: "o",
    });
    expect(await lookup(credentials, "quay.io")).toEqual({ username: "org", password: "o" });
  });

  it("falls back to $XDG_RUNTIME_DIR/containers/auth.json, where buildah login writes", async () => {
    const env = { XDG_RUNTIME_DIR: "/run/user/0" };
    const content = JSON.stringify({ auths: { "ghcr.io": { auth: auth("u", "p") } } });

    const credentials = await loadCredentials(
      env,
      files({ "/run/user/0/containers/auth.json": content }),
      noHelpers,
    );

    expect(await lookup(credentials, "ghcr.io")).toEqual({ username: "u", password: "p" });
  });

  it("reads $DOCKER_CONFIG/config.json with auth, username/password and identitytoken entries", async () => {
    const env = { DOCKER_CONFIG: "/cfg" };
    const content = JSON.stringify({
      auths: {
        "https://index.docker.io/v1/": { auth: auth("hub", "h") },
        "https://registry.example.com/v2/": { username: "plain", password: "p" },
        "azurecr.example.io": { identitytoken: "refresh-token" },
      },
    });

    const credentials = await loadCredentials(
      env,
      files({ "/cfg/config.json": content }),
      noHelpers,
    );

    expect(await lookup(credentials, "docker.io")).toEqual({ username: "hub", password: "h" });
    expect(await lookup(credentials, "registry-1.docker.io")).toEqual({
      username: "hub",
      password: "h",
    });
    expect(await lookup(credentials, "registry.example.com", "team/app")).toEqual({
      username: "plain",
      password: "p",
    });
    expect(await lookup(credentials, "azurecr.example.io")).toEqual({
      identityToken: "refresh-token",
    });
    expect(await lookup(credentials, "ghcr.io")).toBeUndefined();
  });

  it("reads ~/.docker/config.json when DOCKER_CONFIG is unset", async () => {
    const env = { HOME: "/home/ci" };
    const content = JSON.stringify({ auths: { "docker.io": { auth: auth("me", "pw") } } });

    const credentials = await loadCredentials(
      env,
      files({ "/home/ci/.docker/config.json": content }),
      noHelpers,
    );

    expect(await lookup(credentials, "docker.io")).toEqual({ username: "me", password: "pw" });
  });

  it("prefers the environment over REGISTRY_AUTH_FILE over docker's config", async () => {
    const authFile = JSON.stringify({
      auths: { "a.io": { auth: auth("file", "1") }, "b.io": { auth: auth("file", "2") } },
    });
    const docker = JSON.stringify({
      auths: {
        "a.io": { auth: auth("docker", "1") },
        "b.io": { auth: auth("docker", "2") },
        "c.io": { auth: auth("docker", "3") },
      },
    });
    const env = {
      IMAGESMITH_REGISTRY_USERNAME: "env",
      IMAGESMITH_REGISTRY_PASSWORD: "0",
      IMAGESMITH_REGISTRY_HOST: "a.io",
      REGISTRY_AUTH_FILE: "/auth.json",
      DOCKER_CONFIG: "/docker",
    };

    const credentials = await loadCredentials(
      env,
      files({ "/auth.json": authFile, "/docker/config.json": docker }),
      noHelpers,
    );

    expect(await lookup(credentials, "a.io")).toEqual({ username: "env", password: "0" });
    expect(await lookup(credentials, "b.io")).toEqual({ username: "file", password: "2" });
    expect(await lookup(credentials, "c.io")).toEqual({ username: "docker", password: "3" });
  });

  it("asks credHelpers for their host, then inline auths, then credsStore", async () => {
    const docker = JSON.stringify({
      credHelpers: { "gcr.io": "gcloud", "https://index.docker.io/v1/": "hub-helper" },
      credsStore: "desktop",
      auths: { "inline.io": { auth: auth("inline", "i") }, "stored.io": {} },
    });
    const asked: string[] = [];
    const runHelper: CredentialHelperRunner = async (helper, server) => {
      asked.push(`${helper} ${server}`);
      if (helper === "gcloud") return { username: "oauth2accesstoken", password: "g" };
      if (helper === "hub-helper") return { identityToken: "hub-token" };
      if (helper === "desktop" && server === "stored.io") return { username: "s", password: "d" };
      return undefined;
    };

    const credentials = await loadCredentials(
      { DOCKER_CONFIG: "/d" },
      files({ "/d/config.json": docker }),
      runHelper,
    );

    expect(await lookup(credentials, "gcr.io")).toEqual({
      username: "oauth2accesstoken",
      password: "g",
    });
    expect(await lookup(credentials, "docker.io")).toEqual({ identityToken: "hub-token" });
    expect(await lookup(credentials, "inline.io")).toEqual({ username: "inline", password: "i" });
    expect(await lookup(credentials, "stored.io")).toEqual({ username: "s", password: "d" });
    expect(await lookup(credentials, "gcr.io")).toBeDefined();
    expect(asked).toEqual([
      "gcloud gcr.io",
      "hub-helper https://index.docker.io/v1/",
      "desktop stored.io",
    ]);
  });

  it("skips a credential helper that is not installed, without an error", async () => {
    const docker = JSON.stringify({ credsStore: "imagesmith-test-no-such-helper" });

    const credentials = await loadCredentials(
      { DOCKER_CONFIG: "/d" },
      files({ "/d/config.json": docker }),
    );

    expect(await lookup(credentials, "ghcr.io")).toBeUndefined();
  });

  it("has no credentials when no source exists", async () => {
    const credentials = await loadCredentials({ HOME: "/nowhere" }, files({}), noHelpers);

    expect(await lookup(credentials, "docker.io")).toBeUndefined();
  });

  it("names a file that is not JSON without quoting it", async () => {
    const secret = '{"auths": {"x.io": {"auth": "c2VjcmV0LXBhc3N3b3Jk"}}';

    const loading = loadCredentials(
      { DOCKER_CONFIG: "/d" },
      files({ "/d/config.json": secret }),
      noHelpers,
    );

    const error = await loading.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).message).toBe(
      "/d/config.json is not valid JSON; fix it (or log in again to rewrite it)",
    );
    expect((error as CredentialsError).file).toBe("/d/config.json");
  });

  it("names the file and the entry whose auth is not base64 of user:password", async () => {
    const content = JSON.stringify({ auths: { "x.io": { auth: "bm9jb2xvbg==" } } });

    const loading = loadCredentials(
      { REGISTRY_AUTH_FILE: "/a.json" },
      files({ "/a.json": content }),
      noHelpers,
    );

    const error = (await loading.catch((reason: unknown) => reason)) as Error;
    expect(error.message).toBe(
      '/a.json: the "auth" of "x.io" is not base64 of "username:password"',
    );
    expect(error.message).not.toContain("bm9jb2xvbg");
  });

  it("rejects auths that is not an object and helpers with unsafe names", async () => {
    const notObject = loadCredentials(
      { DOCKER_CONFIG: "/d" },
      files({ "/d/config.json": '{"auths": []}' }),
      noHelpers,
    );
    const unsafe = loadCredentials(
      { DOCKER_CONFIG: "/d" },
      files({ "/d/config.json": '{"credsStore": "../../bin/sh"}' }),
      noHelpers,
    );

    await expect(notObject).rejects.toThrow('/d/config.json: "auths" must be an object');
    await expect(unsafe).rejects.toThrow("/d/config.json: credsStore must be a credential helper");
  });
});
