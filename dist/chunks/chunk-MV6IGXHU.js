#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

// src/backoff.ts
var CancelledError = class extends Error {
  code = "cancelled";
  constructor(message = "cancelled") {
    super(message);
    this.name = "CancelledError";
  }
};
function backoffDelay(attempt, baseMs, maxMs) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export {
  CancelledError,
  backoffDelay,
  sleep
};
