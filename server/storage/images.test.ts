/** The ImageStore contract against memory, sqlite (sharing the DocStore's file) and postgres. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { png } from '../test/images';
import { createTestDatabase, type TestDatabase } from '../test/postgres';
import { reopenable } from '../test/reopenable';
import { describeImageStoreContract, imageOf } from './images.contract';
import { createMemoryImageStore } from './images-memory';
import { openPostgresImageStore } from './images-postgres';
import { openSqliteImageStore } from './images-sqlite';
import { openSqliteStore } from './sqlite';

describeImageStoreContract(
  'memory',
  async () => {
    const store = createMemoryImageStore();
    return { store, cleanup: () => store.close() };
  },
  { durable: false },
);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'coedit-images-'));
  dirs.push(dir);
  return join(dir, 'data', 'coedit.db');
};

describeImageStoreContract(
  'sqlite',
  async () => {
    const path = tempFile();
    return reopenable(() => openSqliteImageStore(path));
  },
  { durable: true },
);

describe('sqlite ImageStore beside the DocStore', () => {
  it('shares the documents file without touching its schema', async () => {
    const path = tempFile();
    const docs = openSqliteStore(path);
    const images = openSqliteImageStore(path);
    await docs.append([{ room: 'r', update: new Uint8Array([1, 2]) }]);
    const image = imageOf(png(2, 2), 'image/png');
    await images.put('r', image);
    await docs.close();
    await images.close();
    const reopened = openSqliteStore(path);
    expect((await reopened.load('r')).lastSeq).toBe(1);
    await reopened.close();
  });
});

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

describeImageStoreContract(
  'postgres',
  async () => {
    const db = await createTestDatabase();
    databases.push(db);
    return reopenable(() => openPostgresImageStore(db.url));
  },
  { durable: true },
);

describe('postgres ImageStore opened by relays starting together', () => {
  it('creates its tables once, whoever comes first', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    // Unguarded CREATE TABLE IF NOT EXISTS from concurrent sessions fails on pg_type.
    const stores = await Promise.all(
      Array.from({ length: 6 }, () => openPostgresImageStore(db.url)),
    );
    const image = imageOf(png(3, 3), 'image/png');
    await stores[0]?.put('room-a', image);
    for (const store of stores)
      expect((await store.get('room-a', image.hash))?.type).toBe('image/png');
    for (const store of stores) await store.close();
  });
});
