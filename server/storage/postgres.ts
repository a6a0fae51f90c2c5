/**
 * DocStore on PostgreSQL, for several relay instances sharing the same documents.
 *
 * Schema: `coedit_docs` has one row per room: the seq counter (`last_seq`) and the compacted
 * snapshot covering every entry with seq <= `snapshot_seq`. `coedit_updates` is the log after
 * the snapshot, keyed by (room, seq).
 *
 * Concurrency (several instances on the same room):
 * - append is ONE statement: it bumps each room's counter with INSERT ... ON CONFLICT DO UPDATE
 *   ... RETURNING and inserts the log rows numbered from it. The counter row lock is held until
 *   commit, so seqs of a room are unique, gap-free and committed in order: a reader never sees
 *   seq n+1 without n. Rooms are locked in sorted order, so multi-room batches cannot deadlock.
 * - compact locks the room's counter row (SELECT ... FOR UPDATE), then replaces the snapshot
 *   and deletes the log rows <= throughSeq only if throughSeq is newer than the stored snapshot.
 *   Two instances compacting at once serialize on that lock and the second becomes a no-op;
 *   appends that commit meanwhile get seqs > throughSeq and are kept.
 * - load is one statement, so it sees one consistent snapshot of counter, snapshot and log.
 */
import pg from 'pg';
import { asError } from '../errors';
import type { AppendEntry, DocStore, StoredDoc, StoredRoom } from './store';

/** Each migration runs once, in order; `coedit_schema.version` records how many ran. */
const MIGRATIONS = [
  `CREATE TABLE coedit_docs (
     room text PRIMARY KEY,
     last_seq bigint NOT NULL,
     snapshot_seq bigint NOT NULL DEFAULT 0,
     snapshot bytea
   );
   CREATE TABLE coedit_updates (
     room text NOT NULL,
     seq bigint NOT NULL,
     data bytea NOT NULL,
     PRIMARY KEY (room, seq)
   );`,
  // When each room was last written (the admin list), and the rooms deleted for good.
  `ALTER TABLE coedit_docs ADD COLUMN updated_at timestamptz;
   -- The list pages in byte order (as JavaScript compares ids), whatever the database's locale.
   CREATE INDEX coedit_docs_room_bytes ON coedit_docs (room COLLATE "C");
   CREATE TABLE coedit_deleted_rooms (
     room text PRIMARY KEY,
     deleted_at timestamptz NOT NULL DEFAULT now()
   );`,
];

/** pg_advisory_lock key serializing migrations of instances that start together. */
const MIGRATION_LOCK = 0x636f6564; // 'coed'

const APPEND_SQL = `
  WITH batch AS (
    SELECT * FROM unnest($1::text[], $2::int[], $3::bytea[]) AS b(room, k, data)
  ), counts AS (
    SELECT room, count(*)::bigint AS n FROM batch GROUP BY room
  ), bumped AS (
    INSERT INTO coedit_docs AS d (room, last_seq, updated_at)
    SELECT room, n, now() FROM counts
    -- A deleted room takes no more updates (an instance may not know yet): its rows are dropped.
    WHERE NOT EXISTS (SELECT 1 FROM coedit_deleted_rooms x WHERE x.room = counts.room)
    ORDER BY room
    ON CONFLICT (room) DO UPDATE SET last_seq = d.last_seq + excluded.last_seq, updated_at = now()
    RETURNING d.room, d.last_seq
  ), inserted AS (
    INSERT INTO coedit_updates (room, seq, data)
    SELECT b.room, bumped.last_seq - counts.n + b.k, b.data
    FROM batch b JOIN bumped USING (room) JOIN counts USING (room)
  )
  SELECT room, last_seq::text AS last_seq FROM bumped`;

const LOAD_SQL = `
  SELECT d.last_seq::text AS last_seq, d.snapshot,
    (SELECT coalesce(array_agg(u.data ORDER BY u.seq), '{}')
       FROM coedit_updates u WHERE u.room = d.room AND u.seq > d.snapshot_seq) AS updates,
    EXISTS (SELECT 1 FROM coedit_deleted_rooms x WHERE x.room = $1) AS deleted
  FROM (SELECT 1) one LEFT JOIN coedit_docs d ON d.room = $1`;

const EMPTY: StoredDoc = { updates: [], lastSeq: 0, bytes: 0 };

const DELETED_SQL = 'SELECT room FROM coedit_deleted_rooms WHERE room = ANY($1::text[])';

export interface PostgresStoreOptions {
  /** Largest number of pooled connections (default 10). */
  readonly maxConnections?: number;
  /**
   * Called when an idle pooled connection fails (e.g. the server restarted). The pool drops
   * that connection and later calls reconnect; without a listener pg would crash the process.
   */
  readonly onIdleError?: (error: Error) => void;
}

