/**
 * The small pool each PostgreSQL store beside the documents opens (links, images, authors):
 * idle-connection errors go to `onIdleError` instead of crashing the process, and the schema is
 * created before the store is handed out (the pool is closed again if that fails).
 *
 * `CREATE TABLE IF NOT EXISTS` is not safe when two sessions run it at once (both may insert the
 * table's row type: "duplicate key … pg_type_typname_nsp_index"), which two relays starting
 * together did. An advisory lock per store (`lockKey`) makes the second wait, then find the tables.
 */
import pg from 'pg';
import { inTransaction } from './postgres';

export async function openPostgresPool(
  url: string,
  schema: { readonly sql: string; readonly lockKey: number },
  onIdleError?: (err: Error) => void,
): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', (err) => onIdleError?.(err));
  try {
    await inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [schema.lockKey]);
      await client.query(schema.sql);
    });
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}
