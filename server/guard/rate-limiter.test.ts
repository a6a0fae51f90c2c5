import { describe, expect, it } from 'vitest';
import { ConnectionRateLimiter, TokenBucket } from './rate-limiter';

describe('TokenBucket', () => {
  it('allows a burst, then the average rate; beyond, it says how long until the debt is repaid', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 20, () => now);
    for (let i = 0; i < 20; i++) expect(bucket.charge(1)).toBe(0);
    expect(bucket.charge(1)).toBeCloseTo(100); // one token in debt at 10/s
    now = 100; // 0.1 s refills it
    expect(bucket.charge(1)).toBeCloseTo(100);
    now = 100_000; // never more than the burst
    for (let i = 0; i < 20; i++) expect(bucket.charge(1)).toBe(0);
    expect(bucket.charge(1)).toBeGreaterThan(0);
  });

  it('charges a frame larger than what is left, in debt, rather than refusing it', () => {
    const bucket = new TokenBucket(1, 5, () => 0);
    expect(bucket.charge(6)).toBeCloseTo(1000);
    expect(bucket.charge(2)).toBeCloseTo(3000);
  });
});

describe('ConnectionRateLimiter', () => {
  const limits = {
    messagesPerSecond: 300,
    bytesPerSecond: 1024 * 1024,
    burstSeconds: 10,
    minByteBurst: 16 * 1024 * 1024,
  };

  it('never throttles a fast typist (20 keys/s with awareness) for a minute', () => {
    let now = 0;
    const limiter = new ConnectionRateLimiter(limits, () => now);
    for (let key = 0; key < 20 * 60; key++) {
      now += 50;
      expect(limiter.charge(40)).toBe(0); // update
      expect(limiter.charge(120)).toBe(0); // awareness (cursor)
    }
  });

  it('never throttles a 1 MB paste, even right after connecting with a big offline state', () => {
    const limiter = new ConnectionRateLimiter(limits, () => 0);
    expect(limiter.charge(8 * 1024 * 1024)).toBe(0);
    expect(limiter.charge(1024 * 1024)).toBe(0);
  });

  it('throttles a flood of small frames and sustained large ones by the longer of both waits', () => {
    let now = 0;
    const flood = new ConnectionRateLimiter(limits, () => now);
    let free = 0;
    while (flood.charge(10) === 0 && free < 1e6) free++;
    expect(free).toBe(3000);
    const big = new ConnectionRateLimiter(limits, () => now);
    let sent = 0;
    for (; sent < 100 && big.charge(1024 * 1024) === 0; sent++) now += 100;
    expect(sent).toBeLessThan(100);
    // The byte debt of a 1 MiB frame at 1 MiB/s is about a second, far more than one frame's.
    expect(big.charge(1024 * 1024)).toBeGreaterThan(900);
  });

  it('is off when the rates are 0', () => {
    const off = new ConnectionRateLimiter({ ...limits, messagesPerSecond: 0, bytesPerSecond: 0 });
    for (let i = 0; i < 100_000; i++) expect(off.charge(1e6)).toBe(0);
  });
});
