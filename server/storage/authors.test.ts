/** The AuthorStore contract against memory, sqlite (sharing the DocStore's file) and postgres. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/postgres';
import { reopenable } from '../test/reopenable';
import { describeAuthorStoreContract } from './authors.contract';
import { createMemoryAuthorStore } from './authors-memory';
import { openPostgresAuthorStore } from './authors-postgres';
import { openSqliteAuthorStore } from './authors-sqlite';

describeAuthorStoreContract(
  'memory',
  async () => {
    const store = createMemoryAuthorStore();
    return { store, cleanup: () => store.close() };
  },
  { durable: false },
);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'coedit-authors-'));
  dirs.push(dir);
  return join(dir, 'data', 'coedit.db');
};

describeAuthorStoreContract(
  'sqlite',
  async (now) => {
    const path = tempFile();
    return reopenable(() => openSqliteAuthorStore(path, now));
  },
  { durable: true },
);

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

describeAuthorStoreContract(
  'postgres',
  async (now) => {
    const db = await createTestDatabase();
    databases.push(db);
    return reopenable(() => openPostgresAuthorStore(db.url, { now }));
  },
  { durable: true },
);

describe('postgres AuthorStore under racing instances', () => {
  it('two stores binding the same ids at once agree on one owner per id', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const a = await openPostgresAuthorStore(db.url);
    const b = await openPostgresAuthorStore(db.url);
    try {
      const ids = Array.from({ length: 50 }, (_, i) => i + 1);
      const profile = (authorId: string) => ({
        authorId,
        name: authorId,
        color: null,
        linkId: null,
      });
      const [fromA, fromB] = await Promise.all([
        a.bind(
          'r',
          ids.map((clientId) => ({ clientId, authorId: 'A', keyHash: 'ka' })),
          profile('A'),
        ),
        b.bind(
          'r',
          ids.map((clientId) => ({ clientId, authorId: 'B', keyHash: 'kb' })),
          profile('B'),
        ),
      ]);
      expect(fromA).toEqual(fromB);
      const stored = (await a.load('r')).bindings.sort((x, y) => x.clientId - y.clientId);
      expect(stored).toEqual(fromA);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
