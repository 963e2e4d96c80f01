import { describe, expect, it } from "vitest";
import { type PipRequirement, parsePipRequirement } from "./pep508.js";

/** An accepted case: the input and the fields it must parse into (normalizedName is tested on its own). */
interface Accepted {
  input: string;
  name: string;
  extras?: string[];
  specifier?: string;
  url?: string;
  marker?: string;
}

/** A rejected case: the input and, where pinned down, the index of the reported problem. */
interface Rejected {
  input: string;
  index?: number;
  hint?: RegExp;
}

function expectAccepted(row: Accepted): void {
  const { input, name, extras = [], specifier, url, marker } = row;
  expect(parsePipRequirement(input)).toEqual({
    ok: true,
    value: { name, normalizedName: expect.any(String), extras, specifier, url, marker },
  });
}

function expectRejected(row: Rejected): void {
  const result = parsePipRequirement(row.input);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.message).not.toBe("");
  if (row.index !== undefined) expect(result.error.index).toBe(row.index);
  if (row.hint !== undefined) expect(result.error.hint).toMatch(row.hint);
}

function valueOf(input: string): PipRequirement {
  const result = parsePipRequirement(input);
  if (!result.ok) throw new Error(`${input}: ${result.error.message}`);
  return result.value;
}

describe("parsePipRequirement", () => {
  // PEP 508, "Examples" and "Environment Markers" sections, and the test program at its end.
  const pep508Examples: Accepted[] = [
    {
      input: 'requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"',
      name: "requests",
      extras: ["security", "tests"],
      specifier: ">=2.8.1,==2.8.*",
      marker: 'python_version < "2.7"',
    },
    {
      input:
        "pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686",
      name: "pip",
      url: "https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686",
    },
    { input: "requests[security]", name: "requests", extras: ["security"] },
    { input: 'argparse;python_version<"2.7"', name: "argparse", marker: 'python_version < "2.7"' },
    { input: "A", name: "A" },
    { input: "A.B-C_D", name: "A.B-C_D" },
    { input: "aa", name: "aa" },
    { input: "name", name: "name" },
    { input: "name<=1", name: "name", specifier: "<=1" },
    { input: "name>=3", name: "name", specifier: ">=3" },
    { input: "name>=3,<2", name: "name", specifier: ">=3,<2" },
    { input: "name@http://foo.com", name: "name", url: "http://foo.com" },
    {
      input: "name [fred,bar] @ http://foo.com ; python_version=='2.7'",
      name: "name",
      extras: ["fred", "bar"],
      url: "http://foo.com",
      marker: "python_version == '2.7'",
    },
    {
      input: "name[quux, strange];python_version<'2.7' and platform_version=='2'",
      name: "name",
      extras: ["quux", "strange"],
      marker: "python_version < '2.7' and platform_version == '2'",
    },
    {
      input: "name; os_name=='a' or os_name=='b'",
      name: "name",
      marker: "os_name == 'a' or os_name == 'b'",
    },
    {
      input: "name; os_name=='a' and os_name=='b' or os_name=='c'",
      name: "name",
      marker: "os_name == 'a' and os_name == 'b' or os_name == 'c'",
    },
    {
      input: "name; os_name=='a' and (os_name=='b' or os_name=='c')",
      name: "name",
      marker: "os_name == 'a' and (os_name == 'b' or os_name == 'c')",
    },
    {
      input: "name; os_name=='a' or os_name=='b' and os_name=='c'",
      name: "name",
      marker: "os_name == 'a' or os_name == 'b' and os_name == 'c'",
    },
    {
      input: "name; (os_name=='a' or os_name=='b') and os_name=='c'",
      name: "name",
      marker: "(os_name == 'a' or os_name == 'b') and os_name == 'c'",
    },
    { input: "name; os_name not in 'a'", name: "name", marker: "os_name not in 'a'" },
    // PEP 508 says these fail when evaluated, not when parsed.
    { input: 'name; "dog" ~= "fred"', name: "name", marker: '"dog" ~= "fred"' },
    {
      input: 'name; python_version ~= "surprise"',
      name: "name",
      marker: 'python_version ~= "surprise"',
    },
  ];
  it.each(pep508Examples)("parses the PEP 508 example $input", expectAccepted);

  // PEP 440, "Version specifiers" (its examples for each clause kind) and "Direct references".
  const pep440Examples: Accepted[] = [
    {
      input: "pkg ~= 0.9, >= 1.0, != 1.3.4.*, < 2.0",
      name: "pkg",
      specifier: "~=0.9,>=1.0,!=1.3.4.*,<2.0",
    },
    { input: "pkg ~= 2.2", name: "pkg", specifier: "~=2.2" },
    { input: "pkg >= 2.2, == 2.*", name: "pkg", specifier: ">=2.2,==2.*" },
    { input: "pkg ~= 1.4.5", name: "pkg", specifier: "~=1.4.5" },
    { input: "pkg ~= 2.2.post3", name: "pkg", specifier: "~=2.2.post3" },
    { input: "pkg ~= 1.4.5a4", name: "pkg", specifier: "~=1.4.5a4" },
    { input: "pkg ~= 2.2.0", name: "pkg", specifier: "~=2.2.0" },
    { input: "pkg ~= 1.4.5.0", name: "pkg", specifier: "~=1.4.5.0" },
    { input: "pkg == 1.1.post1", name: "pkg", specifier: "==1.1.post1" },
    { input: "pkg == 1.1a1", name: "pkg", specifier: "==1.1a1" },
    { input: "pkg == 1.1.dev1", name: "pkg", specifier: "==1.1.dev1" },
    { input: "pkg != 1.1.*", name: "pkg", specifier: "!=1.1.*" },
    { input: "pkg ===foobar", name: "pkg", specifier: "===foobar" },
    { input: "pkg ===1.0", name: "pkg", specifier: "===1.0" },
    { input: "pkg ~=3.1a1", name: "pkg", specifier: "~=3.1a1" },
    { input: "pkg ~=3.1.0, != 3.1.3", name: "pkg", specifier: "~=3.1.0,!=3.1.3" },
    {
      input: "pip @ file:///localbuilds/pip-1.3.1.zip",
      name: "pip",
      url: "file:///localbuilds/pip-1.3.1.zip",
    },
    {
      input: "pip @ file:///localbuilds/pip-1.3.1-py33-none-any.whl",
      name: "pip",
      url: "file:///localbuilds/pip-1.3.1-py33-none-any.whl",
    },
    {
      input: "pip @ git+https://github.com/pypa/pip.git@7921be1537eac1e97bc40179a57f0349c2aee67d",
      name: "pip",
      url: "git+https://github.com/pypa/pip.git@7921be1537eac1e97bc40179a57f0349c2aee67d",
    },
    {
      input:
        "pip @ git+https://github.com/pypa/pip.git@1.3.1#7921be1537eac1e97bc40179a57f0349c2aee67d",
      name: "pip",
      url: "git+https://github.com/pypa/pip.git@1.3.1#7921be1537eac1e97bc40179a57f0349c2aee67d",
    },
  ];
  it.each(pep440Examples)("parses the PEP 440 example $input", expectAccepted);

  // PEP 440: "~=" MUST NOT have a single release number; no prefix match on a dev or local version.
  const pep440Rejections: Rejected[] = [
    { input: "pkg ~=1", index: 6 },
    { input: "pkg ==1.0.dev1.*", index: 14 },
    { input: "pkg ==1.0+foo1.*", index: 14 },
  ];
  it.each(pep440Rejections)("rejects $input, which PEP 440 forbids", expectRejected);

  // pypa/packaging tests/test_specifiers.py: SPECIFIERS (valid) and test_specifiers_str_and_repr.
  const packagingSpecifiers: Accepted[] = [
    ...["~=2.0", "==2.1.*", "==2.1.0.3", "!=2.2.*", "!=2.2.0.5", "<=5", ">=7.9a1", "<1.0.dev1"].map(
      (specifier) => ({ input: `name${specifier}`, name: "name", specifier }),
    ),
    { input: "name>2.0.post1", name: "name", specifier: ">2.0.post1" },
    { input: "name< 2", name: "name", specifier: "<2" },
  ];
  it.each(packagingSpecifiers)("accepts the version specifier in $input", expectAccepted);

  // pypa/packaging tests/test_specifiers.py, test_specifiers_invalid (prefixed with a name).
  const packagingInvalidSpecifiers: Rejected[] = [
    { input: "name 2.0", index: 5, hint: /name==2\.0/ },
    { input: "name=>2.0", index: 4, hint: />=/ },
    { input: "name==", index: 6 },
    { input: "name~=1.0+5", index: 9 },
    { input: "name>=1.0+deadbeef", index: 9 },
    { input: "name<=1.0+abc123" },
    { input: "name>1.0+watwat" },
    { input: "name<1.0+1.0" },
    { input: "name~=1.0.*", index: 9 },
    { input: "name>=1.0.*" },
    { input: "name<=1.0.*" },
    { input: "name>1.0.*" },
    { input: "name<1.0.*", index: 8 },
    { input: "name==1.0.*+5", index: 11 },
    { input: "name!=1.0.*+deadbeef" },
    { input: "name==2.0a1.*", index: 11 },
    { input: "name!=2.0a1.*" },
    { input: "name==2.0.post1.*" },
    { input: "name!=2.0.post1.*" },
    { input: "name==2.0.dev1.*" },
    { input: "name!=2.0.dev1.*" },
    { input: "name==1.0+5.*" },
    { input: "name!=1.0+deadbeef.*" },
    { input: "name==1.0.*.5", index: 11 },
    { input: "name~=1" },
    { input: "name==1.2+\u0130", index: 10 },
    { input: "name==1.2+\u0130\u0131\u017fK", index: 10 },
  ];
  it.each(packagingInvalidSpecifiers)("rejects the invalid specifier in $input", expectRejected);

  // pypa/packaging tests/test_specifiers.py, test_specifiers_normalized: spellings PEP 440 normalises.
  const normalisedVersions = [
    "1.0dev",
    "1.0.dev",
    "1.0dev1",
    "1.0-dev",
    "1.0-dev1",
    "1.0DEV",
    "1.0.DEV1",
    "1.0a",
    "1.0.a",
    "1.0.a1",
    "1.0-a1",
    "1.0alpha",
    "1.0.alpha1",
    "1.0-ALPHA1",
    "1.0b",
    "1.0.beta",
    "1.0-B1",
    "1.0c",
    "1.0-c1",
    "1.0rc",
    "1.0.RC1",
    "1.0post",
    "1.0.post",
    "1.0post1",
    "1.0-POST1",
    "1.0-5",
    "1.01",
    "1.0a05",
    "1.0c056",
    "1.0rc09",
    "1.0.post000",
    "1.1.dev09000",
    "00!1.2",
    "0100!0.0",
    "v1.0",
  ];
  it.each(normalisedVersions)("accepts the version %s after every operator", (version) => {
    for (const operator of ["~=", "==", "!=", "<=", ">=", "<", ">"]) {
      expect(valueOf(`name${operator}${version}`).specifier).toBe(`${operator}${version}`);
    }
  });

  it("accepts a local version (1.0+AbC) only after == and !=", () => {
    expect(valueOf("name==1.0+AbC").specifier).toBe("==1.0+AbC");
    expect(valueOf("name!=1.0+AbC").specifier).toBe("!=1.0+AbC");
    for (const operator of ["~=", "<=", ">=", "<", ">"]) {
      expectRejected({ input: `name${operator}1.0+AbC`, index: 4 + operator.length + 3 });
    }
  });

  // pypa/packaging tests/test_requirements.py, test_basic_valid_requirement_parsing: its URLs,
  // specifiers and markers, joined with and without whitespace as that test does.
  const packagingRequirements: Accepted[] = [
    ...[
      "https://example.com/packagename.zip",
      "ssh://user:pass%20word@example.com/packagename.zip",
      "https://example.com/name;v=1.1/?query=foo&bar=baz#blah",
      "git+ssh://git.example.com/MyProject",
      "git+ssh://git@github.com:pypa/packaging.git",
      "git+https://git.example.com/MyProject.git@master",
      "git+https://git.example.com/MyProject.git@v1.0",
      "git+https://git.example.com/MyProject.git@refs/pull/123/head",
      // PEP 508 takes any URI, not only "scheme://": test_basic_valid_requirement_parsing, test_file_url.
      "gopher:/foo/com",
      "file:.",
      "file:/.",
      "file://.",
    ].map((url) => ({ input: `pAcKaGe @ ${url}`, name: "pAcKaGe", url })),
    // Tabs are PEP 508 whitespace (wsp := " " | "\t"): test_basic_valid_requirement_parsing's "\t" run.
    {
      input: "package\t[\ta\t,\tb\t]\t>\t2.2\t,\t<\t3\t;\tpython_version\t>=\t'3.3'",
      name: "package",
      extras: ["a", "b"],
      specifier: ">2.2,<3",
      marker: "python_version >= '3.3'",
    },
    { input: "name>=1\t", name: "name", specifier: ">=1" },
    { input: "name>=1 \t", name: "name", specifier: ">=1" },
    {
      input: "android12\t@\thttps://example.com/packagename.zip",
      name: "android12",
      url: "https://example.com/packagename.zip",
    },
    // A trailing "," in the version list: the living spec's version_many (June 2024) and packaging.
    { input: "name>=3,", name: "name", specifier: ">=3" },
    { input: "name>=1.0,<2.0,", name: "name", specifier: ">=1.0,<2.0" },
    { input: "name (>=1.0,)", name: "name", specifier: ">=1.0" },
    { input: "numpy>=1.0, ", name: "numpy", specifier: ">=1.0" },
    {
      input: "name>=1.0, ; os_name=='a'",
      name: "name",
      specifier: ">=1.0",
      marker: "os_name == 'a'",
    },
    { input: "package===arbitrarystring", name: "package", specifier: "===arbitrarystring" },
    {
      input: "package ( === arbitrarystring )",
      name: "package",
      specifier: "===arbitrarystring",
    },
    { input: "package == 1.0", name: "package", specifier: "==1.0" },
    { input: "package(==1.0)", name: "package", specifier: "==1.0" },
    { input: "package == 1.0-alpha", name: "package", specifier: "==1.0-alpha" },
    { input: "package<=1!3.0.0.rc2", name: "package", specifier: "<=1!3.0.0.rc2" },
    { input: "package > 2.2 , < 3", name: "package", specifier: ">2.2,<3" },
    { input: "package ( > 2.2 , < 3 )", name: "package", specifier: ">2.2,<3" },
    {
      input: "android12[a,B,CDEF123];python_version>='3.3'",
      name: "android12",
      extras: ["a", "B", "CDEF123"],
      marker: "python_version >= '3.3'",
    },
    {
      input: 'installer ; ( python_version >= "3.4" ) and extra == "oursql"',
      name: "installer",
      marker: '(python_version >= "3.4") and extra == "oursql"',
    },
    {
      input: "Package;sys_platform!='linux' and(os_name=='linux' or python_version>='3.3')",
      name: "Package",
      marker: "sys_platform != 'linux' and (os_name == 'linux' or python_version >= '3.3')",
    },
    {
      input:
        "foo-bar.quux_bAz [ a , B ] @ https://example.com/packagename.zip  ; sys_platform != 'linux' and(os_name == 'linux' or python_version >= '3.3' ) ",
      name: "foo-bar.quux_bAz",
      extras: ["a", "B"],
      url: "https://example.com/packagename.zip",
      marker: "sys_platform != 'linux' and (os_name == 'linux' or python_version >= '3.3')",
    },
    // test_valid_marker (the PEP 508 spellings), test_file_url, test_empty_extras, test_empty_specifier.
    {
      input: "name; platform_python_implementation == ''",
      name: "name",
      marker: "platform_python_implementation == ''",
    },
    { input: "name; os_name == 'linux'", name: "name", marker: "os_name == 'linux'" },
    { input: "name @ file:///absolute/path", name: "name", url: "file:///absolute/path" },
    { input: "name @ file://.", name: "name", url: "file://." },
    { input: "name[]", name: "name" },
    { input: "name()", name: "name" },
    // test_str_and_repr combinations.
    { input: "name[a1,b1,b2]==2.*", name: "name", extras: ["a1", "b1", "b2"], specifier: "==2.*" },
    {
      input: 'name[a]@ https://url ; "3." not in python_version',
      name: "name",
      extras: ["a"],
      url: "https://url",
      marker: '"3." not in python_version',
    },
    // The older pyparsing-era test_requirements.py.
    { input: "foo-bar.quux_baz", name: "foo-bar.quux_baz" },
    { input: "name (==4)", name: "name", specifier: "==4" },
    { input: "name >=2, <3", name: "name", specifier: ">=2,<3" },
    { input: "foobar [quux,bar]", name: "foobar", extras: ["quux", "bar"] },
    {
      input: 'name[bar]>=3; python_version == "2.7"',
      name: "name",
      extras: ["bar"],
      specifier: ">=3",
      marker: 'python_version == "2.7"',
    },
    {
      input: 'name@ http://foo.com ; extra == "feature"',
      name: "name",
      url: "http://foo.com",
      marker: 'extra == "feature"',
    },
    {
      input: "foo @ https://example.com/name;v=1.1/?query=foo&bar=baz#blah ; python_version=='3.4'",
      name: "foo",
      url: "https://example.com/name;v=1.1/?query=foo&bar=baz#blah",
      marker: "python_version == '3.4'",
    },
    {
      input: "foobar[quux]<2,>=3; os_name=='a'",
      name: "foobar",
      extras: ["quux"],
      specifier: "<2,>=3",
      marker: "os_name == 'a'",
    },
    {
      input: 'something>=1.2.3; sys_platform == "foo"',
      name: "something",
      specifier: ">=1.2.3",
      marker: 'sys_platform == "foo"',
    },
    {
      input: "aviato>=1.2.3; 'f' in sys_platform",
      name: "aviato",
      specifier: ">=1.2.3",
      marker: "'f' in sys_platform",
    },
  ];
  it.each(packagingRequirements)("parses the pypa/packaging case $input", expectAccepted);

  // pypa/packaging tests/test_requirements.py, the test_error_* cases. Where packaging points its
  // caret at the same character, the index is pinned down too.
  const packagingRejections: Rejected[] = [
    { input: "", index: 0 },
    { input: "==0.0", index: 0 },
    { input: "name[bar baz]", index: 9 },
    { input: "name[bar, baz,]", index: 14, hint: /trailing ","/ },
    { input: "name (>= 1.0", index: 12 },
    // packaging points one further, at the "*"; this parser points at the start of ".*".
    { input: "black (>=20.*) ; extra == 'format'", index: 11 },
    { input: "name[bar, baz >= 1.0", index: 14 },
    { input: "name[bar, baz", index: 13 },
    // packaging points past the space; this parser points at the ";" the URL swallowed.
    { input: "name @ https://example.com/; extra == 'example'", index: 27, hint: / ; extra/ },
    { input: "name; (extra == 'example'", index: 25 },
    { input: "name @ ", index: 7 },
    { input: "name; invalid_name", index: 6 },
    { input: "name; '3.7' <= invalid_name", index: 15 },
    { input: "name; '3.7' notin python_version", index: 12, hint: /not in/ },
    { input: "name; '3.6'inpython_version", index: 11 },
    { input: "name; '3.7' not python_version", index: 16 },
    { input: "name; '3.7' ~ python_version", index: 12 },
    { input: "name==1.0.org1", index: 9, hint: /===/ },
    { input: "name 1.0", index: 5 },
    { input: "name >= 1.0 #", index: 12 },
    // From the older test_requirements.py (its legacy version is no longer accepted either).
    { input: "foo!", index: 3 },
    { input: "name; foobar=='x'", index: 6 },
    { input: "toto 42", index: 5 },
    { input: "name>=1.x.y;python_version=='2.6'", index: 7 },
  ];
  it.each(packagingRejections)("rejects the pypa/packaging error case $input", expectRejected);

  // pypa/packaging tests/test_requirements.py, EQUAL_DEPENDENCIES: the same requirement written
  // differently parses to the same fields (markers compared with their quotes unified).
  const equalSpellings: [string, string][] = [
    ["packaging>20.1", "packaging>20.1"],
    [
      'requests[security, tests]>=2.8.1,==2.8.*;python_version<"2.7"',
      'requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"',
    ],
    ['importlib-metadata; python_version<"3.8"', "importlib-metadata; python_version<'3.8'"],
    [
      'appdirs>=1.4.4,<2; os_name=="posix" and extra=="testing"',
      "appdirs>=1.4.4,<2; os_name == 'posix' and extra == 'testing'",
    ],
  ];
  it.each(equalSpellings)("parses %s and %s to the same requirement", (first, second) => {
    const unifyQuotes = (requirement: PipRequirement): PipRequirement => ({
      ...requirement,
      marker: requirement.marker?.replaceAll("'", '"'),
    });
    expect(unifyQuotes(valueOf(first))).toEqual(unifyQuotes(valueOf(second)));
  });

  // pypa/packaging tests/test_requirements.py, the names of test_basic_valid_requirement_parsing;
  // the expected forms follow PEP 503's normalisation rule.
  const names: [string, string][] = [
    ["package", "package"],
    ["pAcKaGe", "package"],
    ["Package", "package"],
    ["foo-bar.quux_bAz", "foo-bar-quux-baz"],
    ["installer", "installer"],
    ["android12", "android12"],
    ["A.B-C_D", "a-b-c-d"],
    ["Foo__Bar..-baz", "foo-bar-baz"],
  ];
  it.each(names)("keeps the name %s as written and normalises it to %s", (name, normalized) => {
    expect(valueOf(`${name}>=1`)).toMatchObject({ name, normalizedName: normalized });
  });

  // pypa/packaging tests/test_markers.py, test_parses_valid: every variable, operator and value,
  // with the variable on either side.
  const variables = [
    "extra",
    "implementation_name",
    "implementation_version",
    "os_name",
    "platform_machine",
    "platform_release",
    "platform_system",
    "platform_version",
    "python_full_version",
    "python_version",
    "platform_python_implementation",
    "sys_platform",
  ];
  const markerOperators = ["===", "==", ">=", "<=", "!=", "~=", ">", "<", "in", "not in"];
  const markerValues = [
    "1.0",
    "5.6a0",
    "dog",
    "freebsd",
    "literally any string can go here",
    "things @#4 dsfd (((",
  ];
  it.each(variables)("accepts %s compared with every marker operator and value", (variable) => {
    for (const operator of markerOperators) {
      for (const value of markerValues) {
        const forward = `${variable} ${operator} '${value}'`;
        const backward = `'${value}' ${operator} ${variable}`;
        expect(valueOf(`name; ${forward}`).marker).toBe(forward);
        expect(valueOf(`name;${backward}`).marker).toBe(backward);
      }
    }
  });

  // pypa/packaging tests/test_markers.py: test_str_repr_eq_hash, test_evaluates,
  // test_extra_compared_to_variable_not_normalized, test_prefers_pep440.
  const packagingMarkers: [string, string][] = [
    ["python_version == '2.7'", "python_version == '2.7'"],
    ['python_version=="2.7"', 'python_version == "2.7"'],
    [
      'python_version == "2.7" and os_name == "linux" or sys_platform == "win32"',
      'python_version == "2.7" and os_name == "linux" or sys_platform == "win32"',
    ],
    ['(python_version == "2.7")', '(python_version == "2.7")'],
    [
      'python_version == "2.7" and (sys_platform == "win32" or sys_platform == "linux")',
      'python_version == "2.7" and (sys_platform == "win32" or sys_platform == "linux")',
    ],
    ["'2.7' in python_version", "'2.7' in python_version"],
    ["'2.7'   not    in python_version", "'2.7' not in python_version"],
    [
      "python_version ~= '2.7.0' and (os_name == 'foo' or os_name == 'bar')",
      "python_version ~= '2.7.0' and (os_name == 'foo' or os_name == 'bar')",
    ],
    ["extra == 'pep-685-norm'", "extra == 'pep-685-norm'"],
    ["extra == os_name", "extra == os_name"],
    ['"2.7.9" < python_full_version', '"2.7.9" < python_full_version'],
    [
      '(extra == "Foo_Bar" or extra == "Baz") and python_version >= "3"',
      '(extra == "Foo_Bar" or extra == "Baz") and python_version >= "3"',
    ],
  ];
  it.each(packagingMarkers)("normalises the whitespace of the marker %s", (marker, expected) => {
    expect(valueOf(`name; ${marker}`).marker).toBe(expected);
  });

  // pypa/packaging tests/test_markers.py, test_parses_invalid and
  // test_parses_invalid_malformed_quoted_string (a backslash has no meaning in PEP 508).
  const invalidMarkers: Rejected[] = [
    { input: "name; this_isnt_a_real_variable >= '1.0'", index: 6 },
    { input: "name; python_version", index: 20 },
    { input: "name; (python_version)", index: 21 },
    { input: "name; python_version >= 1.0 and (python_version)", index: 24, hint: /'1\.0'/ },
    { input: 'name; (python_version == "2.7" and os_name == "linux"', index: 53 },
    { input: 'name; (python_version == "2.7") with random text', index: 32 },
    { input: 'name; os_name == "C:\\"', index: 20 },
    { input: 'name; os_name == "\\x"', index: 18 },
  ];
  it.each(invalidMarkers)("rejects the invalid marker in $input", expectRejected);

  // pypa/packaging tests/test_markers.py test_parses_pep345_valid and test_requirements.py
  // test_valid_marker: packaging (and so pip) still reads the pre-PEP 508 spellings as the modern
  // variables, and so does this parser; the marker is reported with the modern name.
  const legacyMarkers: [string, string][] = [
    ["name; os.name == 'nt'", "os_name == 'nt'"],
    ["name; sys.platform == 'win32'", "sys_platform == 'win32'"],
    ["name; platform.version in 'Ubuntu'", "platform_version in 'Ubuntu'"],
    ["name; platform.machine=='x86_64'", "platform_machine == 'x86_64'"],
    [
      "name; platform.python_implementation=='Jython'",
      "platform_python_implementation == 'Jython'",
    ],
    ["name; python_implementation=='Jython'", "platform_python_implementation == 'Jython'"],
    ["name; '8' not in platform.version", "'8' not in platform_version"],
  ];
  it.each(legacyMarkers)("reads the legacy marker variable in %s", (input, marker) => {
    expect(valueOf(input).marker).toBe(marker);
  });

  // test_extras_and_dependency_groups: PEP 751 variables exist only in lock files; pip refuses them
  // in a requirement, so this parser refuses them on purpose and says why.
  const lockFileMarkers: Rejected[] = [
    { input: 'name; "foo" in extras', index: 15, hint: /lock files/ },
    { input: 'name; "foo" in dependency_groups', index: 15, hint: /lock files/ },
  ];
  it.each(lockFileMarkers)("rejects the lock-file marker variable in $input", expectRejected);

  // pypa/packaging tests/test_specifiers.py normalises "  \r \f \v v1.0\t\n"; in a YAML entry
  // such characters are refused wherever they are.
  it("rejects control characters that pip would strip from a version", () => {
    expectRejected({ input: "name==  \r \f \v v1.0\t\n", index: 8 });
  });

  // imagesmith's own rules: what an admin typing a YAML entry gets wrong, and options that pip
  // would execute instead of installing a package.
  const entryMistakes: Rejected[] = [
    { input: "-r requirements.txt", index: 0, hint: /own entry/ },
    { input: "--index-url https://pypi.example.com/simple", index: 0, hint: /imagesmith\.yaml/ },
    { input: "--extra-index-url=https://x.example.com", index: 0, hint: /imagesmith\.yaml/ },
    { input: "-e git+https://github.com/pypa/pip.git", index: 0, hint: /name @ URL/ },
    { input: "  -numpy", index: 2 },
    { input: "numpy=1.0", index: 5, hint: /==/ },
    { input: "numpy == 1.0 ; python_version >= 3.8", index: 33, hint: /'3\.8'/ },
    { input: "numpy; os_name == 'posix", index: 18 },
    { input: "numpy>=1.0<2.0", index: 10, hint: /commas/ },
    { input: "numpy>=1.0,,<2", index: 11, hint: /one of the ","/ },
    { input: "numpy>=1.0 @ https://example.com/numpy.whl", index: 11 },
    { input: "numpy==1.0[extra]", index: 10 },
    { input: "numpy;", index: 6 },
    { input: "numpy scipy", index: 6, hint: /own entry/ },
    { input: "numpy-", index: 5 },
    { input: "numpy[extra_]", index: 11 },
    { input: "numpy\n", index: 5 },
    { input: "numpy\tscipy", index: 6, hint: /own entry/ },
    { input: "numpy\u00a0==1.0", index: 5 },
    { input: "git+https://github.com/pypa/pip.git", index: 0, hint: /name @ git\+https/ },
    { input: "./dist/pkg-1.0.whl", index: 0, hint: /file:\/\/\// },
    { input: "pkg @ ./dist/pkg-1.0.whl", index: 6 },
    { input: "pkg @ https://", index: 14 },
    { input: "pkg @ https://example.com/a b.whl", index: 28 },
    { input: "pkg @ https://example.com/a%zz.whl", index: 27 },
    { input: "pkg @ https://example.com/pkg.whl;python_version>'3'", index: 33, hint: / ;/ },
    { input: "pkg @ https://example.com/pkg.whl extra", index: 34 },
    { input: "Numpy; Python_Version >= '3.8'", index: 7, hint: /python_version/ },
    { input: "numpy; os_name == posix", index: 18, hint: /'posix'/ },
    { input: "numpy; os_name <> 'posix'", index: 15, hint: /!=/ },
    { input: "numpy; os_name = 'posix'", index: 15, hint: /==/ },
    { input: "numpy==1.0 --hash=sha256:0123", index: 11, hint: /imagesmith\.yaml/ },
    { input: ".", index: 0, hint: /file:\/\/\// },
    { input: "~=1.0", index: 0 },
    { input: `name; ${"(".repeat(100_000)}os_name == 'posix'`, index: 70 },
  ];
  it.each(entryMistakes)("rejects the entry $input with a pointed message", expectRejected);

  it("reports where the problem is and how to fix it", () => {
    expect(parsePipRequirement("numpy=1.26.4")).toEqual({
      ok: false,
      error: {
        message: '"=" is not a version operator; use one of ==, !=, <, <=, >, >=, ~= or ===',
        index: 5,
        hint: 'use "==" for an exact version, e.g. numpy==1.26.4',
      },
    });
  });

  it("keeps leading and trailing spaces out of every field", () => {
    expect(valueOf("  numpy [ fft ] >= 1.0 ; os_name == 'posix'  ")).toEqual({
      name: "numpy",
      normalizedName: "numpy",
      extras: ["fft"],
      specifier: ">=1.0",
      marker: "os_name == 'posix'",
    });
  });

  it("leaves out the fields a requirement does not have", () => {
    expect(Object.keys(valueOf("numpy"))).toEqual(["name", "normalizedName", "extras"]);
  });
});
