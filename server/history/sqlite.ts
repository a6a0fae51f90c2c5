/**
 * VersionStore in SQLite. It opens its own connection to the relay's database file (WAL lets
 * two connections of one process share it) and owns one table, so the DocStore's schema and
 * migrations stay untouched. Writes are tiny and rare (one row per version), so a second
 * connection costs nothing measurable.
 */
import { openSqliteFile } from '../storage/sqlite-file';
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
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('auto', 'named')),
    name TEXT,
    authors TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    state BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS coedit_versions_by_room ON coedit_versions (room, created_at, id);
`;

interface MetaRow {
  id: number;
  kind: VersionKind;
  name: string | null;
  authors: string;
  created_at: number;
  bytes: number;
}

const toMeta = (row: MetaRow): VersionMeta => ({
  id: String(row.id),
  kind: row.kind,
  name: row.name,
  authors: JSON.parse(row.authors) as string[],
  createdAt: row.created_at,
  bytes: row.bytes,
});

export function openSqliteVersionStore(path: string): VersionStore {
  const db = openSqliteFile(path, SCHEMA);
  const META = 'id, kind, name, authors, created_at, length(state) AS bytes';
  const insert = db.prepare<[string, string, string | null, string, number, Uint8Array]>(
    'INSERT INTO coedit_versions (room, kind, name, authors, created_at, state) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const list = db.prepare<[string], MetaRow>(
    `SELECT ${META} FROM coedit_versions WHERE room = ? ORDER BY created_at, id`,
  );
  const getOne = db.prepare<[string, number], MetaRow & { state: Buffer }>(
    `SELECT ${META}, state FROM coedit_versions WHERE room = ? AND id = ?`,
  );
  const deleteOne = db.prepare<[string, number]>(
    'DELETE FROM coedit_versions WHERE room = ? AND id = ?',
  );
  const deleteMany = db.transaction((room: string, ids: readonly number[]) => {
    let deleted = 0;
    for (const id of ids) deleted += deleteOne.run(room, id).changes;
    return deleted;
  });

  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('VersionStore is closed');
  };

  return {
    async saveVersion(room: string, version: NewVersion): Promise<VersionMeta> {
      ensureOpen();
      const authors = normalizeAuthors(version.authors);
      const name = version.name ?? null;
      const result = insert.run(
        room,
        version.kind,
        name,
        JSON.stringify(authors),
        version.createdAt,
        version.state,
      );
      return {
        id: String(result.lastInsertRowid),
        kind: version.kind,
        name,
        authors,
        createdAt: version.createdAt,
        bytes: version.state.byteLength,
      };
    },
    async listVersions(room) {
      ensureOpen();
      return list.all(room).map(toMeta);
    },
    async getVersion(room, id) {
      ensureOpen();
      const numeric = parseNumericId(id);
      const row = numeric === null ? undefined : getOne.get(room, numeric);
      return row ? { meta: toMeta(row), state: new Uint8Array(row.state) } : null;
    },
    async deleteVersions(room, ids) {
      ensureOpen();
      const numeric = ids.map(parseNumericId).filter((id): id is number => id !== null);
      return numeric.length === 0 ? 0 : deleteMany(room, numeric);
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
