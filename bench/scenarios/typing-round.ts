import { delay, nowMs, waitFor } from '../clock';
import { readCpuMs, readKernelCpuMs, readTotalCpuMs } from '../proc';
import { concatSamples, summarize } from '../stats';
import type { Metrics, ScenarioContext } from './scenario';

export interface RoundPlan {
  ratePerClient: number;
  warmupMs: number;
  measureMs: number;
  totalClients: number;
  clientsPerRoom: number;
  /** After the last send, how long delivery may take before it counts as a backlog. */
  drainTimeoutMs: number;
}

/**
 * One timed typing round over the clients already open in the pool: every client types at the
 * given rate; after the warm-up, measures latency at every receiver, delivered vs expected, and
 * server / generator CPU over the measured window (until delivery completes or times out).
 */
export async function typingRound(ctx: ScenarioContext, plan: RoundPlan): Promise<Metrics> {
  const { server, pool } = ctx;
  const startAt = nowMs() + 300;
  const timeout = plan.warmupMs + plan.measureMs + 30_000;
  const typed = Promise.all(
    pool.workers.map((w) => w.call({ op: 'type', startAt, ...plan }, timeout)),
  );
  await delay(startAt + plan.warmupMs - nowMs());
  const t0 = nowMs();
  const serverCpu0 = readCpuMs(server.pid);
  const serverKernel0 = readKernelCpuMs(server.pid);
  const genCpu0 = readTotalCpuMs(pool.pids);
  const replies = await typed;
  const sendEnd = nowMs();

  let expected = 0;
  for (const reply of replies) {
    for (const sent of Object.values(reply.sentByRoom))
      expected += sent * (plan.clientsPerRoom - 1);
  }
  let delivered = 0;
  const drained = await waitFor(
    async () => {
      const progress = await Promise.all(pool.workers.map((w) => w.call({ op: 'progress' })));
      delivered = progress.reduce((sum, p) => sum + p.received, 0);
      return delivered >= expected;
    },
    plan.drainTimeoutMs,
    25,
  );
  const t1 = nowMs();
  const serverCpuMs = readCpuMs(server.pid) - serverCpu0;
  const serverKernelMs = readKernelCpuMs(server.pid) - serverKernel0;
  const genCpuMs = readTotalCpuMs(pool.pids) - genCpu0;
  const latencies = concatSamples(
    (await Promise.all(pool.workers.map((w) => w.call({ op: 'latencies' })))).map(
      (r) => r.latencies,
    ),
  );
  const latency = summarize(latencies);
  const windowMs = t1 - t0;
  return {
    p50: latency.p50,
    p95: latency.p95,
    p99: latency.p99,
    max: latency.max,
    expected,
    delivered,
    deliveredPct: expected ? (100 * delivered) / expected : Number.NaN,
    drainMs: drained ? t1 - sendEnd : Number.NaN,
    deliveredPerSec: delivered / (plan.measureMs / 1000),
    serverCpuMs,
    cpuPer1k: delivered ? (1000 * serverCpuMs) / delivered : Number.NaN,
    kernelCpuPct: serverCpuMs ? (100 * serverKernelMs) / serverCpuMs : Number.NaN,
    serverCpuPct: (100 * serverCpuMs) / windowMs,
    genCpuPct: (100 * genCpuMs) / windowMs,
    sendLagP99: Math.max(...replies.map((r) => r.sendLagP99)),
  };
}
