/**
 * ImageStore on PostgreSQL, beside the documents, so every relay instance serves every upload.
 * Tables are created at open. Bytes once per hash (bytea), one row per room that holds it.
 */
import type { ImageType } from '../../lib/image-types';
import type { ImageStore } from './images';
import { openPostgresPool } from './postgres-pool';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS coedit_images (
    hash text PRIMARY KEY,
    type text NOT NULL,
    size integer NOT NULL,
    bytes bytea NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE TABLE IF NOT EXISTS coedit_room_images (
    room text NOT NULL,
    hash text NOT NULL REFERENCES coedit_images (hash),
    created_at bigint NOT NULL,
    PRIMARY KEY (room, hash)
  )`;

/** pg_advisory_xact_lock key: instances that start together create the tables one at a time. */
/** Serialises the schema's creation between relays starting together (postgres-pool.ts). */
const SCHEMA_LOCK = 0x636f696d; // 'coim'

export async function openPostgresImageStore(
  url: string,
  options: { now?: () => number; onIdleError?: (err: Error) => void } = {},
): Promise<ImageStore> {
  const now = options.now ?? Date.now;
  const pool = await openPostgresPool(
    url,
    { sql: SCHEMA, lockKey: SCHEMA_LOCK },
    options.onIdleError,
  );
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('ImageStore is closed');
  };
  return {
    async put(room, image) {
      ensureOpen();
      const at = now();
      // One statement, so the bytes and the room's reference commit together.
      const result = await pool.query<{ stored: boolean }>(
        `WITH inserted AS (
           INSERT INTO coedit_images (hash, type, size, bytes, created_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING hash
         ), referenced AS (
           INSERT INTO coedit_room_images (room, hash, created_at) VALUES ($6, $1, $5)
           ON CONFLICT DO NOTHING
         )
         SELECT EXISTS (SELECT 1 FROM inserted) AS stored`,
        [image.hash, image.type, image.bytes.length, Buffer.from(image.bytes), at, room],
      );
      return { stored: result.rows[0]?.stored === true };
    },
    async get(room, hash) {
      ensureOpen();
      const result = await pool.query<{ type: ImageType; bytes: Buffer }>(
        `SELECT i.type, i.bytes FROM coedit_room_images r JOIN coedit_images i ON i.hash = r.hash
         WHERE r.room = $1 AND r.hash = $2`,
        [room, hash],
      );
      const row = result.rows[0];
      return row ? { hash, type: row.type, bytes: new Uint8Array(row.bytes) } : null;
    },
    async deleteRoom(room) {
      ensureOpen();
      // One statement: the room's references, then the bytes only they referred to.
      const result = await pool.query<{ held: string }>(
        `WITH gone AS (
           DELETE FROM coedit_room_images WHERE room = $1 RETURNING hash
         ), orphans AS (
           DELETE FROM coedit_images i WHERE i.hash IN (SELECT hash FROM gone)
           AND NOT EXISTS (
             SELECT 1 FROM coedit_room_images r WHERE r.hash = i.hash AND r.room <> $1
           )
         )
         SELECT count(*)::text AS held FROM gone`,
        [room],
      );
      return Number(result.rows[0]?.held ?? 0);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
