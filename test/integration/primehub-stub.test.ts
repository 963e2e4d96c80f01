import { afterEach, describe, expect, it } from "vitest";
import {
  startPrimeHub,
  type PrimeHubStub,
  type SeedGroup,
  type SeedImage,
} from "../helpers/primehub.js";
import { READ_PRIMEHUB, SYNC_MUTATION } from "../helpers/primehub/operations.js";

const GROUPS: SeedGroup[] = [
  { id: "g-research", name: "research", displayName: "Research" },
  { id: "g-ops", name: "ops" },
];

const IMAGES: SeedImage[] = [
  {
    name: "base",
    displayName: "Base",
    type: "cpu",
    url: "ghcr.io/acme/base@sha256:1",
    useImagePullSecret: "pull",
    groups: ["ops"],
  },
  { name: "old", url: "ghcr.io/acme/old@sha256:2", global: true },
];

interface Answer {
  status: number;
  json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions: { code: string } }[];
  };
}

let hub: PrimeHubStub | undefined;

afterEach(async () => {
  await hub?.stop();
  hub = undefined;
});

async function start(options: Parameters<typeof startPrimeHub>[0] = {}): Promise<PrimeHubStub> {
  hub = await startPrimeHub({ groups: GROUPS, images: IMAGES, ...options });
  return hub;
}

/** POSTs one operation as a GraphQL client does; the token is the stand-in's unless given. */
async function post(
  stub: PrimeHubStub,
  query: string,
  variables: Record<string, unknown> = {},
  options: { authorization?: string; operationName?: string } = {},
): Promise<Answer> {
  const response = await fetch(stub.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: options.authorization ?? `Bearer ${stub.token}`,
    },
    body: JSON.stringify({ query, variables, operationName: options.operationName }),
  });
  return { status: response.status, json: (await response.json()) as Answer["json"] };
}

/** The variables of SYNC_MUTATION: create `torch`, update `base`, delete `old`. */
function chunk(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    a0: {
      name: "torch",
      type: "both",
      url: "ghcr.io/acme/torch@sha256:3",
      urlForGpu: "ghcr.io/acme/torch-cuda@sha256:4",
      useImagePullSecret: "",
      global: false,
      groups: { connect: [{ id: "g-research" }] },
    },
    a1w: { id: "base" },
    a1: {
      displayName: "Base image",
      type: "cpu",
      url: "ghcr.io/acme/base@sha256:5",
      useImagePullSecret: "pull",
      global: true,
    },
    a2w: { id: "old" },
    ...overrides,
  };
}

function image(stub: PrimeHubStub, name: string) {
  return stub.state().images.find((candidate) => candidate.name === name);
}

describe("PrimeHub stand-in reads", () => {
  it("serves the full endpoint URL on loopback", async () => {
    const stub = await start();

    expect(stub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/graphql$/);
  });

  it("answers the sync's read with every image and its access, and every group", async () => {
    const stub = await start();

    const { status, json } = await post(stub, READ_PRIMEHUB);

    expect(status).toBe(200);
    expect(json.errors).toBeUndefined();
    expect(json.data).toEqual({
      images: [
        {
          id: "base",
          name: "base",
          displayName: "Base",
          description: null,
          type: "cpu",
          url: "ghcr.io/acme/base@sha256:1",
          urlForGpu: "ghcr.io/acme/base@sha256:1",
          useImagePullSecret: "pull",
          groupName: null,
          global: false,
          groups: [{ id: "g-ops", name: "ops" }],
        },
        {
          id: "old",
          name: "old",
          displayName: "old",
          description: null,
          type: "both",
          url: "ghcr.io/acme/old@sha256:2",
          urlForGpu: "ghcr.io/acme/old@sha256:2",
          useImagePullSecret: "",
          groupName: null,
          global: true,
          groups: [],
        },
      ],
      groups: [
        { id: "g-ops", name: "ops", displayName: null },
        { id: "g-research", name: "research", displayName: "Research" },
      ],
    });
  });
});

