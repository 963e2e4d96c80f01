/**
 * PrimeHub's GraphQL API as the sync needs it: one query that reads every image (with its groups)
 * and every group, and the mutations of a sync sent as aliased fields of one operation, a chunk at
 * a time. PrimeHub runs the fields of one operation one after another, in order, and stops at a
 * failed `createImage` (its result is non-null); each image's change is one field, so an
 * interrupted sync leaves every image either changed or not, and the next one finishes the job.
 *
 * The token travels in the Authorization header only, and is blanked out of every error.
 */
import { redact } from "../exec.js";
import type { PrimeHubState, SyncAction } from "./primehub.js";

export const READ_QUERY = `query ReadPrimeHub {
  images { id name displayName description type url urlForGpu useImagePullSecret groupName global groups { id name } }
  groups { id name displayName }
}`;

/** Mutations per request: few requests, and a failure costs at most one chunk's answers. */
export const CHUNK = 25;

export class PrimeHubError extends Error {
  readonly stage = "sync";
  constructor(
    message: string,
    readonly code: "unauthorized" | "unreachable" | "graphql" | "protocol" | "cancelled",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "PrimeHubError";
  }
}

export interface PrimeHubPort {
  read(): Promise<PrimeHubState>;
  /** Sends the actions, a chunk per request; what each one did. Never rejects for one action. */
  apply(actions: readonly SyncAction[]): Promise<ApplyOutcome[]>;
  /** Requests sent so far. */
  readonly requests: number;
}

export interface ApplyOutcome {
  action: SyncAction;
  ok: boolean;
  /** Failed: PrimeHub's message (or why the request did not get an answer). */
  error?: string;
}

export function primeHubClient(options: {
  endpoint: string;
  token: string;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}): PrimeHubPort {
  const send = options.fetch ?? fetch;
  let requests = 0;
  const secrets = [options.token];

  async function post(
    operationName: string,
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ data?: Record<string, unknown> | null; errors?: GraphQLError[] }> {
    requests++;
    let response: Response;
    try {
      response = await send(options.endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          authorization: `Bearer ${options.token}`,
        },
        body: JSON.stringify({ operationName, query, variables }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted)
        throw new PrimeHubError(`${operationName}: cancelled`, "cancelled", { cause: error });
      const why =
        (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      throw new PrimeHubError(
        redact(`${operationName} to ${options.endpoint}: ${why}`, secrets),
        "unreachable",
        { cause: error },
      );
    }
    const body = await response.text();
    let parsed: { data?: Record<string, unknown> | null; errors?: GraphQLError[] };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      throw new PrimeHubError(
        redact(
          `${operationName} to ${options.endpoint}: HTTP ${response.status}, not a GraphQL answer: ${body.slice(0, 200)}`,
          secrets,
        ),
        "protocol",
      );
    }
    const messages = (parsed.errors ?? []).map((e) => e.message ?? "").join("; ");
    // PrimeHub answers a missing or wrong token with HTTP 500 "Context creation failed".
    if (
      response.status === 401 ||
      /Context creation failed|not authorized|Invalid API Token/i.test(messages)
    )
      throw new PrimeHubError(
        redact(
          `PrimeHub refused the token (${messages || `HTTP ${response.status}`}): set PRIMEHUB_API_TOKEN to an API token of a PrimeHub administrator`,
          secrets,
        ),
        "unauthorized",
      );
    if (!response.ok && !parsed.data)
      throw new PrimeHubError(
        redact(
          `${operationName}: HTTP ${response.status}: ${messages || body.slice(0, 200)}`,
          secrets,
        ),
        "graphql",
      );
    return parsed;
  }

  return {
    get requests() {
      return requests;
    },
    async read() {
      const answer = await post("ReadPrimeHub", READ_QUERY, {});
      if (answer.errors?.length || !answer.data)
        throw new PrimeHubError(
          redact(
            `reading PrimeHub's images and groups: ${(answer.errors ?? []).map((e) => e.message).join("; ") || "no data"}`,
            secrets,
          ),
          "graphql",
        );
      const images = answer.data.images;
      const groups = answer.data.groups;
      if (!Array.isArray(images) || !Array.isArray(groups))
        throw new PrimeHubError("PrimeHub's answer has no images or groups list", "protocol");
      return {
        images: images.filter(isRecord) as unknown as PrimeHubState["images"],
        groups: groups.filter(isRecord) as unknown as PrimeHubState["groups"],
      };
    },
    async apply(given) {
      // Deletes and updates first, creates last: a failed create stops the rest of its request.
      const rank = { delete: 0, update: 1, create: 2 } as const;
      const actions = [...given].sort((a, b) => rank[a.kind] - rank[b.kind]);
      const outcomes: ApplyOutcome[] = [];
      for (let start = 0; start < actions.length; start += CHUNK) {
        const chunk = actions.slice(start, start + CHUNK);
        const { query, variables } = mutationOf(chunk);
        let answer: Awaited<ReturnType<typeof post>>;
        try {
          answer = await post("Sync", query, variables);
        } catch (error) {
          // No answer: PrimeHub may have run some of them; the next sync reads what it did.
          for (const action of actions.slice(start))
            outcomes.push({ action, ok: false, error: (error as Error).message });
          if (
            (error as PrimeHubError).code === "cancelled" ||
            (error as PrimeHubError).code === "unauthorized"
          )
            throw error;
          return outcomes;
        }
        // PrimeHub's errors carry no path: a field's result says how it went. A failed update or
        // delete is null and the rest ran; a failed create (non-null) nulls all of `data`, and
        // what ran before it is only known to the next read.
        const why = redact(
          (answer.errors ?? []).map((e) => e.message ?? "").join("; ") || "no answer for it",
          secrets,
        );
        chunk.forEach((action, index) => {
          const done = isRecord(answer.data?.[`a${index}`]);
          outcomes.push(
            done
              ? { action, ok: true }
              : {
                  action,
                  ok: false,
                  error: answer.data
                    ? why
                    : `not known to have run: a change in the same request failed (${why}); the next sync finishes it`,
                },
          );
        });
      }
      return outcomes;
    },
  };
}

