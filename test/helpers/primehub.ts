/**
 * A stand-in for PrimeHub's GraphQL API (primehub-console's graphql-server) on loopback, for a
 * sync of the catalog to run against in tests. A real HTTP server: requests are parsed and
 * validated by graphql-js against our SDL of PrimeHub's API (./primehub/schema.graphql) and
 * executed against the in-memory model of its image resolvers (./primehub/model.ts).
 *
 *   const hub = await startPrimeHub({ groups: [{ name: "research" }], images: [{ name: "base" }] });
 *   // POST hub.url with `authorization: Bearer ${hub.token}` and {query, variables, operationName}
 *   hub.requests;                     // every request, with its HTTP status and whether it validated
 *   hub.mutations;                    // every mutation field that ran: field, alias, arguments
 *   hub.edit("base", { url: "x" });   // somebody saves the image on PrimeHub's admin screen
 *   hub.failAfter(2, "reset");        // requests after the next two lose their connection ...
 *   hub.heal();                       // ... until now
 *   hub.state();                      // everything stored, each image with its access
 *   await hub.stop();
 *
 * What it copies from PrimeHub, which runs Apollo Server 2 on Koa:
 * - Authentication happens before the operation is even parsed. Without `Bearer` in the
 *   Authorization header, or with a token that is not the stand-in's, the answer is HTTP 500 with
 *   `Context creation failed: <reason>` (PrimeHub throws a plain Boom error from its context
 *   function, which Apollo turns into a 500). The stand-in's token is an administrator's.
 * - An operation that does not parse, does not validate, or whose variables do not fit it is
 *   answered with HTTP 400 and `{errors}`, without `data`. Once it runs, the answer is 200, even
 *   when every field failed.
 * - Errors carry only `message` and `extensions.code`: PrimeHub's error formatter answers a new
 *   ApolloError, which drops `path` and `locations`. A client cannot tell from an error which
 *   aliased field it belongs to; it can tell from `data`, where a failed nullable field is null
 *   and a failed `createImage` (non-null) makes the whole `data` null.
 * - The fields of a mutation run one after another in the order written (graphql-js), so later
 *   fields see what earlier ones did, and nothing runs after a failed `createImage`.
 */
import { readBody } from "./http.js";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  execute,
  getOperationAST,
  getVariableValues,
  type GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import {
  createPrimeHubModel,
  PrimeHubError,
  type GroupRecord,
  type GroupWhere,
  type ImageCreateData,
  type ImageMode,
  type ImageRecord,
  type ImageUpdateData,
  type ImageWhere,
  type PrimeHubState,
  type SeedGroup,
  type SeedImage,
} from "./primehub/model.js";
import { primeHubSchema } from "./primehub/schema.js";

export type { PrimeHubState, SeedGroup, SeedImage } from "./primehub/model.js";

/** The token the stand-in accepts unless told another. */
export const PRIMEHUB_TOKEN = "primehub-test-token";

/** Where PrimeHub serves its API behind the console's `/api` prefix. */
export const PRIMEHUB_PATH = "/api/graphql";

/** How a request fails on demand: the connection dropped unanswered, or an HTTP 500. */
/** reset: the connection drops; 500: an HTML error page; hang: no answer, ever (until stop). */
export type PrimeHubFault = "reset" | "500" | "hang";

export interface PrimeHubRequest {
  /** The operation chosen: `operationName` as sent, else the name of the document's only one. */
  operationName: string | null;
  /** As sent; empty when the body carried none. */
  query: string;
  variables: Record<string, unknown>;
  isMutation: boolean;
  /** The HTTP status answered; 0 when the connection was dropped without an answer. */
  status: number;
  /** Whether the operation parsed, validated against the schema, and its variables fit it. */
  valid: boolean;
  /** Set when `failAfter` made this request fail. */
  fault?: PrimeHubFault;
}

export interface PrimeHubMutation {
  /** The schema's field: createImage, updateImage or deleteImage. */
  field: string;
  /** The alias written in the operation, if any. */
  alias?: string;
  /** The arguments after variables were put in, as the resolver got them. */
  args: Record<string, unknown>;
  /** Set when PrimeHub refused the change (some of it may have happened all the same). */
  error?: { code: string; message: string };
}

