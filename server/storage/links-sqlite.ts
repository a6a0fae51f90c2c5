/**
 * LinkStore in SQLite, normally the same file as the documents (its own connection and its own
 * table, so the DocStore's schema version is untouched). WAL mode lets both connections share it.
 */

import type { Role } from '../../lib/token';
import type { LinkRecord, LinkStore } from './links';
import { openSqliteFile } from './sqlite-file';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS share_links (
    room TEXT NOT NULL,
    link_id TEXT NOT NULL,
    role TEXT,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    PRIMARY KEY (room, link_id)
  ) WITHOUT ROWID;
`;

interface Row {
  link_id: string;
  role: Role | null;
  created_at: number;
  revoked_at: number | null;
}

export function openSqliteLinkStore(path: string, now: () => number = Date.now): LinkStore {
  const db = openSqliteFile(path, SCHEMA);
  const insert = db.prepare<[string, string, Role, number]>(
    `INSERT INTO share_links (room, link_id, role, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const revoke = db.prepare<[string, string, number, number]>(
    `INSERT INTO share_links (room, link_id, role, created_at, revoked_at) VALUES (?, ?, NULL, ?, ?)
     ON CONFLICT (room, link_id) DO UPDATE SET revoked_at = excluded.revoked_at
     WHERE revoked_at IS NULL`,
  );
  const revokedAt = db
    .prepare<[string, string], number | null>(
      'SELECT revoked_at FROM share_links WHERE room = ? AND link_id = ?',
    )
    .pluck();
  const list = db.prepare<[string], Row>(
    `SELECT link_id, role, created_at, revoked_at FROM share_links WHERE room = ?
     ORDER BY created_at, link_id`,
  );

  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('LinkStore is closed');
  };

  return {
    async record(room, linkId, role) {
      ensureOpen();
      insert.run(room, linkId, role, now());
    },
    async revoke(room, linkId) {
      ensureOpen();
      const at = now();
      return revoke.run(room, linkId, at, at).changes > 0;
    },
    async isRevoked(room, linkId) {
      ensureOpen();
      return (revokedAt.get(room, linkId) ?? null) !== null;
    },
    async list(room) {
      ensureOpen();
      return list.all(room).map(
        (row): LinkRecord => ({
          room,
          linkId: row.link_id,
          role: row.role,
          createdAt: row.created_at,
          revokedAt: row.revoked_at,
        }),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
