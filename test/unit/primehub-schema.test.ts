import { readFileSync } from "node:fs";
import {
  assertValidSchema,
  buildSchema,
  getOperationAST,
  getVariableValues,
  isNonNullType,
  parse,
  validate,
} from "graphql";
import { describe, expect, it } from "vitest";
import { READ_PRIMEHUB, SYNC_MUTATION } from "../helpers/primehub/operations.js";
import { PRIMEHUB_SDL, primeHubSchema } from "../helpers/primehub/schema.js";

const schema = primeHubSchema();

/** The messages of graphql-js's validation of `query` against our schema. */
function problems(query: string): string[] {
  return validate(schema, parse(query)).map((error) => error.message);
}

/** The messages of coercing `variables` to the variables `query` declares. */
function variableProblems(query: string, variables: Record<string, unknown>): string[] {
  const operation = getOperationAST(parse(query));
  if (!operation) throw new Error("expected one operation");
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return (coerced.errors ?? []).map((error) => error.message);
}

describe("PrimeHub schema", () => {
  it("builds with graphql-js into a valid schema", () => {
    const built = buildSchema(readFileSync(PRIMEHUB_SDL, "utf8"));

    expect(() => assertValidSchema(built)).not.toThrow();
    expect(Object.keys(built.getMutationType()?.getFields() ?? {})).toEqual([
      "createImage",
      "updateImage",
      "deleteImage",
    ]);
  });

  it("types createImage non-null and updateImage and deleteImage nullable, as PrimeHub does", () => {
    const fields = schema.getMutationType()?.getFields();

    expect(isNonNullType(fields?.createImage?.type)).toBe(true);
    expect(isNonNullType(fields?.updateImage?.type)).toBe(false);
    expect(isNonNullType(fields?.deleteImage?.type)).toBe(false);
  });

  it.each([
    ["the sync's read", READ_PRIMEHUB],
    ["the sync's chunk of changes", SYNC_MUTATION],
  ])("validates %s", (_name, query) => {
    expect(problems(query)).toEqual([]);
  });

  it("takes the variables a sync sends for a chunk of changes", () => {
    const variables = {
      a0: {
        name: "torch",
        displayName: "torch",
        description: "PyTorch",
        type: "both",
        url: "ghcr.io/acme/torch@sha256:1",
        urlForGpu: "ghcr.io/acme/torch-cuda@sha256:2",
        useImagePullSecret: "",
        groupName: null,
        global: false,
        groups: { connect: [{ id: "g-research" }] },
      },
      a1w: { id: "base" },
      a1: {
        description: null,
        type: "cpu",
        url: "ghcr.io/acme/base@sha256:3",
        useImagePullSecret: "pull",
        groupName: "",
        global: null,
        groups: { connect: [{ id: "g-ops" }], disconnect: [{ id: "g-research" }] },
      },
      a2w: { id: "old" },
    };

    expect(variableProblems(SYNC_MUTATION, variables)).toEqual([]);
  });

  it.each([
    ["an unknown field", "{ images { id pullSecret } }", 'Cannot query field "pullSecret"'],
    [
      "a field of another type",
      "{ groups { id url } }",
      'Cannot query field "url" on type "Group"',
    ],
    [
      "a string where a Boolean goes",
      'mutation { createImage(data: { name: "x", global: "yes" }) { id } }',
      "Boolean cannot represent a non boolean value",
    ],
    [
      "a number where a String goes",
      "mutation { createImage(data: { name: 1 }) { id } }",
      "String cannot represent a non string value",
    ],
    [
      "an unknown enum value",
      "{ images(mode: EVERYTHING) { id } }",
      'Value "EVERYTHING" does not exist in "QueryImageMode" enum.',
    ],
    [
      "a custom build, which a sync must not start",
      'mutation { createImage(data: { name: "x", imageSpec: { baseImage: "b" } }) { id } }',
      'Field "imageSpec" is not defined by type "ImageCreateInput".',
    ],
    [
      "disconnect on a new image",
      'mutation { createImage(data: { name: "x", groups: { disconnect: [{ id: "g" }] } }) { id } }',
      'Field "disconnect" is not defined by type "GroupCreateManyInput".',
    ],
    [
      "an update without where",
      "mutation { updateImage(data: {}) { id } }",
      'argument "where" of type "ImageWhereUniqueInput!" is required',
    ],
    [
      "a variable of the wrong input type",
      "mutation M($w: ImageWhereUniqueInput!) { createImage(data: $w) { id } }",
      'Variable "$w" of type "ImageWhereUniqueInput!" used in position expecting type "ImageCreateInput!".',
    ],
    [
      "an object without a selection",
      'mutation { deleteImage(where: { id: "x" }) }',
      'Field "deleteImage" of type "Image" must have a selection of subfields.',
    ],
    [
      "pagination, left out of our subset",
      "{ images(page: 1) { id } }",
      'Unknown argument "page" on field "Query.images".',
    ],
  ])("rejects %s", (_name, query, message) => {
    const found = problems(query);

    expect(found.length).toBeGreaterThan(0);
    expect(found.join("\n")).toContain(message);
  });

  it.each([
    ["a create without a name", { a0: {}, a1w: { id: "a" }, a1: {}, a2w: { id: "b" } }, '"name"'],
    [
      "a group given by name instead of by id",
      {
        a0: { name: "x", groups: { connect: ["research"] } },
        a1w: { id: "a" },
        a1: {},
        a2w: { id: "b" },
      },
      "connect",
    ],
    ["a missing where", { a0: { name: "x" }, a1: {}, a2w: { id: "b" } }, '"$a1w"'],
  ])("refuses the variables of %s", (_name, variables, message) => {
    const found = variableProblems(SYNC_MUTATION, variables);

    expect(found.length).toBeGreaterThan(0);
    expect(found.join("\n")).toContain(message);
  });
});
