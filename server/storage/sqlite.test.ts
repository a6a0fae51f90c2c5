import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
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
});
