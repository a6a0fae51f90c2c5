import { describe, expect, it } from 'vitest';
import { concatSamples, median, percentile, ratio, summarize } from './stats';

describe('percentile (nearest rank)', () => {
  const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it('returns the smallest value with p% of samples at or below it', () => {
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
  });

  it('rounds the rank up on small samples', () => {
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30], 99)).toBe(30);
    expect(percentile([7], 95)).toBe(7);
  });

  it('is NaN for no samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts numerically without touching the input', () => {
    const samples = [10, 9, 100, 1, 2];
    const summary = summarize(samples);
    expect(summary).toEqual({ n: 5, mean: 24.4, p50: 9, p95: 100, p99: 100, max: 100 });
    expect(samples).toEqual([10, 9, 100, 1, 2]);
  });

  it('reports NaN statistics for an empty run', () => {
    const summary = summarize([]);
    expect(summary.n).toBe(0);
    expect(summary.p99).toBeNaN();
    expect(summary.max).toBeNaN();
  });
});

describe('median, ratio, concatSamples', () => {
  it('takes the middle of odd and the mean of the middle two of even lists, ignoring NaN', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });

  it('divides ours by the reference and refuses missing or zero references', () => {
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(Number.NaN, 4)).toBeNaN();
  });

  it('joins worker sample arrays in order', () => {
    expect(Array.from(concatSamples([Float64Array.of(1, 2), [], [3]]))).toEqual([1, 2, 3]);
  });
});
