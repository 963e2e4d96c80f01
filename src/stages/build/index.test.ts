import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BuildError,
  type Builder,
  type BuildRequest,
  type BuildResult,
} from "../../builders/types.js";
import { type BuildJob, type BuildState, runBuilds } from "./index.js";

/** What the fake builder does for one image. */
interface Script {
  /** Lines logged before finishing. */
  lines?: string[];
  /** Reject with this (not cancelled) BuildError message. */
  fail?: string;
  /** Milliseconds the build takes. */
  ms?: number;
  /** Run until cancelled, then take this long to stop (ms) before rejecting as cancelled. */
  untilCancelled?: number;
}

interface Event {
  name: string;
  what: "start" | "end";
  at: number;
}

/** A Builder that follows scripts and records when builds start and end and how many overlap. */
class FakeBuilder implements Builder {
  readonly name = "fake";
  readonly events: Event[] = [];
  readonly requests: BuildRequest[] = [];
  active = 0;
  maxActive = 0;
  /** Resolves each time a build starts, with its name. */
  private started: ((name: string) => void)[] = [];

  constructor(private readonly scripts: Record<string, Script> = {}) {}

  async build(request: BuildRequest): Promise<BuildResult> {
    const script = this.scripts[request.name] ?? {};
    this.requests.push(request);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    this.events.push({ name: request.name, what: "start", at: performance.now() });
    for (const waiter of this.started.splice(0)) waiter(request.name);
    try {
      for (const line of script.lines ?? []) request.log(line);
      if (script.untilCancelled !== undefined) {
        await new Promise((resolve) => request.signal.addEventListener("abort", resolve));
        await sleep(script.untilCancelled);
        throw new BuildError("build cancelled", true);
      }
      await sleep(script.ms ?? 5);
      if (script.fail !== undefined) throw new BuildError(script.fail, false);
      request.onPhase?.("pushing");
      return { digest: `sha256:${createHash("sha256").update(request.name).digest("hex")}` };
    } finally {
      this.active--;
      this.events.push({ name: request.name, what: "end", at: performance.now() });
    }
  }

  /** Resolves when the next build starts. */
  nextStart(): Promise<string> {
    return new Promise((resolve) => this.started.push(resolve));
  }

