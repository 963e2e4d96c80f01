import { describe, expect, it } from "vitest";

import {
  type AptPackage,
  type DebianVersion,
  compareDebianVersions,
  parseAptPackage,
  parseDebianVersion,
} from "./apt.js";

describe("parseDebianVersion", () => {
  // python-debian, tests/test_debian_support.py (VersionTests.testversions).
  it.each<[string, DebianVersion]>([
    ["1:1.4.1-1", { epoch: 1, upstream: "1.4.1", revision: "1" }],
    ["7.1.ds-1", { upstream: "7.1.ds", revision: "1" }],
    ["10.11.1.3-2", { upstream: "10.11.1.3", revision: "2" }],
    ["4.0.1.3.dfsg.1-2", { upstream: "4.0.1.3.dfsg.1", revision: "2" }],
    ["0.4.23debian1", { upstream: "0.4.23debian1" }],
    ["1.2.10+cvs20060429-1", { upstream: "1.2.10+cvs20060429", revision: "1" }],
    ["0.2.0-1+b1", { upstream: "0.2.0", revision: "1+b1" }],
    ["4.3.90.1svn-r21976-1", { upstream: "4.3.90.1svn-r21976", revision: "1" }],
    ["1.5+E-14", { upstream: "1.5+E", revision: "14" }],
    ["20060611-0.0", { upstream: "20060611", revision: "0.0" }],
    ["0.52.2-5.1", { upstream: "0.52.2", revision: "5.1" }],
    ["7.0-035+1", { upstream: "7.0", revision: "035+1" }],
    ["1.1.0+cvs20060620-1+2.6.15-8", { upstream: "1.1.0+cvs20060620-1+2.6.15", revision: "8" }],
    ["1.1.0+cvs20060620-1+1.0", { upstream: "1.1.0+cvs20060620", revision: "1+1.0" }],
    ["4.2.0a+stable-2sarge1", { upstream: "4.2.0a+stable", revision: "2sarge1" }],
    ["1.8RC4b", { upstream: "1.8RC4b" }],
    ["0.9~rc1-1", { upstream: "0.9~rc1", revision: "1" }],
    ["2:1.0.4+svn26-1ubuntu1", { epoch: 2, upstream: "1.0.4+svn26", revision: "1ubuntu1" }],
    ["2:1.0.4~rc2-1", { epoch: 2, upstream: "1.0.4~rc2", revision: "1" }],
  ])("splits %s into epoch, upstream version and revision", (input, expected) => {
    expect(parseDebianVersion(input)).toEqual({ ok: true, value: expected });
  });

  // dpkg, lib/dpkg/t/t-version.c (test_version_parse): zero, epoched, multiple hyphens and colons,
  // and every character the upstream version and the revision may hold.
  it.each<[string, DebianVersion]>([
    ["0", { upstream: "0" }],
    ["0:0", { epoch: 0, upstream: "0" }],
    ["0:0-0", { epoch: 0, upstream: "0", revision: "0" }],
    ["0:0.0-0.0", { epoch: 0, upstream: "0.0", revision: "0.0" }],
    ["1:0", { epoch: 1, upstream: "0" }],
    ["5:1", { epoch: 5, upstream: "1" }],
    ["0:0-0-0", { epoch: 0, upstream: "0-0", revision: "0" }],
    ["0:0-0-0-0", { epoch: 0, upstream: "0-0-0", revision: "0" }],
    ["0:0:0-0", { epoch: 0, upstream: "0:0", revision: "0" }],
    ["0:0:0:0-0", { epoch: 0, upstream: "0:0:0", revision: "0" }],
    ["0:0:0-0-0", { epoch: 0, upstream: "0:0-0", revision: "0" }],
    ["0:0-0:0-0", { epoch: 0, upstream: "0-0:0", revision: "0" }],
    ["0:09azAZ.-+~:-0", { epoch: 0, upstream: "09azAZ.-+~:", revision: "0" }],
    ["0:0-azAZ09.+~", { epoch: 0, upstream: "0", revision: "azAZ09.+~" }],
  ])("accepts dpkg's test version %s", (input, expected) => {
    expect(parseDebianVersion(input)).toEqual({ ok: true, value: expected });
  });

  // apt, test/integration/test-release-candidate-switching, and the Debian bookworm vim version.
  it.each<[string, DebianVersion]>([
    ["4:4.6.0really4.4.2-1+sid", { epoch: 4, upstream: "4.6.0really4.4.2", revision: "1+sid" }],
    ["2.11.2-7+sid", { upstream: "2.11.2", revision: "7+sid" }],
    ["5:4.20.0+exp", { epoch: 5, upstream: "4.20.0+exp" }],
    ["2:9.0.1378-2", { epoch: 2, upstream: "9.0.1378", revision: "2" }],
  ])("accepts the archive version %s", (input, expected) => {
    expect(parseDebianVersion(input)).toEqual({ ok: true, value: expected });
  });

  // dpkg, lib/dpkg/t/t-version.c: the versions parseversion() refuses or warns about (a warning is
  // an error when dpkg builds or installs a package, so both are rejected), plus "0:0-", whose empty
  // revision current dpkg refuses. Blank padding is trimmed by dpkg but refused here, since the
  // value goes onto a command line.
  it.each<[string, number]>([
    ["", 0],
    ["  ", 0],
    [" \t0:0-1", 0],
    ["0:0-1\t ", 5],
    ["0:", 2],
    ["0:0 0-1", 3],
    ["-1:0-1", 0],
    ["999999999999999999999999:0-1", 0],
    ["a:0-0", 0],
    ["A:0-0", 0],
    ["-0", 0],
    ["0:-0", 2],
    ["0:abc3-0", 2],
    ["0:0-0:0", 5],
    ["0:0-", 3],
  ])("rejects dpkg's invalid version %j at index %i", (input, index) => {
    expect(parseDebianVersion(input)).toMatchObject({ ok: false, error: { index } });
  });

  // dpkg, lib/dpkg/t/t-version.c: each character it tries inside "0:0a-0" (upstream version).
  it.each([..."!#@$%&/|\\<>()[]{};,_=*^'"])(
    "rejects %j in the upstream version at its position",
    (char) => {
      expect(parseDebianVersion(`0:0${char}-0`)).toMatchObject({ ok: false, error: { index: 3 } });
    },
  );

  // dpkg, lib/dpkg/t/t-version.c: each character it tries at the start of the revision of "0:0-0".
  it.each([..."!#@$%&/|\\<>()[]{}:;,_=*^'"])(
    "rejects %j in the Debian revision at its position",
    (char) => {
      expect(parseDebianVersion(`0:0-${char}`)).toMatchObject({ ok: false, error: { index: 4 } });
    },
  );

  // dpkg, scripts/t/Dpkg_Version.t (versions is_valid() refuses) and python-debian's invalid version.
  it.each<[string, number]>([
    ["10a:5.2", 2],
    ["5.2@3-2", 3],
    ["foo5.2", 0],
    ["0:foo5.2", 2],
    ["a1:1.8.8-070403-1~priv1", 0],
  ])("rejects %j at index %i", (input, index) => {
    expect(parseDebianVersion(input)).toMatchObject({ ok: false, error: { index } });
  });

  it("explains that a version must start with a digit", () => {
    const result = parseDebianVersion("foo5.2");
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringMatching(/digit/) } });
  });

  it("explains that the part before the first colon is an epoch", () => {
    const result = parseDebianVersion("a1:1.8.8-070403-1~priv1");
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringMatching(/epoch/) } });
  });
});

