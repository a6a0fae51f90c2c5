/** Everything a soak run reports (printed by report.ts, written as JSON by main.ts). */
import { nowMs } from '../bench/clock';
import { type Summary, summarize } from '../bench/stats';
import type { LifetimeResources } from './analysis';
import type { FaultRecord } from './fault-injector';
import type { RoomStates } from './final-states';
import type { LoadPhase } from './load-phase';
import { itemCount } from './state-vectors';
import type { Verdict } from './verdict';
import type { WorkerReport } from './worker-protocol';
import { LOAD, type World } from './world';

export interface SoakResult {
  readonly minutes: number;
  readonly loadMs: number;
  readonly wallMs: number;
  readonly load: typeof LOAD;
  readonly edits: { readonly typists: number; readonly browsers: number };
  /** Characters received by typists from others, counted per receiver. */
  readonly delivered: number;
  /** Characters typed by ack typists, and how many an acknowledgement covered. */
  readonly ackTyped: number;
  readonly acknowledged: number;
  readonly storedItems: number;
  readonly faults: readonly (FaultRecord & { readonly atS: number; readonly tookS: number })[];
  readonly latency: Summary & { readonly excluded: number };
  /** Worst kept latency per 5 s of send time (s after the warm-up), over all workers. */
  readonly latencyTimeline: readonly {
    readonly fromS: number;
    readonly n: number;
    readonly maxMs: number;
  }[];
  readonly resources: Record<string, readonly LifetimeResources[]>;
  /** Raw samples per instance: [s since load start, pid, RSS MB, fds, connections]. */
  readonly samples: Record<
    string,
    readonly (readonly [number, number, number, number, number | null])[]
  >;
  readonly settleMs: number;
  /** Resource slopes use samples from here on (s after the load started). */
  readonly leakWindowFromS: number;
  /** Typists whose document waited on missing dependencies (count of such transactions). */
  readonly danglingTypists: readonly {
    index: number;
    room: string;
    seen: number;
    maxBytes: number;
  }[];
  /** Per typist worker: longest event-loop stall and slowest deliveries (s after load start). */
  readonly workers: readonly {
    readonly eventLoopDelayMaxMs: number;
    readonly stalls: readonly (readonly [number, number])[];
    readonly worst: readonly { room: string; sentS: number; latencyMs: number }[];
  }[];
  readonly verdict: Verdict;
  readonly logDir: string;
  readonly rooms: { readonly browsers: string; readonly flood: readonly string[] };
}

function mergeTimelines(reports: readonly WorkerReport[]): SoakResult['latencyTimeline'] {
  const merged = new Map<number, { fromS: number; n: number; maxMs: number }>();
  for (const bucket of reports.flatMap((r) => r.latencyTimeline)) {
    const into = merged.get(bucket.fromS) ?? { fromS: bucket.fromS, n: 0, maxMs: 0 };
    into.n += bucket.n;
    into.maxMs = Math.max(into.maxMs, bucket.maxMs);
    merged.set(bucket.fromS, into);
  }
  return [...merged.values()].sort((a, b) => a.fromS - b.fromS);
}

export interface ResultInputs {
  readonly minutes: number;
  readonly wallStartMs: number;
  readonly loadMs: number;
  readonly world: World;
  readonly phase: LoadPhase;
  readonly reports: readonly WorkerReport[];
  readonly rooms: readonly RoomStates[];
  readonly resources: ReadonlyMap<string, readonly LifetimeResources[]>;
  readonly settleMs: number;
  readonly leakFromMs: number;
  readonly verdict: Verdict;
}

/** Figures of the run, and the diagnostics kept in the JSON file. */
export function soakResult(inputs: ResultInputs): SoakResult {
  const { minutes, wallStartMs, loadMs, world, phase, reports, rooms, verdict } = inputs;
  const { startMs, faults, sampler } = phase;
  const typists = reports.flatMap((r) => r.typists);
  const latencies = new Float64Array(reports.reduce((n, r) => n + r.latencies.length, 0));
  let offset = 0;
  for (const r of reports) {
    latencies.set(r.latencies, offset);
    offset += r.latencies.length;
  }
  const ackTypists = typists.filter((t) => t.ack);
  return {
    minutes,
    loadMs,
    wallMs: nowMs() - wallStartMs,
    load: LOAD,
    edits: { typists: typists.reduce((s, t) => s + t.edits, 0), browsers: world.browsers.keys },
    delivered: reports.reduce((s, r) => s + r.delivered, 0),
    ackTyped: ackTypists.reduce((s, t) => s + t.inserted, 0),
    acknowledged: ackTypists.reduce((s, t) => s + t.acknowledged, 0),
    storedItems: rooms.reduce((s, r) => s + itemCount(r.stored.stateVector), 0),
    faults: faults.map((f) => ({
      ...f,
      atS: (f.startMs - startMs) / 1000,
      tookS: (f.endMs - f.startMs) / 1000,
    })),
    latency: {
      ...summarize(latencies),
      excluded: reports.reduce((s, r) => s + r.excludedSamples, 0),
    },
    latencyTimeline: mergeTimelines(reports),
    resources: Object.fromEntries(inputs.resources),
    samples: Object.fromEntries(
      [...sampler.samples].map(([instance, list]) => [
        instance,
        list.map(
          (s) =>
            [
              Math.round(s.atMs - startMs) / 1000,
              s.pid,
              Math.round(s.rssBytes / 1024 / 102.4) / 10,
              s.fds,
              s.connections,
            ] as const,
        ),
      ]),
    ),
    settleMs: inputs.settleMs,
    leakWindowFromS: (inputs.leakFromMs - startMs) / 1000,
    danglingTypists: typists
      .filter((t) => t.pendingSeen > 0)
      .map((t) => ({
        index: t.index,
        room: t.room,
        seen: t.pendingSeen,
        maxBytes: t.pendingMaxBytes,
      })),
    workers: reports.map((r) => ({
      eventLoopDelayMaxMs: r.eventLoopDelayMaxMs,
      stalls: r.stalls.map(
        ([at, lag]) => [Math.round(at - startMs) / 1000, Math.round(lag)] as const,
      ),
      worst: r.worst.map((w) => ({
        room: w.room,
        sentS: Math.round(w.sentAt - startMs) / 1000,
        latencyMs: Math.round(w.latency),
      })),
    })),
    verdict,
    logDir: world.logDir,
    rooms: { browsers: world.browserRoom, flood: phase.floodRooms },
  };
}
