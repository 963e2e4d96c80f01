import { describe, expect, it } from "vitest";
import { type CondaSpec, parseCondaSpec } from "./conda.js";

/** An accepted case: the input and the fields it must parse into; `spec` defaults to the input. */
interface Accepted {
  input: string;
  name: string;
  channel?: string;
  subdir?: string;
  namespace?: string;
  version?: string;
  build?: string;
  brackets?: Record<string, string>;
  spec?: string;
}

/** A rejected case: the input and, where pinned down, the index of the problem and the hint. */
interface Rejected {
  input: string;
  index?: number;
  hint?: RegExp;
}

function expectAccepted(row: Accepted): void {
  const { input, brackets = {}, spec = input, ...fields } = row;
  expect(parseCondaSpec(input)).toEqual({ ok: true, value: { ...fields, brackets, spec } });
}

function expectRejected(row: Rejected): void {
  const result = parseCondaSpec(row.input);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.message).not.toBe("");
  if (row.index !== undefined) expect(result.error.index).toBe(row.index);
  if (row.hint !== undefined) expect(result.error.hint).toMatch(row.hint);
}

function valueOf(input: string): CondaSpec {
  const result = parseCondaSpec(input);
  if (!result.ok) throw new Error(`${input}: ${result.error.message}`);
  return result.value;
}

