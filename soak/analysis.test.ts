import { describe, expect, it } from 'vitest';
import { inAnyWindow, type ResourceSample, resourcesByLifetime, slopePerMinute } from './analysis';

const MB = 1024 * 1024;

describe('slopePerMinute', () => {
  it('fits a line through noisy points', () => {
    const points = Array.from({ length: 120 }, (_, i) => ({
      t: i * 1000,
      v: 50 + i / 60 + (i % 2 ? 0.2 : -0.2),
    }));
    expect(slopePerMinute(points)).toBeCloseTo(1, 1);
    expect(slopePerMinute([{ t: 0, v: 1 }])).toBeNaN();
  });
});

describe('resourcesByLifetime', () => {
  const sample = (pid: number, startedAtMs: number, atMs: number, mb: number, fds = 30) =>
    ({
      pid,
      startedAtMs,
      atMs,
      rssBytes: mb * MB,
      fds,
      connections: 20,
    }) satisfies ResourceSample;

  it('skips warm-up and fault windows and ranks lifetimes by clean span', () => {
    const samples: ResourceSample[] = [];
    for (let t = 0; t < 20_000; t += 1000) samples.push(sample(1, 0, t, 100));
    // Second lifetime from 20 s: flat except a spike inside a fault window.
    for (let t = 20_000; t < 200_000; t += 1000) {
      samples.push(sample(2, 20_000, t, t > 100_000 && t < 110_000 ? 500 : 80));
    }
    const windows = [{ startMs: 100_000, endMs: 110_000 }];
    expect(inAnyWindow(105_000, windows)).toBe(true);
    const [longest, shorter] = resourcesByLifetime(samples, windows, { warmupMs: 15_000 });
    expect(longest?.pid).toBe(2);
    expect(longest?.cleanSpanMs).toBe(199_000 - 35_000);
    expect(longest?.rssSlopeMbPerMin).toBeCloseTo(0, 5);
    expect(longest?.otherFdDrift).toBe(0);
    expect(shorter?.pid).toBe(1);
    const [late] = resourcesByLifetime(samples, windows, { warmupMs: 15_000, fromMs: 150_000 });
    expect(late?.cleanSpanMs).toBe(49_000);
  });

  it('sees a leak and growing descriptors', () => {
    const samples = Array.from({ length: 300 }, (_, i) =>
      sample(7, 0, i * 1000, 100 + (2 * i) / 60, 30 + Math.floor(i / 10)),
    );
    const [only] = resourcesByLifetime(samples, [], { warmupMs: 0 });
    expect(only?.rssSlopeMbPerMin).toBeCloseTo(2, 3);
    expect(only?.fdSlopePerMin).toBeCloseTo(6, 1);
    expect(only?.otherFdDrift).toBeGreaterThan(15);
  });
});
