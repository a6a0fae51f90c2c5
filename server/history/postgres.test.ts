/**
 * Runs the VersionStore contract against a real PostgreSQL, in a fresh database created for this
 * run and dropped afterwards. Admin URL: COEDIT_TEST_PG_URL (default postgres on 127.0.0.1:5432).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresVersionStore } from './postgres';
import type { VersionStore } from './version-store';
import { describeVersionStoreContract } from './version-store.contract';

const adminUrl = process.env.COEDIT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `coedit_versions_test_${randomBytes(6).toString('hex')}`;
let dbUrl = '';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  try {
    await admin(`CREATE DATABASE ${dbName}`);
  } catch (error) {
    throw new Error(`PostgreSQL not reachable at ${adminUrl} (set COEDIT_TEST_PG_URL): ${error}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  dbUrl = url.toString();
});
afterAll(async () => {
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});

describeVersionStoreContract(
  'postgres',
  async () => {
    const store = await openPostgresVersionStore(dbUrl);
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query('TRUNCATE coedit_versions');
    await client.end();
    const opened: VersionStore[] = [store];
    return {
      store,
      async reopen() {
        const again = await openPostgresVersionStore(dbUrl);
        opened.push(again);
        return again;
      },
      async cleanup() {
        for (const s of opened) await s.close();
      },
    };
  },
  { durable: true },
);
