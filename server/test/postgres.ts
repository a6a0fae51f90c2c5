/**
 * Throwaway PostgreSQL databases for tests and benchmarks: each run creates its own database
 * (coedit_test_<random>) through an admin URL and drops it afterwards, so runs never share state.
 * Admin URL: COEDIT_TEST_PG_URL, default postgres on 127.0.0.1:5432. No test-runner imports, so
 * scripts outside vitest (bench/) can use it too.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_ADMIN_URL =
  process.env.COEDIT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly name: string;
  /** Connection URL of the new, empty database. */
  readonly url: string;
  /** Drop the database, closing any connection still open on it. */
  drop(): Promise<void>;
}

/** Run one statement on `url` over a short-lived connection. */
export async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Create an empty database; `adminUrl` defaults to PG_ADMIN_URL. */
export async function createTestDatabase(
  options: { adminUrl?: string; prefix?: string } = {},
): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? PG_ADMIN_URL;
  const name = `${options.prefix ?? 'coedit_test'}_${randomBytes(6).toString('hex')}`;
  try {
    await runSql(adminUrl, `CREATE DATABASE ${name}`);
  } catch (err) {
    const hint = options.adminUrl === undefined ? ' (set COEDIT_TEST_PG_URL)' : '';
    throw new Error(`PostgreSQL not reachable at ${adminUrl}${hint}: ${err}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => runSql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
