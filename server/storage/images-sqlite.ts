/**
 * ImageStore in SQLite, normally the same file as the documents (its own connection and tables,
 * created at open; the DocStore's schema version is untouched). Bytes once per hash, one row per
 * room that holds it.
 */
import type { ImageType } from '../../lib/image-types';
import type { ImageStore } from './images';
import { openSqliteFile } from './sqlite-file';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS images (
    hash TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    size INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS room_images (
    room TEXT NOT NULL,
    hash TEXT NOT NULL REFERENCES images (hash),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (room, hash)
  ) WITHOUT ROWID;
`;

interface Row {
  type: ImageType;
  bytes: Buffer;
}

export function openSqliteImageStore(path: string, now: () => number = Date.now): ImageStore {
  const db = openSqliteFile(path, SCHEMA);
  const insertImage = db.prepare<[string, string, number, Uint8Array, number]>(
    `INSERT INTO images (hash, type, size, bytes, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const insertRef = db.prepare<[string, string, number]>(
    'INSERT INTO room_images (room, hash, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const select = db.prepare<[string, string], Row>(
    `SELECT i.type, i.bytes FROM room_images r JOIN images i ON i.hash = r.hash
     WHERE r.room = ? AND r.hash = ?`,
  );
  const put = db.transaction((room: string, hash: string, type: string, bytes: Uint8Array) => {
    const at = now();
    const stored = insertImage.run(hash, type, bytes.length, bytes, at).changes > 0;
    insertRef.run(room, hash, at);
    return stored;
  });

  const deleteRoom = db.transaction((room: string): number => {
    const held = db.prepare('DELETE FROM room_images WHERE room = ?').run(room).changes;
    // Bytes no room refers to any more go with the last reference.
    db.prepare(
      'DELETE FROM images WHERE NOT EXISTS (SELECT 1 FROM room_images r WHERE r.hash = images.hash)',
    ).run();
    return held;
  });

  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('ImageStore is closed');
  };
  return {
    async put(room, image) {
      ensureOpen();
      return { stored: put(room, image.hash, image.type, image.bytes) };
    },
    async get(room, hash) {
      ensureOpen();
      const row = select.get(room, hash);
      return row ? { hash, type: row.type, bytes: new Uint8Array(row.bytes) } : null;
    },
    async deleteRoom(room) {
      ensureOpen();
      return deleteRoom(room);
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
