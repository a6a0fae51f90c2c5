import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from './backoff';

const policy = { baseMs: 500, capMs: 15_000 };

describe('fullJitterDelay', () => {
  it('stays below base · 2^attempt, capped', () => {
    expect(fullJitterDelay(0, policy, () => 0.999)).toBe(499);
    expect(fullJitterDelay(3, policy, () => 0.999)).toBe(3996);
    expect(fullJitterDelay(10, policy, () => 0.999)).toBe(14_985);
    expect(fullJitterDelay(1_000, policy, () => 0.999)).toBe(14_985);
  });

  it('spreads clients over the whole window (zero is allowed)', () => {
    expect(fullJitterDelay(4, policy, () => 0)).toBe(0);
    expect(fullJitterDelay(4, policy, () => 0.5)).toBe(4000);
  });

  it('treats a negative attempt as the first', () => {
    expect(fullJitterDelay(-3, policy, () => 0.5)).toBe(250);
  });
});
