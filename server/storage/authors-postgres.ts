/**
 * AuthorStore on PostgreSQL, beside the documents, for several relay instances: `bind` inserts
 * what is new and answers what is in force, so two instances racing to bind the same client id
 * agree on the first.
 */
import type { AuthorProfile, AuthorStore, ClientBinding } from './authors';
import { inTransaction } from './postgres';
import { openPostgresPool } from './postgres-pool';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS coedit_client_bindings (
    room text NOT NULL,
    client_id bigint NOT NULL,
    author_id text NOT NULL,
    key_hash text,
    PRIMARY KEY (room, client_id)
  );
  CREATE TABLE IF NOT EXISTS coedit_authors (
    room text NOT NULL,
    author_id text NOT NULL,
    name text,
    color text,
    link_id text,
    created_at bigint NOT NULL,
    PRIMARY KEY (room, author_id)
  )`;

/** Serialises the schema's creation between relays starting together (postgres-pool.ts). */
const SCHEMA_LOCK = 0x636f6175; // 'coau'

interface BindingRow {
  client_id: string;
  author_id: string;
  key_hash: string | null;
}

const toBinding = (row: BindingRow): ClientBinding => ({
  clientId: Number(row.client_id),
  authorId: row.author_id,
  keyHash: row.key_hash,
});

interface AuthorRow {
  author_id: string;
  name: string | null;
  color: string | null;
  link_id: string | null;
}

/** Insert the proposed bindings that are new (a conflict keeps the first). */
const INSERT_BINDINGS = `
  INSERT INTO coedit_client_bindings (room, client_id, author_id, key_hash)
  SELECT $1, client_id, author_id, key_hash
  FROM unnest($2::bigint[], $3::text[], $4::text[]) AS p(client_id, author_id, key_hash)
  ON CONFLICT DO NOTHING`;

/**
 * Read them back in a statement of its own: under READ COMMITTED it sees a binding another
 * instance committed while the insert waited on it, which the insert's own snapshot would not.
 */
const SELECT_BINDINGS = `
  SELECT client_id::text, author_id, key_hash FROM coedit_client_bindings
  WHERE room = $1 AND client_id = ANY($2::bigint[])`;

export async function openPostgresAuthorStore(
  url: string,
  options: { now?: () => number; onIdleError?: (err: Error) => void } = {},
): Promise<AuthorStore> {
  const now = options.now ?? Date.now;
  const pool = await openPostgresPool(
    url,
    { sql: SCHEMA, lockKey: SCHEMA_LOCK },
    options.onIdleError,
  );
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('AuthorStore is closed');
  };
  const profileParams = (room: string, author: AuthorProfile) => [
    room,
    author.authorId,
    author.name,
    author.color,
    author.linkId,
    now(),
  ];

  return {
    async bind(room, proposed, author) {
      ensureOpen();
      const ids = proposed.map((b) => b.clientId);
      let rows: BindingRow[] = [];
      await inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO coedit_authors (room, author_id, name, color, link_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (room, author_id) DO UPDATE
           SET name = excluded.name, color = excluded.color, link_id = excluded.link_id
           WHERE excluded.name IS NOT NULL`,
          profileParams(room, author),
        );
        await client.query(INSERT_BINDINGS, [
          room,
          ids,
          proposed.map((b) => b.authorId),
          proposed.map((b) => b.keyHash),
        ]);
        rows = (await client.query<BindingRow>(SELECT_BINDINGS, [room, ids])).rows;
      });
      const inForce = new Map(rows.map((row) => [Number(row.client_id), toBinding(row)]));
      return proposed.map((binding) => inForce.get(binding.clientId) ?? binding);
    },
    async saveProfile(room, author) {
      ensureOpen();
      await pool.query(
        `INSERT INTO coedit_authors (room, author_id, name, color, link_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (room, author_id) DO UPDATE
         SET name = excluded.name, color = excluded.color, link_id = excluded.link_id`,
        profileParams(room, author),
      );
    },
    async load(room) {
      ensureOpen();
      const [bindings, authors] = await Promise.all([
        pool.query<BindingRow>(
          `SELECT client_id::text, author_id, key_hash FROM coedit_client_bindings
           WHERE room = $1`,
          [room],
        ),
        pool.query<AuthorRow>(
          `SELECT author_id, name, color, link_id FROM coedit_authors WHERE room = $1
           ORDER BY created_at, author_id`,
          [room],
        ),
      ]);
      return {
        bindings: bindings.rows.map(toBinding),
        authors: authors.rows.map((row) => ({
          authorId: row.author_id,
          name: row.name,
          color: row.color,
          linkId: row.link_id,
        })),
      };
    },
    async deleteRoom(room) {
      ensureOpen();
      await pool.query('DELETE FROM coedit_client_bindings WHERE room = $1', [room]);
      await pool.query('DELETE FROM coedit_authors WHERE room = $1', [room]);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