/** What an administrator changes on PrimeHub's image screen; the rest of the form stays. */
export interface ScreenEdit {
  displayName?: string;
  description?: string;
  type?: string;
  url?: string;
  /** Shown for `both` only; null switches the separate GPU URL off. */
  urlForGpu?: string | null;
  /** Null switches the pull secret off. */
  useImagePullSecret?: string | null;
  global?: boolean;
  /** Every group the image should be given to, by name, as the form's picker then shows them. */
  groups?: string[];
}

export interface PrimeHubStub {
  /** The full endpoint, http://127.0.0.1:PORT/api/graphql. */
  url: string;
  /** The administrator's token the stand-in accepts, for `authorization: Bearer <token>`. */
  token: string;
  /** Every request to the endpoint, in order of arrival. */
  readonly requests: PrimeHubRequest[];
  /** Every mutation field that ran, in the order it ran. */
  readonly mutations: PrimeHubMutation[];
  /** Forgets the recorded requests and mutations; what is stored stays. */
  clear(): void;
  /**
   * Lets the next `n` requests through, then fails every one after until `heal()`. A failed
   * request does not run, unless `run` is set: then it runs and only its answer is lost.
   */
  failAfter(n: number, fault: PrimeHubFault, options?: { run?: boolean }): void;
  /** Answers every request again. */
  heal(): void;
  /** Everything stored, each image with its global flag and its groups by name. */
  state(): PrimeHubState;
  /** Somebody adds an image on PrimeHub's screen (not recorded; groups by name). */
  add(image: SeedImage): void;
  /**
   * Somebody saves an image on PrimeHub's admin screen (not recorded). The form sends every one of
   * its fields, so this is an update with all of them, the unchanged ones as they are stored. Like
   * the admin form it sends no `groupName`, which PrimeHub then removes.
   */
  edit(name: string, changes: ScreenEdit): void;
  /** Somebody deletes an image on PrimeHub's screen (not recorded). */
  remove(name: string): void;
  stop(): Promise<void>;
}

/** An error as PrimeHub prints it. */
interface PrintedError {
  message: string;
  extensions: { code: string };
}

interface Checked {
  document?: DocumentNode;
  operation?: OperationDefinitionNode;
  /** Why the operation cannot run, as Apollo answers it with HTTP 400; empty without a query. */
  rejection?: PrintedError[];
}

interface Body {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | null;
}

/** The arguments of the fields that take one image or group by id. */
interface Where {
  where: { id: string };
}

interface Reply {
  status: number;
  type: string;
  text: string;
}

function json(status: number, value: unknown): Reply {
  return { status, type: "application/json", text: JSON.stringify(value) };
}

function printed(message: string, code: string): PrintedError {
  return { message, extensions: { code } };
}

/** What PrimeHub's error formatter keeps of an execution error. */
function printedError(error: GraphQLError): PrintedError {
  const original = error.originalError;
  return original instanceof PrimeHubError
    ? printed(original.message, original.code)
    : printed(error.message, "INTERNAL_SERVER_ERROR");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The operation Apollo would run, or why it would answer 400, in the order it finds out. */
function check(schema: GraphQLSchema, body: Body): Checked {
  // Apollo answers this one in plain text (an HttpQueryError), hence no errors to list.
  if (body.query === "") return { rejection: [] };
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return { rejection: [printed((error as Error).message, "GRAPHQL_PARSE_FAILED")] };
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0)
    return {
      document,
      rejection: invalid.map((error) => printed(error.message, "GRAPHQL_VALIDATION_FAILED")),
    };
  const operation = getOperationAST(document, body.operationName) ?? undefined;
  if (!operation) {
    const message =
      body.operationName === null
        ? "Must provide operation name if query contains multiple operations."
        : `Unknown operation named "${body.operationName}".`;
    // graphql-js's messages, under Apollo's default code, as PrimeHub's formatter keeps it.
    return { document, rejection: [printed(message, "INTERNAL_SERVER_ERROR")] };
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], body.variables);
  if (coerced.errors)
    return {
      document,
      operation,
      rejection: coerced.errors.map((error) => printed(error.message, "INTERNAL_SERVER_ERROR")),
    };
  return { document, operation };
}

