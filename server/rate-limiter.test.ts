import { describe, expect, it } from 'vitest';
import { ConnectionRateLimiter, TokenBucket } from './rate-limiter';

describe('TokenBucket', () => {
  it('allows a burst, then the average rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 20, () => now);
    for (let i = 0; i < 20; i++) expect(bucket.take(1)).toBe(true);
    expect(bucket.take(1)).toBe(false);
    now = 100; // 0.1 s refills one token
    expect(bucket.take(1)).toBe(true);
    expect(bucket.take(1)).toBe(false);
    now = 100_000; // never more than the burst
    for (let i = 0; i < 20; i++) expect(bucket.take(1)).toBe(true);
    expect(bucket.take(1)).toBe(false);
  });

  it('does not spend on a refused take', () => {
    const bucket = new TokenBucket(1, 5, () => 0);
    expect(bucket.take(6)).toBe(false);
    expect(bucket.take(5)).toBe(true);
  });
});

describe('ConnectionRateLimiter', () => {
  const limits = {
    messagesPerSecond: 300,
    bytesPerSecond: 1024 * 1024,
    burstSeconds: 10,
    minByteBurst: 16 * 1024 * 1024,
  };

  it('never trips on a fast typist (20 keys/s with awareness) for a minute', () => {
    let now = 0;
    const limiter = new ConnectionRateLimiter(limits, () => now);
    for (let key = 0; key < 20 * 60; key++) {
      now += 50;
      expect(limiter.allow(40)).toBe(true); // update
      expect(limiter.allow(120)).toBe(true); // awareness (cursor)
    }
  });

  it('never trips on a 1 MB paste, even right after connecting with a big offline state', () => {
    const limiter = new ConnectionRateLimiter(limits, () => 0);
    expect(limiter.allow(8 * 1024 * 1024)).toBe(true);
    expect(limiter.allow(1024 * 1024)).toBe(true);
  });

  it('trips on a flood of small frames and on sustained large ones', () => {
    let now = 0;
    const flood = new ConnectionRateLimiter(limits, () => now);
    let allowed = 0;
    while (flood.allow(10) && allowed < 1e6) allowed++;
    expect(allowed).toBe(3000);
    const big = new ConnectionRateLimiter(limits, () => now);
    let sent = 0;
    for (; sent < 100 && big.allow(1024 * 1024); sent++) now += 100;
    expect(sent).toBeLessThan(100);
  });

  it('is off when the rates are 0', () => {
    const off = new ConnectionRateLimiter({ ...limits, messagesPerSecond: 0, bytesPerSecond: 0 });
    for (let i = 0; i < 100_000; i++) expect(off.allow(1e6)).toBe(true);
  });
});
