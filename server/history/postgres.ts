/**
 * VersionStore on PostgreSQL: one table beside the DocStore's, created on open under an
 * advisory lock so instances starting together do not race.
 */
import pg from 'pg';
import {
  type NewVersion,
  normalizeAuthors,
  parseNumericId,
  type VersionKind,
  type VersionMeta,
  type VersionStore,
} from './version-store';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS coedit_versions (
    id bigserial PRIMARY KEY,
    room text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('auto', 'named')),
    name text,
    authors jsonb NOT NULL,
    created_at bigint NOT NULL,
    state bytea NOT NULL
  );
  CREATE INDEX IF NOT EXISTS coedit_versions_by_room ON coedit_versions (room, created_at, id);
`;

/** pg_advisory_lock key serializing schema creation ('coev'). */
const SCHEMA_LOCK = 0x636f6576;

const META =
  'id::text AS id, kind, name, authors, created_at::text AS created_at, octet_length(state) AS bytes';

interface MetaRow {
  id: string;
  kind: VersionKind;
  name: string | null;
  authors: string[];
  created_at: string;
  bytes: number;
}

const toMeta = (row: MetaRow): VersionMeta => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  authors: row.authors,
  createdAt: Number(row.created_at),
  bytes: row.bytes,
});

export async function openPostgresVersionStore(
  url: string,
  options: { onIdleError?: (error: Error) => void; maxConnections?: number } = {},
): Promise<VersionStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 4 });
  pool.on('error', options.onIdleError ?? (() => {}));
  try {
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
      await client.query(SCHEMA);
      await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]);
      client.release();
    } catch (error) {
      // Destroying the session frees the lock.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  } catch (error) {
    await pool.end();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const ensureOpen = (): void => {
    if (closing) throw new Error('VersionStore is closed');
  };

  return {
    async saveVersion(room: string, version: NewVersion): Promise<VersionMeta> {
      ensureOpen();
      const authors = normalizeAuthors(version.authors);
      const { rows } = await pool.query<MetaRow>(
        `INSERT INTO coedit_versions (room, kind, name, authors, created_at, state)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${META}`,
        [
          room,
          version.kind,
          version.name ?? null,
          JSON.stringify(authors),
          version.createdAt,
          version.state,
        ],
      );
      return toMeta(rows[0] as MetaRow);
    },
    async listVersions(room) {
      ensureOpen();
      const { rows } = await pool.query<MetaRow>(
        `SELECT ${META} FROM coedit_versions WHERE room = $1 ORDER BY created_at, id`,
        [room],
      );
      return rows.map(toMeta);
    },
    async getVersion(room, id) {
      ensureOpen();
      if (parseNumericId(id) === null) return null;
      const { rows } = await pool.query<MetaRow & { state: Buffer }>(
        `SELECT ${META}, state FROM coedit_versions WHERE room = $1 AND id = $2`,
        [room, id],
      );
      const row = rows[0];
      return row ? { meta: toMeta(row), state: new Uint8Array(row.state) } : null;
    },
    async deleteVersions(room, ids) {
      ensureOpen();
      const numeric = ids.filter((id) => parseNumericId(id) !== null);
      if (numeric.length === 0) return 0;
      const result = await pool.query(
        'DELETE FROM coedit_versions WHERE room = $1 AND id = ANY($2::bigint[])',
        [room, numeric],
      );
      return result.rowCount ?? 0;
    },
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
