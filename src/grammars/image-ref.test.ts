import { describe, expect, it } from "vitest";
import {
  type ImageReference,
  formatImageReference,
  parseImageReference,
  registryHostOf,
  repositoryOf,
} from "./image-ref.js";
import type { GrammarError } from "./scanner.js";

interface Accepted {
  input: string;
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
}

interface Rejected {
  input: string;
  index: number;
}

function parsed(input: string): ImageReference {
  const result = parseImageReference(input);
  if (!result.ok) throw new Error(`"${input}" was rejected: ${result.error.message}`);
  return result.value;
}

function rejection(input: string): GrammarError {
  const result = parseImageReference(input);
  if (result.ok)
    throw new Error(`"${input}" was accepted as ${formatImageReference(result.value)}`);
  return result.error;
}

function expectAccepted({ input, domain, path, tag, digest }: Accepted): void {
  const ref = parsed(input);
  expect(ref.domain).toBe(domain);
  expect(ref.path).toBe(path);
  expect(ref.tag).toBe(tag);
  expect(ref.digest).toBe(digest);
}

function expectRejectedAt({ input, index }: Rejected): void {
  const error = rejection(input);
  expect(error.index).toBe(index);
  expect(error.message).not.toBe("");
}

const F64 = "f".repeat(64);
const F128 = "f".repeat(128);
const BE178 = "sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912";
const DBCC = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";
const HEX_ID = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";
const LONG_NAMESPACE = Array.from(
  { length: 4 },
  () => "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255",
).join("_");