describe("compareDebianVersions", () => {
  // apt, test/libapt/versions.lst (every enabled line; apt checks each against dpkg --compare-versions).
  const aptVersionsList: [string, string, number][] = [
    ["7.6p2-4", "7.6-0", 1],
    ["1.0.3-3", "1.0-1", 1],
    ["1.3", "1.2.2-2", 1],
    ["1.3", "1.2.2", 1],
    ["1:0.4", "10.3", 1],
    ["1:1.25-4", "1:1.25-8", -1],
    ["0:1.18.36", "1.18.36", 0],
    ["1.18.36", "1.18.35", 1],
    ["0:1.18.36", "1.18.35", 1],
    ["9:1.18.36:5.4-20", "10:0.5.1-22", -1],
    ["9:1.18.36:5.4-20", "9:1.18.36:5.5-1", -1],
    ["9:1.18.36:5.4-20", "9:1.18.37:4.3-22", -1],
    ["1.18.36-0.17.35-18", "1.18.36-19", 1],
    ["1:1.2.13-3", "1:1.2.13-3.1", -1],
    ["2.0.7pre1-4", "2.0.7r-1", -1],
    ["0-pre", "0-pre", 0],
    ["0-pre", "0-pree", -1],
    ["1.1.6r2-2", "1.1.6r-1", 1],
    ["2.6b2-1", "2.6b-2", 1],
    ["98.1p5-1", "98.1-pre2-b6-2", -1],
    ["0.4a6-2", "0.4-1", 1],
    ["1:3.0.5-2", "1:3.0.5.1", -1],
    ["3.0~rc1-1", "3.0-1", -1],
    ["1.0", "1.0-0", 0],
    ["0.2", "1.0-0", -1],
    ["1.0", "1.0-0+b1", -1],
    ["1.0", "1.0-0~", 1],
    ["0:0-0-0", "0-0", 1],
    ["0", "0", 0],
    ["0", "00", 0],
    ["1.2.3", "1.2.3", 0],
    ["4.4.3-2", "4.4.3-2", 0],
    ["1:2ab:5", "1:2ab:5", 0],
    ["7:1-a:b-5", "7:1-a:b-5", 0],
    ["57:1.2.3abYZ+~-4-5", "57:1.2.3abYZ+~-4-5", 0],
    ["1.2.3", "0:1.2.3", 0],
    ["1.2.3", "1.2.3-0", 0],
    ["009", "9", 0],
    ["009ab5", "9ab5", 0],
    ["1.2.3", "1.2.3-1", -1],
    ["1.2.3", "1.2.4", -1],
    ["1.2.4", "1.2.3", 1],
    ["1.2.24", "1.2.3", 1],
    ["0.10.0", "0.8.7", 1],
    ["3.2", "2.3", 1],
    ["1.3.2a", "1.3.2", 1],
    ["0.5.0~git", "0.5.0~git2", -1],
    ["2a", "21", -1],
    ["1.3.2a", "1.3.2b", -1],
    ["1:1.2.3", "1.2.4", 1],
    ["1:1.2.3", "1:1.2.4", -1],
    ["1.2a+~bCd3", "1.2a++", -1],
    ["1.2a+~bCd3", "1.2a+~", 1],
    ["5:2", "304-2", 1],
    ["5:2", "304:2", -1],
    ["25:2", "3:2", 1],
    ["1:2:123", "1:12:3", -1],
    ["1.2-5", "1.2-3-5", -1],
    ["5.10.0", "5.005", 1],
    ["3a9.8", "3.10.2", -1],
    ["3a9.8", "3~10", 1],
    ["1.4+OOo3.0.0~", "1.4+OOo3.0.0-4", -1],
    ["2.4.7-1", "2.4.7-z", -1],
    ["1.002-1+b2", "1.00", 1],
  ];

  // dpkg, scripts/t/Dpkg_Version.t (its __DATA__ table, checked against dpkg --compare-versions).
  const dpkgVersionTable: [string, string, number][] = [
    ["1.0-1", "2.0-2", -1],
    ["2.2~rc-4", "2.2-1", -1],
    ["2.2-1", "2.2~rc-4", 1],
    ["1.0000-1", "1.0-1", 0],
    ["1", "0:1", 0],
    ["0", "0:0-0", 0],
    ["2:2.5", "1:7.5", 1],
    ["1:0foo", "0foo", 1],
    ["0:0foo", "0foo", 0],
    ["0foo", "0foo", 0],
    ["0foo-", "0foo", 0],
    ["0foo-", "0foo-0", 0],
    ["0foo", "0fo", 1],
    ["0foo-", "0foo+", -1],
    ["0foo~1", "0foo", -1],
    ["0foo~foo+Bar", "0foo~foo+bar", -1],
    ["0foo~~", "0foo~", -1],
    ["1~", "1", -1],
    ["12345+that-really-is-some-ver-0", "12345+that-really-is-some-ver-10", -1],
    ["0foo-0", "0foo-01", -1],
    ["0foo.bar", "0foobar", 1],
    ["0foo.bar", "0foo1bar", 1],
    ["0foo.bar", "0foo0bar", 1],
    ["0foo1bar-1", "0foobar-1", -1],
    ["0foo2.0", "0foo2", 1],
    ["0foo2.0.0", "0foo2.10.0", -1],
    ["0foo2.0", "0foo2.0.0", -1],
    ["0foo2.0", "0foo2.10", -1],
    ["0foo2.1", "0foo2.10", -1],
    ["1.09", "1.9", 0],
    ["1.0.8+nmu1", "1.0.8", 1],
    ["3.11", "3.10+nmu1", 1],
    ["0.9j-20080306-4", "0.9i-20070324-2", 1],
    ["1.2.0~b7-1", "1.2.0~b6-1", 1],
    ["1.011-1", "1.06-2", 1],
    ["0.0.9+dfsg1-1", "0.0.8+dfsg1-3", 1],
    ["4.6.99+svn6582-1", "4.6.99+svn6496-1", 1],
    ["53", "52", 1],
    ["0.9.9~pre122-1", "0.9.9~pre111-1", 1],
    ["2:2.3.2-2+lenny2", "2:2.3.2-2", 1],
    ["1:3.8.1-1", "3.8.GA-1", 1],
    ["1.0.1+gpl-1", "1.0.1-2", 1],
    ["1a", "1000a", -1],
    ["-0.6.5", "0.9.1", -1],
  ];

  // python-debian, tests/test_debian_support.py (VersionTests.test_comparisons).
  const pythonDebianComparisons: [string, string, number][] = [
    ["0", "a", -1],
    ["1.0", "1.1", -1],
    ["1.2", "1.11", -1],
    ["1.0-0.1", "1.1", -1],
    ["1.0-0.1", "1.0-1", -1],
    ["1.0", "1.0", 0],
    ["1.0-0.1", "1.0-0.1", 0],
    ["1:1.0-0.1", "1:1.0-0.1", 0],
    ["1:1.0", "1:1.0", 0],
    ["1.0final-5sarge1", "1.0final-5", 1],
    ["1.0final-5", "1.0a7-2", 1],
    ["0.9.2-5", "0.9.2+cvs.1.0.dev.2004.07.28-1.5", -1],
    ["1:500", "1:5000", -1],
    ["100:500", "11:5000", 1],
    ["1.0.4-2", "1.0pre7-2", 1],
    ["1.5~rc1", "1.5", -1],
    ["1.5~rc1", "1.5+b1", -1],
    ["1.5~rc1", "1.5~rc2", -1],
    ["1.5~rc1", "1.5~dev0", 1],
  ];

  // dpkg, lib/dpkg/t/t-version.c (test_version_compare), its version objects written as strings.
  const dpkgCompareObjects: [string, string, number][] = [
    ["0:0-0", "0:0-0", 0],
    ["0:0-00", "0:00-0", 0],
    ["1:2-3", "1:2-3", 0],
    ["0:0-0", "1:0-0", -1],
    ["0:a-0", "0:b-0", -1],
    ["0:0-a", "0:0-b", -1],
    ["0:1-1", "0:2-1", -1],
    ["0:1-1", "0:1-2", -1],
  ];

  it.each(aptVersionsList)(
    "orders %s against %s as %i, as apt's version list says",
    (a, b, expected) => {
      expect(compareDebianVersions(a, b)).toBe(expected);
      expect(compareDebianVersions(b, a)).toBe(expected === 0 ? 0 : -expected);
    },
  );

  it.each(dpkgVersionTable)(
    "orders %s against %s as %i, as dpkg's Perl tests say",
    (a, b, expected) => {
      expect(compareDebianVersions(a, b)).toBe(expected);
      expect(compareDebianVersions(b, a)).toBe(expected === 0 ? 0 : -expected);
    },
  );

  it.each(pythonDebianComparisons)(
    "orders %s against %s as %i, as python-debian says",
    (a, b, expected) => {
      expect(compareDebianVersions(a, b)).toBe(expected);
      expect(compareDebianVersions(b, a)).toBe(expected === 0 ? 0 : -expected);
    },
  );

  it.each(dpkgCompareObjects)(
    "orders %s against %s as %i, as dpkg's C tests say",
    (a, b, expected) => {
      expect(compareDebianVersions(a, b)).toBe(expected);
      expect(compareDebianVersions(b, a)).toBe(expected === 0 ? 0 : -expected);
    },
  );

  // Debian policy §5.6.12: "~~", "~~a", "~", the empty part, "a" sort in this order.
  it("sorts tildes before the end of a part and letters after it, as policy's example does", () => {
    const sorted = ["1.0~~", "1.0~~a", "1.0~", "1.0", "1.0a"];
    const shuffled = ["1.0a", "1.0~", "1.0", "1.0~~a", "1.0~~"];
    expect([...shuffled].sort(compareDebianVersions)).toEqual(sorted);
  });

  it("compares digit runs longer than a double can hold exactly", () => {
    expect(compareDebianVersions("1.20000000000000000001", "1.20000000000000000002")).toBe(-1);
  });
});

