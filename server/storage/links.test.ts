/** The LinkStore contract against memory, sqlite (sharing the DocStore's file) and postgres. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/postgres';
import { reopenable } from '../test/reopenable';
import { describeLinkStoreContract } from './links.contract';
import { createMemoryLinkStore } from './links-memory';
import { openPostgresLinkStore } from './links-postgres';
import { openSqliteLinkStore } from './links-sqlite';
import { openSqliteStore } from './sqlite';

describeLinkStoreContract(
  'memory',
  async (now) => {
    const store = createMemoryLinkStore(now);
    return { store, cleanup: () => store.close() };
  },
  { durable: false },
);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'coedit-links-'));
  dirs.push(dir);
  return join(dir, 'data', 'coedit.db');
};

describeLinkStoreContract(
  'sqlite',
  async (now) => {
    const path = tempFile();
    return reopenable(() => openSqliteLinkStore(path, now));
  },
  { durable: true },
);

describe('sqlite LinkStore beside the DocStore', () => {
  it('shares the documents file without touching its schema', async () => {
    const path = tempFile();
    const docs = openSqliteStore(path);
    const links = openSqliteLinkStore(path);
    await docs.append([{ room: 'r', update: new Uint8Array([1, 2]) }]);
    await links.revoke('r', 'l');
    await docs.close();
    await links.close();
    const reopened = openSqliteStore(path);
    expect((await reopened.load('r')).lastSeq).toBe(1);
    await reopened.close();
  });
});

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

describeLinkStoreContract(
  'postgres',
  async (now) => {
    const db = await createTestDatabase();
    databases.push(db);
    return reopenable(() => openPostgresLinkStore(db.url, { now }));
  },
  { durable: true },
);
