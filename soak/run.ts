/**
 * One soak run: start the world, type for the run's length while the faults of the schedule
 * happen, stop, let everything settle, collect every party's view of every room, and judge.
 */
import * as Y from 'yjs';
import { nowMs } from '../bench/clock';
import { type LifetimeResources, resourcesByLifetime, type TimeWindow } from './analysis';
import type { Cleanup } from './cleanup';
import {
  type HeldState,
  type RoomStates,
  readFromInstance,
  readStored,
  settleClients,
} from './final-states';
import { typeThroughFaults } from './load-phase';
import { type SoakResult, soakResult } from './soak-result';
import { judge } from './verdict';
import type { TypistReport, WorkerReport } from './worker-protocol';
import { startWorld, type World } from './world';

/** Latency and resource samples this long after a fault's end still count as inside it. */
const RECOVERY_MARGIN_MS = 5_000;
const SETTLE_TIMEOUT_MS = 120_000;

/** Ack typists whose last acknowledgement does not cover their whole (converged) document. */
function ackNotCovering(typists: readonly TypistReport[]): string[] {
  const ackTypists = typists.filter((t) => t.ack);
  const short = ackTypists.filter((t) => !t.ackCoversDocument);
  if (short.length === 0) return [];
  return [
    `${short.length} of ${ackTypists.length} ack typists never got an acknowledgement covering ` +
      `their whole converged document (e.g. typist ${short[0]?.index}); everything is stored`,
  ];
}

async function collectRooms(
  world: World,
  floodRooms: readonly string[],
  clientViews: Map<string, HeldState[]>,
): Promise<RoomStates[]> {
  const all = [...world.rooms, ...floodRooms];
  const stored = await readStored(world.postgres.url, all);
  const rooms: RoomStates[] = [];
  for (const room of all) {
    const instances = await Promise.all(
      world.relays.map((relay) => readFromInstance(relay, room, 20_000)),
    );
    rooms.push({
      room,
      clients: clientViews.get(room) ?? [],
      instances,
      stored: stored.get(room) as HeldState,
    });
  }
  return rooms;
}

export async function runSoak(
  minutes: number,
  cleanup: Cleanup,
  log: (line: string) => void,
): Promise<SoakResult> {
  const wallStartMs = nowMs();
  const world = await startWorld(cleanup, log);
  const phase = await typeThroughFaults(world, minutes, log);
  const { startMs, faults, sampler, warmupMs } = phase;
  const loadMs = nowMs() - startMs;

  log('stopping the load and waiting for every room to settle…');
  await Promise.all(world.typistWorkers.map((w) => w.call({ op: 'stopTyping' })));
  await world.browsers.stopTyping();
  const browserProblems: string[] = [];
  const settled = await settleClients(
    [...world.typistWorkers, world.chaosWorker],
    { users: world.browsers, room: world.browserRoom },
    SETTLE_TIMEOUT_MS,
  );
  const saveIndicatorFindings: string[] = [];
  await world.browsers.waitSaved(30_000).catch(() => {
    saveIndicatorFindings.push('a browser still showed "Saving…" 30 s after its text converged');
  });
  browserProblems.push(...world.browsers.errors.map((e) => `browser error: ${e}`));
  const rooms = await collectRooms(world, phase.floodRooms, settled.byRoom);

  const exclusions: TimeWindow[] = faults.map((f) => ({
    startMs: f.startMs,
    endMs: f.endMs + RECOVERY_MARGIN_MS,
  }));
  const reports: WorkerReport[] = await Promise.all(
    world.typistWorkers.map((w) =>
      w.call({ op: 'report', measureFromMs: startMs + warmupMs, exclusions }),
    ),
  );
  const typists = reports.flatMap((r) => r.typists);
  // Leaks are judged once every kind of fault has happened (the first cycle's high-water mark
  // is not a leak; growth that repeats with later faults or with traffic is).
  const firstCycle = faults.find((f) => f.kind === 'bad-clients');
  const leakFromMs = (firstCycle?.endMs ?? startMs) + RECOVERY_MARGIN_MS;
  const resources = new Map<string, LifetimeResources[]>();
  for (const [instance, samples] of sampler.samples) {
    resources.set(
      instance,
      resourcesByLifetime(samples, exclusions, { warmupMs, fromMs: leakFromMs }),
    );
  }
  const verdict = judge({
    rooms,
    acked: typists
      .filter((t) => t.ack)
      .map((t) => ({
        label: `typist ${t.index}`,
        room: t.room,
        stateVector: Y.decodeStateVector(t.ackedStateVector),
      })),
    clientsConverged: settled.converged,
    crashes: world.ledger.crashes(),
    gaveUp: typists.filter((t) => t.gaveUp).map((t) => `typist ${t.index} (${t.gaveUp})`),
    browserProblems,
    saveIndicatorFindings: [...saveIndicatorFindings, ...ackNotCovering(typists)],
    resources,
  });
  return soakResult({
    minutes,
    wallStartMs,
    loadMs,
    world,
    phase,
    reports,
    rooms,
    resources,
    settleMs: settled.waitedMs,
    leakFromMs,
    verdict,
  });
}
