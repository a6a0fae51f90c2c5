/**
 * A percentile over the last interval from a cumulative fixed-bucket histogram (FastHistogram),
 * by differencing its bucket counts once per interval.
 *
 * Why bucket deltas and not a reservoir of observations: the hot path stays as it is (one
 * observe() into a bucket, no extra work per update), memory is one array per histogram, and
 * the result is what Prometheus' histogram_quantile() would say over a one-second window, so
 * the dashboard and a Grafana panel on /metrics agree. The price is bucket resolution: the
 * value is interpolated linearly inside the bucket holding the rank.
 */

export interface BucketSource {
  /** Upper bounds of the finite buckets, ascending. */
  readonly bounds: readonly number[];
  /** Per-bucket counts so far (not cumulative), then the count above the last bound. */
  copyCounts(into: Float64Array): void;
}

export class WindowedPercentile {
  private previous: Float64Array;
  private current: Float64Array;

  constructor(private readonly source: BucketSource) {
    this.previous = new Float64Array(source.bounds.length + 1);
    this.current = new Float64Array(source.bounds.length + 1);
    source.copyCounts(this.previous);
  }

  /**
   * The `q` quantile (0..1) of what was observed since the last call, in the source's unit;
   * null when nothing was. Above the last bound it answers that bound (as histogram_quantile).
   */
  next(q: number): number | null {
    this.source.copyCounts(this.current);
    const value = quantileOfDelta(this.source.bounds, this.previous, this.current, q);
    // Swap, so no array is allocated per call.
    const spent = this.previous;
    this.previous = this.current;
    this.current = spent;
    return value;
  }
}

/** The `q` quantile of the observations between two count snapshots (see WindowedPercentile). */
export function quantileOfDelta(
  bounds: readonly number[],
  before: Float64Array,
  after: Float64Array,
  q: number,
): number | null {
  let total = 0;
  for (let i = 0; i < after.length; i++) total += (after[i] as number) - (before[i] as number);
  if (total <= 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < bounds.length; i++) {
    const inBucket = (after[i] as number) - (before[i] as number);
    if (inBucket > 0 && seen + inBucket >= rank) {
      const lower = i === 0 ? 0 : (bounds[i - 1] as number);
      const upper = bounds[i] as number;
      return lower + (upper - lower) * ((rank - seen) / inBucket);
    }
    seen += inBucket;
  }
  return bounds[bounds.length - 1] ?? null;
}
