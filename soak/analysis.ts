/**
 * Pure analysis of what a soak run recorded: which moments count as "outside faults", resource
 * slopes per relay lifetime, and latency percentiles.
 */

/** A span of the shared monotonic clock (ms), e.g. a fault plus its recovery margin. */
export interface TimeWindow {
  readonly startMs: number;
  readonly endMs: number;
}

export function inAnyWindow(atMs: number, windows: readonly TimeWindow[]): boolean {
  return windows.some((w) => atMs >= w.startMs && atMs <= w.endMs);
}

/** Ordinary least-squares slope of `v` against `t`, in units of v per minute (t in ms). */
export function slopePerMinute(points: readonly { t: number; v: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  let sumT = 0;
  let sumV = 0;
  for (const p of points) {
    sumT += p.t;
    sumV += p.v;
  }
  const meanT = sumT / n;
  const meanV = sumV / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - meanT) * (p.v - meanV);
    den += (p.t - meanT) ** 2;
  }
  return den === 0 ? Number.NaN : (num / den) * 60_000;
}

/** One reading of a relay process from /proc and /healthz. */
export interface ResourceSample {
  /** The process (a restart starts a new lifetime with a new pid). */
  readonly pid: number;
  /** When this process started (shared clock, ms). */
  readonly startedAtMs: number;
  readonly atMs: number;
  readonly rssBytes: number;
  readonly fds: number;
  /** Open WebSocket connections from /healthz; null when it did not answer in time. */
  readonly connections: number | null;
}

export interface LifetimeResources {
  readonly pid: number;
  /** Clean samples: after the lifetime's warm-up and outside every fault window. */
  readonly cleanSamples: number;
  /** From the first to the last clean sample. */
  readonly cleanSpanMs: number;
  readonly rssSlopeMbPerMin: number;
  readonly fdSlopePerMin: number;
  /**
   * File descriptors other than client sockets (fds − open connections): median of the last
   * third of the clean samples minus median of the first third. Flat means ≈ 0.
   */
  readonly otherFdDrift: number;
  readonly rssFirstMb: number;
  readonly rssLastMb: number;
}

const MB = 1024 * 1024;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Resource trend of each lifetime (pid) of one instance over its clean samples: taken at or
 * after `fromMs`, at least `warmupMs` into the lifetime, and outside every fault window. The
 * lifetime with the longest clean span comes first (that is the one a leak verdict uses).
 */
export function resourcesByLifetime(
  samples: readonly ResourceSample[],
  exclusions: readonly TimeWindow[],
  { warmupMs, fromMs = 0 }: { readonly warmupMs: number; readonly fromMs?: number },
): LifetimeResources[] {
  const byPid = new Map<number, ResourceSample[]>();
  for (const sample of samples) {
    const early = sample.atMs < Math.max(fromMs, sample.startedAtMs + warmupMs);
    if (early || inAnyWindow(sample.atMs, exclusions)) continue;
    const list = byPid.get(sample.pid) ?? [];
    list.push(sample);
    byPid.set(sample.pid, list);
  }
  const lifetimes: LifetimeResources[] = [];
  for (const [pid, clean] of byPid) {
    const first = clean[0] as ResourceSample;
    const last = clean[clean.length - 1] as ResourceSample;
    const other = clean
      .filter((s) => s.connections !== null)
      .map((s) => s.fds - (s.connections as number));
    const third = Math.max(1, Math.floor(other.length / 3));
    lifetimes.push({
      pid,
      cleanSamples: clean.length,
      cleanSpanMs: last.atMs - first.atMs,
      rssSlopeMbPerMin: slopePerMinute(clean.map((s) => ({ t: s.atMs, v: s.rssBytes / MB }))),
      fdSlopePerMin: slopePerMinute(clean.map((s) => ({ t: s.atMs, v: s.fds }))),
      otherFdDrift: median(other.slice(-third)) - median(other.slice(0, third)),
      rssFirstMb: first.rssBytes / MB,
      rssLastMb: last.rssBytes / MB,
    });
  }
  return lifetimes.sort((a, b) => b.cleanSpanMs - a.cleanSpanMs);
}
