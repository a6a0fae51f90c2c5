/**
 * Milliseconds on CLOCK_MONOTONIC (process.hrtime), which Linux shares between all processes
 * on the machine: a time stamped in one load-generator process can be subtracted from a time
 * read in another. Microsecond resolution.
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}

/** Resolves after `ms`; only for pacing load, never to wait for a condition. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Polls `check` every `intervalMs` until it returns true or `timeoutMs` passes.
 * Returns whether the condition was met.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 20,
): Promise<boolean> {
  const deadline = nowMs() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (nowMs() >= deadline) return false;
    await delay(intervalMs);
  }
}
