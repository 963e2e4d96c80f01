/**
 * Cancellation from outside: SIGINT (Ctrl-C, or a cancelled GitHub workflow's first signal) and
 * SIGTERM abort one signal that the builds watch. Used by the doors only.
 */

export interface Cancellation {
  signal: AbortSignal;
  /** The signal that cancelled the job, if one did. */
  received(): NodeJS.Signals | undefined;
  /** Stops listening; call when the job is over. */
  dispose(): void;
}

/**
 * Aborts on the first SIGINT or SIGTERM, after telling `notice` which one came; a second signal
 * goes to `again` (the CLI exits at once then).
 */
export function cancelOnSignals(
  notice: (signal: NodeJS.Signals) => void,
  again?: (signal: NodeJS.Signals) => void,
): Cancellation {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      again?.(signal);
      return;
    }
    received = signal;
    notice(signal);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/** The exit status a process killed by `signal` would have: 130 for SIGINT, 143 for SIGTERM. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 130 : 143;
}

/** What a door says when a signal starts a cancel: "imagesmith: SIGTERM: cancelling". */
export function cancelling(signal: NodeJS.Signals, again?: string): string {
  return `imagesmith: ${signal}: cancelling${again ? ` (${again})` : ""}`;
}

/** What a door says of a job a signal ended before it published. */
export function cancelledUnpublished(signal: NodeJS.Signals): string {
  return `cancelled (${signal}): nothing was published after the cancel`;
}
