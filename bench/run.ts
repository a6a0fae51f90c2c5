/**
 * `npm run bench`: starts each server as a child process (ours with sqlite, ours in memory, the
 * reference @y/websocket-server), drives it from forked load generators, and prints one table per
 * scenario with ours/reference ratios. Results go to bench/results/<date>.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchOptions, parseArgs } from './args';
import {
  evaluateTargets,
  type RunRecord,
  scenarioTable,
  summarizeRuns,
  targetsTable,
} from './report';
import { s1Scenarios } from './scenarios/s1-fanout';
import { s2Scenario } from './scenarios/s2-throughput';
import { s3Scenario } from './scenarios/s3-idle';
import { s3ServerScenario } from './scenarios/s3-idle-server';
import { s4Scenario } from './scenarios/s4-cold-join';
import { s5Scenarios } from './scenarios/s5-replay';
import { s6Scenario } from './scenarios/s6-doc-memory';
import type { Scenario } from './scenarios/scenario';
import { killAllServers, type ServerName, startServer } from './servers';
import { LoadgenPool } from './workers';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const ALL: Scenario[] = [
  ...s1Scenarios,
  s2Scenario,
  s3ServerScenario,
  s3Scenario,
  s4Scenario,
  ...s5Scenarios,
  s6Scenario,
];

/** A generator this late (p99) was starved of CPU: its latency figures are not the server's. */
const STARVED_SEND_LAG_MS = 25;

const log = (message: string) => process.stderr.write(`${message}\n`);

function selectScenarios(options: BenchOptions): Scenario[] {
  return ALL.filter(
    (s) =>
      (!options.quick || !s.fullOnly) &&
      (!options.only.length ||
        options.only.includes(s.group) ||
        (s.key !== undefined && options.only.includes(s.key))),
  );
}

/** Alternates the order over repetitions so no server always runs first (or last, when warm). */
function orderFor(rep: number, servers: readonly ServerName[]): ServerName[] {
  return rep % 2 ? [...servers].reverse() : [...servers];
}

/** Which relay code was measured: the commit, and whether server/ had uncommitted changes. */
function revision(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: benchDir, encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '../server') ? '+dirty server/' : ''}`;
  } catch {
    return 'unknown';
  }
}

function machine() {
  return {
    revision: revision(),
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
  };
}

async function runOne(
  scenario: Scenario,
  name: ServerName,
  rep: number,
  pool: LoadgenPool,
  options: BenchOptions,
): Promise<RunRecord> {
  const started = Date.now();
  const load = os.loadavg()[0] ?? Number.NaN;
  const server = await startServer(name, { cpuProfDir: options.cpuProfDir });
  const { quick } = options;
  try {
    const metrics = await scenario.run({ server, pool, quick, log });
    log(`  ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { scenario: scenario.title, server: name, rep, metrics, load };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`  ${name}: FAILED ${message}`);
    return { scenario: scenario.title, server: name, rep, error: message, load };
  } finally {
    await Promise.all(
      pool.workers.map((w) => w.call({ op: 'closeAll' }, 30_000).catch(() => undefined)),
    );
    await server.stop();
  }
}

function loadRange(runs: readonly RunRecord[]): string {
  const loads = runs.map((r) => r.load).filter(Number.isFinite);
  if (!loads.length) return 'n/a';
  return `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(path.join(benchDir, '../server/main.ts'))) {
    log('server/main.ts not found: benchmarking the reference only');
    options.servers = options.servers.filter((s) => s === 'reference');
  }
  const scenarios = selectScenarios(options);
  const startedAt = new Date();
  log(
    `bench: ${scenarios.length} scenarios × ${options.servers.length} servers × ${options.reps} reps, ${options.workers} load generators`,
  );
  const runs: RunRecord[] = [];
  const pool = await LoadgenPool.start(options.workers);
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      for (const scenario of scenarios) {
        log(`[rep ${rep + 1}/${options.reps}] ${scenario.title}`);
        for (const name of orderFor(rep, options.servers)) {
          runs.push(await runOne(scenario, name, rep, pool, options));
        }
      }
    }
  } finally {
    await pool.stop();
    killAllServers();
  }

  const summary = summarizeRuns(runs);
  const targets = evaluateTargets(summary);
  const m = machine();
  const out: string[] = [
    `# coedit relay benchmarks (${options.quick ? 'quick' : 'full'})`,
    '',
    `${startedAt.toISOString()} · ${m.cpus} CPUs (${m.cpuModel}) · Node ${m.node} · ${options.reps} rep(s), median shown · ${options.workers} load-generator processes · relay at ${m.revision}`,
    '',
    `Machine load average (1 min) at the start of each run: ${loadRange(runs)} (above ${m.cpus} means other work competed for the CPUs; compare ratios, not absolutes).`,
  ];
  for (const scenario of scenarios) {
    out.push('', `## ${scenario.title}`, '', scenario.method, '');
    out.push(scenarioTable(scenario, summary[scenario.title] ?? {}, options.servers));
    const starved = options.servers.filter(
      (name) => (summary[scenario.title]?.[name]?.sendLagP99 ?? 0) > STARVED_SEND_LAG_MS,
    );
    if (starved.length) {
      out.push(
        '',
        `- ⚠ load generators ran > ${STARVED_SEND_LAG_MS} ms behind schedule (p99) for ${starved.join(', ')}: ` +
          'latency there reflects a starved generator or machine, not the server alone.',
      );
    }
    for (const failed of runs.filter((r) => r.scenario === scenario.title && r.error)) {
      out.push(
        '',
        `- ${failed.server} rep ${failed.rep + 1} failed: ${failed.error?.split('\n')[0]}`,
      );
    }
  }
  out.push('', '## Targets (ours-sqlite vs reference)', '', targetsTable(targets));
  process.stdout.write(`${out.join('\n')}\n`);

  const resultsDir = path.join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  // NaN is not JSON: write it as null.
  const json = JSON.stringify(
    { startedAt, machine: m, options, runs, summary, targets },
    (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    2,
  );
  writeFileSync(file, json);
  log(`results written to ${path.relative(process.cwd(), file)}`);
}

// Whatever happens, leave no server behind (load generators exit with our IPC channel).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllServers();
    process.exit(130);
  });
}
process.on('exit', killAllServers);

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  killAllServers();
  process.exitCode = 1;
});
