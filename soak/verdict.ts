/**
 * The pass/fail rules of a soak run, as a pure function of what was collected: nothing
 * acknowledged or received is missing from storage, every room converged everywhere, no process
 * died unless the schedule killed it, and the relays' memory and descriptors stayed flat.
 */
import type { LifetimeResources } from './analysis';
import type { RoomStates } from './final-states';
import type { Lifetime } from './process-ledger';
import { mergeMax, missingItems, sameVector } from './state-vectors';

/** The leak rule of the brief: less than this much RSS growth per minute, per instance. */
export const RSS_LIMIT_MB_PER_MIN = 1;
/** Below this much clean time a lifetime's slope is mostly GC noise: the rule is looser. */
export const LONG_CLEAN_SPAN_MS = 10 * 60_000;
/**
 * The rule for short runs (CI's 2 minutes): a slope over ~1 minute of clean samples swings by a
 * few MB/min with V8's heap sizing alone, so only a gross leak (e.g. every update or every
 * reconnect retained) is caught.
 */
export const SHORT_RSS_LIMIT_MB_PER_MIN = 12;
/** Without this much clean time after warm-up there is no slope worth judging. */
export const MIN_CLEAN_SPAN_MS = 30_000;
/** Descriptors other than client sockets may wander by this much (pooled database connections). */
export const FD_DRIFT_LIMIT = 12;

export interface VerdictInput {
  readonly rooms: readonly RoomStates[];
  /** Per typist: its room and the highest acknowledged state vector it received. */
  readonly acked: readonly { label: string; room: string; stateVector: Map<number, number> }[];
  readonly clientsConverged: boolean;
  readonly crashes: readonly Lifetime[];
  readonly gaveUp: readonly string[];
  readonly browserProblems: readonly string[];
  /**
   * Findings reported without failing the run: clients whose last acknowledgement does not cover
   * their whole document (their save indicator would stay on "Saving…"). Nothing is lost then.
   */
  readonly saveIndicatorFindings: readonly string[];
  /** Lifetimes of each instance, longest clean span first. */
  readonly resources: ReadonlyMap<string, readonly LifetimeResources[]>;
}

export interface Verdict {
  readonly failures: string[];
  readonly warnings: readonly string[];
  /** Items (characters) acknowledged or held by a client but missing from storage. */
  readonly lost: number;
  readonly roomsConverged: number;
  /** The RSS limit applied per instance (null: not enough clean time to judge). */
  readonly rssLimits: Map<string, number | null>;
}

export function rssLimitFor(cleanSpanMs: number): number | null {
  if (cleanSpanMs < MIN_CLEAN_SPAN_MS) return null;
  return cleanSpanMs >= LONG_CLEAN_SPAN_MS ? RSS_LIMIT_MB_PER_MIN : SHORT_RSS_LIMIT_MB_PER_MIN;
}

export function judge(input: VerdictInput): Verdict {
  const failures: string[] = [];
  let lost = 0;
  let roomsConverged = 0;

  for (const room of input.rooms) {
    const ackedHere = input.acked.filter((a) => a.room === room.room);
    let expected = new Map<number, number>();
    for (const state of room.clients) expected = mergeMax(expected, state.stateVector);
    for (const ack of ackedHere) expected = mergeMax(expected, ack.stateVector);
    const missing = missingItems(expected, room.stored.stateVector);
    if (missing > 0) {
      lost += missing;
      failures.push(`room ${room.room}: ${missing} items acknowledged or received are not stored`);
    }
    for (const ack of ackedHere) {
      const unstored = missingItems(ack.stateVector, room.stored.stateVector);
      if (unstored > 0) failures.push(`${ack.label}: ${unstored} acknowledged items not stored`);
    }
    const everyone = [...room.clients, ...room.instances, room.stored];
    const differing = everyone.filter(
      (s) =>
        s.textHash !== room.stored.textHash ||
        (!s.holder.startsWith('browser') && !sameVector(s.stateVector, room.stored.stateVector)),
    );
    if (differing.length === 0) roomsConverged++;
    else {
      const who = differing.slice(0, 4).map((s) => `${s.holder} (${s.textLength} chars)`);
      failures.push(
        `room ${room.room} did not converge: ${who.join(', ')} differ from storage ` +
          `(${room.stored.textLength} chars)`,
      );
    }
  }
  if (!input.clientsConverged) failures.push('clients did not converge before the timeout');

  for (const crash of input.crashes) {
    failures.push(
      `${crash.label} (pid ${crash.pid}) exited ${crash.exit}` +
        (crash.expectedExit ? ` (expected ${crash.expectedExit})` : ' on its own'),
    );
  }
  for (const typist of input.gaveUp) failures.push(`${typist} stopped reconnecting`);
  failures.push(...input.browserProblems);

  const rssLimits = new Map<string, number | null>();
  for (const [instance, lifetimes] of input.resources) {
    const longest = lifetimes[0];
    const limit = longest ? rssLimitFor(longest.cleanSpanMs) : null;
    rssLimits.set(instance, limit);
    if (!longest || limit === null) continue;
    if (longest.rssSlopeMbPerMin >= limit) {
      failures.push(
        `${instance}: RSS grew ${longest.rssSlopeMbPerMin.toFixed(2)} MB/min ` +
          `(limit ${limit} MB/min over ${(longest.cleanSpanMs / 60_000).toFixed(1)} clean minutes)`,
      );
    }
    if (Math.abs(longest.otherFdDrift) > FD_DRIFT_LIMIT) {
      failures.push(
        `${instance}: descriptors other than client sockets drifted by ${longest.otherFdDrift} ` +
          `(limit ±${FD_DRIFT_LIMIT})`,
      );
    }
  }
  return { failures, warnings: input.saveIndicatorFindings, lost, roomsConverged, rssLimits };
}
