import { delay, nowMs, waitFor } from '../clock';
import { readRssKb } from '../proc';
import { traceDocument } from '../trace-doc';
import type { Loadgen } from '../workers';
import { type Scenario, type ScenarioContext, splitAcross } from './scenario';

const ROOMS = 500;
/** Rooms a fresh client joins to check that the server holds the whole document. */
const CHECKED_ROOMS = 10;
/** Seeding handshakes in flight per generator (as S3), so the accept backlog is not measured. */
const SEEDS_IN_FLIGHT = 25;
/** The baseline is read this long after the server is ready, as S3-SERVER does. */
const SETTLE_MS = 3000;
/** RSS counts as stable when two samples this far apart differ by less than 1%. */
const STABLE_INTERVAL_MS = 250;
const STABLE_TIMEOUT_MS = 10_000;

/**
 * RSS once two samples STABLE_INTERVAL_MS apart are within 1% (or at the timeout). The pause
 * comes before each sample: waitFor checks once at once, which would compare two reads 0 ms apart.
 */
async function stableRssKb(pid: number): Promise<number> {
  let last = readRssKb(pid);
  await waitFor(
    async () => {
      await delay(STABLE_INTERVAL_MS);
      const current = readRssKb(pid);
      const stable = Math.abs(current - last) < last * 0.01;
      last = current;
      return stable;
    },
    STABLE_TIMEOUT_MS,
    0,
  );
  return last;
}

/** One client per room uploads `update` and stays connected; rooms are spread over generators. */
async function seedRooms(ctx: ScenarioContext, rooms: string[], update: Uint8Array) {
  const parts = splitAcross(rooms, ctx.pool.workers.length);
  const seedAll = async (worker: Loadgen, queue: string[]) => {
    const lane = async () => {
      for (let room = queue.shift(); room !== undefined; room = queue.shift()) {
        await worker.call({ op: 'seed', url: ctx.server.url, room, update, timeoutMs: 30_000 });
      }
    };
    await Promise.all(Array.from({ length: SEEDS_IN_FLIGHT }, lane));
  };
  await Promise.all(ctx.pool.workers.map((worker, i) => seedAll(worker, parts[i] ?? [])));
}

export const s6Scenario: Scenario = {
  group: 'S6',
  title: 'S6 memory per open document (sveltecomponent)',
  method:
    `RSS before = fresh server ${SETTLE_MS / 1000} s after ready and stable (two samples 250 ms ` +
    `apart within 1%); then ${ROOMS} rooms each get one client that uploads the sveltecomponent ` +
    'document (one 96 KB Yjs update, 18,451 chars) in its sync handshake and stays connected ' +
    `idle (${SEEDS_IN_FLIGHT} handshakes in flight per generator); after a fresh client in ` +
    `${CHECKED_ROOMS} evenly spaced rooms (the last included) has received the whole text, ` +
    `RSS after = stable RSS. Per document = (after − before) / ${ROOMS}, one idle connection ` +
    'included (see S3). One phase for every server: the reference drops a room with its last ' +
    'client, so rooms are never reloaded from storage here.',
  metrics: [
    { key: 'rooms', label: 'rooms (1 document + 1 idle client each)', better: 'none', digits: 0 },
    { key: 'rssPerDocKb', label: 'RSS per open document (KB)', better: 'lower', digits: 1 },
    { key: 'rssBeforeMb', label: 'RSS before (MB)', better: 'none', digits: 1 },
    { key: 'rssAfterMb', label: 'RSS after (MB)', better: 'lower', digits: 1 },
    { key: 'seedMs', label: 'time to open and seed all (ms)', better: 'lower', digits: 0 },
  ],
  async run(ctx) {
    const seed = traceDocument('sveltecomponent');
    const { server, pool } = ctx;
    await delay(SETTLE_MS);
    const rssBefore = await stableRssKb(server.pid);
    const rooms = Array.from({ length: ROOMS }, (_, i) => `s6-${i}`);
    const t0 = nowMs();
    await seedRooms(ctx, rooms, seed.update);
    const seedMs = nowMs() - t0;
    // A seeding client is synced once it has the server's state, not once the server has its
    // upload: a joiner reading the whole text is what proves the room holds the document.
    for (let i = 1; i <= CHECKED_ROOMS; i++) {
      const room = rooms[Math.floor((i * ROOMS) / CHECKED_ROOMS) - 1] as string;
      const worker = pool.workers[i % pool.workers.length] as Loadgen;
      await worker.call({
        op: 'join',
        url: server.url,
        room,
        expected: seed.text,
        timeoutMs: 30_000,
      });
    }
    const rssAfter = await stableRssKb(server.pid);
    return {
      rooms: ROOMS,
      rssPerDocKb: (rssAfter - rssBefore) / ROOMS,
      rssBeforeMb: rssBefore / 1024,
      rssAfterMb: rssAfter / 1024,
      seedMs,
    };
  },
};
