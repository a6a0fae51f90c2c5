/** The LinkStore contract against memory, sqlite (sharing the DocStore's file) and postgres. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { LinkStore } from './links';
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
    const opened: LinkStore[] = [openSqliteLinkStore(path, now)];
    return {
      store: opened[0] as LinkStore,
      async reopen() {
        const store = openSqliteLinkStore(path, now);
        opened.push(store);
        return store;
      },
      async cleanup() {
        for (const store of opened) await store.close();
      },
    };
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

const adminUrl = process.env.COEDIT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databases: string[] = [];

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const name of databases.splice(0))
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

describeLinkStoreContract(
  'postgres',
  async (now) => {
    const name = `coedit_links_${randomBytes(6).toString('hex')}`;
    await admin(`CREATE DATABASE ${name}`);
    databases.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const opened: LinkStore[] = [await openPostgresLinkStore(url.toString(), { now })];
    return {
      store: opened[0] as LinkStore,
      async reopen() {
        const store = await openPostgresLinkStore(url.toString(), { now });
        opened.push(store);
        return store;
      },
      async cleanup() {
        for (const store of opened) await store.close();
      },
    };
  },
  { durable: true },
);