/** Connect to `url`, apply pending migrations, and return the store. */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<DocStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  pool.on('error', options.onIdleError ?? (() => {}));
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const ensureOpen = (): void => {
    if (closing) throw new Error('DocStore is closed');
  };

  return {
    async load(room: string): Promise<StoredDoc> {
      ensureOpen();
      const { rows } = await pool.query<{
        last_seq: string | null;
        snapshot: Buffer | null;
        updates: Buffer[] | null;
        deleted: boolean;
      }>(LOAD_SQL, [room]);
      const row = rows[0];
      if (row?.deleted) return { ...EMPTY, deleted: true };
      if (!row?.last_seq || !row.updates) return EMPTY;
      const updates = row.snapshot ? [row.snapshot, ...row.updates] : row.updates;
      const bytes = updates.reduce((sum, u) => sum + u.byteLength, 0);
      return { updates, lastSeq: Number(row.last_seq), bytes };
    },

    async append(entries: readonly AppendEntry[]): Promise<Map<string, number>> {
      ensureOpen();
      if (entries.length === 0) return new Map();
      // k = position of the entry among its room's entries (1-based), so seqs keep batch order.
      const seen = new Map<string, number>();
      const rooms: string[] = [];
      const positions: number[] = [];
      const data: Uint8Array[] = [];
      for (const { room, update } of entries) {
        const k = (seen.get(room) ?? 0) + 1;
        seen.set(room, k);
        rooms.push(room);
        positions.push(k);
        data.push(update);
      }
      const { rows } = await pool.query<{ room: string; last_seq: string }>(APPEND_SQL, [
        rooms,
        positions,
        data,
      ]);
      return new Map(rows.map((row) => [row.room, Number(row.last_seq)]));
    },

    async compact(room: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
      ensureOpen();
      await inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ last_seq: string; snapshot_seq: string }>(
          `SELECT last_seq::text AS last_seq, snapshot_seq::text AS snapshot_seq
           FROM coedit_docs WHERE room = $1 FOR UPDATE`,
          [room],
        );
        const lastSeq = Number(rows[0]?.last_seq ?? 0);
        if (throughSeq > lastSeq) {
          throw new RangeError(`compact(${room}): throughSeq ${throughSeq} > lastSeq ${lastSeq}`);
        }
        // Stale or repeated (e.g. another instance compacted first): keep the newer snapshot.
        if (throughSeq <= Number(rows[0]?.snapshot_seq ?? 0)) return;
        await client.query(
          'UPDATE coedit_docs SET snapshot = $2, snapshot_seq = $3 WHERE room = $1',
          [room, snapshot, throughSeq],
        );
        await client.query('DELETE FROM coedit_updates WHERE room = $1 AND seq <= $2', [
          room,
          throughSeq,
        ]);
      });
    },

    async delete(room: string): Promise<void> {
      ensureOpen();
      await inTransaction(pool, async (client) => {
        // The tombstone first: an instance appending meanwhile waits on the counter row lock
        // and its rows go with the room.
        await client.query(
          'INSERT INTO coedit_deleted_rooms (room) VALUES ($1) ON CONFLICT DO NOTHING',
          [room],
        );
        await client.query('DELETE FROM coedit_docs WHERE room = $1', [room]);
        await client.query('DELETE FROM coedit_updates WHERE room = $1', [room]);
      });
    },

    async deletedAmong(rooms: readonly string[]): Promise<string[]> {
      ensureOpen();
      if (rooms.length === 0) return [];
      const { rows } = await pool.query<{ room: string }>(DELETED_SQL, [rooms]);
      return rows.map((row) => row.room);
    },

    async list(after: string, limit: number): Promise<StoredRoom[]> {
      ensureOpen();
      const { rows } = await pool.query<{ room: string; updated_at: Date | null }>(
        `SELECT room, updated_at FROM coedit_docs
         WHERE room COLLATE "C" > $1 ORDER BY room COLLATE "C" LIMIT $2`,
        [after, limit],
      );
      return rows.map((row) => ({ room: row.room, updatedAt: row.updated_at?.getTime() ?? null }));
    },

    close(): Promise<void> {
      closing ??= pool.end();
      return closing;
    },
  };
}

/** Run `work` in one transaction on a pooled client: committed, or rolled back and rethrown. */
export async function inTransaction(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<void>,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Apply pending migrations, holding an advisory lock so concurrent starts do not race. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS coedit_schema (version int NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM coedit_schema');
    const applied = rows[0]?.version ?? 0;
    if (applied > MIGRATIONS.length) {
      throw new Error(
        `postgres schema version ${applied} is newer than this relay (${MIGRATIONS.length})`,
      );
    }
    for (let version = applied + 1; version <= MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      await client.query(MIGRATIONS[version - 1] ?? '');
      await client.query('DELETE FROM coedit_schema');
      await client.query('INSERT INTO coedit_schema (version) VALUES ($1)', [version]);
      await client.query('COMMIT');
    }
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  } catch (error) {
    failure = asError(error);
    throw error;
  } finally {
    // On failure, destroy the connection: ending the session rolls back and frees the lock.
    client.release(failure);
  }
}
