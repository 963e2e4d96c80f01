import { describe, expect, it } from "vitest";
import { type CommentsPort, planMarker, upsertComment } from "./comment.js";

interface Author {
  login: string;
  bot: boolean;
}
const ACTIONS: Author = { login: "github-actions[bot]", bot: true };

/**
 * An in-memory comments port that pages like the API and records calls. Seeded comments are the
 * Actions bot's unless they name their author; `writer` is who the token writes as.
 */
function memoryPort(
  initial: { id: number; body: string; author?: Author }[],
  options: { pageSize?: number; writer?: Author } = {},
) {
  const { pageSize = 2, writer = ACTIONS } = options;
  const comments = initial.map((comment) => ({ author: ACTIONS, ...comment }));
  const calls: string[] = [];
  let next = 100;
  const port: CommentsPort = {
    async *list() {
      calls.push("list");
      for (let at = 0; at < comments.length; at += pageSize)
        yield comments.slice(at, at + pageSize);
    },
    whoami() {
      calls.push("whoami");
      return Promise.resolve(writer.bot ? undefined : writer.login);
    },
    async create(body) {
      calls.push("create");
      const comment = { id: next++, body, author: writer };
      comments.push(comment);
      return { id: comment.id };
    },
    async update(id, body) {
      calls.push(`update ${id}`);
      const found = comments.find((comment) => comment.id === id);
      if (found) found.body = body;
    },
    async remove(id) {
      calls.push(`remove ${id}`);
      comments.splice(
        comments.findIndex((comment) => comment.id === id),
        1,
      );
    },
  };
  return { port, comments, calls };
}

describe("upsertComment", () => {
  const marker = planMarker(".");

  it("creates the comment when there is none, then edits it in place", async () => {
    const { port, comments, calls } = memoryPort([{ id: 1, body: "LGTM" }]);

    const first = await upsertComment(port, marker, "plan A");
    const second = await upsertComment(port, marker, "plan B");

    expect(first.action).toBe("created");
    expect(second).toEqual({ action: "updated", id: first.id });
    expect(comments.map((c) => c.body)).toEqual(["LGTM", `${marker}\nplan B`]);
    expect(calls.filter((c) => c === "create")).toHaveLength(1);
  });

  it("finds its comment on a later page and leaves an unchanged plan alone", async () => {
    const { port, calls } = memoryPort([
      { id: 1, body: "a" },
      { id: 2, body: "b" },
      { id: 3, body: "c" },
      { id: 4, body: `${marker}\nplan` },
    ]);

    const result = await upsertComment(port, marker, "plan");

    expect(result).toEqual({ action: "unchanged", id: 4 });
    expect(calls).toEqual(["list"]);
  });

  it("deletes duplicates left by two runs that raced, keeping the oldest", async () => {
    const { port, comments } = memoryPort([
      { id: 5, body: `${marker}\nold` },
      { id: 6, body: `${marker}\nraced` },
    ]);

    await upsertComment(port, marker, "new");

    expect(comments).toEqual([{ id: 5, body: `${marker}\nnew`, author: ACTIONS }]);
  });

  it("keeps the comments of two catalogs in one repository apart", async () => {
    const { port, comments } = memoryPort([{ id: 7, body: `${planMarker("gpu")}\ngpu plan` }]);

    await upsertComment(port, planMarker("cpu"), "cpu plan");

    expect(comments.map((c) => c.body)).toEqual([
      `${planMarker("gpu")}\ngpu plan`,
      `${planMarker("cpu")}\ncpu plan`,
    ]);
  });

  it("never edits or deletes a comment a person wrote, even one that starts with the marker", async () => {
    const person = { login: "mallory", bot: false };
    const { port, comments, calls } = memoryPort([
      { id: 9, body: `${marker}\nfake plan`, author: person },
      { id: 10, body: `${marker}\nplan A` },
    ]);

    const result = await upsertComment(port, marker, "plan B");

    expect(result).toEqual({ action: "updated", id: 10 });
    expect(comments.map((c) => c.body)).toEqual([`${marker}\nfake plan`, `${marker}\nplan B`]);
    expect(calls).toEqual(["list", "update 10"]);
  });

  it("with a personal token, finds the comment its user wrote, asking who that is only then", async () => {
    const alice = { login: "alice", bot: false };
    const { port, comments, calls } = memoryPort(
      [
        { id: 11, body: `${marker}\nby mallory`, author: { login: "mallory", bot: false } },
        { id: 12, body: `${marker}\nplan A`, author: alice },
      ],
      { writer: alice },
    );

    const result = await upsertComment(port, marker, "plan B");
    const fresh = memoryPort([], { writer: alice });
    await upsertComment(fresh.port, marker, "plan");

    expect(result).toEqual({ action: "updated", id: 12 });
    expect(comments.map((c) => c.body)).toEqual([`${marker}\nby mallory`, `${marker}\nplan B`]);
    expect(calls).toEqual(["list", "whoami", "update 12"]);
    expect(fresh.calls).toEqual(["list", "create"]);
  });

  it("does not take a comment that quotes the marker further down for its own", async () => {
    const { port, calls } = memoryPort([{ id: 8, body: `> see\n${marker}` }]);

    await upsertComment(port, marker, "plan");

    expect(calls).toContain("create");
  });
});
