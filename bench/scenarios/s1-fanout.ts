import { PeakRssSampler } from '../proc';
import { type MetricDef, type Scenario, type ScenarioContext, splitAcross } from './scenario';
import { type RoundPlan, typingRound } from './typing-round';

/** Metrics of a typing round (S1 and each S2 step). */
export const ROUND_METRICS: MetricDef[] = [
  { key: 'p50', label: 'latency p50 (ms)', better: 'lower', digits: 2 },
  { key: 'p95', label: 'latency p95 (ms)', better: 'lower', digits: 2 },
  { key: 'p99', label: 'latency p99 (ms)', better: 'lower', digits: 2 },
  { key: 'max', label: 'latency max (ms)', better: 'lower', digits: 1 },
  { key: 'expected', label: 'updates expected', better: 'none', digits: 0 },
  { key: 'deliveredPct', label: 'delivered (%)', better: 'higher', digits: 2 },
  { key: 'deliveredPerSec', label: 'delivered updates/s', better: 'none', digits: 0 },
  { key: 'cpuPer1k', label: 'server CPU ms / 1k delivered', better: 'lower', digits: 1 },
  { key: 'kernelCpuPct', label: 'of which in the kernel (%)', better: 'none', digits: 0 },
  { key: 'serverCpuPct', label: 'server CPU (% of a core)', better: 'lower', digits: 1 },
  { key: 'peakRssMb', label: 'server peak RSS (MB)', better: 'lower', digits: 1 },
  { key: 'genCpuPct', label: 'load generators CPU (% of a core, sum)', better: 'none', digits: 0 },
  { key: 'sendLagP99', label: 'generator send lag p99 (ms)', better: 'none', digits: 1 },
];

export interface Layout {
  rooms: number;
  clientsPerRoom: number;
}

/** Opens rooms × clientsPerRoom clients, spread round-robin over the load generators. */
export async function openRooms(
  ctx: ScenarioContext,
  prefix: string,
  layout: Layout,
): Promise<number> {
  const total = layout.rooms * layout.clientsPerRoom;
  const specs = Array.from({ length: total }, (_, index) => ({
    index,
    room: `${prefix}-${Math.floor(index / layout.clientsPerRoom)}`,
  }));
  const parts = splitAcross(specs, ctx.pool.workers.length);
  await Promise.all(
    ctx.pool.workers.map((w, i) =>
      w.call({
        op: 'open',
        url: ctx.server.url,
        clients: parts[i] ?? [],
        concurrency: 25,
        timeoutMs: 60_000,
      }),
    ),
  );
  return total;
}

function fanout(clientsPerRoom: number, fullRooms: number, quickRooms: number): Scenario {
  const rate = 5;
  return {
    group: 'S1',
    key: `S1-${clientsPerRoom}`,
    title: `S1 fan-out, ${clientsPerRoom} clients/room`,
    method:
      `${fullRooms} rooms × ${clientsPerRoom} clients (quick: ${quickRooms} rooms), each appending a ` +
      `unique timestamped token ${rate}/s; 3 s warm-up then 15 s measured (quick: 1 s + 4 s); ` +
      'latency = receive time − send time on the shared monotonic clock, at every other client.',
    metrics: ROUND_METRICS,
    fullOnly: clientsPerRoom !== 5,
    async run(ctx) {
      const layout = { rooms: ctx.quick ? quickRooms : fullRooms, clientsPerRoom };
      const totalClients = await openRooms(ctx, `s1c${clientsPerRoom}`, layout);
      const plan: RoundPlan = {
        ratePerClient: rate,
        warmupMs: ctx.quick ? 1000 : 3000,
        measureMs: ctx.quick ? 4000 : 15_000,
        totalClients,
        clientsPerRoom,
        drainTimeoutMs: 10_000,
      };
      const rss = new PeakRssSampler(ctx.server.pid);
      try {
        const metrics = await typingRound(ctx, plan);
        return { ...metrics, peakRssMb: rss.stop() / 1024 };
      } finally {
        rss.stop();
      }
    },
  };
}

export const s1Scenarios: Scenario[] = [fanout(5, 50, 20), fanout(2, 50, 20), fanout(20, 5, 3)];