  time(name: string, what: Event["what"]): number {
    const event = this.events.find((e) => e.name === name && e.what === what);
    if (!event) throw new Error(`${name} never had ${what}`);
    return event.at;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function job(name: string, dependsOn: string[] = []): BuildJob {
  return {
    name,
    dependsOn,
    request: {
      name,
      dockerfile: `FROM scratch\n# ${name}\n`,
      ref: `registry.test/images/${name}:0123456789abcdef`,
      extraRefs: [],
      insecureRegistries: [],
      platform: "linux/amd64",
    },
  };
}

let logDir: string;
beforeEach(async () => {
  logDir = await mkdtemp(join(tmpdir(), "imagesmith-build-stage-"));
});
afterEach(async () => {
  await rm(logDir, { recursive: true, force: true });
});

describe("runBuilds", () => {
  it("builds a parent before its children and independent images side by side", async () => {
    const builder = new FakeBuilder({ base: { ms: 30 }, a: { ms: 40 }, b: { ms: 40 } });
    const jobs = [job("base"), job("a", ["base"]), job("b", ["base"]), job("c", ["a"])];

    const outcomes = await runBuilds(jobs, {
      builder,
      jobs: 2,
      logDir,
      signal: new AbortController().signal,
    });

    expect(outcomes.map((o) => [o.name, o.state])).toEqual([
      ["base", "done"],
      ["a", "done"],
      ["b", "done"],
      ["c", "done"],
    ]);
    expect(builder.time("a", "start")).toBeGreaterThanOrEqual(builder.time("base", "end"));
    expect(builder.time("b", "start")).toBeGreaterThanOrEqual(builder.time("base", "end"));
    expect(builder.time("c", "start")).toBeGreaterThanOrEqual(builder.time("a", "end"));
    // a and b overlap: both started before either ended.
    expect(builder.time("b", "start")).toBeLessThan(builder.time("a", "end"));
    expect(builder.maxActive).toBe(2);
  });

  it("never runs more builds at once than the jobs limit", async () => {
    const builder = new FakeBuilder(
      Object.fromEntries(["p", "q", "r", "s", "t"].map((name) => [name, { ms: 20 }])),
    );
    const jobs = ["p", "q", "r", "s", "t"].map((name) => job(name));

    const three = await runBuilds(jobs, {
      builder,
      jobs: 3,
      logDir,
      signal: new AbortController().signal,
    });

    expect(three.every((o) => o.state === "done")).toBe(true);
    expect(builder.maxActive).toBe(3);

    const serial = new FakeBuilder();
    await runBuilds(jobs, {
      builder: serial,
      jobs: 1,
      logDir,
      signal: new AbortController().signal,
    });
    expect(serial.maxActive).toBe(1);
  });

  it("treats dependencies that are not in the job list as already built", async () => {
    const builder = new FakeBuilder();

    const outcomes = await runBuilds([job("child", ["built-earlier"])], {
      builder,
      jobs: 2,
      logDir,
      signal: new AbortController().signal,
    });

    expect(outcomes[0]?.state).toBe("done");
    expect(outcomes[0]?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("keeps building after a failure and skips the failed image's descendants with the reason", async () => {
    const builder = new FakeBuilder({
      nlp: { fail: "build failed (exit 100): E: Unable to locate package nosuchpkg", ms: 10 },
      other: { ms: 30 },
    });
    const jobs = [
      job("nlp"),
      job("nlp-gpu", ["nlp"]),
      job("nlp-gpu-extra", ["nlp-gpu"]),
      job("other"),
    ];

    const outcomes = await runBuilds(jobs, {
      builder,
      jobs: 2,
      logDir,
      signal: new AbortController().signal,
    });

    const byName = new Map(outcomes.map((o) => [o.name, o]));
    expect(byName.get("nlp")).toMatchObject({
      state: "failed",
      error: `build failed (exit 100): E: Unable to locate package nosuchpkg; see ${join(logDir, "nlp.log")}`,
    });
    expect(byName.get("nlp-gpu")).toMatchObject({ state: "skipped", reason: "parent nlp failed" });
    expect(byName.get("nlp-gpu-extra")).toMatchObject({
      state: "skipped",
      reason: "parent nlp-gpu was skipped (nlp failed)",
    });
    expect(byName.get("other")?.state).toBe("done");
    expect(builder.requests.map((r) => r.name).sort()).toEqual(["nlp", "other"]);
    expect(await readFile(join(logDir, "nlp-gpu.log"), "utf8")).toContain("parent nlp failed");
  });

  it("cancels running and queued builds on abort and resolves only after the running ones stopped", async () => {
    const builder = new FakeBuilder({
      slow: { untilCancelled: 50 },
      slower: { untilCancelled: 80 },
    });
    const jobs = [job("slow"), job("slower"), job("queued"), job("child", ["slow"])];
    const controller = new AbortController();
    const starts = [builder.nextStart(), builder.nextStart()];
    const started = performance.now();

    const running = runBuilds(jobs, { builder, jobs: 2, logDir, signal: controller.signal });
    await Promise.all(starts);
    controller.abort();
    const outcomes = await running;

    const byName = new Map(outcomes.map((o) => [o.name, o]));
    expect(byName.get("slow")?.state).toBe("cancelled");
    expect(byName.get("slower")?.state).toBe("cancelled");
    expect(byName.get("slower")?.error).toMatch(
      /^build cancelled after [\d.]+s; see .*slower\.log$/,
    );
    expect(byName.get("queued")).toMatchObject({
      state: "cancelled",
      reason: "cancelled before it started",
    });
    expect(byName.get("child")?.state).toBe("cancelled");
    expect(builder.active).toBe(0);
    expect(builder.time("slower", "end")).toBeGreaterThan(started + 80);
    expect(builder.requests.map((r) => r.name).sort()).toEqual(["slow", "slower"]);
  });

  it("counts a build whose builder failed after the abort as cancelled", async () => {
    const controller = new AbortController();
    const builder: Builder = {
      name: "killed",
      build: async (request) => {
        await new Promise((resolve) => request.signal.addEventListener("abort", resolve));
        throw new BuildError("build failed (exit 143): Terminated", false);
      },
    };

    const running = runBuilds([job("ds")], { builder, jobs: 2, logDir, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const [outcome] = await running;

    expect(outcome?.state).toBe("cancelled");
  });

  it("streams each build's output with its name as prefix and saves it to a fresh log file", async () => {
    await writeFile(join(logDir, "ds.log"), "a log of an earlier run\n");
    const builder = new FakeBuilder({
      ds: { lines: ["STEP 1/2: FROM base", "STEP 2/2: RUN apt-get install"] },
      cv: { lines: ["STEP 1/1: FROM other"] },
    });
    const output: string[] = [];

    await runBuilds([job("ds"), job("cv")], {
      builder,
      jobs: 2,
      logDir,
      signal: new AbortController().signal,
      output: (line) => output.push(line),
    });

    expect(output).toContain("[ds] STEP 1/2: FROM base");
    expect(output).toContain("[ds] STEP 2/2: RUN apt-get install");
    expect(output).toContain("[cv] STEP 1/1: FROM other");
    const log = await readFile(join(logDir, "ds.log"), "utf8");
    expect(log).not.toContain("earlier run");
    expect(log).toContain("STEP 1/2: FROM base\nSTEP 2/2: RUN apt-get install\n");
    expect(log).not.toContain("FROM other");
    expect(output.filter((line) => line.startsWith("[ds] "))).toEqual(
      log
        .trimEnd()
        .split("\n")
        .map((line) => `[ds] ${line}`),
    );
  });

  it("blanks secrets out of output lines, log files and errors", async () => {
    const secret = "s3cr3t-t0ken";
    const builder = new FakeBuilder({
      ds: { lines: [`login with ${secret} ok`], fail: `push failed: 401 for token ${secret}` },
    });
    const output: string[] = [];

    const [outcome] = await runBuilds([job("ds")], {
      builder,
      jobs: 2,
      logDir,
      signal: new AbortController().signal,
      output: (line) => output.push(line),
      secrets: [secret],
    });

    expect(output).toContain("[ds] login with *** ok");
    expect(output.join("\n")).not.toContain(secret);
    expect(await readFile(join(logDir, "ds.log"), "utf8")).not.toContain(secret);
    expect(outcome?.error).toBe(`push failed: 401 for token ***; see ${join(logDir, "ds.log")}`);
  });

  it("reports each state change with the seconds since the build started", async () => {
    const builder = new FakeBuilder({ ds: { ms: 150 }, bad: { fail: "build failed (exit 1): x" } });
    const seen: [string, BuildState, number][] = [];

    const outcomes = await runBuilds([job("ds"), job("bad"), job("child", ["bad"])], {
      builder,
      jobs: 1,
      logDir,
      signal: new AbortController().signal,
      onProgress: (name, state, seconds) => seen.push([name, state, seconds]),
    });

    expect(seen.filter(([name]) => name === "ds").map(([, state]) => state)).toEqual([
      "queued",
      "building",
      "pushing",
      "done",
    ]);
    expect(seen.filter(([name]) => name === "bad").map(([, state]) => state)).toEqual([
      "queued",
      "building",
      "failed",
    ]);
    expect(seen.filter(([name]) => name === "child").map(([, state]) => state)).toEqual([
      "queued",
      "skipped",
    ]);
    const done = outcomes[0];
    expect(done?.seconds).toBeGreaterThanOrEqual(0.1);
    expect(Date.parse(done?.finishedAt ?? "")).toBeGreaterThanOrEqual(
      Date.parse(done?.startedAt ?? ""),
    );
  });

  it("skips images that wait on each other instead of hanging", async () => {
    const builder = new FakeBuilder();

    const outcomes = await runBuilds([job("x", ["y"]), job("y", ["x"]), job("z")], {
      builder,
      jobs: 2,
      logDir,
      signal: new AbortController().signal,
    });

    expect(outcomes.map((o) => o.state)).toEqual(["skipped", "skipped", "done"]);
    expect(outcomes[0]?.reason).toBe("dependency cycle among x, y");
  });
});
