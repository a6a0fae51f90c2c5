import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../storage/sqlite';
import { tempDir } from '../test/harness';
import { reopenable } from '../test/reopenable';
import { openSqliteVersionStore } from './sqlite';
import { describeVersionStoreContract } from './version-store.contract';

describeVersionStoreContract(
  'sqlite',
  async () => {
    const dir = tempDir('coedit-versions-');
    const path = join(dir.path, 'nested', 'coedit.db');
    return reopenable(() => openSqliteVersionStore(path), dir.cleanup);
  },
  { durable: true },
);

describe('sqlite version store beside the DocStore', () => {
  it('shares the relay database file without disturbing the update log', async () => {
    const dir = tempDir('coedit-versions-');
    const path = join(dir.path, 'coedit.db');
    const docs = openSqliteStore(path);
    const versions = openSqliteVersionStore(path);
    try {
      await docs.append([{ room: 'r', update: new Uint8Array([1, 2]) }]);
      const meta = await versions.saveVersion('r', {
        kind: 'auto',
        authors: ['Ada'],
        createdAt: 1,
        state: new Uint8Array([9]),
      });
      await docs.append([{ room: 'r', update: new Uint8Array([3]) }]);
      expect((await docs.load('r')).lastSeq).toBe(2);
      expect((await versions.listVersions('r')).map((v) => v.id)).toEqual([meta.id]);
    } finally {
      await versions.close();
      await docs.close();
      dir.cleanup();
    }
  });
});
