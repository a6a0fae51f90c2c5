/**
 * S1 fan-out on two relay instances (Redis fan-out), versus the same load on one instance, same
 * storage. Run: `npx tsx bench/cluster.ts [--quick] [--storage postgres|memory]
 * [--placement split|rooms [--no-redis]] [--reps N] [--cpu-prof DIR]`. Needs Redis (COEDIT_BENCH_REDIS_URL, default
 * 127.0.0.1:6379) and, for postgres, a server (COEDIT_BENCH_PG_URL, admin URL; a fresh database
 * is created and dropped per run).
 *
 * Method: rooms × 5 clients, each typing a timestamped token 5/s. Placement 'split' (default):
 * client i of a room connects to instance i % instances, so most deliveries cross instances;
 * 'rooms': room r's clients all connect to instance r % instances, as behind a load balancer
 * that hashes on the room. Latency = receive − send time on
 * the shared monotonic clock, at every other client. CPU = user+system of all relay processes
 * over the measured window, per 1,000 delivered updates (the per-instance average), and read +
 * write syscalls of all relay processes per delivered update (/proc/PID/io: exact counts, so a
 * steadier signal than CPU time on a loaded machine; socket I/O is most of the relay's cost),
 * and the main threads' voluntary (event-loop wake-ups) and involuntary (preemptions) context
 * switches per delivered update.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRelayBundle, RELAY_NODE_ARGS } from '../scripts/build-relay';
import { createTestDatabase } from '../server/test/postgres';
import { delay, nowMs, waitFor } from './clock';
import { readContextSwitches, readCpuMs, readKernelCpuMs, readTotalCpuMs } from './proc';
import { concatSamples, median, summarize } from './stats';
import { LoadgenPool } from './workers';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REDIS_URL = process.env.COEDIT_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_ADMIN = process.env.COEDIT_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (message: string) => process.stderr.write(`${message}\n`);

interface Options {
  quick: boolean;
  storage: 'postgres' | 'memory';
  reps: number;
  /** Which clients share an instance: each room's clients spread over the instances (the
   * issue's case, most deliveries cross instances), or whole rooms per instance (what a
   * room-affine load balancer gives: two processes, no crossings). */
  placement: 'split' | 'rooms';
  /** Run the instances without Redis (placement 'rooms' only): what two processes cost for the
   * same work with no bus at all, the floor under any cluster's cost. */
  noRedis: boolean;
  /** Write a V8 CPU profile of every relay process here (relays then stop with SIGTERM). */
  cpuProfDir: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    quick: false,
    storage: 'postgres',
    reps: 1,
    placement: 'split',
    noRedis: false,
    cpuProfDir: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--quick') options.quick = true;
    else if (flag === '--no-redis') options.noRedis = true;
    else if (flag === '--storage' && (argv[i + 1] === 'postgres' || argv[i + 1] === 'memory')) {
      options.storage = argv[++i] as Options['storage'];
    } else if (flag === '--reps' && Number(argv[i + 1]) >= 1) options.reps = Number(argv[++i]);
    else if (flag === '--cpu-prof' && argv[i + 1]) options.cpuProfDir = argv[++i];
    else if (flag === '--placement' && (argv[i + 1] === 'split' || argv[i + 1] === 'rooms')) {
      options.placement = argv[++i] as Options['placement'];
    } else
      throw new Error(
        'usage: bench/cluster.ts [--quick] [--storage postgres|memory] [--placement split|rooms] [--no-redis] [--reps N] [--cpu-prof DIR]',
      );
  }
  if (options.noRedis && options.placement !== 'rooms') {
    throw new Error('--no-redis needs --placement rooms: split rooms would never converge');
  }
  return options;
}

interface Relay {
  child: ChildProcess;
  url: string;
}

/** The relay as production runs it: dist/relay.mjs, built at start if older than its sources. */
let relayBundle = '';

