/**
 * What the page knows of each relay instance: its last 15 minutes of samples (from the stream's
 * history, then one sample a second) and when its last sample arrived here. A small external
 * store for useSyncExternalStore: mutated in place, `version` bumps on every change.
 */
import {
  DASHBOARD_HISTORY_SECONDS,
  type DashboardHistory,
  type DashboardSample,
  type InstanceStatus,
} from '../../lib/dashboard';

/** The stream's state, as the banner shows it. */
export type StreamState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'live' }
  | { readonly kind: 'reconnecting'; readonly reason: string; readonly retryAt: number }
  | { readonly kind: 'refused'; readonly status: number; readonly message: string };

/** A sample older than this (as received here) means its instance is unreachable. */
export const STALE_AFTER_MS = 5000;

export type InstanceHealth = InstanceStatus | 'unreachable';

export class DashboardTimeline {
  readonly instances = new Map<string, DashboardSample[]>();
  /** When each instance's latest sample arrived (this browser's clock, ms). */
  readonly receivedAt = new Map<string, number>();
  self: string | null = null;
  stream: StreamState = { kind: 'connecting' };
  version = 0;
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getVersion = (): number => this.version;

  /** A (re)connected stream starts over from the relay's history: it covers any gap. */
  loadHistory(history: DashboardHistory, now: number): void {
    this.instances.clear();
    this.self = history.self;
    for (const [instance, samples] of Object.entries(history.instances))
      this.instances.set(instance, samples.slice(-DASHBOARD_HISTORY_SECONDS));
    const end = latestT(this);
    for (const [instance, samples] of this.instances) {
      const last = samples[samples.length - 1];
      // As old as the relay's history says, behind its newest sample.
      if (last) this.receivedAt.set(instance, now - Math.max(0, end - last.t) * 1000);
    }
    this.changed();
  }

  add(sample: DashboardSample, now: number): void {
    let samples = this.instances.get(sample.instance);
    if (!samples) {
      samples = [];
      this.instances.set(sample.instance, samples);
    }
    samples.push(sample);
    if (samples.length > DASHBOARD_HISTORY_SECONDS)
      samples.splice(0, samples.length - DASHBOARD_HISTORY_SECONDS);
    this.receivedAt.set(sample.instance, now);
    this.changed();
  }

  setStream(state: StreamState): void {
    this.stream = state;
    this.changed();
  }

  /** Instances, this relay first, then by id. */
  order(): string[] {
    return [...this.instances.keys()].sort((a, b) =>
      a === this.self ? -1 : b === this.self ? 1 : a.localeCompare(b),
    );
  }

  latest(instance: string): DashboardSample | undefined {
    const samples = this.instances.get(instance);
    return samples?.[samples.length - 1];
  }

  health(instance: string, now: number): InstanceHealth {
    const last = this.latest(instance);
    const at = this.receivedAt.get(instance);
    if (!last || at === undefined || now - at > STALE_AFTER_MS) return 'unreachable';
    return last.status;
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}

/** The newest second any instance reported (relay time, so the browser's clock does not matter). */
export function latestT(timeline: Pick<DashboardTimeline, 'instances'>): number {
  let t = 0;
  for (const samples of timeline.instances.values()) t = Math.max(t, samples.at(-1)?.t ?? 0);
  return t;
}

/**
 * uPlot's aligned data for one metric: x is every second of the last 15 minutes up to the
 * newest sample, then one series per key; a second with no sample is null (a gap).
 */
export function alignedSeries(
  timeline: Pick<DashboardTimeline, 'instances'>,
  keys: readonly string[],
  value: (key: string, sample: DashboardSample) => number | null,
  samplesOf: (key: string) => readonly DashboardSample[],
  /** Add up values falling on one second (counts over several instances) instead of keeping the last. */
  sum = false,
): [number[], ...(number | null)[][]] {
  const end = latestT(timeline);
  const start = end - DASHBOARD_HISTORY_SECONDS + 1;
  const x = Array.from({ length: DASHBOARD_HISTORY_SECONDS }, (_, i) => start + i);
  const ys = keys.map((key) => {
    const y: (number | null)[] = new Array(DASHBOARD_HISTORY_SECONDS).fill(null);
    for (const sample of samplesOf(key)) {
      const i = sample.t - start;
      if (i < 0 || i >= y.length) continue;
      const v = value(key, sample);
      y[i] = sum && v !== null ? (y[i] ?? 0) + v : v;
    }
    return y;
  });
  return [x, ...ys];
}

/** Rejection reasons seen in the window, sorted. */
export function rejectionReasons(timeline: Pick<DashboardTimeline, 'instances'>): string[] {
  const reasons = new Set<string>();
  for (const samples of timeline.instances.values())
    for (const s of samples) for (const reason of Object.keys(s.rejections)) reasons.add(reason);
  return [...reasons].sort();
}

/** Every instance's samples in one list (for a series summed over instances, like rejections). */
export function allSamples(timeline: Pick<DashboardTimeline, 'instances'>): DashboardSample[] {
  return [...timeline.instances.values()].flat();
}
