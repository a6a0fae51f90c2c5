/**
 * Once a second the dashboard samples what the relay counts anyway (RelayMetrics' plain
 * numbers, not prom-client's registry, whose collect() would reset and re-label every counter):
 * rates are the deltas of those totals since the previous sample, which is a second earlier
 * (samples are taken on wall-clock second boundaries), so they sum exactly to the totals, p99s come from histogram bucket deltas
 * (percentile.ts), and the busiest rooms from per-room edit counters (busiest.ts).
 */
import type { DashboardSample, InstanceStatus } from '../../lib/dashboard';
import type { FastHistogram, RelayMetrics } from '../metrics';
import { BusiestRooms, type RoomActivity } from './busiest';
import { WindowedPercentile } from './percentile';

export interface SamplerSources {
  readonly instance: string;
  readonly metrics: Pick<RelayMetrics, 'messagesIn' | 'messagesOut' | 'rejections'> & {
    readonly appendSeconds: FastHistogram;
    readonly checkSeconds: FastHistogram;
  };
  stats(): { readonly connections: number; readonly rooms: number };
  rooms(): Iterable<RoomActivity>;
  status(): InstanceStatus;
}

interface Totals {
  updatesIn: number;
  updatesOut: number;
  bytesIn: number;
  bytesOut: number;
}

const sumBytes = (tallies: Readonly<Record<string, { readonly bytes: number }>>): number => {
  let sum = 0;
  for (const kind in tallies) sum += (tallies[kind] as { bytes: number }).bytes;
  return sum;
};

export class Sampler {
  private readonly append: WindowedPercentile;
  private readonly apply: WindowedPercentile;
  private readonly busiest = new BusiestRooms(10);
  private previous: Totals;
  private readonly previousRejections = new Map<string, number>();

  constructor(
    private readonly sources: SamplerSources,
    /** The wall clock (ms), for the sample's second. */
    private readonly now: () => number = Date.now,
  ) {
    this.append = new WindowedPercentile(sources.metrics.appendSeconds);
    this.apply = new WindowedPercentile(sources.metrics.checkSeconds);
    this.previous = this.totals();
    for (const [reason, n] of sources.metrics.rejections) this.previousRejections.set(reason, n);
    // Rooms' counters so far are not the first second's activity.
    this.busiest.next(sources.rooms());
  }

  /** What happened since the previous sample (or since construction). */
  take(): DashboardSample {
    const totals = this.totals();
    const before = this.previous;
    this.previous = totals;
    const { connections, rooms } = this.sources.stats();
    return {
      instance: this.sources.instance,
      t: Math.round(this.now() / 1000),
      status: this.sources.status(),
      connections,
      rooms,
      updatesIn: totals.updatesIn - before.updatesIn,
      updatesOut: totals.updatesOut - before.updatesOut,
      bytesIn: totals.bytesIn - before.bytesIn,
      bytesOut: totals.bytesOut - before.bytesOut,
      updatesInTotal: totals.updatesIn,
      updatesOutTotal: totals.updatesOut,
      appendP99Ms: toMs(this.append.next(0.99)),
      applyP99Ms: toMs(this.apply.next(0.99)),
      rejections: this.rejections(),
      busiest: this.busiest.next(this.sources.rooms()),
    };
  }

  private totals(): Totals {
    const { messagesIn, messagesOut } = this.sources.metrics;
    return {
      updatesIn: messagesIn['sync-update'].count,
      updatesOut: messagesOut['sync-update'].count,
      bytesIn: sumBytes(messagesIn),
      bytesOut: sumBytes(messagesOut),
    };
  }

  private rejections(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [reason, n] of this.sources.metrics.rejections) {
      const delta = n - (this.previousRejections.get(reason) ?? 0);
      if (delta > 0) {
        out[reason] = delta;
        this.previousRejections.set(reason, n);
      }
    }
    return out;
  }
}

/** Seconds to milliseconds, to microsecond precision. */
function toMs(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 1_000_000) / 1000;
}
