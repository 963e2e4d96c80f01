import { describe, expect, it } from "vitest";
import { phaseOfStep } from "../builders/types.js";
import { BuildProgress, lineOf } from "./progress.js";

function recorder(isTTY: boolean): {
  text: () => string;
  target: { write(t: string): void; isTTY: boolean };
} {
  let text = "";
  return { text: () => text, target: { write: (t) => (text += t), isTTY } };
}

describe("BuildProgress", () => {
  it("writes one line per change of state in a log, nothing for queued", () => {
    const out = recorder(false);
    const progress = new BuildProgress(out.target);

    progress.update("ds", "queued", 0);
    progress.update("ds", "pulling", 0.1);
    progress.update("ds", "pip", 2.34);
    progress.update("ds", "pip", 2.5);
    progress.update("ds", "done", 12.3);
    progress.finish([{ name: "ds", state: "done", logFile: "x", seconds: 12.3 }]);

    expect(out.text()).toBe("ds  pulling (0.1 s)\nds  pip (2.3 s)\nds  done in 12.3 s\n");
  });

  it("redraws one line per image in place on a terminal", () => {
    const out = recorder(true);
    let now = 1000;
    const progress = new BuildProgress(out.target, () => now);

    progress.update("ds", "queued", 0);
    progress.update("nlp-2", "queued", 0);
    progress.update("ds", "apt", 0);
    now += 2500;
    progress.finish([
      { name: "ds", state: "failed", logFile: "x", seconds: 2.5 },
      { name: "nlp-2", state: "skipped", logFile: "y" },
    ]);

    const frames = out.text().split(new RegExp(`(?=${"\u001b"}\\[\\d+F)`));
    expect(frames[0]).toBe("\u001b[2Kds  queued\n");
    expect(frames.at(-1)).toBe(
      "\u001b[2F\u001b[2Kds     failed after 2.5 s\n\u001b[2Knlp-2  skipped\n",
    );
  });
});

describe("lineOf", () => {
  it("says how long a build has run, and how it ended", () => {
    expect(lineOf({ name: "a", state: "pushing", seconds: 3 })).toBe("a  pushing (3.0 s)");
    expect(lineOf({ name: "a", state: "cancelled", seconds: 1.25 })).toBe(
      "a  cancelled after 1.3 s",
    );
  });
});

describe("phaseOfStep", () => {
  it("tells the package steps by the tool the rendered RUN calls", () => {
    expect(phaseOfStep("FROM reg/debian@sha256:00")).toBe("pulling");
    expect(
      phaseOfStep(
        'RUN --mount=type=cache,id=imagesmith-apt ["/bin/sh", "-c", "apt-get $o update"]',
      ),
    ).toBe("apt");
    expect(phaseOfStep('RUN ["/bin/sh", "-c", "CONDA_PKGS_DIRS=/x conda install --yes"]')).toBe(
      "conda",
    );
    expect(phaseOfStep('RUN ["/bin/sh", "-c", "pip install --cache-dir /x -- \\"$@\\""]')).toBe(
      "pip",
    );
    expect(phaseOfStep('RUN ["sleep", "1"]')).toBe("building");
    expect(phaseOfStep("USER 1000")).toBeUndefined();
  });
});
