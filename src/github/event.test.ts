import { describe, expect, it } from "vitest";
import { eventPolicy, type EventInfo } from "./event.js";

const repository = { full_name: "acme/images", default_branch: "main" };

function event(overrides: Partial<EventInfo>): EventInfo {
  return {
    eventName: "push",
    ref: "refs/heads/main",
    repository: "acme/images",
    payload: { repository },
    ...overrides,
  };
}

function pullRequest(head: string | null): EventInfo {
  return event({
    eventName: "pull_request",
    ref: "refs/pull/4/merge",
    payload: {
      number: 4,
      pull_request: {
        number: 4,
        head: { repo: head === null ? null : { full_name: head } },
        base: { repo: { full_name: "acme/images" } },
      },
      repository,
    },
  });
}

describe("eventPolicy", () => {
  it("lets a push, a dispatch and a schedule on the default branch publish", () => {
    expect(eventPolicy(event({})).mayPublish).toBe(true);
    expect(eventPolicy(event({ eventName: "workflow_dispatch" })).mayPublish).toBe(true);
    expect(
      eventPolicy(event({ eventName: "schedule", payload: { schedule: "0 3 * * *" } })).mayPublish,
    ).toBe(true);
  });

  it("never lets a pull request publish, and tells a fork from a branch of the same repository", () => {
    const same = eventPolicy(pullRequest("acme/images"));
    const fork = eventPolicy(pullRequest("mallory/images"));

    expect(same).toMatchObject({ mayPublish: false, pullRequest: { number: 4, fork: false } });
    expect(same.why).toContain("only plans");
    expect(fork).toMatchObject({ mayPublish: false, pullRequest: { number: 4, fork: true } });
    expect(fork.why).toContain("comes from a fork (mallory/images)");
  });

  it("treats a pull request whose head repository was deleted as a fork", () => {
    expect(eventPolicy(pullRequest(null))).toMatchObject({ pullRequest: { fork: true } });
  });

  it("refuses other branches, other events, and a payload that does not name the default branch", () => {
    expect(eventPolicy(event({ ref: "refs/heads/dev" })).why).toBe(
      "refs/heads/dev is not the default branch (main): only main pushes and publishes",
    );
    expect(eventPolicy(event({ ref: "refs/tags/v1" })).mayPublish).toBe(false);
    expect(eventPolicy(event({ eventName: "release" })).why).toContain(
      "a release event never pushes",
    );
    expect(eventPolicy(event({ eventName: "issue_comment" })).mayPublish).toBe(false);
    expect(eventPolicy(event({ payload: {} })).mayPublish).toBe(false);
    expect(eventPolicy(event({ eventName: undefined })).mayPublish).toBe(false);
  });

  it("refuses pull_request_target too: its payload carries a pull request", () => {
    const info = pullRequest("acme/images");

    expect(eventPolicy({ ...info, eventName: "pull_request_target" }).mayPublish).toBe(false);
  });
});
