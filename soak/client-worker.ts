/**
 * A client worker process (forked by worker-pool.ts): runs typists and the bad clients, and
 * answers the commands of worker-protocol.ts over the IPC channel. Every room's typists live in
 * one worker, so delivery latency is measured inside one process (latency-book.ts).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { nowMs } from '../bench/clock';
import { Flooder, Listener, stallReading } from './bad-clients';
import { LatencyBook } from './latency-book';
import { digestOf, Typist } from './typist';
import type {
  MemberDigest,
  RoomDigest,
  WorkerCommand,
  WorkerRequest,
  WorkerResponse,
} from './worker-protocol';

// Every WebsocketProvider adds a process 'exit' listener; a hundred per process are expected.
process.setMaxListeners(0);

const latency = new LatencyBook();
const typists: Typist[] = [];
/** The flooder and its listener while they are in their room. */
const quiet: { room: string; label: string; client: Flooder | Listener }[] = [];
/** What the flood's clients held when they left their room (nobody writes there afterwards). */
const departed: { room: string; member: MemberDigest }[] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 20 });
loopDelay.enable();
/** [shared-clock ms, lag ms] of every event-loop stall over 200 ms, to place slow deliveries. */
const stalls: [number, number][] = [];
let lastTick = nowMs();
const stallWatch = setInterval(() => {
  const now = nowMs();
  if (now - lastTick > 300) stalls.push([now, now - lastTick - 100]);
  lastTick = now;
}, 100);
const pruning = setInterval(() => latency.prune(nowMs()), 10_000);

async function waitForSync(members: readonly Typist[], timeoutMs: number): Promise<void> {
  const deadline = nowMs() + timeoutMs;
  while (members.some((t) => !t.provider.synced)) {
    if (nowMs() > deadline) {
      const waiting = members.filter((t) => !t.provider.synced).map((t) => t.label);
      throw new Error(`not synced after ${timeoutMs} ms: ${waiting.slice(0, 5).join(', ')}…`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function digests(): RoomDigest[] {
  const byRoom = new Map<string, MemberDigest[]>();
  const add = (room: string, member: MemberDigest) => {
    byRoom.set(room, [...(byRoom.get(room) ?? []), member]);
  };
  for (const typist of typists) add(typist.spec.room, typist.digest());
  for (const { room, label, client } of quiet) {
    add(room, digestOf(label, client.doc, client.provider.synced));
  }
  for (const { room, member } of departed) add(room, member);
  return [...byRoom].map(([room, members]) => ({ room, members }));
}

async function handle(command: WorkerCommand): Promise<unknown> {
  switch (command.op) {
    case 'open': {
      const started = nowMs();
      const opened = command.typists.map((spec) => new Typist(spec, latency));
      typists.push(...opened);
      await waitForSync(opened, command.timeoutMs);
      return { opened: opened.length, ms: nowMs() - started };
    }
    case 'startTyping':
      for (const typist of typists) typist.startTyping();
      return null;
    case 'stopTyping':
      for (const typist of typists) typist.stopTyping();
      return null;
    case 'progress':
      return {
        edits: typists.reduce((sum, t) => sum + t.edits, 0),
        delivered: latency.delivered,
        connected: typists.filter((t) => t.provider.wsconnected).length,
        members: typists.length,
      };
    case 'digest':
      return digests();
    case 'report': {
      const { kept, left, buckets } = latency.latencies(command.measureFromMs, command.exclusions);
      return {
        typists: typists.map((t) => t.report()),
        delivered: latency.delivered,
        latencies: kept,
        excludedSamples: left,
        latencyTimeline: buckets,
        worst: latency.worst,
        eventLoopDelayMaxMs: loopDelay.max / 1e6,
        stalls,
      };
    }
    case 'badClients': {
      const flooder = new Flooder(command.floodUrl, command.room);
      const listener = new Listener(command.listenUrl, command.room);
      quiet.push(
        { room: command.room, label: 'flooder', client: flooder },
        { room: command.room, label: 'flood listener', client: listener },
      );
      const until = nowMs() + command.holdMs;
      const [, slowBytesRead] = await Promise.all([
        flooder.flood(until),
        stallReading(command.slowUrl, command.room, command.holdMs),
      ]);
      return {
        floodUpdates: flooder.updates,
        floodBytes: flooder.bytes,
        floodCloseCodes: flooder.closeCodes,
        slowBytesRead,
        floodStateVector: flooder.stateVector(),
      };
    }
    case 'leaveRoom': {
      for (const entry of quiet.filter((q) => q.room === command.room)) {
        const { label, client } = entry;
        departed.push({
          room: entry.room,
          member: digestOf(label, client.doc, client.provider.synced),
        });
        client.destroy();
        quiet.splice(quiet.indexOf(entry), 1);
      }
      return null;
    }
    case 'close':
      clearInterval(pruning);
      clearInterval(stallWatch);
      for (const typist of typists.splice(0)) typist.destroy();
      for (const { client } of quiet.splice(0)) client.destroy();
      return null;
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

function reply(response: WorkerResponse): void {
  process.send?.(response);
}

process.on('message', (message: WorkerRequest) => {
  handle(message.command).then(
    (value) => reply({ id: message.id, ok: true, value }),
    (error: unknown) =>
      reply({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});

// The orchestrator going away (even by kill -9) closes the IPC channel: exit with it.
process.on('disconnect', () => process.exit(0));
process.send?.({ id: 0, ok: true, value: 'ready' } satisfies WorkerResponse);
