/**
 * The fault schedule of a soak run, as a pure function of its length: a warm-up without faults,
 * every fault at least once at evenly spaced times, and a quiet tail so resource use is also
 * sampled after the last fault. Leaks are judged after the first full cycle of faults (see
 * `firstCycleEnd`): the first outage of each kind may raise the heap's high-water mark once. The instances are restarted once, early, so each has one long
 * lifetime to measure leaks over; the other faults repeat once per 10 minutes of run.
 */

export type FaultKind =
  | 'kill-instance'
  | 'term-instance'
  | 'reset-connections'
  | 'restart-redis'
  | 'pause-redis'
  | 'restart-postgres'
  | 'bad-clients';

export interface PlannedFault {
  readonly kind: FaultKind;
  /** Planned start, ms after the load started (the runner never starts two faults at once). */
  readonly atMs: number;
  /** How long the fault is held: Redis paused, the flood and the slow consumer running. */
  readonly holdMs: number;
  /** Relay instance the fault targets (instance faults only). */
  readonly instance?: number;
}

export interface FaultPlan {
  readonly durationMs: number;
  /** No fault (and no measurement) before this. */
  readonly warmupMs: number;
  readonly faults: readonly PlannedFault[];
}

export const REDIS_PAUSE_MS = 10_000;
const CYCLE_MS = 10 * 60_000;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * Flood and slow consumer run together for this long (longer runs hold them longer). A relay
 * that does not push back takes several times the flood's length to work off its backlog.
 */
export function badClientsHoldMs(durationMs: number): number {
  return clamp(durationMs * 0.05, 8_000, 30_000);
}

export function planFaults(durationMs: number): FaultPlan {
  const warmupMs = clamp(durationMs * 0.1, 15_000, 120_000);
  const tailMs = clamp(durationMs * 0.2, 55_000, 300_000);
  const badHold = badClientsHoldMs(durationMs);
  const cycles = Math.max(1, Math.round(durationMs / CYCLE_MS));
  const kinds: Omit<PlannedFault, 'atMs'>[] = [
    { kind: 'kill-instance', holdMs: 0, instance: 0 },
    { kind: 'term-instance', holdMs: 0, instance: 1 },
  ];
  for (let cycle = 0; cycle < cycles; cycle++) {
    kinds.push(
      { kind: 'reset-connections', holdMs: 0 },
      { kind: 'restart-redis', holdMs: 0 },
      { kind: 'pause-redis', holdMs: REDIS_PAUSE_MS },
      { kind: 'restart-postgres', holdMs: 0 },
      { kind: 'bad-clients', holdMs: badHold },
    );
  }
  const lastStart = durationMs - tailMs - badHold;
  if (lastStart <= warmupMs) throw new Error(`a ${durationMs} ms run is too short for faults`);
  const step = (lastStart - warmupMs) / (kinds.length - 1);
  const faults = kinds.map((fault, i) => ({ ...fault, atMs: Math.round(warmupMs + i * step) }));
  return { durationMs, warmupMs, faults };
}