describe("parseAptPackage", () => {
  // apt-get(8): "libc6 would be the argument provided"; apt's test-bug-593360-modifiers-in-names
  // installs g++, apt and apt+ (names may contain and end with "+"); common archive names.
  it.each<[string, AptPackage]>([
    ["libc6", { name: "libc6" }],
    ["g++", { name: "g++" }],
    ["apt", { name: "apt" }],
    ["apt+", { name: "apt+" }],
    ["libstdc++6", { name: "libstdc++6" }],
    ["libsigc++-2.0-dev", { name: "libsigc++-2.0-dev" }],
    ["python3.11", { name: "python3.11" }],
    ["0ad", { name: "0ad" }],
    ["ca-certificates", { name: "ca-certificates" }],
  ])("accepts the package name %s", (input, expected) => {
    expect(parseAptPackage(input)).toEqual({ ok: true, value: expected });
  });

  // apt's test-release-candidate-switching (aptget install amarok/experimental …), apt-get(8)'s
  // archive names, and the backports form from Debian's documentation.
  it.each<[string, AptPackage]>([
    ["amarok/experimental", { name: "amarok", release: "experimental" }],
    ["amarok-null/experimental", { name: "amarok-null", release: "experimental" }],
    ["amarok-less/experimental2", { name: "amarok-less", release: "experimental2" }],
    ["amarok-xine2/experimental", { name: "amarok-xine2", release: "experimental" }],
    ["libc6/stable", { name: "libc6", release: "stable" }],
    ["libc6/testing", { name: "libc6", release: "testing" }],
    ["libc6/unstable", { name: "libc6", release: "unstable" }],
    ["nginx/bookworm-backports", { name: "nginx", release: "bookworm-backports" }],
  ])("takes the release from %s", (input, expected) => {
    expect(parseAptPackage(input)).toEqual({ ok: true, value: expected });
  });

  // Versions from apt's test-release-candidate-switching and Debian bookworm's vim; the trailing
  // "*" prefix form is apt_preferences(5)'s "5.20*", which apt's versionmatch_test.cc also uses.
  it.each<[string, AptPackage]>([
    ["vim=2:9.0.1378-2", { name: "vim", version: "2:9.0.1378-2" }],
    ["libc6=2.11.2-7+sid", { name: "libc6", version: "2.11.2-7+sid" }],
    [
      "phonon-backend-xine=4:4.6.0really4.4.2-1+sid",
      { name: "phonon-backend-xine", version: "4:4.6.0really4.4.2-1+sid" },
    ],
    ["amarok-common=2.3.2-2+exp", { name: "amarok-common", version: "2.3.2-2+exp" }],
    ["perl=5.20*", { name: "perl", version: "5.20*" }],
    ["python3=3.11.*", { name: "python3", version: "3.11.*" }],
  ])("takes the version from %s", (input, expected) => {
    expect(parseAptPackage(input)).toEqual({ ok: true, value: expected });
  });

  // Architecture names dpkg's lib/dpkg/t/t-arch.c accepts, after a name as apt's multiarch tests do.
  it.each([
    "i386",
    "amd64",
    "hurd-i386",
    "kfreebsd-i386",
    "kfreebsd-amd64",
    "ia64",
    "armel",
    "s390",
  ])("takes the architecture from libc6:%s", (arch) => {
    expect(parseAptPackage(`libc6:${arch}`)).toEqual({ ok: true, value: { name: "libc6", arch } });
  });

  // apt-pkg/cacheset.cc splits the version or release off first, so ":arch" combines with either.
  it.each<[string, AptPackage]>([
    ["libc6:i386=2.11.2-7+sid", { name: "libc6", arch: "i386", version: "2.11.2-7+sid" }],
    ["amarok:i386/experimental", { name: "amarok", arch: "i386", release: "experimental" }],
  ])("takes architecture and selector from %s", (input, expected) => {
    expect(parseAptPackage(input)).toEqual({ ok: true, value: expected });
  });

  // Arguments that apt-get would read as options; -o DPkg::Pre-Invoke runs a command as root.
  it.each(["-oDPkg::Pre-Invoke::=touch /tmp/x", "--allow-unauthenticated", "-y", "-"])(
    "rejects the option-like entry %j at its first character",
    (input) => {
      const result = parseAptPackage(input);
      expect(result).toMatchObject({
        ok: false,
        error: { index: 0, message: expect.stringMatching(/option/) },
      });
    },
  );

  // apt-get(8): "If a hyphen is appended to the package name … the identified package will be removed".
  it.each<[string, number]>([
    ["libc6-", 5],
    ["vim=9.0.1378-", 12],
    ["amarok/experimental-", 19],
  ])("rejects the removal suffix in %j at index %i", (input, index) => {
    const result = parseAptPackage(input);
    expect(result).toMatchObject({
      ok: false,
      error: { index, message: expect.stringMatching(/remove/) },
    });
  });

  // apt-get(8) reads '.', '?' or '*' as a regular expression ("lo.*"); cacheset.cc also treats
  // fnmatch globs, ?patterns, ~patterns and task^ specially.
  it.each<[string, number]>([
    ["lo.*", 3],
    ["libc6*", 5],
    ["python3-[a-z]*", 8],
    ["?installed", 0],
    ["~nfoo", 0],
    ["^libc", 0],
    ["libc6$", 5],
    ["gcc|clang", 3],
    ["ubuntu-desktop^", 14],
  ])("rejects the pattern %j at index %i", (input, index) => {
    const result = parseAptPackage(input);
    expect(result).toMatchObject({
      ok: false,
      error: { index, message: expect.stringMatching(/pattern/), hint: expect.any(String) },
    });
  });

  it.each<[string, number, string]>([
    ["LibC6", 0, 'write "libc6"'],
    ["libC6", 3, 'write "libc6"'],
    ["libc6:AMD64", 6, 'write "amd64"'],
  ])("rejects uppercase in %j at index %i with the lowercase form", (input, index, hint) => {
    expect(parseAptPackage(input)).toMatchObject({ ok: false, error: { index, hint } });
  });

  // Debian policy §5.6.1: at least two characters, starting with an alphanumeric.
  it.each<[string, number]>([
    ["x", 0],
    ["+foo", 0],
    [".foo", 0],
  ])("rejects the policy-invalid name %j at index %i", (input, index) => {
    expect(parseAptPackage(input)).toMatchObject({ ok: false, error: { index } });
  });

  // Architecture names dpkg's lib/dpkg/t/t-arch.c refuses, written after a package name.
  it.each<[string, number]>([
    ["libc6:", 6],
    ["libc6:-i386", 6],
    ["libc6: i386", 6],
    ["libc6::any", 6],
    ["libc6:amd64_test", 11],
    ["libc6:i386:test", 10],
    ["libc6:i386 amd64", 10],
    ["libc6:i386,amd64", 10],
    ["libc6:i386|amd64", 10],
  ])("rejects the architecture in %j at index %i", (input, index) => {
    expect(parseAptPackage(input)).toMatchObject({ ok: false, error: { index } });
  });

  // apt-get(8) offers "=version" or "/release"; cacheset.cc only splits at the last of them.
  it.each<[string, number]>([
    ["vim=2:9.0.1378-2/bookworm", 16],
    ["vim/bookworm=2:9.0.1378-2", 12],
    ["vim/bookworm/main", 12],
    ["vim=", 4],
    ["vim/", 4],
  ])("rejects the selector in %j at index %i", (input, index) => {
    expect(parseAptPackage(input)).toMatchObject({ ok: false, error: { index } });
  });

  it.each<[string, number, string]>([
    ["libc6=2.36-9:i386", 12, 'write "libc6:i386=2.36-9"'],
    ["libc6/bookworm:i386", 14, 'write "libc6:i386/bookworm"'],
  ])("points out the misplaced architecture in %j", (input, index, hint) => {
    expect(parseAptPackage(input)).toMatchObject({ ok: false, error: { index, hint } });
  });

  // Versions dpkg's parseversion() refuses (lib/dpkg/t/t-version.c), after a package name, and
  // wildcards other than apt's trailing prefix "*" (apt-pkg/versionmatch.cc would fnmatch them).
  it.each<[string, number]>([
    ["vim=9.0 1378", 7],
    ["vim=a:9.0", 4],
    ["vim=v9.0.1378", 4],
    ["vim=0:abc3-0", 6],
    ["vim=999999999999999999999999:0-1", 4],
    ["vim=9.0_1378", 7],
    ["vim=1.?", 6],
    ["vim=1.*.2", 6],
    ["vim=[12].0", 4],
    ["vim=*", 4],
  ])("rejects the version in %j at index %i", (input, index) => {
    expect(parseAptPackage(input)).toMatchObject({ ok: false, error: { index } });
  });

  // Characters a shell would act on, and control characters and whitespace anywhere in the entry.
  it.each<[string, number]>([
    ["curl wget", 4],
    ["curl\nwget", 4],
    ["curl\u0000", 4],
    ["curl\u00a0", 4],
    ["curl;id", 4],
    ["curl&&id", 4],
    ["curl`id`", 4],
    ["curl$(id)", 4],
    ["curl>/tmp/x", 4],
    ["curl'", 4],
    ["vim=1.0;id", 7],
  ])("rejects %j at index %i", (input, index) => {
    expect(parseAptPackage(input)).toMatchObject({ ok: false, error: { index } });
  });

  it("rejects a .deb file name and points at the first underscore", () => {
    const result = parseAptPackage("libc6_2.36-9_amd64.deb");
    expect(result).toMatchObject({
      ok: false,
      error: { index: 5, hint: expect.stringMatching(/"_"/) },
    });
  });

  it("rejects a path to a local .deb file", () => {
    const result = parseAptPackage("./foo.deb");
    expect(result).toMatchObject({
      ok: false,
      error: { index: 0, message: expect.stringMatching(/\.deb/) },
    });
  });

  it("rejects an empty entry", () => {
    expect(parseAptPackage("")).toMatchObject({ ok: false, error: { index: 0 } });
  });
});
