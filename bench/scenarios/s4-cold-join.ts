import { waitFor } from '../clock';
import { readRssKb, readThreadsCpuMs } from '../proc';
import { median } from '../stats';
import { traceDocument } from '../trace-doc';
import type { Scenario } from './scenario';

export const s4Scenario: Scenario = {
  group: 'S4',
  title: 'S4 cold join (automerge-paper)',
  method:
    'One client uploads the automerge-paper document (≈311 KB Yjs state, 104,852 chars) and stays ' +
    'connected; after five unmeasured joins (both generators warmed), 10 fresh clients (quick: 3) ' +
    'join one after another, ' +
    'alternating generators: time from creating the provider until its text equals the document.',
  metrics: [
    { key: 'joinMsMean', label: 'join mean (ms)', better: 'lower', digits: 1 },
    { key: 'joinMsMedian', label: 'join median (ms)', better: 'lower', digits: 1 },
    { key: 'joinMsMin', label: 'join min (ms)', better: 'lower', digits: 1 },
    { key: 'serverCpuPerJoinMs', label: 'server CPU per join (ms)', better: 'lower', digits: 1 },
    { key: 'roomRssMb', label: 'room RSS (MB)', better: 'lower', digits: 1 },
  ],
  async run(ctx) {
    const seed = traceDocument('automerge-paper');
    const { server, pool } = ctx;
    const room = 's4-automerge-paper';
    const [first, second] = [pool.workers[0], pool.workers[1] ?? pool.workers[0]];
    if (!first || !second) throw new Error('S4 needs a load generator');
    const rssBefore = readRssKb(server.pid);
    await first.call({ op: 'seed', url: server.url, room, update: seed.update, timeoutMs: 60_000 });
    const join = {
      op: 'join',
      url: server.url,
      room,
      expected: seed.text,
      timeoutMs: 30_000,
    } as const;
    await second.call(join); // the server now surely holds the whole document
    const roomRssMb = (readRssKb(server.pid) - rssBefore) / 1024;
    // Unmeasured joins on both generators: the generators live for the whole run, so without
    // this whichever server is measured first pays for their JIT warming up to decode a large
    // state (measured: 130 ms medians for the first server against 40 ms for the next ones).
    for (const worker of [first, second, first, second]) await worker.call(join);
    // Measure joins only: work the upload set off in the background (a store's folding and
    // checkpoints, a thread started for them) is finished first, whichever server it is.
    await waitUntilIdle(server.pid);
    const joins = ctx.quick ? 3 : 10;
    const times: number[] = [];
    // Nanosecond thread CPU: a join costs a few ms, below the 10 ms ticks of /proc/PID/stat.
    const cpu0 = readThreadsCpuMs(server.pid);
    for (let i = 0; i < joins; i++) {
      const worker = i % 2 ? first : second;
      times.push((await worker.call(join)).ms);
    }
    const serverCpuMs = readThreadsCpuMs(server.pid) - cpu0;
    return {
      joinMsMean: times.reduce((a, b) => a + b, 0) / times.length,
      joinMsMedian: median(times),
      joinMsMin: Math.min(...times),
      serverCpuPerJoinMs: serverCpuMs / joins,
      roomRssMb,
    };
  },
};

/** A server is idle once it used less than IDLE_CPU_MS of CPU over IDLE_WINDOW_MS. */
const IDLE_WINDOW_MS = 300;
const IDLE_CPU_MS = 1;
const IDLE_TIMEOUT_MS = 10_000;

async function waitUntilIdle(pid: number): Promise<void> {
  // The first check only takes a reading; each later one looks at the window since the last.
  let before = Number.NEGATIVE_INFINITY;
  const idle = await waitFor(
    () => {
      const now = readThreadsCpuMs(pid);
      const quiet = now - before < IDLE_CPU_MS;
      before = now;
      return quiet;
    },
    IDLE_TIMEOUT_MS,
    IDLE_WINDOW_MS,
  );
  if (!idle) throw new Error(`server ${pid} still busy ${IDLE_TIMEOUT_MS} ms after the upload`);
}
