/**
 * AuthorStore in SQLite, normally the same file as the documents (its own connection and
 * tables, so the DocStore's schema version is untouched).
 */
import type { AuthorProfile, AuthorStore, ClientBinding } from './authors';
import { openSqliteFile } from './sqlite-file';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS client_bindings (
    room TEXT NOT NULL,
    client_id INTEGER NOT NULL,
    author_id TEXT NOT NULL,
    key_hash TEXT,
    PRIMARY KEY (room, client_id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS authors (
    room TEXT NOT NULL,
    author_id TEXT NOT NULL,
    name TEXT,
    color TEXT,
    link_id TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (room, author_id)
  ) WITHOUT ROWID;
`;

interface BindingRow {
  client_id: number;
  author_id: string;
  key_hash: string | null;
}

interface AuthorRow {
  author_id: string;
  name: string | null;
  color: string | null;
  link_id: string | null;
}

const toBinding = (row: BindingRow): ClientBinding => ({
  clientId: row.client_id,
  authorId: row.author_id,
  keyHash: row.key_hash,
});

const toProfile = (row: AuthorRow): AuthorProfile => ({
  authorId: row.author_id,
  name: row.name,
  color: row.color,
  linkId: row.link_id,
});

export function openSqliteAuthorStore(path: string, now: () => number = Date.now): AuthorStore {
  const db = openSqliteFile(path, SCHEMA);
  const insertBinding = db.prepare<[string, number, string, string | null]>(
    `INSERT INTO client_bindings (room, client_id, author_id, key_hash) VALUES (?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const selectBinding = db.prepare<[string, number], BindingRow>(
    'SELECT client_id, author_id, key_hash FROM client_bindings WHERE room = ? AND client_id = ?',
  );
  const recordAuthor = db.prepare<
    [string, string, string | null, string | null, string | null, number]
  >(
    `INSERT INTO authors (room, author_id, name, color, link_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (room, author_id) DO UPDATE
     SET name = excluded.name, color = excluded.color, link_id = excluded.link_id
     WHERE excluded.name IS NOT NULL`,
  );
  const upsertAuthor = db.prepare<
    [string, string, string | null, string | null, string | null, number]
  >(
    `INSERT INTO authors (room, author_id, name, color, link_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (room, author_id) DO UPDATE
     SET name = excluded.name, color = excluded.color, link_id = excluded.link_id`,
  );
  const bindingsOf = db.prepare<[string], BindingRow>(
    'SELECT client_id, author_id, key_hash FROM client_bindings WHERE room = ?',
  );
  const authorsOf = db.prepare<[string], AuthorRow>(
    `SELECT author_id, name, color, link_id FROM authors WHERE room = ?
     ORDER BY created_at, author_id`,
  );
  const deleteBindings = db.prepare<[string]>('DELETE FROM client_bindings WHERE room = ?');
  const deleteAuthors = db.prepare<[string]>('DELETE FROM authors WHERE room = ?');

  const bind = db.transaction(
    (room: string, proposed: readonly ClientBinding[], author: AuthorProfile) => {
      recordAuthor.run(room, author.authorId, author.name, author.color, author.linkId, now());
      return proposed.map((binding) => {
        insertBinding.run(room, binding.clientId, binding.authorId, binding.keyHash);
        const row = selectBinding.get(room, binding.clientId);
        return row ? toBinding(row) : binding;
      });
    },
  );
  const deleteRoom = db.transaction((room: string) => {
    deleteBindings.run(room);
    deleteAuthors.run(room);
  });

  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('AuthorStore is closed');
  };

  return {
    async bind(room, proposed, author) {
      ensureOpen();
      return bind(room, proposed, author);
    },
    async saveProfile(room, author) {
      ensureOpen();
      upsertAuthor.run(room, author.authorId, author.name, author.color, author.linkId, now());
    },
    async load(room) {
      ensureOpen();
      return {
        bindings: bindingsOf.all(room).map(toBinding),
        authors: authorsOf.all(room).map(toProfile),
      };
    },
    async deleteRoom(room) {
      ensureOpen();
      deleteRoom(room);
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