interface GraphQLError {
  message?: string;
}

/** One operation with a field per action, aliased a0, a1, ... in order. */
export function mutationOf(actions: readonly SyncAction[]): {
  query: string;
  variables: Record<string, unknown>;
} {
  const declarations: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, unknown> = {};
  actions.forEach((action, index) => {
    const alias = `a${index}`;
    if (action.kind === "create") {
      declarations.push(`$${alias}: ImageCreateInput!`);
      fields.push(`${alias}: createImage(data: $${alias}) { id }`);
      variables[alias] = {
        name: action.name,
        ...action.fields,
        useImagePullSecret: action.fields.useImagePullSecret ?? "",
        groupName: action.fields.groupName ?? "",
        global: action.global,
        groups: { connect: action.groups.map((group) => ({ id: group.id })) },
      };
    } else if (action.kind === "update") {
      declarations.push(`$${alias}w: ImageWhereUniqueInput!`, `$${alias}: ImageUpdateInput!`);
      fields.push(`${alias}: updateImage(where: $${alias}w, data: $${alias}) { id }`);
      variables[`${alias}w`] = { id: action.id };
      variables[alias] = {
        ...action.fields,
        // Sent every time: PrimeHub removes one an update leaves out.
        useImagePullSecret: action.fields.useImagePullSecret ?? "",
        groupName: action.fields.groupName ?? "",
        global: action.global,
        groups: {
          connect: action.connect.map((group) => ({ id: group.id })),
          disconnect: action.disconnect.map((group) => ({ id: group.id })),
        },
      };
    } else {
      declarations.push(`$${alias}w: ImageWhereUniqueInput!`);
      fields.push(`${alias}: deleteImage(where: $${alias}w) { id }`);
      variables[`${alias}w`] = { id: action.id };
    }
  });
  return {
    query: `mutation Sync(${declarations.join(", ")}) {\n  ${fields.join("\n  ")}\n}`,
    variables,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
