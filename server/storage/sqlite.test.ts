import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../test/harness';
import { reopenable } from '../test/reopenable';
import { openSqliteStore } from './sqlite';
import { describeDocStoreContract } from './store.contract';

const tempDirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'coedit-sqlite-'));
  tempDirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describeDocStoreContract(
  'sqlite',
  async () => {
    const path = join(tempDir(), 'nested', 'dir', 'coedit.db');
    return reopenable(() => openSqliteStore(path));
  },
  { durable: true },
);

describeDocStoreContract(
  'sqlite, each append its own commit',
  async () => {
    const path = join(tempDir(), 'direct.db');
    return reopenable(() => openSqliteStore(path, { appends: 'direct' }));
  },
  { durable: true },
);

describe('sqlite store', () => {
  /**
   * Run the crash writer on `path`, and SIGKILL it once it acknowledged 500 appends and
   * `readyToKill` holds. Returns the last acknowledged seq.
   */
  const killWriterMidStream = async (
    path: string,
    mode: 'no-yield' | 'yield',
    readyToKill: () => boolean,
  ): Promise<number> => {
    const writer = fileURLToPath(new URL('./sqlite-crash-writer.fixture.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const acknowledged = await new Promise<number>((resolve, reject) => {
      let last = 0;
      let buffered = '';
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) last = Math.max(last, Number(line));
        if (last >= 500 && readyToKill()) {
          child.kill('SIGKILL');
          resolve(last);
        }
      });
    });
    await exited;
    return acknowledged;
  };

  const expectEveryAppendUpTo = async (path: string, acknowledged: number): Promise<void> => {
    const store = openSqliteStore(path);
    try {
      // The room is listed too, even when its first appends were only in the journal.
      expect((await store.list('', 10)).map((r) => r.room)).toEqual(['crash']);
      const loaded = await store.load('crash');
      expect(loaded.lastSeq).toBeGreaterThanOrEqual(acknowledged);
      expect(loaded.updates).toHaveLength(loaded.lastSeq);
      loaded.updates.forEach((update, index) => {
        const n = index + 1;
        expect(Array.from(update)).toEqual([n & 0xff, (n >> 8) & 0xff, n >> 16]);
      });
    } finally {
      await store.close();
    }
  };

  it('keeps every acknowledged append when the process is killed with SIGKILL', async () => {
    const path = join(tempDir(), 'crash.db');
    // The writer never yields, so every acknowledged append is still only in the journal.
    const acknowledged = await killWriterMidStream(path, 'no-yield', () => true);
    expect(statSync(`${path}-updates-0.log`).size).toBeGreaterThan(0);
    await expectEveryAppendUpTo(path, acknowledged);
  });

  it('keeps every acknowledged append when killed while its journal folds into the table', async () => {
    const path = join(tempDir(), 'crash-folding.db');
    let reader: Database.Database | undefined;
    // Kill once folds have reached the table, so the data is split between table and journal.
    const folded = (): boolean => {
      if (!existsSync(path)) return false;
      reader ??= new Database(path, { readonly: true, fileMustExist: true });
      try {
        return (reader.prepare('SELECT count(*) AS n FROM updates').get() as { n: number }).n > 0;
      } catch {
        return false; // The schema is not created yet.
      }
    };
    const acknowledged = await killWriterMidStream(path, 'yield', folded);
    reader?.close();
    await expectEveryAppendUpTo(path, acknowledged);
  });

  it('upgrades a file of schema 1: its rooms are listed, and deleting works', async () => {
    const path = join(tempDir(), 'v1.db');
    const db = new Database(path);
    // Schema 1 as relays before the admin list wrote it.
    db.exec(`
      CREATE TABLE updates (room TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (room, seq)) WITHOUT ROWID;
      CREATE TABLE snapshots (room TEXT PRIMARY KEY, through_seq INTEGER NOT NULL, data BLOB NOT NULL);
      INSERT INTO updates VALUES ('old', 1, x'01'), ('old', 2, x'02');
      INSERT INTO snapshots VALUES ('compacted', 3, x'03');
    `);
    db.pragma('user_version = 1');
    db.close();
    const store = openSqliteStore(path);
    try {
      expect(await store.list('', 10)).toEqual([
        { room: 'compacted', updatedAt: null },
        { room: 'old', updatedAt: null },
      ]);
      expect((await store.load('old')).lastSeq).toBe(2);
      await store.delete('old');
      expect((await store.load('old')).deleted).toBe(true);
      expect((await store.list('', 10)).map((r) => r.room)).toEqual(['compacted']);
    } finally {
      await store.close();
    }
  });

  it('rejects opening a file whose schema is newer than the code', async () => {
    const path = join(tempDir(), 'future.db');
    await openSqliteStore(path).close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteStore(path)).toThrow(/schema version 99/);
  });

  it('copies the WAL into the database file in the background, and removes it on close', async () => {
    const path = join(tempDir(), 'wal.db');
    const store = openSqliteStore(path);
    const update = new Uint8Array(200).fill(7);
    // About 600 KB: far below SQLite's own automatic checkpoint (1,000 pages), so only the
    // background checkpointer can move it out of the WAL while the store is open.
    for (let batch = 0; batch < 300; batch++) {
      await store.append(Array.from({ length: 10 }, (_, i) => ({ room: `r${i}`, update })));
    }
    try {
      await waitFor(() => statSync(path).size > 400_000, 10_000);
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
    expect(existsSync(`${path}-wal`)).toBe(false);
    const reopened = openSqliteStore(path);
    try {
      expect((await reopened.load('r3')).lastSeq).toBe(300);
    } finally {
      await reopened.close();
    }
  });
});
