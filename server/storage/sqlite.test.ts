import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

describe('sqlite store', () => {
  it('keeps every acknowledged append when the process is killed with SIGKILL', async () => {
    const path = join(tempDir(), 'crash.db');
    const writer = fileURLToPath(new URL('./sqlite-crash-writer.fixture.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // The writer prints each seq once its append resolved; kill it mid-stream.
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
        if (last >= 500) {
          child.kill('SIGKILL');
          resolve(last);
        }
      });
    });
    await exited;

    const store = openSqliteStore(path);
    try {
      const loaded = await store.load('crash');
      expect(loaded.lastSeq).toBeGreaterThanOrEqual(acknowledged);
      loaded.updates.forEach((update, index) => {
        const n = index + 1;
        expect(Array.from(update)).toEqual([n & 0xff, (n >> 8) & 0xff, n >> 16]);
      });
    } finally {
      await store.close();
    }
  });

  it('rejects opening a file whose schema is newer than the code', async () => {
    const path = join(tempDir(), 'future.db');
    await openSqliteStore(path).close();
    const Database = (await import('better-sqlite3')).default;
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
