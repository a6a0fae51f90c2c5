/**
 * Runs the VersionStore contract against a real PostgreSQL, in a fresh database created for this
 * run and dropped afterwards. Admin URL: COEDIT_TEST_PG_URL (default postgres on 127.0.0.1:5432).
 */
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, runSql, type TestDatabase } from '../test/postgres';
import { reopenable } from '../test/reopenable';
import { openPostgresVersionStore } from './postgres';
import { describeVersionStoreContract } from './version-store.contract';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describeVersionStoreContract(
  'postgres',
  async () => {
    const fixture = await reopenable(() => openPostgresVersionStore(db.url));
    await runSql(db.url, 'TRUNCATE coedit_versions');
    return fixture;
  },
  { durable: true },
);