describe("image-ref", () => {
  // distribution/reference reference_test.go, TestReferenceParse (accepted inputs). Expected values are
  // the normalised ones docker uses: a first segment without ".", ":" or uppercase is a path, not a host.
  it.each<Accepted>([
    { input: "test_com", domain: "docker.io", path: "library/test_com" },
    { input: "test.com:tag", domain: "docker.io", path: "library/test.com", tag: "tag" },
    { input: "test.com:5000", domain: "docker.io", path: "library/test.com", tag: "5000" },
    { input: "test.com/repo:tag", domain: "test.com", path: "repo", tag: "tag" },
    { input: "test:5000/repo", domain: "test:5000", path: "repo" },
    { input: "test:5000/repo:tag", domain: "test:5000", path: "repo", tag: "tag" },
    {
      input: `test:5000/repo@sha256:${F64}`,
      domain: "test:5000",
      path: "repo",
      digest: `sha256:${F64}`,
    },
    {
      input: `test:5000/repo:tag@sha256:${F64}`,
      domain: "test:5000",
      path: "repo",
      tag: "tag",
      digest: `sha256:${F64}`,
    },
    {
      input: "lowercase:Uppercase",
      domain: "docker.io",
      path: "library/lowercase",
      tag: "Uppercase",
    },
    {
      input: `${"a/".repeat(127)}a:tag-puts-this-over-max`,
      domain: "docker.io",
      path: `${"a/".repeat(127)}a`,
      tag: "tag-puts-this-over-max",
    },
    { input: "sub-dom1.foo.com/bar/baz/quux", domain: "sub-dom1.foo.com", path: "bar/baz/quux" },
    {
      input: "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
      domain: "sub-dom1.foo.com",
      path: "bar/baz/quux",
      tag: "some-long-tag",
    },
    {
      input: "b.gcr.io/test.example.com/my-app:test.example.com",
      domain: "b.gcr.io",
      path: "test.example.com/my-app",
      tag: "test.example.com",
    },
    {
      input: "xn--n3h.com/myimage:xn--n3h.com",
      domain: "xn--n3h.com",
      path: "myimage",
      tag: "xn--n3h.com",
    },
    {
      input: `xn--7o8h.com/myimage:xn--7o8h.com@sha512:${F128}`,
      domain: "xn--7o8h.com",
      path: "myimage",
      tag: "xn--7o8h.com",
      digest: `sha512:${F128}`,
    },
    { input: "foo_bar.com:8080", domain: "docker.io", path: "library/foo_bar.com", tag: "8080" },
    { input: "foo/foo_bar.com:8080", domain: "docker.io", path: "foo/foo_bar.com", tag: "8080" },
    { input: "192.168.1.1", domain: "docker.io", path: "library/192.168.1.1" },
    { input: "192.168.1.1:tag", domain: "docker.io", path: "library/192.168.1.1", tag: "tag" },
    { input: "192.168.1.1:5000", domain: "docker.io", path: "library/192.168.1.1", tag: "5000" },
    { input: "192.168.1.1/repo", domain: "192.168.1.1", path: "repo" },
    { input: "192.168.1.1:5000/repo", domain: "192.168.1.1:5000", path: "repo" },
    { input: "192.168.1.1:5000/repo:5050", domain: "192.168.1.1:5000", path: "repo", tag: "5050" },
    { input: "[2001:db8::1]/repo", domain: "[2001:db8::1]", path: "repo" },
    {
      input: "[2001:db8:1:2:3:4:5:6]/repo:tag",
      domain: "[2001:db8:1:2:3:4:5:6]",
      path: "repo",
      tag: "tag",
    },
    { input: "[2001:db8::1]:5000/repo", domain: "[2001:db8::1]:5000", path: "repo" },
    {
      input: "[2001:db8::1]:5000/repo:tag",
      domain: "[2001:db8::1]:5000",
      path: "repo",
      tag: "tag",
    },
    {
      input: `[2001:db8::1]:5000/repo@sha256:${F64}`,
      domain: "[2001:db8::1]:5000",
      path: "repo",
      digest: `sha256:${F64}`,
    },
    {
      input: `[2001:db8::1]:5000/repo:tag@sha256:${F64}`,
      domain: "[2001:db8::1]:5000",
      path: "repo",
      tag: "tag",
      digest: `sha256:${F64}`,
    },
    { input: "[2001:db8::]:5000/repo", domain: "[2001:db8::]:5000", path: "repo" },
    { input: "[::1]:5000/repo", domain: "[::1]:5000", path: "repo" },
    // reference_test.go, TestSerialization and TestWithTag
    { input: "example.com:8000/named", domain: "example.com:8000", path: "named" },
    {
      input: "example.com:8000/named:tagged",
      domain: "example.com:8000",
      path: "named",
      tag: "tagged",
    },
    {
      input:
        "other.com/named@sha256:1234567890098765432112345667890098765432112345667890098765432112",
      domain: "other.com",
      path: "named",
      digest: "sha256:1234567890098765432112345667890098765432112345667890098765432112",
    },
    { input: "test.com:8000/foo:TAG5", domain: "test.com:8000", path: "foo", tag: "TAG5" },
  ])("reads $input as a reference on $domain", (row) => {
    expectAccepted(row);
  });

  // reference_test.go, TestReferenceParse (rejected inputs), with the position of the problem.
  it.each<Rejected>([
    { input: "", index: 0 },
    { input: ":justtag", index: 0 },
    { input: `@sha256:${F64}`, index: 0 },
    { input: `repo@sha256:${"f".repeat(34)}`, index: 46 },
    { input: `validname@invaliddigest:${F64}`, index: 10 },
    { input: "Uppercase:tag", index: 0 },
    { input: "test:5000/Uppercase/lowercase:tag", index: 10 },
    { input: `${"a/".repeat(128)}a:tag`, index: 255 },
    { input: "aa/asdf$$^/aa", index: 7 },
    { input: "[2001:db8::1]", index: 0 },
    { input: "[2001:db8::1]:5000", index: 0 },
    { input: "[2001:db8::1]:tag", index: 0 },
    { input: "[fe80::1%eth0]:5000/repo", index: 8 },
    { input: "[fe80::1%@invalidzone]:5000/repo", index: 8 },
    // TestWithTag builds this with a 37-digit digest, which a full parse refuses for its length.
    { input: "test.com:8000/foo:TAG5@sha256:1234567890098765432112345667890098765", index: 67 },
  ])("rejects $input, pointing at index $index", (row) => {
    expectRejectedAt(row);
  });

  // distribution/reference normalize_test.go, TestValidateReferenceName and TestValidateRemoteName (valid).
  it.each<Accepted>([
    { input: "docker/docker", domain: "docker.io", path: "docker/docker" },
    { input: "library/debian", domain: "docker.io", path: "library/debian" },
    { input: "debian", domain: "docker.io", path: "library/debian" },
    { input: "docker.io/docker/docker", domain: "docker.io", path: "docker/docker" },
    { input: "docker.io/library/debian", domain: "docker.io", path: "library/debian" },
    { input: "docker.io/debian", domain: "docker.io", path: "library/debian" },
    { input: "index.docker.io/docker/docker", domain: "docker.io", path: "docker/docker" },
    { input: "index.docker.io/library/debian", domain: "docker.io", path: "library/debian" },
    { input: "index.docker.io/debian", domain: "docker.io", path: "library/debian" },
    { input: "127.0.0.1:5000/docker/docker", domain: "127.0.0.1:5000", path: "docker/docker" },
    { input: "127.0.0.1:5000/library/debian", domain: "127.0.0.1:5000", path: "library/debian" },
    { input: "127.0.0.1:5000/debian", domain: "127.0.0.1:5000", path: "debian" },
    { input: "192.168.0.1", domain: "docker.io", path: "library/192.168.0.1" },
    { input: "192.168.0.1:80", domain: "docker.io", path: "library/192.168.0.1", tag: "80" },
    { input: "192.168.0.1:8/debian", domain: "192.168.0.1:8", path: "debian" },
    { input: "192.168.0.2:25000/debian", domain: "192.168.0.2:25000", path: "debian" },
    {
      input: "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
      domain: "docker.io",
      path: "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
    },
    { input: "[fc00::1]:5000/docker", domain: "[fc00::1]:5000", path: "docker" },
    { input: "[fc00::1]:5000/docker/docker", domain: "[fc00::1]:5000", path: "docker/docker" },
    {
      input: "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
      domain: "[fc00:1:2:3:4:5:6:7]:5000",
      path: "library/debian",
    },
    { input: `docker.io/${HEX_ID}`, domain: "docker.io", path: `library/${HEX_ID}` },
    // An uppercase first segment cannot be a namespace, so docker takes it for a host.
    { input: "Docker/docker", domain: "Docker", path: "docker" },
    { input: "DOCKER/docker", domain: "DOCKER", path: "docker" },
    { input: "docker-rules/docker", domain: "docker.io", path: "docker-rules/docker" },
    { input: "docker---rules/docker", domain: "docker.io", path: "docker---rules/docker" },
    { input: "doc/docker", domain: "docker.io", path: "doc/docker" },
    { input: "d/docker", domain: "docker.io", path: "d/docker" },
    { input: "jess/t", domain: "docker.io", path: "jess/t" },
    { input: "dock__er/docker", domain: "docker.io", path: "dock__er/docker" },
  ])("normalises $input like docker", (row) => {
    expectAccepted(row);
  });

  // normalize_test.go, TestValidateReferenceName and TestValidateRemoteName (invalid).
  it.each<Rejected>([
    { input: "https://github.com/docker/docker", index: 0 },
    { input: "docker/Docker", index: 7 },
    { input: "-docker", index: 0 },
    { input: "-docker/docker", index: 0 },
    { input: "-docker.io/docker/docker", index: 0 },
    { input: "docker///docker", index: 7 },
    { input: "docker.io/docker/Docker", index: 17 },
    { input: "docker.io/docker///docker", index: 17 },
    { input: "[fc00::1]", index: 0 },
    { input: "[fc00::1]:5000", index: 0 },
    { input: "fc00::1:5000/debian", index: 0 },
    { input: "[fe80::1%eth0]:5000/debian", index: 8 },
    { input: "[2001:db8:3:4::192.0.2.33]:5000/debian", index: 18 },
    { input: HEX_ID, index: 0 },
    { input: "docker-/docker", index: 6 },
    { input: "-docker-/docker", index: 0 },
    { input: "____/____", index: 0 },
    { input: "_docker/_docker", index: 0 },
    { input: "dock..er/docker", index: 5 },
    { input: "dock_.er/docker", index: 4 },
    { input: "dock-.er/docker", index: 4 },
    { input: "docker/", index: 6 },
    { input: `${LONG_NAMESPACE}/docker`, index: 255 },
  ])("rejects $input, pointing at index $index", (row) => {
    expectRejectedAt(row);
  });

  // normalize_test.go, TestParseRepositoryInfo: the familiar, full and ambiguous spellings of one
  // repository all resolve to the same full name.
  it.each([
    { input: "fooo/bar", full: "docker.io/fooo/bar" },
    { input: "docker.io/fooo/bar", full: "docker.io/fooo/bar" },
    { input: "index.docker.io/fooo/bar", full: "docker.io/fooo/bar" },
    { input: "ubuntu", full: "docker.io/library/ubuntu" },
    { input: "docker.io/library/ubuntu", full: "docker.io/library/ubuntu" },
    { input: "library/ubuntu", full: "docker.io/library/ubuntu" },
    { input: "nonlibrary/ubuntu", full: "docker.io/nonlibrary/ubuntu" },
    { input: "other/library", full: "docker.io/other/library" },
    { input: "127.0.0.1:8000/private/moonbase", full: "127.0.0.1:8000/private/moonbase" },
    { input: "127.0.0.1:8000/privatebase", full: "127.0.0.1:8000/privatebase" },
    { input: "example.com/private/moonbase", full: "example.com/private/moonbase" },
    { input: "example.com/privatebase", full: "example.com/privatebase" },
    { input: "example.com:8000/private/moonbase", full: "example.com:8000/private/moonbase" },
    { input: "example.com:8000/privatebasee", full: "example.com:8000/privatebasee" },
    { input: "ubuntu-12.04-base", full: "docker.io/library/ubuntu-12.04-base" },
    {
      input: "index.docker.io/library/ubuntu-12.04-base",
      full: "docker.io/library/ubuntu-12.04-base",
    },
    { input: "foo", full: "docker.io/library/foo" },
    { input: "docker.io/foo", full: "docker.io/library/foo" },
    { input: "library/foo/bar", full: "docker.io/library/foo/bar" },
    { input: "docker.io/library/foo/bar", full: "docker.io/library/foo/bar" },
    { input: "store/foo/bar", full: "docker.io/store/foo/bar" },
    { input: "Foo/bar", full: "Foo/bar" },
    { input: "FOO/bar", full: "FOO/bar" },
    // TestNormalizedSplitHostname
    { input: "test_com/foo", full: "docker.io/test_com/foo" },
    { input: "docker/migrator", full: "docker.io/docker/migrator" },
    { input: "test-com:8080/foo", full: "test-com:8080/foo" },
    { input: "xn--n3h.com:18080/foo", full: "xn--n3h.com:18080/foo" },
  ])("resolves $input to the repository $full", ({ input, full }) => {
    expect(repositoryOf(parsed(input))).toBe(full);
  });

  // normalize_test.go, TestParseAnyReference and TestParseReferenceWithTagAndDigest: the fully
  // qualified form keeps tag and digest and never invents ":latest".
  it.each([
    { input: "redis", full: "docker.io/library/redis" },
    { input: "redis:latest", full: "docker.io/library/redis:latest" },
    { input: "docker.io/library/redis:latest", full: "docker.io/library/redis:latest" },
    { input: `redis@${DBCC}`, full: `docker.io/library/redis@${DBCC}` },
    { input: "dmcgowan/myapp", full: "docker.io/dmcgowan/myapp" },
    { input: "dmcgowan/myapp:latest", full: "docker.io/dmcgowan/myapp:latest" },
    { input: "docker.io/mcgowan/myapp:latest", full: "docker.io/mcgowan/myapp:latest" },
    { input: `dmcgowan/myapp@${DBCC}`, full: `docker.io/dmcgowan/myapp@${DBCC}` },
    {
      input: "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
      full: "docker.io/library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
    },
    { input: "dbcc1", full: "docker.io/library/dbcc1" },
    {
      input:
        "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
      full: "docker.io/library/busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
    },
    // A bare digest is a digest to ParseAnyReference, but `docker pull` reads it as repository "sha256".
    { input: DBCC, full: `docker.io/library/${DBCC}` },
  ])("formats $input fully qualified", ({ input, full }) => {
    expect(formatImageReference(parsed(input))).toBe(full);
  });

  // distribution/reference regexp_test.go, TestFullNameRegexp and TestReferenceRegexp (matching inputs).
  it.each<Accepted>([
    { input: "short", domain: "docker.io", path: "library/short" },
    { input: "simple/name", domain: "docker.io", path: "simple/name" },
    { input: "docker/stevvooe/app", domain: "docker.io", path: "docker/stevvooe/app" },
    {
      input: "aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb",
      domain: "docker.io",
      path: "aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb",
    },
    { input: "a/a/a/a", domain: "docker.io", path: "a/a/a/a" },
    { input: "a", domain: "docker.io", path: "library/a" },
    { input: "a/aa/a", domain: "docker.io", path: "a/aa/a" },
    { input: "foo.com", domain: "docker.io", path: "library/foo.com" },
    { input: "foo.com:8080/bar", domain: "foo.com:8080", path: "bar" },
    { input: "foo.com/bar/baz", domain: "foo.com", path: "bar/baz" },
    { input: "localhost:8080/bar", domain: "localhost:8080", path: "bar" },
    { input: "blog.foo.com/bar/baz", domain: "blog.foo.com", path: "bar/baz" },
    { input: "aa-a/a", domain: "docker.io", path: "aa-a/a" },
    { input: "foo_bar", domain: "docker.io", path: "library/foo_bar" },
    { input: "foo.com/foo_bar", domain: "foo.com", path: "foo_bar" },
    { input: "do__cker/docker", domain: "docker.io", path: "do__cker/docker" },
    {
      input: "example.com/xn--7o8h.com/myimage",
      domain: "example.com",
      path: "xn--7o8h.com/myimage",
    },
    {
      input: "example.com/some_separator__underscore/myimage",
      domain: "example.com",
      path: "some_separator__underscore/myimage",
    },
    {
      input: "registry.io/foo/project--id.module--name.ver---sion--name",
      domain: "registry.io",
      path: "foo/project--id.module--name.ver---sion--name",
    },
    { input: "Asdf.com/foo/bar", domain: "Asdf.com", path: "foo/bar" },
    {
      input: "registry.com:8080/myapp:tag",
      domain: "registry.com:8080",
      path: "myapp",
      tag: "tag",
    },
    {
      input: `registry.com:8080/myapp:tag2@${BE178}`,
      domain: "registry.com:8080",
      path: "myapp",
      tag: "tag2",
      digest: BE178,
    },
    // Without a "/", "localhost" is a repository name and ":8080" its tag.
    {
      input: `localhost:8080@${BE178}`,
      domain: "docker.io",
      path: "library/localhost",
      tag: "8080",
      digest: BE178,
    },
    {
      input: `localhost:8080/name@${BE178}`,
      domain: "localhost:8080",
      path: "name",
      digest: BE178,
    },
    { input: `localhost@${BE178}`, domain: "docker.io", path: "library/localhost", digest: BE178 },
  ])("parses the grammar example $input", (row) => {
    expectAccepted(row);
  });

  // regexp_test.go, TestFullNameRegexp and TestReferenceRegexp (non-matching inputs).
  it.each<Rejected>([
    { input: "a/a/a/a/", index: 7 },
    { input: "a//a/a", index: 2 },
    { input: "foo.com/", index: 7 },
    { input: "foo.com:http/bar", index: 8 },
    { input: "a^a", index: 1 },
    { input: "asdf$$^/aa", index: 4 },
    { input: "a-/a/a/a", index: 1 },
    { input: "foo.com/a-/a/a", index: 9 },
    { input: "-foo/bar", index: 0 },
    { input: "foo/bar-", index: 7 },
    { input: "foo-/bar", index: 3 },
    { input: "foo/-bar", index: 4 },
    { input: "_foo/bar", index: 0 },
    { input: "foo_bar.com:8080/app", index: 3 },
    { input: "docker_/docker_", index: 6 },
    { input: "example.com/__underscore/myimage", index: 12 },
    { input: "example.com/..dots/myimage", index: 12 },
    { input: "example.com/.dots/myimage", index: 12 },
    { input: "example.com/nodouble..dots/myimage", index: 21 },
    { input: "docker./docker", index: 7 },
    { input: ".docker/docker", index: 0 },
    { input: "do__cker:8080/docker", index: 2 },
    { input: "Foo/FarB", index: 4 },
    { input: "registry.com:8080/myapp@sha256:badbadbadbad", index: 43 },
    { input: "registry.com:8080/myapp:invalid~tag", index: 31 },
    { input: "bad_hostname.com:8080/myapp:tag", index: 3 },
    { input: `localhost:http/name@${BE178}`, index: 10 },
    { input: "registry.com:8080/myapp@bad", index: 24 },
    { input: "registry.com:8080/myapp@2bad", index: 24 },
  ])("rejects $input, pointing at index $index", (row) => {
    expectRejectedAt(row);
  });

  // regexp_test.go, TestDomainRegexp: each domain input, followed by "/repo" to make it a reference.
  it.each([
    "test.com",
    "test.com:10304",
    "localhost",
    "localhost:8080",
    "a.b",
    "ab.cd.com",
    "a-b.com",
    "ab.c-om",
    "0101.com",
    "001a.com",
    "b.gbc.io:443",
    "b.gbc.io",
    "xn--n3h.com",
    "Asdf.com",
  ])("accepts the registry host %s", (domain) => {
    expectAccepted({ input: `${domain}/repo`, domain, path: "repo" });
  });

  it.each<Rejected>([
    { input: "test.com:http/repo", index: 9 },
    { input: "-ab.com/repo", index: 0 },
    { input: "ab-.com/repo", index: 2 },
    { input: "ab.-com/repo", index: 3 },
    { input: "ab.com-/repo", index: 6 },
    { input: "[fd00:1:2::3]75050/repo", index: 13 },
    { input: "[fd00:1:2::3]::75050/repo", index: 14 },
    { input: "[fd00:1:2::3%eth0]:75050/repo", index: 12 },
    { input: "fd00:1:2::3:75050/repo", index: 0 },
  ])("rejects the registry host in $input, pointing at index $index", (row) => {
    expectRejectedAt(row);
  });

  // TestDomainRegexp inputs that the upstream pattern matches and leaves to "validation": here a port
  // must be 1–65535 and an IPv6 address must have the shape of one.
  it.each<Rejected>([
    { input: "192.168.1.1:75050/repo", index: 12 },
    { input: "192.168.1.1:750050/repo", index: 12 },
    { input: "[fd00:1:2::3]:75050/repo", index: 14 },
    { input: "[fd00123123123]:75050/repo", index: 1 },
    { input: "[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:75050/repo", index: 42 },
  ])("checks the port and IPv6 address in $input", (row) => {
    expectRejectedAt(row);
  });

  // Docker documentation, "docker image tag": the example references.
  it.each<Accepted>([
    {
      input: "example.com:5000/team/my-app:2.0",
      domain: "example.com:5000",
      path: "team/my-app",
      tag: "2.0",
    },
    { input: "alpine", domain: "docker.io", path: "library/alpine" },
    {
      input: "fedora/httpd:version1.0",
      domain: "docker.io",
      path: "fedora/httpd",
      tag: "version1.0",
    },
    {
      input: "fedora/httpd:version1.0.test",
      domain: "docker.io",
      path: "fedora/httpd",
      tag: "version1.0.test",
    },
    {
      input: "myregistryhost:5000/fedora/httpd:version1.0",
      domain: "myregistryhost:5000",
      path: "fedora/httpd",
      tag: "version1.0",
    },
  ])("reads the documented example $input", (row) => {
    expectAccepted(row);
  });

  // opencontainers/go-digest digest_test.go, TestParseDigest: each digest input after "busybox@".
  // docker verifies sha256, sha384 and sha512 digests; other algorithms are refused.
  it.each([
    "sha256:e58fcf7418d4390dec8e8fb69d88c06ec07039d651fedd3aa72af9972e7d046b",
    "sha384:d3fc7881460b7e22e3d172954463dddd7866d17597e7248453c48b3e9d26d9596bf9c4a9cf8072c9d5bad76e19af801d",
  ])("accepts the digest %s", (digest) => {
    expect(parsed(`busybox@${digest}`).digest).toBe(digest);
  });

  it.each<Rejected>([
    {
      input: "busybox@blake3:af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
      index: 8,
    },
    { input: "busybox@sha256:", index: 15 },
    { input: "busybox@:", index: 8 },
    { input: "busybox@d41d8cd98f00b204e9800998ecf8427e", index: 8 },
    { input: "busybox@sha256:d41d8cd98f00b204e9800m98ecf8427e", index: 36 },
    { input: "busybox@sha256:abcdef0123456789", index: 31 },
    {
      input: "busybox@sha512:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
      index: 79,
    },
    { input: "busybox@foo:d41d8cd98f00b204e9800998ecf8427e", index: 8 },
    {
      input: "busybox@sha256:E58FCF7418D4390DEC8E8FB69D88C06EC07039D651FEDD3AA72AF9972E7D046B",
      index: 15,
    },
  ])("rejects the digest in $input, pointing at index $index", (row) => {
    expectRejectedAt(row);
  });

  // Our own corner: "image:<name>" is this catalog's notation, but also a valid docker reference.
  it("accepts `image:foo` as docker does, leaving our image: notation to the caller", () => {
    expectAccepted({ input: "image:foo", domain: "docker.io", path: "library/image", tag: "foo" });
  });

  // Our own cases for the fields docker does not expose directly (normalize.go defaults).
  it.each([
    { input: "ubuntu", implicit: true },
    { input: "dmcgowan/myapp", implicit: true },
    { input: "docker.io/library/ubuntu", implicit: false },
    { input: "index.docker.io/library/ubuntu", implicit: false },
    { input: "localhost:5000/app", implicit: false },
  ])("marks whether $input named its registry", ({ input, implicit }) => {
    expect(parsed(input).implicitDomain).toBe(implicit);
  });

  // normalize.go notes that Docker Hub's registry API is registry-1.docker.io, not docker.io.
  it.each([
    { input: "ubuntu", host: "registry-1.docker.io" },
    { input: "docker.io/library/ubuntu", host: "registry-1.docker.io" },
    { input: "index.docker.io/library/ubuntu", host: "registry-1.docker.io" },
    { input: "localhost:5000/app", host: "localhost:5000" },
    { input: "[::1]:5000/repo", host: "[::1]:5000" },
    { input: "ghcr.io/org/app:1.0", host: "ghcr.io" },
  ])("sends requests for $input to $host", ({ input, host }) => {
    expect(registryHostOf(parsed(input))).toBe(host);
  });

  // Our own cases for the messages: the admin reads them, so each hint must say how to fix the entry.
  it.each([
    {
      input: "MyOrg/App:1.0",
      index: 6,
      message: /lowercase/,
      hint: '"MyOrg/app:1.0"',
    },
    {
      input: "ghcr.io/MyOrg/app",
      index: 8,
      message: /lowercase/,
      hint: '"ghcr.io/myorg/app"',
    },
    {
      input: "https://ghcr.io/org/app:1.0",
      index: 0,
      message: /not a URL/,
      hint: '"ghcr.io/org/app:1.0"',
    },
    {
      input: `ubuntu:${"a".repeat(129)}`,
      index: 7 + 128,
      message: /129 characters/,
      hint: "128",
    },
    {
      input: "ubuntu@sha256:abcdef0123456789",
      index: 30,
      message: /64 hex digits/,
      hint: "full digest",
    },
    {
      input: "My_Org/app",
      index: 2,
      message: /registry host "My_Org"/,
      hint: '"my_org/app"',
    },
    { input: " ubuntu:22.04", index: 0, message: /whitespace/, hint: '"ubuntu:22.04"' },
    { input: "ubuntu:22.04\n", index: 12, message: /whitespace/, hint: '"ubuntu:22.04"' },
    { input: "ubu\u0007ntu", index: 3, message: /control character/, hint: "retype" },
    { input: "ubuntu:", index: 7, message: /tag after ":" is empty/, hint: "remove the" },
    { input: "ubuntu@", index: 7, message: /digest after "@" is empty/, hint: "sha256" },
    { input: "ubuntu:-rc1", index: 7, message: /cannot start with "-"/, hint: "start the tag" },
    {
      input: `ubuntu@${DBCC}:22.04`,
      index: 78,
      message: /before the digest/,
      hint: "name:tag@digest",
    },
    { input: "ghcr.io./app", index: 8, message: /empty part/, hint: "registry host" },
  ])("explains what is wrong with $input and how to fix it", ({ input, index, message, hint }) => {
    const error = rejection(input);
    expect(error.index).toBe(index);
    expect(error.message).toMatch(message);
    expect(error.hint).toContain(hint);
  });
});