function startRelay(args: string[], cpuProfDir: string | undefined): Promise<Relay> {
  const profile = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const child = spawn(process.execPath, [...profile, ...RELAY_NODE_ARGS, relayBundle, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.once('exit', (code) => reject(new Error(`relay exited (${code}):\n${stderr}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /relay listening on (ws:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
  });
}

async function stopRelay(relay: Relay, graceful: boolean): Promise<void> {
  if (relay.child.exitCode !== null || relay.child.signalCode !== null) return;
  const gone = new Promise((resolve) => relay.child.once('exit', resolve));
  // Results are read already; only a profiled relay needs a clean exit (it writes the profile).
  relay.child.kill(graceful ? 'SIGTERM' : 'SIGKILL');
  await gone;
}

type Metrics = Record<string, number>;

/** Read and write syscalls made so far by `pid` (Linux /proc/PID/io). */
function readSyscalls(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? NaN);
  return field('syscr') + field('syscw');
}

async function runOnce(options: Options, instances: number, pool: LoadgenPool): Promise<Metrics> {
  const db =
    options.storage === 'postgres'
      ? await createTestDatabase({ adminUrl: PG_ADMIN, prefix: 'coedit_bench' })
      : undefined;
  const args = ['--host', '127.0.0.1', '--port', '0', '--storage', db?.url ?? 'memory'];
  if (instances > 1 && !options.noRedis) {
    const prefix = `coedit-bench-${randomBytes(5).toString('hex')}`;
    args.push('--redis', REDIS_URL, '--redis-prefix', prefix);
  }
  const relays: Relay[] = [];
  try {
    for (let i = 0; i < instances; i++) relays.push(await startRelay(args, options.cpuProfDir));
    return await typingRound(options, relays, pool);
  } finally {
    await Promise.all(relays.map((relay) => stopRelay(relay, options.cpuProfDir !== undefined)));
    await Promise.all(pool.workers.map((w) => w.call({ op: 'closeAll' }, 30_000).catch(() => {})));
    await db?.drop();
  }
}

async function typingRound(options: Options, relays: Relay[], pool: LoadgenPool): Promise<Metrics> {
  const rooms = options.quick ? 20 : 50;
  const clientsPerRoom = 5;
  const rate = 5;
  const warmupMs = options.quick ? 1000 : 3000;
  const measureMs = options.quick ? 4000 : 15_000;
  const totalClients = rooms * clientsPerRoom;
  // Client i (room = i / 5) goes to worker i % workers and to relay (i % 5) % instances, or
  // with placement 'rooms' to relay room % instances.
  const relayOf = (index: number) =>
    (options.placement === 'rooms' ? Math.floor(index / clientsPerRoom) : index % clientsPerRoom) %
    relays.length;
  const workers = pool.workers;
  await Promise.all(
    workers.map(async (worker, w) => {
      for (const [r, relay] of relays.entries()) {
        const clients = [];
        for (let index = w; index < totalClients; index += workers.length) {
          if (relayOf(index) !== r) continue;
          clients.push({ index, room: `cl-${Math.floor(index / clientsPerRoom)}` });
        }
        await worker.call({
          op: 'open',
          url: relay.url,
          clients,
          concurrency: 25,
          timeoutMs: 60_000,
        });
      }
    }),
  );
  const pids = relays.map((r) => r.child.pid as number);
  const plan = { ratePerClient: rate, warmupMs, measureMs, totalClients, clientsPerRoom };
  const startAt = nowMs() + 300;
  const typed = Promise.all(
    workers.map((w) => w.call({ op: 'type', startAt, ...plan }, warmupMs + measureMs + 30_000)),
  );
  await delay(startAt + warmupMs - nowMs());
  const t0 = nowMs();
  const cpu0 = pids.map(readCpuMs);
  const io0 = pids.map(readSyscalls);
  const sys0 = pids.map(readKernelCpuMs);
  const switches0 = pids.map(readContextSwitches);
  const gen0 = readTotalCpuMs(pool.pids);
  const replies = await typed;
  let expected = 0;
  for (const reply of replies) {
    for (const sent of Object.values(reply.sentByRoom)) expected += sent * (clientsPerRoom - 1);
  }
  let delivered = 0;
  await waitFor(async () => {
    const progress = await Promise.all(workers.map((w) => w.call({ op: 'progress' })));
    delivered = progress.reduce((sum, p) => sum + p.received, 0);
    return delivered >= expected;
  }, 10_000);
  const windowMs = nowMs() - t0;
  const cpuMs = pids.map((pid, i) => readCpuMs(pid) - (cpu0[i] ?? 0));
  const syscalls = pids.reduce((sum, pid, i) => sum + readSyscalls(pid) - (io0[i] ?? 0), 0);
  const systemCpu = pids.reduce((sum, pid, i) => sum + readKernelCpuMs(pid) - (sys0[i] ?? 0), 0);
  const totalCpu = cpuMs.reduce((a, b) => a + b, 0);
  let wakeups = 0;
  let preemptions = 0;
  pids.forEach((pid, i) => {
    const now = readContextSwitches(pid);
    wakeups += now.voluntary - (switches0[i]?.voluntary ?? 0);
    preemptions += now.involuntary - (switches0[i]?.involuntary ?? 0);
  });
  const genCpu = readTotalCpuMs(pool.pids) - gen0;
  const latencies = concatSamples(
    (await Promise.all(workers.map((w) => w.call({ op: 'latencies' })))).map((r) => r.latencies),
  );
  const latency = summarize(latencies);
  return {
    p50: latency.p50,
    p99: latency.p99,
    deliveredPct: (100 * delivered) / expected,
    cpuPer1k: (1000 * totalCpu) / delivered,
    kernelCpuPer1k: (1000 * systemCpu) / delivered,
    syscallsPerUpdate: syscalls / delivered,
    wakeupsPerUpdate: wakeups / delivered,
    preemptionsPerUpdate: preemptions / delivered,
    maxInstanceCpuPct: (100 * Math.max(...cpuMs)) / windowMs,
    genCpuPct: (100 * genCpu) / windowMs,
    framesPerBusMessage:
      relays.length > 1 && !options.noRedis ? await framesPerBusMessage(relays) : Number.NaN,
  };
}

/** Cluster frames published per Redis message, over all relays (from their /metrics). */
async function framesPerBusMessage(relays: Relay[]): Promise<number> {
  let frames = 0;
  let messages = 0;
  for (const relay of relays) {
    const text = await (await fetch(`${relay.url.replace(/^ws/, 'http')}/metrics`)).text();
    for (const line of text.split('\n')) {
      const [name, value] = line.split(' ');
      if (name?.startsWith('relay_cluster_frames_published_total{')) frames += Number(value);
      if (name === 'relay_cluster_messages_published_total') messages += Number(value);
    }
  }
  return frames / messages;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  relayBundle = await ensureRelayBundle(repoRoot, log);
  const pool = await LoadgenPool.start(2);
  const results: Record<string, Metrics[]> = { '1 instance': [], '2 instances': [] };
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      // Alternate which configuration runs first.
      const order = rep % 2 ? [2, 1] : [1, 2];
      for (const n of order) {
        log(`[rep ${rep + 1}] ${n} instance(s), storage ${options.storage}`);
        results[n === 1 ? '1 instance' : '2 instances']?.push(await runOnce(options, n, pool));
      }
    }
  } finally {
    await pool.stop();
  }
  const keys = [
    'p50',
    'p99',
    'deliveredPct',
    'cpuPer1k',
    'kernelCpuPer1k',
    'syscallsPerUpdate',
    'wakeupsPerUpdate',
    'preemptionsPerUpdate',
    'maxInstanceCpuPct',
    'genCpuPct',
    'framesPerBusMessage',
  ];
  const med = (runs: Metrics[], key: string) => median(runs.map((m) => m[key] ?? Number.NaN));
  const one = results['1 instance'] ?? [];
  const two = results['2 instances'] ?? [];
  const rows = keys.map((key) => {
    const [a, b] = [med(one, key), med(two, key)];
    return `| ${key} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b / a).toFixed(2)} |`;
  });
  process.stdout.write(
    [
      `S1 across instances (placement ${options.placement}${options.noRedis ? ', no Redis' : ''}, ${options.quick ? 'quick' : 'full'}, storage ${options.storage}, ${options.reps} rep(s), median)`,
      '',
      '| metric | 1 instance | 2 instances | ratio |',
      '|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
