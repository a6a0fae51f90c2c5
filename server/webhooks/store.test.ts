/** The WebhookStore contract against memory, sqlite (beside the documents) and postgres. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/postgres';
import { reopenable } from '../test/reopenable';
import { delivery, describeWebhookStoreContract, hook } from './store.contract';
import { createMemoryWebhookStore } from './store-memory';
import { openPostgresWebhookStore } from './store-postgres';
import { openSqliteWebhookStore } from './store-sqlite';

describeWebhookStoreContract(
  'memory',
  async () => {
    const store = createMemoryWebhookStore();
    return { store, cleanup: () => store.close() };
  },
  { durable: false },
);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describeWebhookStoreContract(
  'sqlite',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coedit-webhooks-'));
    dirs.push(dir);
    const path = join(dir, 'data', 'coedit.db');
    return reopenable(() => openSqliteWebhookStore(path));
  },
  { durable: true },
);

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

describeWebhookStoreContract(
  'postgres',
  async () => {
    const db = await createTestDatabase();
    databases.push(db);
    return reopenable(() => openPostgresWebhookStore(db.url));
  },
  { durable: true },
);

describe('postgres WebhookStore under racing instances', () => {
  it('two instances enqueueing the same events insert each once; their claims never overlap', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const a = await openPostgresWebhookStore(db.url);
    const b = await openPostgresWebhookStore(db.url);
    try {
      await a.createWebhook(hook('w'));
      const events = Array.from({ length: 40 }, (_, i) => delivery('w', `k${i}`));
      const inserted = await Promise.all([
        ...events.map((e) => a.enqueue([e])),
        ...events.map((e) => b.enqueue([e])),
      ]);
      expect(inserted.reduce((x, y) => x + y, 0)).toBe(40);
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? a : b).claim('w', 1_000, 6, `owner${i}`, 9_000),
        ),
      );
      const ids = claims.flat().map((d) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(40);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
