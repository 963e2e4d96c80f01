/**
 * What the event that started a workflow allows. Pushing images and publishing the catalog are for
 * the default branch only (push, workflow_dispatch, schedule); a pull request, above all one from
 * a fork, only ever plans.
 */

/** The parts of the runner's environment and event payload the policy reads. */
export interface EventInfo {
  /** GITHUB_EVENT_NAME. */
  eventName: string | undefined;
  /** GITHUB_REF, e.g. refs/heads/main or refs/pull/7/merge. */
  ref: string | undefined;
  /** GITHUB_REPOSITORY: owner/name. */
  repository: string | undefined;
  /** The event payload (GITHUB_EVENT_PATH's JSON), {} when there is none. */
  payload: Record<string, unknown>;
}

export interface PullRequestInfo {
  number: number;
  /** The head commit the plan describes. */
  headSha?: string;
  /** The head branch lives in another repository: its code does not get the secrets. */
  fork: boolean;
}

export interface EventPolicy {
  pullRequest?: PullRequestInfo;
  /** Whether this run may push images and publish the catalog. */
  mayPublish: boolean;
  /** Why not, in a sentence a reader of the log understands; empty when it may. */
  why: string;
}

const PUBLISHING_EVENTS = new Set(["push", "workflow_dispatch", "schedule"]);

export function eventPolicy(info: EventInfo): EventPolicy {
  const { eventName, payload } = info;
  if (!eventName)
    return { mayPublish: false, why: "GITHUB_EVENT_NAME is not set: this is not a workflow run" };

  const pull = record(payload.pull_request);
  if (pull) {
    const number = typeof pull.number === "number" ? pull.number : Number(payload.number);
    const head = record(record(pull.head)?.repo)?.full_name;
    const headSha = record(pull.head)?.sha;
    const base = record(record(pull.base)?.repo)?.full_name ?? info.repository;
    // A head repository that is gone (deleted fork) is still not ours.
    const fork = typeof head !== "string" || head !== base;
    return {
      pullRequest: { number, fork, ...(typeof headSha === "string" ? { headSha } : {}) },
      mayPublish: false,
      why: fork
        ? `pull request #${number} comes from a fork (${typeof head === "string" ? head : "a deleted repository"}): it never pushes or publishes; images are built when it is merged`
        : `pull request #${number} only plans: images are built and published when it is merged`,
    };
  }

  if (!PUBLISHING_EVENTS.has(eventName)) {
    return {
      mayPublish: false,
      why: `a ${eventName} event never pushes or publishes: only push, workflow_dispatch and schedule on the default branch do`,
    };
  }
  const defaultBranch = record(payload.repository)?.default_branch;
  // A scheduled run always runs on the default branch, and its payload does not say which it is.
  if (eventName === "schedule" && typeof defaultBranch !== "string")
    return { mayPublish: true, why: "" };
  if (typeof defaultBranch !== "string") {
    return {
      mayPublish: false,
      why: `the ${eventName} event does not name the repository's default branch, so this run cannot tell it is on it`,
    };
  }
  if (info.ref !== `refs/heads/${defaultBranch}`) {
    return {
      mayPublish: false,
      why: `${info.ref ?? "this ref"} is not the default branch (${defaultBranch}): only ${defaultBranch} pushes and publishes`,
    };
  }
  return { mayPublish: true, why: "" };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
