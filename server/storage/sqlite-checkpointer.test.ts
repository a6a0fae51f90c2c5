import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../test/harness';
import { startCheckpointer, startCheckpointerOnDemand } from './sqlite-checkpointer';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A WAL-mode file with autocheckpoints off, and what its WAL holds. */
function walFile(dir: string) {
  const db = new Database(join(dir, 'wal.db'));
  cleanups.push(() => db.close());
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (x BLOB)');
  const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
  return {
    path: join(dir, 'wal.db'),
    write(rows: number) {
      for (let i = 0; i < rows; i++) insert.run(Buffer.alloc(1000, i));
    },
    frames() {
      const [row] = db.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[];
      return row ?? { log: 0, checkpointed: 0 };
    },
  };
}

describe('WAL checkpointer', () => {
  it('reports a worker that cannot open the file as lost, with the reason', async () => {
    const errors: string[] = [];
    let lost = false;
    startCheckpointer('/nonexistent-dir/for-sure/coedit.db', {
      onError: (message) => errors.push(message),
      onLost: () => {
        lost = true;
      },
    });
    await waitFor(() => lost, 10_000, 'the worker to be reported lost');
    expect(errors.join('\n')).toMatch(/directory does not exist|unable to open/i);
  });

  it('checkpoints a WAL written by another connection, and a stop is not a loss', async () => {
    const dir = tempDir('coedit-checkpointer-');
    cleanups.push(dir.cleanup);
    const path = join(dir.path, 'wal.db');
    const db = new Database(path);
    cleanups.push(() => db.close());
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x BLOB)');
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run(Buffer.alloc(1000, i));
    const walFrames = () =>
      (db.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[])[0];
    expect(walFrames()?.checkpointed).toBe(0);

    let lost = false;
    const checkpointer = startCheckpointer(path, { onLost: () => (lost = true) }, 50);
    await waitFor(() => (walFrames()?.checkpointed ?? 0) > 0, 10_000, 'a checkpoint');
    await checkpointer.stop();
    expect(lost).toBe(false);
  });
});

describe('on-demand WAL checkpointer', () => {
  it('runs a worker from the first write until the WAL is checkpointed and writes went quiet', async () => {
    const dir = tempDir('coedit-checkpointer-');
    cleanups.push(dir.cleanup);
    const file = walFile(dir.path);
    let lost = false;
    const checkpointer = startCheckpointerOnDemand(
      file.path,
      { onLost: () => (lost = true) },
      { intervalMs: 50, idleStopMs: 300 },
    );
    try {
      expect(checkpointer.running()).toBe(false);
      for (let round = 0; round < 2; round++) {
        file.write(200);
        checkpointer.noteWrite();
        expect(checkpointer.running()).toBe(true);
        await waitFor(() => !checkpointer.running(), 10_000, 'the idle worker to stop');
        const frames = file.frames();
        expect(frames.log).toBeGreaterThan(0);
        expect(frames.checkpointed).toBe(frames.log);
      }
    } finally {
      await checkpointer.stop();
    }
    expect(lost).toBe(false);
  });

  it('keeps the worker while writes keep coming', async () => {
    const dir = tempDir('coedit-checkpointer-');
    cleanups.push(dir.cleanup);
    const file = walFile(dir.path);
    const checkpointer = startCheckpointerOnDemand(
      file.path,
      {},
      { intervalMs: 20, idleStopMs: 400 },
    );
    try {
      const until = performance.now() + 1000;
      while (performance.now() < until) {
        file.write(5);
        checkpointer.noteWrite();
        expect(checkpointer.running()).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await waitFor(() => file.frames().checkpointed > 0, 10_000, 'a checkpoint');
    } finally {
      await checkpointer.stop();
    }
    expect(checkpointer.running()).toBe(false);
  });

  it('reports a lost worker once and never starts another', async () => {
    let losses = 0;
    const checkpointer = startCheckpointerOnDemand('/nonexistent-dir/for-sure/coedit.db', {
      onLost: () => losses++,
    });
    checkpointer.noteWrite();
    await waitFor(() => losses === 1, 10_000, 'the worker to be reported lost');
    checkpointer.noteWrite();
    expect(checkpointer.running()).toBe(false);
    await checkpointer.stop();
    expect(losses).toBe(1);
  });
});