describe("parseCondaSpec", () => {
  // conda docs, user-guide/concepts/pkg-specs ("Package match specifications"): the command-line
  // examples, the constraint examples, the valid specs for numpy-1.8.1-py27_0, and the version
  // operators of the second part (given a package name here).
  const pkgSpecsDocs: Accepted[] = [
    { input: "numpy=1.11", name: "numpy", version: "=1.11" },
    { input: "numpy==1.11", name: "numpy", version: "==1.11" },
    { input: "numpy>1.11", name: "numpy", version: ">1.11" },
    { input: "numpy=1.11.1|1.11.3", name: "numpy", version: "=1.11.1|1.11.3" },
    { input: "numpy>=1.8,<2", name: "numpy", version: ">=1.8,<2" },
    { input: "numpy=1.11.2=*nomkl*", name: "numpy", version: "=1.11.2", build: "*nomkl*" },
    {
      input: "numpy=1.11.1|1.11.3=py36_0",
      name: "numpy",
      version: "=1.11.1|1.11.3",
      build: "py36_0",
    },
    { input: "python=3.9", name: "python", version: "=3.9" },
    { input: "numpy", name: "numpy" },
    { input: "numpy 1.8*", name: "numpy", version: "1.8*" },
    { input: "numpy 1.8.1", name: "numpy", version: "1.8.1" },
    { input: "numpy >=1.8", name: "numpy", version: ">=1.8" },
    { input: "numpy ==1.8.1", name: "numpy", version: "==1.8.1" },
    { input: "numpy 1.8|1.8*", name: "numpy", version: "1.8|1.8*" },
    { input: "numpy >=1.8,<2", name: "numpy", version: ">=1.8,<2" },
    { input: "numpy >=1.8,<2|1.9", name: "numpy", version: ">=1.8,<2|1.9" },
    { input: "numpy 1.8.1 py27_0", name: "numpy", version: "1.8.1", build: "py27_0" },
    { input: "numpy=1.8.1=py27_0", name: "numpy", version: "=1.8.1", build: "py27_0" },
    { input: "numpy 1.0|1.2", name: "numpy", version: "1.0|1.2" },
    { input: "numpy 1.0|1.4*", name: "numpy", version: "1.0|1.4*" },
    { input: "numpy <=1.0", name: "numpy", version: "<=1.0" },
    { input: "numpy >=2,<3", name: "numpy", version: ">=2,<3" },
    { input: "numpy >=1,<2|>3", name: "numpy", version: ">=1,<2|>3" },
    { input: "numpy >1.0b4", name: "numpy", version: ">1.0b4" },
  ];
  it.each(pkgSpecsDocs)("accepts the documented match spec $input", expectAccepted);

  // conda docs, user-guide/concepts/pkg-search ("Package search and install specifications"):
  // the standard specification, key-value pairs, the override warning and the install example.
  const pkgSearchDocs: Accepted[] = [
    { input: "numpy=1.17.*", name: "numpy", version: "=1.17.*" },
    { input: "numpy>1.17,<1.19.2", name: "numpy", version: ">1.17,<1.19.2" },
    { input: "numpy 1.17.3 py38*", name: "numpy", version: "1.17.3", build: "py38*" },
    { input: "*py*", name: "*py*" },
    {
      input: "numpy[channel=conda-forge, subdir=linux-64, version=1.17.*, build=py38*]",
      name: "numpy",
      channel: "conda-forge",
      subdir: "linux-64",
      version: "1.17.*",
      build: "py38*",
      brackets: { channel: "conda-forge", subdir: "linux-64", version: "1.17.*", build: "py38*" },
    },
    {
      input: "conda-forge::numpy=1.17.3[subdir=linux-64, build=py38*]",
      name: "numpy",
      channel: "conda-forge",
      subdir: "linux-64",
      version: "=1.17.3",
      build: "py38*",
      brackets: { subdir: "linux-64", build: "py38*" },
      spec: "numpy=1.17.3[subdir=linux-64, build=py38*]",
    },
    {
      input: "numpy 1.17.3[version=1.19.2]",
      name: "numpy",
      version: "1.19.2",
      brackets: { version: "1.19.2" },
    },
    {
      input: "conda-forge/linux-64::numpy 1.17.* py38*",
      name: "numpy",
      channel: "conda-forge",
      subdir: "linux-64",
      version: "1.17.*",
      build: "py38*",
      spec: "numpy 1.17.* py38*",
    },
    {
      input: "conda-forge/linux-64::numpy 1.17.5 py38h95a1406_0",
      name: "numpy",
      channel: "conda-forge",
      subdir: "linux-64",
      version: "1.17.5",
      build: "py38h95a1406_0",
      spec: "numpy 1.17.5 py38h95a1406_0",
    },
  ];
  it.each(pkgSearchDocs)("accepts the documented search and install spec $input", expectAccepted);

  // conda/models/match_spec.py: the MatchSpec docstring examples and the
  // _parse_version_plus_build docstring examples (given a package name here).
  const matchSpecDocstrings: Accepted[] = [
    { input: "foo 1.0 py27_0", name: "foo", version: "1.0", build: "py27_0" },
    { input: "foo=1.0=py27_0", name: "foo", version: "=1.0", build: "py27_0" },
    {
      input: "conda-forge::foo[version=1.0.*]",
      name: "foo",
      channel: "conda-forge",
      version: "1.0.*",
      brackets: { version: "1.0.*" },
      spec: "foo[version=1.0.*]",
    },
    {
      input: "conda-forge/linux-64::foo>=1.0",
      name: "foo",
      channel: "conda-forge",
      subdir: "linux-64",
      version: ">=1.0",
      spec: "foo>=1.0",
    },
    {
      input: "*[md5=12345678901234567890123456789012]",
      name: "*",
      brackets: { md5: "12345678901234567890123456789012" },
    },
    {
      input: "*[sha256=f453db4ffe2271ec492a2913af4e61d4a6c118201f07de757df0eff769b65d2e]",
      name: "*",
      brackets: { sha256: "f453db4ffe2271ec492a2913af4e61d4a6c118201f07de757df0eff769b65d2e" },
    },
    { input: "foo =1.2.3 0", name: "foo", version: "=1.2.3", build: "0" },
    { input: "foo 1.2.3=0", name: "foo", version: "1.2.3", build: "0" },
    { input: "foo >=1.0 , < 2.0 py34_0", name: "foo", version: ">=1.0,<2.0", build: "py34_0" },
    { input: "foo >=1.0 , < 2.0 =py34_0", name: "foo", version: ">=1.0,<2.0", build: "py34_0" },
    { input: "foo >1.8,<2|==1.7", name: "foo", version: ">1.8,<2|==1.7" },
    { input: "foo * openblas_0", name: "foo", version: "*", build: "openblas_0" },
    { input: "foo * *", name: "foo", version: "*", build: "*" },
  ];
  it.each(matchSpecDocstrings)("accepts the match_spec.py example $input", expectAccepted);

  // conda tests/models/test_match_spec.py: test_match_1, test_canonical_string_forms,
  // test_tarball_match_specs, test_channel_matching, test_strictness,
  // test_build_number_and_filename, test_bracket_matches, test_license_match, TestArg2Spec,
  // TestSpecFromLine, SpecStrParsingTests and the merge tests (inputs that conda accepts).
  const matchSpecTests: Accepted[] = [
    { input: "numpy 1.7*", name: "numpy", version: "1.7*" },
    { input: "numpy >1.5,<2,!=1.7.1", name: "numpy", version: ">1.5,<2,!=1.7.1" },
    { input: "numpy >=1.8|1.7*", name: "numpy", version: ">=1.8|1.7*" },
    { input: "numpy==1.7.1.0.0", name: "numpy", version: "==1.7.1.0.0" },
    { input: "numpy >=1,*.7.*", name: "numpy", version: ">=1,*.7.*" },
    { input: "numpy *.7.*,>=1", name: "numpy", version: "*.7.*,>=1" },
    { input: "numpy 1.6.2|1.7*", name: "numpy", version: "1.6.2|1.7*" },
    { input: "numpy >1.7.1a", name: "numpy", version: ">1.7.1a" },
    { input: "numpy >=1.0.1*.vc11", name: "numpy", version: ">=1.0.1*.vc11" },
    { input: "numpy >=1.0.1a py27*", name: "numpy", version: ">=1.0.1a", build: "py27*" },
    { input: "blas * openblas_0", name: "blas", version: "*", build: "openblas_0" },
    {
      input: "numpy[version='1.7*']",
      name: "numpy",
      version: "1.7*",
      brackets: { version: "1.7*" },
    },
    {
      input: 'numpy[version="1.7,1.8"]',
      name: "numpy",
      version: "1.7,1.8",
      brackets: { version: "1.7,1.8" },
    },
    { input: "numpy=1.7=py3*_2", name: "numpy", version: "=1.7", build: "py3*_2" },
    { input: "numpy=1.7.*=py3*_2", name: "numpy", version: "=1.7.*", build: "py3*_2" },
    {
      input: "https://repo.anaconda.com/pkgs/free::numpy",
      name: "numpy",
      channel: "https://repo.anaconda.com/pkgs/free",
      spec: "numpy",
    },
    {
      input: "numpy[channel=https://repo.anaconda.com/pkgs/free]",
      name: "numpy",
      channel: "https://repo.anaconda.com/pkgs/free",
      brackets: { channel: "https://repo.anaconda.com/pkgs/free" },
    },
    { input: "defaults::numpy", name: "numpy", channel: "defaults", spec: "numpy" },
    {
      input: "numpy[channel=defaults,subdir=osx-64]",
      name: "numpy",
      channel: "defaults",
      subdir: "osx-64",
      brackets: { channel: "defaults", subdir: "osx-64" },
    },
    {
      input: "numpy[channel=https://repo.anaconda.com/pkgs/free/osx-64, subdir=linux-64]",
      name: "numpy",
      channel: "https://repo.anaconda.com/pkgs/free",
      subdir: "linux-64",
      brackets: { channel: "https://repo.anaconda.com/pkgs/free/osx-64", subdir: "linux-64" },
    },
    {
      input: "https://repo.anaconda.com/pkgs/free/win-32::numpy",
      name: "numpy",
      channel: "https://repo.anaconda.com/pkgs/free",
      subdir: "win-32",
      spec: "numpy",
    },
    {
      input: "defaults/win-32::numpy",
      name: "numpy",
      channel: "defaults",
      subdir: "win-32",
      spec: "numpy",
    },
    {
      input: "numpy[subdir=win-32]",
      name: "numpy",
      subdir: "win-32",
      brackets: { subdir: "win-32" },
    },
    {
      input: "numpy[version=1.10 build=py38_0]",
      name: "numpy",
      version: "1.10",
      build: "py38_0",
      brackets: { version: "1.10", build: "py38_0" },
    },
    { input: "numpy!=1.10 py38_0", name: "numpy", version: "!=1.10", build: "py38_0" },
    { input: "numpy !=1.10=py38_0", name: "numpy", version: "!=1.10", build: "py38_0" },
    { input: "numpy >1.7,!=1.10 py38_0", name: "numpy", version: ">1.7,!=1.10", build: "py38_0" },
    { input: "numpy!=1.10.*", name: "numpy", version: "!=1.10.*" },
    { input: "numpy=1.10.*,!=1.10.2", name: "numpy", version: "=1.10.*,!=1.10.2" },
    { input: "numpy ~=1.10.1 py38_0", name: "numpy", version: "~=1.10.1", build: "py38_0" },
    { input: "openssl=1.1.1_", name: "openssl", version: "=1.1.1_" },
    { input: "openssl>=1.1.1_,!=1.1.1c", name: "openssl", version: ">=1.1.1_,!=1.1.1c" },
    {
      input: "conda-canary/linux-64::conda==4.3.21.post699+1dab973=py36h4a561cd_0",
      name: "conda",
      channel: "conda-canary",
      subdir: "linux-64",
      version: "==4.3.21.post699+1dab973",
      build: "py36h4a561cd_0",
      spec: "conda==4.3.21.post699+1dab973=py36h4a561cd_0",
    },
    { input: "pkgs/main::*", name: "*", channel: "pkgs/main", spec: "*" },
    {
      input: "foo 1.2 3 [channel=burg]",
      name: "foo",
      channel: "burg",
      version: "1.2",
      build: "3",
      brackets: { channel: "burg" },
    },
    { input: "test* 1.2", name: "test*", version: "1.2" },
    { input: "zlib 1.2.7 0", name: "zlib", version: "1.2.7", build: "0" },
    {
      input: "numpy[version='>2']",
      name: "numpy",
      version: ">2",
      brackets: { version: ">2" },
    },
    { input: "numpy[build_number='<8']", name: "numpy", brackets: { build_number: "<8" } },
    { input: "numpy ~=1.10", name: "numpy", version: "~=1.10" },
    { input: "*[license_family='*GP*']", name: "*", brackets: { license_family: "*GP*" } },
    { input: "*[license='*v3+']", name: "*", brackets: { license: "*v3+" } },
    { input: "ipython==0.13.0", name: "ipython", version: "==0.13.0" },
    { input: "foo=1.3.0=3", name: "foo", version: "=1.3.0", build: "3" },
    { input: "zope.int>=1.3,<3.0", name: "zope.int", version: ">=1.3,<3.0" },
    // conda's code and tests remove spaces from a version; an older doc page calls this invalid.
    { input: "FOO-Bar >=1.0", name: "FOO-Bar", version: ">=1.0" },
    { input: "foo >= 1.0", name: "foo", version: ">=1.0" },
    { input: "foo != 1.0", name: "foo", version: "!=1.0" },
    {
      input: "defaults::numpy =1.8",
      name: "numpy",
      channel: "defaults",
      version: "=1.8",
      spec: "numpy =1.8",
    },
    {
      input: "defaults::numpy 1.8 py27_0[channel=anaconda]",
      name: "numpy",
      channel: "anaconda",
      version: "1.8",
      build: "py27_0",
      brackets: { channel: "anaconda" },
      spec: "numpy 1.8 py27_0[channel=anaconda]",
    },
    {
      input: "defaults::numpy=1.8=py27_0 [channel=anaconda,version=1.9, build=3]",
      name: "numpy",
      channel: "anaconda",
      version: "1.9",
      build: "3",
      brackets: { channel: "anaconda", version: "1.9", build: "3" },
      spec: "numpy=1.8=py27_0 [channel=anaconda,version=1.9, build=3]",
    },
    {
      input: `defaults::numpy=1.8=py27_0 [channel='anaconda',version=">=1.8,<2|1.9", build='3']`,
      name: "numpy",
      channel: "anaconda",
      version: ">=1.8,<2|1.9",
      build: "3",
      brackets: { channel: "anaconda", version: ">=1.8,<2|1.9", build: "3" },
      spec: `numpy=1.8=py27_0 [channel='anaconda',version=">=1.8,<2|1.9", build='3']`,
    },
    { input: "* 2.7.4", name: "*", version: "2.7.4" },
    { input: "* >=1.3 2", name: "*", version: ">=1.3", build: "2" },
    { input: "numpy~=1.7.1", name: "numpy", version: "~=1.7.1" },
    {
      input: "numpy >1.8,<2|==1.7,!=1.9,~=1.7.1 py34_0",
      name: "numpy",
      version: ">1.8,<2|==1.7,!=1.9,~=1.7.1",
      build: "py34_0",
    },
    { input: "*>1.8,<2|==1.7", name: "*", version: ">1.8,<2|==1.7" },
    { input: "* 1 *", name: "*", version: "1", build: "*" },
    { input: "* * *", name: "*", version: "*", build: "*" },
    {
      input: "conda-forge/linux-32::foo>=1.0",
      name: "foo",
      channel: "conda-forge",
      subdir: "linux-32",
      version: ">=1.0",
      spec: "foo>=1.0",
    },
    { input: "python[build_number=3]", name: "python", brackets: { build_number: "3" } },
    { input: "python[build_number='>=3']", name: "python", brackets: { build_number: ">=3" } },
    {
      input: "conda-forge::python<=8[build_number=1]",
      name: "python",
      channel: "conda-forge",
      version: "<=8",
      brackets: { build_number: "1" },
      spec: "python<=8[build_number=1]",
    },
  ];
  it.each(matchSpecTests)("accepts conda's test_match_spec input $input", expectAccepted);

  // conda tests/models/test_version.py: version specs test_match, test_not_eq_star,
  // test_compound_versions, test_compatible_release_versions and test_version_spec_2..4 accept,
  // and version strings from test_version_order and test_pep440 (given a package name here).
  const versionTests: Accepted[] = [
    { input: "numpy 1.7.*", name: "numpy", version: "1.7.*" },
    { input: "numpy !=1.5", name: "numpy", version: "!=1.5" },
    { input: "numpy >1.7,<1.8", name: "numpy", version: ">1.7,<1.8" },
    { input: "numpy *", name: "numpy", version: "*" },
    { input: "numpy 1.*.1", name: "numpy", version: "1.*.1" },
    { input: "numpy 1.5.*|>1.7,<1.8", name: "numpy", version: "1.5.*|>1.7,<1.8" },
    { input: "numpy =3.3.*", name: "numpy", version: "=3.3.*" },
    { input: "numpy !=3.3.*", name: "numpy", version: "!=3.3.*" },
    { input: "numpy ~=3.3.2|==2.2", name: "numpy", version: "~=3.3.2|==2.2" },
    {
      input: "python >=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*",
      name: "python",
      version: ">=2.7,!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.*",
    },
    { input: "numpy 1.7.1*,1.8.1*", name: "numpy", version: "1.7.1*,1.8.1*" },
    { input: "numpy 1.7.0.post123+gabcdef9", name: "numpy", version: "1.7.0.post123+gabcdef9" },
    { input: "numpy 1!1.0b2.post345.dev456", name: "numpy", version: "1!1.0b2.post345.dev456" },
    { input: "numpy 1.2+1234.abc", name: "numpy", version: "1.2+1234.abc" },
    { input: "numpy 14.3.1.post26.g9d75ca2", name: "numpy", version: "14.3.1.post26.g9d75ca2" },
    { input: "numpy 0.5C1", name: "numpy", version: "0.5C1" },
    { input: "openssl 1.0.1_", name: "openssl", version: "1.0.1_" },
    { input: "numpy >1.0.0*", name: "numpy", version: ">1.0.0*" },
    {
      input: "numpy[version='( (1.5|((1.6|1.7), 1.8), 1.9 |2.0))|2.1']",
      name: "numpy",
      version: "((1.5|((1.6|1.7),1.8),1.9|2.0))|2.1",
      brackets: { version: "( (1.5|((1.6|1.7), 1.8), 1.9 |2.0))|2.1" },
    },
  ];
  it.each(versionTests)("accepts conda's test_version spec in $input", expectAccepted);

  // The "-c channel::spec" form documented by the platform this project replaces: the channel is
  // reported and left out of spec. "--channel" is conda's long spelling of the same flag.
  const channelFlag: Accepted[] = [
    {
      input: "-c conda-forge::numpy==1.17*",
      name: "numpy",
      channel: "conda-forge",
      version: "==1.17*",
      spec: "numpy==1.17*",
    },
    {
      input: "--channel conda-forge::numpy==1.17*",
      name: "numpy",
      channel: "conda-forge",
      version: "==1.17*",
      spec: "numpy==1.17*",
    },
    { input: "-c  conda-forge::numpy", name: "numpy", channel: "conda-forge", spec: "numpy" },
    {
      input: "-c conda-forge/linux-64::numpy==1.17*",
      name: "numpy",
      channel: "conda-forge",
      subdir: "linux-64",
      version: "==1.17*",
      spec: "numpy==1.17*",
    },
    {
      input: "-c conda-forge::numpy 1.17* py37*",
      name: "numpy",
      channel: "conda-forge",
      version: "1.17*",
      build: "py37*",
      spec: "numpy 1.17* py37*",
    },
    {
      input: "-c https://conda.anaconda.org/conda-forge::numpy>=1.10,<2",
      name: "numpy",
      channel: "https://conda.anaconda.org/conda-forge",
      version: ">=1.10,<2",
      spec: "numpy>=1.10,<2",
    },
    {
      input: "-c pytorch::pytorch=*=*cuda*",
      name: "pytorch",
      channel: "pytorch",
      version: "=*",
      build: "*cuda*",
      spec: "pytorch=*=*cuda*",
    },
    {
      input: "-c conda-forge::numpy[build_number='>=3']",
      name: "numpy",
      channel: "conda-forge",
      brackets: { build_number: ">=3" },
      spec: "numpy[build_number='>=3']",
    },
    {
      input: "conda-forge:ns:numpy",
      name: "numpy",
      channel: "conda-forge",
      namespace: "ns",
      spec: "numpy",
    },
    {
      input: "numpy[version='==1.17*']",
      name: "numpy",
      version: "==1.17*",
      brackets: { version: "==1.17*" },
    },
  ];
  it.each(channelFlag)("reads the channel off $input", expectAccepted);

  it("gives the documented -c form exactly the fields conda needs", () => {
    expect(parseCondaSpec("-c conda-forge::numpy==1.17*")).toStrictEqual({
      ok: true,
      value: {
        name: "numpy",
        channel: "conda-forge",
        version: "==1.17*",
        brackets: {},
        spec: "numpy==1.17*",
      },
    });
  });

  it.each([...pkgSpecsDocs, ...pkgSearchDocs, ...matchSpecTests, ...channelFlag])(
    "hands conda a spec for $input that reads back as the same package, version and build",
    (row) => {
      const first = valueOf(row.input);
      const again = valueOf(first.spec);
      expect(again.spec).toBe(first.spec);
      expect([again.name, again.version, again.build, again.brackets]).toEqual([
        first.name,
        first.version,
        first.build,
        first.brackets,
      ]);
    },
  );

  // conda tests/models/test_version.py: what VersionSpec and VersionOrder refuse
  // (test_invalid_version_specs, test_ver_eval_errors, test_version_spec_2,
  // test_compatible_release_versions, test_pep_440_arbitrary_equality_operator, the invalid
  // strings of test_version_order), given a package name or put in brackets here.
  const versionRejections: Rejected[] = [
    { input: "numpy ~", index: 6 },
    { input: "numpy ^", index: 6 },
    { input: "numpy 1.2+", index: 9 },
    { input: "numpy +1.2", index: 6 },
    { input: "numpy +1.2+", index: 10 },
    { input: "numpy ++", index: 7 },
    { input: "numpy[version='c +, 0/|0 *']" },
    { input: "a[version=)|(", index: 1 },
    { input: "a=)(=b", index: 2 },
    { input: "numpy ==", index: 8, hint: /==1\.0/ },
    { input: "numpy =", index: 7 },
    { input: "numpy >=", index: 8 },
    { input: "numpy <=", index: 8 },
    { input: "numpy ~=3.3.2.*", index: 8, hint: /~=3\.3\.2/ },
    { input: "numpy ===3.3.2", index: 6 },
    { input: "numpy ><2.4.5", index: 6 },
    { input: "numpy !!2.4.5", index: 6 },
    { input: "numpy !", index: 6 },
    { input: "numpy[version='(1.5']", index: 15 },
    { input: "numpy[version='1.5)']", index: 18 },
    { input: "numpy 1.5||1.6", index: 10 },
    { input: "numpy[version='1.5||1.6']", index: 19 },
    { input: "numpy[version='^1.5']", index: 15 },
    { input: "numpy 3.5&1", index: 9 },
    { input: "numpy 5.5++", index: 10 },
    { input: "numpy 5.5..mw", index: 9 },
    { input: "numpy a!1.0", index: 6 },
    { input: "numpy a!b!1.0", index: 9 },
  ];
  it.each(versionRejections)("rejects the invalid version in $input", expectRejected);

  // conda tests/models/test_match_spec.py: test_matchspec_errors, test_parse_errors,
  // TestArg2Spec.test_invalid_arg2spec and TestSpecFromLine.test_invalid.
  const matchSpecRejections: Rejected[] = [
    { input: "blas [optional", index: 5 },
    { input: "blas [test=]", index: 6 },
    { input: 'blas[invalid="1"]', index: 5 },
    { input: "!xyz 1.3", index: 0 },
    { input: "=", index: 0 },
  ];
  it.each(matchSpecRejections)("rejects $input as conda does", expectRejected);

  // Inputs conda accepts (most from test_match_spec.py, the match_spec.py docstring and
  // test_version.py) but refused here because conda silently drops part of them, or accepts
  // something that can never match, or would install a file instead of a named package.
  const stricterThanConda: Rejected[] = [
    { input: "*/linux-65::foo>=1.0", index: 2, hint: /linux-64/ },
    { input: "*::numpy", index: 0, hint: /\*\/<subdir>::/ },
    { input: "mkl@", index: 3, hint: /track_features=mkl/ },
    { input: "numpy[version<2]", index: 13, hint: /version='<2'/ },
    { input: "numpy[version=>=1.8,<2]", index: 20, hint: /version='>=1\.8,<2'/ },
    { input: "python[md5=deadbeef]", index: 11 },
    { input: "*[md5=FFBADD11]", index: 6 },
    { input: "numpy[subdir=custom-64]", index: 13 },
    { input: "foo # comment", index: 4 },
    { input: "numpy >=1 if __unix", index: 10 },
    { input: "conda-forge::foo[build=3](target=blarg,bogus)", index: 39 },
    { input: "/some/file/on/disk/package-1.2.3-2.tar.bz2", index: 0, hint: /https:\/\// },
    { input: "numpy-1.8.1-py27_0.tar.bz2", index: 0 },
    { input: "gopher://example.com/linux-64/numpy-1.8.1-py27_0.conda", index: 0 },
    { input: "https://example.com/linux-64/numpy.conda", index: 29 },
    { input: "numpy[version='^1\\.[5-8]\\.1$']", index: 19 },
    { input: "numpy[version='^(?=1)$']", index: 16 },
    { input: "numpy ^1.(7|8)$", index: 9, hint: /brackets/ },
    { input: "numpy[version='^1.7']", index: 15 },
    { input: "https://e.example/linux-64/x-1-0.conda --override-channels", index: 38 },
    { input: "https://e.example/linux-64/x-1-0.conda?token=abc", index: 0 },
    { input: "-c conda-forge::https://e.example/linux-64/x-1-0.conda", index: 0 },
    { input: "conda-forge::foo(optional)[build=3]", index: 26, hint: /before the/ },
    { input: "numpy 0.5-5", index: 9, hint: /"\."|"_"/ },
    { input: "numpy=", index: 6 },
    { input: "::numpy", index: 0 },
    { input: "conda-forge:numpy", index: 11, hint: /conda-forge::numpy/ },
    { input: "numpy <1.7.*", index: 10, hint: /<1\.7"/ },
    { input: "numpy >=1,==1.7*", index: 10 },
    { input: "numpy[version='1.8|==1.8.*']", index: 19 },
    { input: "numpy ~=1", index: 8 },
    { input: "numpy (1.5|1.6),<2", index: 6, hint: /version=/ },
    { input: "numpy[]", index: 5 },
    { input: "numpy[build=a,]", index: 13 },
    { input: "numpy[name=scipy]", index: 6 },
    { input: "numpy[build_string=py27_0]", index: 6, hint: /build=/ },
    { input: "numpy[build=a, build=b]", index: 15 },
    { input: "numpy[build=a][version=1]", index: 14 },
    { input: "numpy[version='>= 1.8']", index: 17 },
  ];
  it.each(stricterThanConda)("rejects $input, which conda would misread", expectRejected);

  // conda tests/models/test_match_spec.py test_canonical_string_forms, test_parse_channel_subdir,
  // test_parse_parens, test_tarball_match_specs, test_url_percent_encoding; CEP 29's examples; and
  // conda tests/models/test_version.py test_match (regular-expression versions).
  const condaForms: Accepted[] = [
    {
      input: "*/linux-64::foo>=1.0",
      name: "foo",
      subdir: "linux-64",
      version: ">=1.0",
      spec: "foo>=1.0",
    },
    { input: "*/win-32::numpy", name: "numpy", subdir: "win-32", spec: "numpy" },
    {
      input: '*/win-32::numpy[subdir="osx-64"]',
      name: "numpy",
      subdir: "osx-64",
      brackets: { subdir: "osx-64" },
      spec: 'numpy[subdir="osx-64"]',
    },
    {
      input: "conda-forge::foo[build=3](target=blarg,optional)",
      name: "foo",
      channel: "conda-forge",
      build: "3",
      brackets: { build: "3" },
      spec: "foo[build=3](target=blarg,optional)",
    },
    { input: "foo (optional)", name: "foo" },
    { input: "foo 1.0 (target=foo-1.0-0)", name: "foo", version: "1.0" },
    {
      input:
        "https://conda.anaconda.org/conda-canary/linux-64/conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2",
      name: "conda",
      channel: "https://conda.anaconda.org/conda-canary",
      subdir: "linux-64",
      version: "==4.3.21.post699+1dab973",
      build: "py36h4a561cd_0",
    },
    {
      input:
        "https://conda.anaconda.org/conda-canary/conda-4.3.21.post699+1dab973-py36h4a561cd_0.conda",
      name: "conda",
      version: "==4.3.21.post699+1dab973",
      build: "py36h4a561cd_0",
    },
    {
      input: "https://anaconda.org/conda-forge/linux-64/x264-1%21164.3095-h166bdaf_2.tar.bz2",
      name: "x264",
      channel: "https://anaconda.org/conda-forge",
      subdir: "linux-64",
      version: "==1!164.3095",
      build: "h166bdaf_2",
    },
    { input: "numpy ^1.7.1$", name: "numpy", version: "^1.7.1$" },
    {
      input: "numpy[version='1.6.*|^0.*$|1.7.1']",
      name: "numpy",
      version: "1.6.*|^0.*$|1.7.1",
      brackets: { version: "1.6.*|^0.*$|1.7.1" },
    },
    {
      input: "numpy[version='^1\\.(7|8)\\..*$']",
      name: "numpy",
      version: "^1\\.(7|8)\\..*$",
      brackets: { version: "^1\\.(7|8)\\..*$" },
    },
  ];
  it.each(condaForms)("accepts conda's form $input", expectAccepted);

  // CEP 26 package names, which conda checks (_validate_package_name; test_invalid_package_name_rejected).
  const cep26Names: Rejected[] = [
    { input: "pkg..name", index: 3, hint: /pkg\.name/ },
    { input: "pkg--name", index: 3 },
    { input: "pkg_-name", index: 3 },
    { input: "__", index: 0, hint: /__glibc/ },
    { input: "__-cuda", index: 2, hint: /"__cuda"/ },
    { input: ".pkg", index: 0 },
    { input: `${"a".repeat(65)}>=1.0`, index: 64 },
    { input: `pkg ==${"1.".repeat(32)}1`, index: 70 },
    { input: `pkg 1.0 ${"b".repeat(65)}`, index: 72 },
    { input: `pkg[build=${"b".repeat(65)}]`, index: 74 },
  ];
  it.each(cep26Names)("rejects $input, which CEP 26 forbids", expectRejected);
  it.each(["__glibc", "_openmp_mutex", "a".repeat(64), "r-base", "a-", "FOO-Bar"])(
    "accepts the CEP 26 name %s",
    (name) => {
      expect(parseCondaSpec(name).ok).toBe(true);
    },
  );

  // The "-c" form: the channel must come as channel::, and no other option may start an entry.
  const channelFlagRejections: Rejected[] = [
    { input: "-c conda-forge numpy", index: 14, hint: /"conda-forge::numpy"/ },
    { input: "-c conda-forge numpy==1.17*", index: 14, hint: /"conda-forge::numpy==1\.17\*"/ },
    { input: "--channel conda-forge numpy", index: 21, hint: /"conda-forge::numpy"/ },
    { input: "-c conda-forge", index: 14 },
    { input: "-c", index: 2 },
    { input: "-cconda-forge::numpy", index: 0, hint: /"conda-forge::numpy"/ },
    { input: "--channel=conda-forge::numpy", index: 0, hint: /"conda-forge::numpy"/ },
    { input: "--override-channels", index: 0 },
    { input: "--force-reinstall numpy", index: 0 },
    { input: "-c conda-forge::-numpy", index: 16 },
    { input: "-c conda-forge:numpy", index: 14, hint: /conda-forge::numpy/ },
  ];
  it.each(channelFlagRejections)("rejects the option-like entry $input", expectRejected);

  // Shell metacharacters in build strings and bracket values, quotes, control characters and
  // other text that never belongs in a spec; the index points at the offending character.
  const metacharacters: Rejected[] = [
    { input: "numpy;rm -rf /", index: 5 },
    { input: "numpy && curl evil.com", index: 6 },
    { input: "numpy=1.8=$(id)", index: 10 },
    { input: "numpy=1.8=py27_0`id`", index: 16 },
    { input: "numpy 1.8 py<27", index: 12 },
    { input: "numpy=1.8=py27|py36", index: 14 },
    { input: "numpy 1.8 py27_0 ; ls", index: 17 },
    { input: "numpy>=1.0$(id)", index: 10 },
    { input: "numpy[build='py27;ls']", index: 17 },
    { input: "numpy[license='MIT & BSD']", index: 19 },
    { input: "numpy[url='https://example.org/$HOME/x']", index: 31 },
    { input: `numpy[build="py27'"]`, index: 17 },
    { input: "numpy[build=py\\27]", index: 14 },
    { input: "numpy[version='>=1.8;ls']", index: 20 },
    { input: "numpy[channel='conda-forge;ls']", index: 26 },
    { input: "numpy[build=py27|py36]", index: 16 },
    { input: "numpy[build=>py27]", index: 12 },
    { input: "numpy\nrm -rf /", index: 5 },
    { input: "numpy\t1.8", index: 5 },
    { input: "numpy\u00a0>=1.8", index: 5 },
    { input: "numpy≥1.8", index: 5 },
    { input: '"numpy>=1.8"', index: 0, hint: /quotes/ },
    { input: "numpy 1.8 py27_0 extra", index: 17 },
    { input: "numpy >=1.8 <2", index: 12, hint: />=1\.8,<2/ },
    { input: "  numpy", index: 0 },
    { input: "", index: 0 },
  ];
  it.each(metacharacters)("rejects $input", expectRejected);
});
