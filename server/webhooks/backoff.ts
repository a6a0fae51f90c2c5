/** When a failed delivery is tried again, and when the relay gives up on it. */

export interface RetryPolicy {
  /** Delay after the first failure; doubled after each further one. */
  readonly baseMs: number;
  /** Longest delay between two attempts. */
  readonly maxMs: number;
  /** No attempt is made later than this after the delivery was queued. */
  readonly giveUpAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseMs: 10_000,
  maxMs: 3_600_000,
  giveUpAfterMs: 24 * 3_600_000,
};

/**
 * When to try again after `attempts` failed attempts (1 = the first failed) at `now`, or null
 * to give up: the next attempt would come more than `giveUpAfterMs` after `createdAt`.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  attempts: number,
  createdAt: number,
  now: number,
): number | null {
  const delay = Math.min(policy.baseMs * 2 ** Math.min(attempts - 1, 40), policy.maxMs);
  const at = now + delay;
  return at - createdAt > policy.giveUpAfterMs ? null : at;
}
