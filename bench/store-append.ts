/**
 * Micro-benchmark of DocStore.append: sequential batches of 1, 10 and 100 updates of ~30 bytes
 * (one batch per await, like the relay's one append per event-loop turn) into memory, sqlite
 * (synchronous NORMAL and FULL; appends through the journal or each its own commit; WAL
 * checkpoints on the relay's worker thread or, for comparison, SQLite's automatic ones inside
 * commits) and postgres. Prints batches/s, updates/s and the
 * latency of one append (p50, p99, p99.9, max): checkpoints inside commits show up in the tail.
 *
 *   npx tsx bench/store-append.ts [--seconds 1]
 *
 * Postgres: a temporary database is created on COEDIT_BENCH_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) and dropped afterwards; skipped if unreachable.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createMemoryStore } from '../server/storage/memory';
import { openPostgresStore } from '../server/storage/postgres';
import { openSqliteStore } from '../server/storage/sqlite';
import type { AppendEntry, DocStore } from '../server/storage/store';

const BATCH_SIZES = [1, 10, 100];
const UPDATE_BYTES = 30;
const ROOMS = 8;

interface Backend {
  readonly name: string;
  open(): Promise<DocStore>;
}

interface Result {
  readonly backend: string;
  readonly batch: number;
  readonly batchesPerSecond: number;
  readonly updatesPerSecond: number;
  /** Latency of one append in ms: p50, p99, p99.9, max. */
  readonly latency: readonly [number, number, number, number];
}

const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg >= 0 ? Number(process.argv[secondsArg + 1]) : 1;
if (!(seconds > 0)) throw new Error('--seconds must be a positive number');

/** Append batches back to back for `seconds`; each batch goes to one room, rooms rotate. */
async function measure(store: DocStore, batch: number): Promise<Omit<Result, 'backend'>> {
  const payload = randomBytes(UPDATE_BYTES);
  const batches: AppendEntry[][] = Array.from({ length: ROOMS }, (_, r) =>
    Array.from({ length: batch }, () => ({ room: `bench-${r}`, update: payload })),
  );
  // Warm up: statement caches, pool connections, first-use seq lookups.
  for (const entries of batches) await store.append(entries);
  let count = 0;
  const durations: number[] = [];
  const start = performance.now();
  const deadline = start + seconds * 1000;
  while (performance.now() < deadline) {
    const began = performance.now();
    await store.append(batches[count % ROOMS] ?? []);
    durations.push(performance.now() - began);
    count += 1;
    // Let timers run, as the relay's event loop does: the journal folds on one.
    if (count % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  const elapsed = (performance.now() - start) / 1000;
  durations.sort((a, b) => a - b);
  const at = (q: number) =>
    durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? 0;
  return {
    batch,
    batchesPerSecond: count / elapsed,
    updatesPerSecond: (count * batch) / elapsed,
    latency: [at(0.5), at(0.99), at(0.999), durations[durations.length - 1] ?? 0],
  };
}

async function withPostgres(run: (backend: Backend | undefined) => Promise<void>): Promise<void> {
  const adminUrl = process.env.COEDIT_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `coedit_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    console.warn(`postgres skipped (${adminUrl} unreachable): ${error}`);
    await admin.end().catch(() => {});
    return run(undefined);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await run({ name: 'postgres', open: () => openPostgresStore(url.toString()) });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'coedit-bench-'));
  let files = 0;
  const sqlite = (
    synchronous: 'NORMAL' | 'FULL',
    checkpoints: 'background' | 'inline',
    appends: 'journal' | 'direct',
  ): Backend => ({
    name: `sqlite (${synchronous}, ${checkpoints} checkpoints, ${appends})`,
    open: async () =>
      openSqliteStore(join(dir, `bench-${files++}.db`), { synchronous, checkpoints, appends }),
  });
  const results: Result[] = [];
  try {
    await withPostgres(async (postgres) => {
      const backends: Backend[] = [
        { name: 'memory', open: async () => createMemoryStore() },
        sqlite('NORMAL', 'background', 'journal'),
        sqlite('NORMAL', 'background', 'direct'),
        sqlite('NORMAL', 'inline', 'direct'),
        sqlite('FULL', 'background', 'journal'),
        sqlite('FULL', 'background', 'direct'),
        ...(postgres ? [postgres] : []),
      ];
      for (const backend of backends) {
        for (const batch of BATCH_SIZES) {
          const store = await backend.open();
          try {
            results.push({ backend: backend.name, ...(await measure(store, batch)) });
          } finally {
            await store.close();
          }
        }
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`append throughput and latency, ${UPDATE_BYTES}-byte updates, ${seconds}s per row`);
  console.table(
    results.map((r) => ({
      backend: r.backend,
      'updates/batch': r.batch,
      'appends/s': Math.round(r.batchesPerSecond),
      'updates/s': Math.round(r.updatesPerSecond),
      'ms p50 / p99 / p99.9 / max': r.latency.map((ms) => ms.toFixed(2)).join(' / '),
    })),
  );
}

await main();