/** Why PrimeHub's context function refuses the Authorization header, or null if it does not. */
function refusal(authorization: string, token: string): string | null {
  // PrimeHub looks for "Bearer" anywhere in the header and strips the first "Bearer ".
  if (!authorization.includes("Bearer")) return "request not authorized";
  if (authorization.replace("Bearer ", "") === token) return null;
  // An unknown token is tried as an API (offline) token, which Keycloak refuses to refresh.
  return "invalid_grant (Invalid refresh token)";
}

/** A PrimeHub holding the given groups and images, serving its API on a free loopback port. */
export async function startPrimeHub(
  options: { token?: string; images?: SeedImage[]; groups?: SeedGroup[] } = {},
): Promise<PrimeHubStub> {
  const token = options.token ?? PRIMEHUB_TOKEN;
  const schema = primeHubSchema();
  const model = createPrimeHubModel({ images: options.images, groups: options.groups });
  const requests: PrimeHubRequest[] = [];
  const mutations: PrimeHubMutation[] = [];
  let failing: { remaining: number; fault: PrimeHubFault; run: boolean } | null = null;

  // Plain objects whose function fields graphql-js's default resolver calls with the arguments.
  function imageValue(image: ImageRecord) {
    return {
      ...image,
      global: () => model.isGlobal(image.id),
      groups: () => model.groupsOfImage(image.id).map(groupValue),
    };
  }
  function groupValue(group: GroupRecord) {
    return {
      ...group,
      images: (args: { mode?: ImageMode | null }) =>
        model.imagesOfGroup(group.id, args.mode).map(imageValue),
    };
  }
  function mutation<A>(change: (args: A) => ImageRecord) {
    return (args: A, _context: unknown, info: GraphQLResolveInfo) => {
      const alias = info.fieldNodes[0]?.alias?.value;
      const entry: PrimeHubMutation = {
        field: info.fieldName,
        ...(alias ? { alias } : {}),
        args: structuredClone(args) as Record<string, unknown>,
      };
      mutations.push(entry);
      try {
        return imageValue(change(args));
      } catch (error) {
        if (error instanceof PrimeHubError)
          entry.error = { code: error.code, message: error.message };
        throw error;
      }
    };
  }
  const root = {
    images: (args: { mode?: ImageMode | null; where?: ImageWhere | null }) =>
      model.images(args.mode, args.where).map(imageValue),
    image: ({ where }: Where) => {
      const image = model.image(where.id);
      return image && imageValue(image);
    },
    groups: (args: { where?: GroupWhere | null }) => model.groups(args.where).map(groupValue),
    group: ({ where }: Where) => {
      const group = model.group(where.id);
      return group && groupValue(group);
    },
    createImage: mutation(({ data }: { data: ImageCreateData }) => model.createImage(data)),
    updateImage: mutation(({ where, data }: Where & { data: ImageUpdateData }) =>
      model.updateImage(where.id, data),
    ),
    deleteImage: mutation(({ where }: Where) => model.deleteImage(where.id)),
  };

  /** The answer to a request that is let through. */
  async function answer(body: Body, checked: Checked, authorization: string): Promise<Reply> {
    const refused = refusal(authorization, token);
    if (refused !== null)
      return json(500, {
        errors: [printed(`Context creation failed: ${refused}`, "INTERNAL_SERVER_ERROR")],
      });
    if (checked.rejection?.length === 0)
      return { status: 400, type: "text/plain", text: "Must provide query string." };
    if (checked.rejection || !checked.document) return json(400, { errors: checked.rejection });
    const result = await execute({
      schema,
      document: checked.document,
      operationName: body.operationName,
      variableValues: body.variables,
      rootValue: root,
    });
    return json("data" in result ? 200 : 400, {
      ...(result.errors ? { errors: result.errors.map(printedError) } : {}),
      ...("data" in result ? { data: result.data } : {}),
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path !== PRIMEHUB_PATH) {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
      return;
    }
    if (request.method !== "POST") {
      response
        .writeHead(405, { "content-type": "text/plain" })
        .end("the stand-in takes operations by POST only");
      return;
    }

    let parsed: unknown;
    let unparsable: string | null = null;
    try {
      parsed = JSON.parse(text);
      if (!isRecord(parsed)) unparsable = "invalid JSON, only supports object and array";
    } catch (error) {
      unparsable = (error as Error).message;
    }
    const sent = isRecord(parsed) ? parsed : {};
    const body: Body = {
      query: typeof sent.query === "string" ? sent.query : "",
      variables: isRecord(sent.variables) ? sent.variables : {},
      operationName: typeof sent.operationName === "string" ? sent.operationName : null,
    };
    const checked = check(schema, body);
    const record: PrimeHubRequest = {
      operationName: checked.operation?.name?.value ?? body.operationName,
      query: body.query,
      variables: body.variables,
      isMutation: checked.operation?.operation === "mutation",
      status: 0,
      valid: !checked.rejection,
    };
    requests.push(record);

    let fault: { fault: PrimeHubFault; run: boolean } | null = null;
    if (failing && failing.remaining > 0) failing.remaining -= 1;
    else if (failing) fault = failing;
    if (fault) record.fault = fault.fault;

    let reply: Reply | null = null;
    if (!fault || fault.run) {
      reply =
        unparsable === null
          ? await answer(body, checked, request.headers.authorization ?? "")
          : // koa-bodyparser refuses the body before Apollo sees it, and PrimeHub's Koa error
            // handler answers that in its own shape.
            json(400, { code: "INTERNAL_ERROR", message: unparsable });
    }

    if (fault?.fault === "reset") {
      request.socket.destroy();
      return;
    }
    if (fault?.fault === "hang") return;
    // No reply means a fault that did not let the request run, and "reset" is handled above.
    if (fault?.fault === "500" || !reply) {
      record.status = 500;
      response
        .writeHead(500, { "content-type": "text/html" })
        .end("<html><body><h1>500 Internal Server Error</h1></body></html>");
      return;
    }
    record.status = reply.status;
    response.writeHead(reply.status, { "content-type": reply.type }).end(reply.text);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A fault of the stand-in itself: say so rather than pass for PrimeHub's answer.
      response
        .writeHead(500, { "content-type": "text/plain" })
        .end(`the PrimeHub stand-in failed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  function groupIds(names: string[]): { id: string }[] {
    const known = model.groups();
    return names.map((name) => {
      const group = known.find((candidate) => candidate.name === name);
      if (!group) throw new Error(`no group named ${name} in the PrimeHub stand-in`);
      return { id: group.id };
    });
  }

  return {
    url: `http://127.0.0.1:${port}${PRIMEHUB_PATH}`,
    token,
    requests,
    mutations,
    clear() {
      requests.length = 0;
      mutations.length = 0;
    },
    failAfter(n, fault, { run = false } = {}) {
      failing = { remaining: n, fault, run };
    },
    heal() {
      failing = null;
    },
    state: () => model.state(),
    add(image) {
      model.createImage({ ...image, groups: { connect: groupIds(image.groups ?? []) } });
    },
    edit(name, changes) {
      const image = model.image(name);
      if (!image) throw new Error(`no image named ${name} in the PrimeHub stand-in`);
      const current = model.groupsOfImage(name).map((group) => group.name);
      const wanted = changes.groups ?? current;
      const type = changes.type ?? image.type;
      // The form shows the GPU URL switched on only for an image that has its own, and sends
      // the field only for `both`; the pull secret is switched on when one is stored.
      const ownGpuUrl = image.urlForGpu !== image.url ? image.urlForGpu : null;
      model.updateImage(name, {
        name,
        displayName: changes.displayName ?? image.displayName,
        description: changes.description ?? image.description,
        type,
        url: changes.url ?? image.url,
        ...(type === "both"
          ? { urlForGpu: changes.urlForGpu !== undefined ? changes.urlForGpu : ownGpuUrl }
          : {}),
        useImagePullSecret:
          changes.useImagePullSecret !== undefined
            ? changes.useImagePullSecret
            : image.useImagePullSecret || null,
        global: changes.global ?? model.isGlobal(name),
        groups: {
          connect: groupIds(wanted.filter((group) => !current.includes(group))),
          disconnect: groupIds(current.filter((group) => !wanted.includes(group))),
        },
      });
    },
    remove(name) {
      model.deleteImage(name);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
