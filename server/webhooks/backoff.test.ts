/** The production retry schedule: from 10 s doubling, at most 1 h apart, given up after 24 h. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, nextAttemptAt } from './backoff';

const HOUR = 3_600_000;

describe('nextAttemptAt', () => {
  it('doubles from 10 s and caps at an hour', () => {
    const delays = [1, 2, 3, 4, 9, 10, 11, 30].map(
      (attempts) => (nextAttemptAt(DEFAULT_RETRY, attempts, 0, 0) ?? -1) - 0,
    );
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 2_560_000, HOUR, HOUR, HOUR]);
  });

  it('gives up once the next attempt would come more than 24 h after the first', () => {
    expect(nextAttemptAt(DEFAULT_RETRY, 20, 0, 23 * HOUR)).toBe(24 * HOUR);
    expect(nextAttemptAt(DEFAULT_RETRY, 20, 0, 23 * HOUR + 1)).toBeNull();
  });

  it('about 30 attempts fit in the 24 hours', () => {
    let now = 0;
    let attempts = 0;
    for (;;) {
      attempts++;
      const next = nextAttemptAt(DEFAULT_RETRY, attempts, 0, now);
      if (next === null) break;
      now = next;
    }
    expect(attempts).toBeGreaterThan(25);
    expect(attempts).toBeLessThan(35);
  });
});