describe("PrimeHub stand-in validation", () => {
  it.each([
    ["an unknown field", "{ images { id pullSecret } }", 'Cannot query field "pullSecret"'],
    [
      "a wrong argument type",
      'mutation { createImage(data: { name: "x", global: "yes" }) { id } }',
      "Boolean cannot represent a non boolean value",
    ],
    ["a syntax error", "{ images { id ", "Syntax Error"],
  ])("answers %s with 400, errors and no data, and runs nothing", async (_name, query, message) => {
    const stub = await start();
    const before = stub.state();

    const { status, json } = await post(stub, query);

    expect(status).toBe(400);
    expect(json.data).toBeUndefined();
    expect(json.errors?.[0]?.message).toContain(message);
    expect(stub.requests).toMatchObject([{ status: 400, valid: false }]);
    expect(stub.mutations).toEqual([]);
    expect(stub.state()).toEqual(before);
  });

  it("answers variables that do not fit the operation with 400 before running any field", async () => {
    const stub = await start();

    const { status, json } = await post(stub, SYNC_MUTATION, chunk({ a1w: { name: "base" } }));

    expect(status).toBe(400);
    expect(json.data).toBeUndefined();
    expect(json.errors?.[0]?.message).toContain('"$a1w"');
    expect(stub.requests).toMatchObject([{ valid: false, isMutation: true }]);
    expect(stub.mutations).toEqual([]);
    expect(image(stub, "torch")).toBeUndefined();
  });

  it.each([
    ["a body that is not JSON", "{query:", "application/json", "JSON"],
    ["a body without a query", JSON.stringify({ variables: {} }), "text/plain", "query string"],
  ])("answers %s with 400", async (_name, body, type, message) => {
    const stub = await start();

    const response = await fetch(stub.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${stub.token}` },
      body,
    });

    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe(type);
    expect(await response.text()).toContain(message);
    expect(stub.requests).toMatchObject([{ query: "", status: 400, valid: false }]);
  });
});

describe("PrimeHub stand-in authentication", () => {
  it.each([
    ["no Authorization header", "", "Context creation failed: request not authorized"],
    ["a scheme other than Bearer", "Token primehub-test-token", "request not authorized"],
    ["a wrong token", "Bearer nope", "Context creation failed: invalid_grant"],
  ])("answers %s with 500 and runs nothing", async (_name, authorization, message) => {
    const stub = await start();

    const { status, json } = await post(stub, SYNC_MUTATION, chunk(), { authorization });

    expect(status).toBe(500);
    expect(json.data).toBeUndefined();
    expect(json.errors).toEqual([
      { message: expect.stringContaining(message), extensions: { code: "INTERNAL_SERVER_ERROR" } },
    ]);
    expect(stub.requests).toMatchObject([{ status: 500, valid: true }]);
    expect(stub.mutations).toEqual([]);
    expect(image(stub, "old")).toBeDefined();
  });

  it("accepts the token it was started with and no other", async () => {
    const stub = await start({ token: "secret-admin-token" });

    const accepted = await post(
      stub,
      READ_PRIMEHUB,
      {},
      { authorization: "Bearer secret-admin-token" },
    );
    const refused = await post(
      stub,
      READ_PRIMEHUB,
      {},
      { authorization: "Bearer primehub-test-token" },
    );

    expect(stub.token).toBe("secret-admin-token");
    expect(accepted.status).toBe(200);
    expect(refused.status).toBe(500);
  });
});

describe("PrimeHub stand-in mutations", () => {
  it("creates, updates and deletes images from one chunk of aliased changes", async () => {
    const stub = await start();

    const { status, json } = await post(stub, SYNC_MUTATION, chunk());

    expect(status).toBe(200);
    expect(json).toEqual({ data: { a0: { id: "torch" }, a1: { id: "base" }, a2: { id: "old" } } });
    expect(image(stub, "torch")).toMatchObject({
      type: "both",
      urlForGpu: "ghcr.io/acme/torch-cuda@sha256:4",
      global: false,
      groups: ["research"],
    });
    expect(image(stub, "base")).toMatchObject({
      displayName: "Base image",
      url: "ghcr.io/acme/base@sha256:5",
      global: true,
      groups: ["ops"],
    });
    expect(image(stub, "old")).toBeUndefined();
  });

  it("connects and disconnects groups, connects first", async () => {
    const stub = await start();

    const { json } = await post(
      stub,
      `mutation Access($w: ImageWhereUniqueInput!, $d: ImageUpdateInput!) {
        updateImage(where: $w, data: $d) { id groups { name } }
      }`,
      {
        w: { id: "base" },
        d: {
          useImagePullSecret: "pull",
          groups: { connect: [{ id: "g-research" }], disconnect: [{ id: "g-ops" }] },
        },
      },
    );

    expect(json).toEqual({ data: { updateImage: { id: "base", groups: [{ name: "research" }] } } });
    expect(image(stub, "base")).toMatchObject({ groups: ["research"], useImagePullSecret: "pull" });
  });

  it("makes an image global and takes it back, keeping its own groups", async () => {
    const stub = await start();
    const update = `mutation G($d: ImageUpdateInput!) {
      updateImage(where: { id: "base" }, data: $d) { global groups { name } }
    }`;

    const made = await post(stub, update, { d: { global: true, useImagePullSecret: "pull" } });
    const taken = await post(stub, update, { d: { global: false, useImagePullSecret: "pull" } });

    expect(made.json.data).toEqual({ updateImage: { global: true, groups: [{ name: "ops" }] } });
    expect(taken.json.data).toEqual({ updateImage: { global: false, groups: [{ name: "ops" }] } });
  });

  it("runs aliased fields in the order written, each seeing what the one before did", async () => {
    const stub = await start();

    const { json } = await post(
      stub,
      `mutation Ordered {
        first: createImage(data: { name: "fresh", description: "one" }) { id }
        second: updateImage(where: { id: "fresh" }, data: { description: "two" }) { description }
        third: deleteImage(where: { id: "fresh" }) { description }
        again: createImage(data: { name: "fresh", description: "three" }) { description }
      }`,
    );

    expect(json).toEqual({
      data: {
        first: { id: "fresh" },
        second: { description: "two" },
        third: { description: "two" },
        again: { description: "three" },
      },
    });
    expect(stub.mutations.map((entry) => entry.alias)).toEqual([
      "first",
      "second",
      "third",
      "again",
    ]);
  });

  it("nulls a failed update, without a path in the error, and runs the fields after it", async () => {
    const stub = await start();

    const { status, json } = await post(stub, SYNC_MUTATION, chunk({ a1w: { id: "missing" } }));

    expect(status).toBe(200);
    expect(json).toEqual({
      data: { a0: { id: "torch" }, a1: null, a2: { id: "old" } },
      errors: [{ message: "HTTP request failed", extensions: { code: "RESOURCE_NOT_FOUND" } }],
    });
    expect(image(stub, "old")).toBeUndefined();
  });

  it("nulls all data when a create fails and runs none of the fields after it", async () => {
    const stub = await start();

    const { status, json } = await post(stub, SYNC_MUTATION, chunk({ a0: { name: "base" } }));

    expect(status).toBe(200);
    expect(json).toEqual({
      data: null,
      errors: [{ message: "Resource already exist", extensions: { code: "RESOURCE_CONFLICT" } }],
    });
    expect(stub.mutations).toEqual([
      {
        field: "createImage",
        alias: "a0",
        args: { data: { name: "base" } },
        error: { code: "RESOURCE_CONFLICT", message: "Resource already exist" },
      },
    ]);
    expect(image(stub, "old")).toBeDefined();
  });
});

describe("PrimeHub stand-in faults", () => {
  it("drops the connection of every request after the first n until healed", async () => {
    const stub = await start();
    stub.failAfter(1, "reset");

    const first = await post(stub, READ_PRIMEHUB);
    const second = post(stub, SYNC_MUTATION, chunk());
    await expect(second).rejects.toThrow();
    await expect(post(stub, READ_PRIMEHUB)).rejects.toThrow();
    stub.heal();
    const healed = await post(stub, READ_PRIMEHUB);

    expect(first.status).toBe(200);
    expect(healed.status).toBe(200);
    expect(stub.requests.map((request) => [request.status, request.fault])).toEqual([
      [200, undefined],
      [0, "reset"],
      [0, "reset"],
      [200, undefined],
    ]);
    expect(stub.mutations).toEqual([]);
    expect(image(stub, "torch")).toBeUndefined();
  });

  it("answers 500 with an HTML page, running nothing", async () => {
    const stub = await start();
    stub.failAfter(0, "500");

    const response = await fetch(stub.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${stub.token}` },
      body: JSON.stringify({ query: SYNC_MUTATION, variables: chunk() }),
    });

    expect(response.status).toBe(500);
    expect(await response.text()).toContain("500 Internal Server Error");
    expect(stub.requests).toMatchObject([{ status: 500, fault: "500", valid: true }]);
    expect(stub.mutations).toEqual([]);
    expect(image(stub, "torch")).toBeUndefined();
  });

  it("with run, applies the changes and loses only the answer, so a retry conflicts", async () => {
    const stub = await start();
    stub.failAfter(0, "reset", { run: true });

    await expect(post(stub, SYNC_MUTATION, chunk())).rejects.toThrow();
    stub.heal();
    const retried = await post(stub, SYNC_MUTATION, chunk());

    expect(image(stub, "torch")).toBeDefined();
    expect(image(stub, "old")).toBeUndefined();
    expect(retried.json.data).toBeNull();
    expect(retried.json.errors?.[0]?.extensions.code).toBe("RESOURCE_CONFLICT");
  });

  it("with run and 500, applies the changes and answers 500 all the same", async () => {
    const stub = await start();
    stub.failAfter(0, "500", { run: true });

    const response = await fetch(stub.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${stub.token}` },
      body: JSON.stringify({ query: SYNC_MUTATION, variables: chunk() }),
    });

    expect(response.status).toBe(500);
    expect(stub.mutations.map((entry) => entry.alias)).toEqual(["a0", "a1", "a2"]);
    expect(image(stub, "torch")).toBeDefined();
  });
});

describe("PrimeHub stand-in recording", () => {
  it("records each request's operation, variables and outcome, and each mutation field", async () => {
    const stub = await start();
    const variables = chunk();

    await post(stub, READ_PRIMEHUB);
    await post(stub, SYNC_MUTATION, variables, { operationName: "Sync" });

    expect(stub.requests).toEqual([
      {
        operationName: "ReadPrimeHub",
        query: READ_PRIMEHUB,
        variables: {},
        isMutation: false,
        status: 200,
        valid: true,
      },
      {
        operationName: "Sync",
        query: SYNC_MUTATION,
        variables,
        isMutation: true,
        status: 200,
        valid: true,
      },
    ]);
    expect(stub.mutations).toEqual([
      { field: "createImage", alias: "a0", args: { data: variables.a0 } },
      { field: "updateImage", alias: "a1", args: { where: { id: "base" }, data: variables.a1 } },
      { field: "deleteImage", alias: "a2", args: { where: { id: "old" } } },
    ]);
  });

  it("records a field without an alias by its name alone", async () => {
    const stub = await start();

    await post(stub, 'mutation { deleteImage(where: { id: "old" }) { id } }');

    expect(stub.requests[0]?.operationName).toBeNull();
    expect(stub.mutations).toEqual([{ field: "deleteImage", args: { where: { id: "old" } } }]);
  });

  it("forgets the records on clear but keeps what is stored", async () => {
    const stub = await start();
    await post(stub, SYNC_MUTATION, chunk());

    stub.clear();

    expect(stub.requests).toEqual([]);
    expect(stub.mutations).toEqual([]);
    expect(image(stub, "torch")).toBeDefined();
  });
});

describe("PrimeHub stand-in screen", () => {
  it("saves an edit as the admin form does: every field, the group name dropped", async () => {
    const stub = await start({
      images: [
        {
          name: "team",
          type: "both",
          url: "ghcr.io/acme/team@sha256:6",
          urlForGpu: "ghcr.io/acme/team-cuda@sha256:7",
          useImagePullSecret: "pull",
          groupName: "research",
          groups: ["research"],
        },
      ],
    });

    stub.edit("team", { description: "edited by hand", groups: ["ops"] });

    expect(image(stub, "team")).toMatchObject({
      description: "edited by hand",
      url: "ghcr.io/acme/team@sha256:6",
      urlForGpu: "ghcr.io/acme/team-cuda@sha256:7",
      useImagePullSecret: "pull",
      groupName: null,
      global: false,
      groups: ["ops"],
    });
    expect(stub.requests).toEqual([]);
  });

  it("adds and removes images as somebody on PrimeHub's screen, which a read then shows", async () => {
    const stub = await start();

    stub.add({ name: "manual", url: "docker.io/library/python:3.12", groups: ["research"] });
    stub.remove("old");
    const { json } = await post(stub, "{ images { name groups { name } } }");

    expect(json.data).toEqual({
      images: [
        { name: "base", groups: [{ name: "ops" }] },
        { name: "manual", groups: [{ name: "research" }] },
      ],
    });
  });
});
