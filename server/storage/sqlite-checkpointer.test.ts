import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../test/harness';
import { startCheckpointer } from './sqlite-checkpointer';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

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
