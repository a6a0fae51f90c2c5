/**
 * The load phase of a soak run: every typist and browser types for the run's length while the
 * fault injector works through the schedule, one fault at a time, and the sampler reads the
 * relays' resources.
 */
import * as Y from 'yjs';
import { nowMs } from '../bench/clock';
import { waitUntil } from '../e2e/support/process';
import { generateRoomId } from '../lib/room-id';
import { FaultInjector, type FaultRecord } from './fault-injector';
import { ResourceSampler } from './resource-sampler';
import { planFaults } from './schedule';
import { missingItems } from './state-vectors';
import { LOAD, type World } from './world';

const MIN_FAULT_GAP_MS = 2_000;
const FLOOD_ABSORB_TIMEOUT_MS = 180_000;

export interface LoadPhase {
  /** When typing started (shared clock, ms). */
  readonly startMs: number;
  readonly warmupMs: number;
  readonly faults: readonly FaultRecord[];
  readonly sampler: ResourceSampler;
  /** One fresh room per flood, left by its clients afterwards (so it unloads). */
  readonly floodRooms: readonly string[];
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function injectorFor(world: World, floodRooms: string[]): FaultInjector {
  const current = () => floodRooms[floodRooms.length - 1] as string;
  return new FaultInjector({
    relays: world.relays,
    redis: world.redis,
    postgres: world.postgres,
    balancer: world.balancer,
    badClients: (holdMs) => {
      floodRooms.push(generateRoomId());
      return world.chaosWorker.call(
        {
          op: 'badClients',
          floodUrl: world.balancer.homeLinks[0]?.url as string,
          listenUrl: world.balancer.homeLinks[1]?.url as string,
          slowUrl: world.balancer.homeLinks[0]?.url as string,
          room: current(),
          holdMs,
        },
        holdMs + 60_000,
      );
    },
    floodAbsorbed: (floodStateVector) => {
      const flood = Y.decodeStateVector(floodStateVector);
      return waitUntil(
        'the flooded room to catch up with the flood',
        async () => {
          const views = await world.chaosWorker.call({ op: 'digest' });
          const members = views.find((r) => r.room === current())?.members ?? [];
          return members.every(
            (m) => missingItems(flood, Y.decodeStateVector(m.stateVector)) === 0,
          );
        },
        FLOOD_ABSORB_TIMEOUT_MS,
      );
    },
    leaveFlood: async () => {
      await world.chaosWorker.call({ op: 'leaveRoom', room: current() });
    },
  });
}

export async function typeThroughFaults(
  world: World,
  minutes: number,
  log: (line: string) => void,
): Promise<LoadPhase> {
  const plan = planFaults(minutes * 60_000);
  const sampler = new ResourceSampler(world.relays);
  const floodRooms: string[] = [];
  const injector = injectorFor(world, floodRooms);
  sampler.start();
  await Promise.all(world.typistWorkers.map((w) => w.call({ op: 'startTyping' })));
  world.browsers.startTyping(7);
  const startMs = nowMs();
  const at = (ms: number) => `${((ms - startMs) / 1000).toFixed(1)} s`;
  log(`typing: ${LOAD.typists} typists in ${LOAD.rooms} rooms + ${LOAD.browsers} browsers`);
  let typing = true;
  const progress = setInterval(async () => {
    if (!typing) return;
    try {
      const counts = await Promise.all(world.typistWorkers.map((w) => w.call({ op: 'progress' })));
      const edits = counts.reduce((s, c) => s + c.edits, 0);
      const connected = counts.reduce((s, c) => s + c.connected, 0);
      if (typing) {
        log(`  ${at(nowMs())}: ${edits} edits, ${connected}/${LOAD.typists} typists connected`);
      }
    } catch (error) {
      // A dead worker fails the run where its answers are needed; here it is only news.
      log(`  ${at(nowMs())}: no progress: ${error instanceof Error ? error.message : error}`);
    }
  }, 15_000);
  const faults: FaultRecord[] = [];
  try {
    let earliest = startMs;
    for (const fault of plan.faults) {
      await delay(Math.max(startMs + fault.atMs, earliest) - nowMs());
      const record = await injector.inject(fault);
      faults.push(record);
      earliest = record.endMs + MIN_FAULT_GAP_MS;
      log(
        `  ${at(record.startMs)}: ${record.kind} (${record.target}): ${record.detail}; whole again after ${((record.endMs - record.startMs) / 1000).toFixed(1)} s`,
      );
    }
    await delay(startMs + plan.durationMs - nowMs());
  } finally {
    typing = false;
    clearInterval(progress);
    sampler.stop();
  }
  return { startMs, faults, sampler, warmupMs: plan.warmupMs, floodRooms };
}
