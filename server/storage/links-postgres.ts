/**
 * LinkStore on PostgreSQL, beside the documents, for several relay instances: a revocation made
 * through one instance is seen by the others at their next upgrade check.
 */
import type { Role } from '../../lib/token';
import type { LinkRecord, LinkStore } from './links';
import { openPostgresPool } from './postgres-pool';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS coedit_share_links (
    room text NOT NULL,
    link_id text NOT NULL,
    role text,
    created_at bigint NOT NULL,
    revoked_at bigint,
    PRIMARY KEY (room, link_id)
  )`;

/** Serialises the schema's creation between relays starting together (postgres-pool.ts). */
const SCHEMA_LOCK = 0x636f6c6b; // 'colk'

interface Row {
  link_id: string;
  role: Role | null;
  created_at: string;
  revoked_at: string | null;
}

export async function openPostgresLinkStore(
  url: string,
  options: { now?: () => number; onIdleError?: (err: Error) => void } = {},
): Promise<LinkStore> {
  const now = options.now ?? Date.now;
  const pool = await openPostgresPool(
    url,
    { sql: SCHEMA, lockKey: SCHEMA_LOCK },
    options.onIdleError,
  );
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('LinkStore is closed');
  };

  return {
    async record(room, linkId, role) {
      ensureOpen();
      await pool.query(
        `INSERT INTO coedit_share_links (room, link_id, role, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [room, linkId, role, now()],
      );
    },
    async revoke(room, linkId) {
      ensureOpen();
      const at = now();
      const result = await pool.query(
        `INSERT INTO coedit_share_links AS l (room, link_id, role, created_at, revoked_at)
         VALUES ($1, $2, NULL, $3, $3)
         ON CONFLICT (room, link_id) DO UPDATE SET revoked_at = excluded.revoked_at
         WHERE l.revoked_at IS NULL`,
        [room, linkId, at],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async isRevoked(room, linkId) {
      ensureOpen();
      const result = await pool.query(
        'SELECT 1 FROM coedit_share_links WHERE room = $1 AND link_id = $2 AND revoked_at IS NOT NULL',
        [room, linkId],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async list(room) {
      ensureOpen();
      const result = await pool.query<Row>(
        `SELECT link_id, role, created_at::text, revoked_at::text FROM coedit_share_links
         WHERE room = $1 ORDER BY created_at, link_id`,
        [room],
      );
      return result.rows.map(
        (row): LinkRecord => ({
          room,
          linkId: row.link_id,
          role: row.role,
          createdAt: Number(row.created_at),
          revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
        }),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
