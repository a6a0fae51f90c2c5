/**
 * A second connection to the relay's SQLite file, for stores that live beside the DocStore
 * (links, versions): WAL lets connections of one process share the file, and the busy timeout
 * waits out the DocStore's write transactions instead of failing.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** Open `path` (creating its folder) in WAL mode and apply `schema`; closed again if that fails. */
export function openSqliteFile(path: string, schema: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(schema);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
