/** Reconnect delays: exponential backoff with "full jitter" (AWS architecture blog, 2015). */

export interface BackoffPolicy {
  /** Upper bound of the first delay, in ms. */
  readonly baseMs: number;
  /** No delay ever exceeds this, in ms. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 15_000 };

/**
 * Delay before reconnect attempt number `attempt` (0 = first retry): uniformly random in
 * [0, min(cap, base · 2^attempt)). The randomness spreads clients out, so a relay restart is not
 * met by every client at the same instant.
 */
export function fullJitterDelay(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(0, attempt), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
