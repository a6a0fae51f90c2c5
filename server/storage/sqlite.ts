/**
 * DocStore on one SQLite file (better-sqlite3), the relay's default storage.
 *
 * Schema: `updates` is the append-only log, one row per update keyed by (room, seq);
 * `snapshots` holds at most one row per room, the compacted state of every entry with
 * seq <= through_seq. Keeping the snapshot out of the log lets compaction tell a stale request
 * (through_seq already covered) from a new one without tagging log rows, and keeps the log's
 * rows small. A room's last seq is max(max(updates.seq), snapshots.through_seq), so numbering
 * continues after a compaction empties the log.
 *
 * Appends go to a journal beside the database (journaled-appends.ts): one `write` per batch
 * instead of a b-tree insert and a WAL commit per update. Journaled updates are folded into
 * `updates` in the background, kept in memory until then so loads see them, and replayed into
 * the table when the store opens after a crash.
 *
 * One process owns the file: the last seq of each room is cached in memory after its first use,
 * so append does no read. Another writer on the same file would break that; the relay with
 * sqlite storage is a single instance (several instances use postgres).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { JournaledAppends } from './journaled-appends';
import { type OnDemandCheckpointer, startCheckpointerOnDemand } from './sqlite-checkpointer';
import type { JournalEntry } from './sqlite-journal';
import type { AppendEntry, DocStore, StoredDoc, StoredRoom } from './store';

const SCHEMA_VERSION = 2;

const SCHEMA = `
  -- WITHOUT ROWID: rows are clustered by (room, seq), so an append is one b-tree insert and a
  -- load is one range scan. Large updates spill to overflow pages either way.
  CREATE TABLE IF NOT EXISTS updates (
    room TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (room, seq)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS snapshots (
    room TEXT PRIMARY KEY,
    through_seq INTEGER NOT NULL,
    data BLOB NOT NULL
  );
`;

/** Version 2: when each room was last written (for the admin list), and deleted rooms. */
const SCHEMA_V2 = `
  CREATE TABLE IF NOT EXISTS rooms (
    room TEXT PRIMARY KEY,
    updated_at INTEGER
  );
  INSERT OR IGNORE INTO rooms (room, updated_at)
    SELECT DISTINCT room, NULL FROM updates UNION SELECT room, NULL FROM snapshots;
  CREATE TABLE IF NOT EXISTS deleted_rooms (
    room TEXT PRIMARY KEY,
    deleted_at INTEGER NOT NULL
  );
`;

export interface SqliteStoreOptions {
  /**
   * 'NORMAL' (default): a commit is written to the WAL before append resolves but not fsynced,
   * which survives a crash or `kill -9` of the process (the OS still holds the write) and loses
   * at most the last commits on power loss or kernel panic. 'FULL' fsyncs the WAL on every
   * commit, surviving power loss at the cost of one fsync per append batch.
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
  /**
   * 'background' (default): a worker thread checkpoints the WAL (sqlite-checkpointer.ts), from
   * the first write until writes have been quiet for a while.
   * 'inline': SQLite's own automatic checkpoint inside commits (kept for comparison benchmarks).
   */
  readonly checkpoints?: 'background' | 'inline';
  /**
   * 'journal' (default for a file): appends are written to `<path>-updates-{0,1}.log` and folded
   * into the table in the background (journaled-appends.ts). 'direct': each append is a commit
   * of its own (kept for comparison benchmarks; always so for ':memory:').
   */
  readonly appends?: 'journal' | 'direct';
  /**
   * Something failed or was repaired in the background: a WAL checkpoint or a journal fold
   * failed (both retry later), or a torn journal record was dropped at open.
   */
  readonly onCheckpointError?: (err: Error) => void;
}

/** SQLite's own default: checkpoint inside the commit that grows the WAL past this many pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/** The WAL file is cut back to this size after a checkpoint catches up (it never shrinks else). */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** Open (creating it and its directory if missing) the SQLite file at `path`. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): DocStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    // Wait instead of failing if a backup or inspection tool briefly holds a lock.
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  // Checkpoints run on a worker (sqlite-checkpointer.ts), never inside one of our commits.
  let checkpointer: OnDemandCheckpointer | null = null;
  if (path !== ':memory:' && options.checkpoints !== 'inline') {
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    const onError = options.onCheckpointError;
    checkpointer = startCheckpointerOnDemand(path, {
      onError: (message) => onError?.(new Error(message)),
      // Without the worker the WAL would grow without bound: SQLite checkpoints inline again.
      onLost: () => {
        if (closed) return;
        onError?.(new Error('WAL checkpoint thread stopped; checkpointing inside commits again'));
        db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
      },
    });
  }

  const insertUpdate = db.prepare<[string, number, Uint8Array]>(
    'INSERT INTO updates (room, seq, data) VALUES (?, ?, ?)',
  );
  // A replayed journal may hold rows that were folded just before the crash.
  const insertUpdateIfAbsent = db.prepare<[string, number, Uint8Array]>(
    'INSERT OR IGNORE INTO updates (room, seq, data) VALUES (?, ?, ?)',
  );
  const selectUpdatesAfter = db
    .prepare<[string, number], Buffer>(
      'SELECT data FROM updates WHERE room = ? AND seq > ? ORDER BY seq',
    )
    .pluck();
  const selectMaxSeq = db
    .prepare<[string], number | null>('SELECT max(seq) FROM updates WHERE room = ?')
    .pluck();
  const selectSnapshot = db.prepare<[string], { through_seq: number; data: Buffer }>(
    'SELECT through_seq, data FROM snapshots WHERE room = ?',
  );
  const selectSnapshotSeq = db
    .prepare<[string], number>('SELECT through_seq FROM snapshots WHERE room = ?')
    .pluck();
  const upsertSnapshot = db.prepare<[string, number, Uint8Array]>(
    `INSERT INTO snapshots (room, through_seq, data) VALUES (?, ?, ?)
     ON CONFLICT (room) DO UPDATE SET through_seq = excluded.through_seq, data = excluded.data`,
  );
  const deleteThrough = db.prepare<[string, number]>(
    'DELETE FROM updates WHERE room = ? AND seq <= ?',
  );

  const upsertRoomTime = db.prepare<[string, number]>(
    `INSERT INTO rooms (room, updated_at) VALUES (?, ?)
     ON CONFLICT (room) DO UPDATE SET updated_at = excluded.updated_at`,
  );
  const selectDeleted = db
    .prepare<[string], number>('SELECT 1 FROM deleted_rooms WHERE room = ?')
    .pluck();
  const selectRoomsAfter = db.prepare<
    [string, number],
    { room: string; updated_at: number | null }
  >('SELECT room, updated_at FROM rooms WHERE room > ? ORDER BY room LIMIT ?');
  const deleteRoomRows = db.transaction((room: string, at: number) => {
    db.prepare('DELETE FROM updates WHERE room = ?').run(room);
    db.prepare('DELETE FROM snapshots WHERE room = ?').run(room);
    db.prepare('DELETE FROM rooms WHERE room = ?').run(room);
    db.prepare('INSERT OR IGNORE INTO deleted_rooms (room, deleted_at) VALUES (?, ?)').run(
      room,
      at,
    );
  });

  /** When each room was last appended to since open; written to `rooms` as entries fold. */
  const touchedAt = new Map<string, number>();
  /** Write the times of `rooms` (a journal replayed at open has none in memory: now, then). */
  const recordTimes = (rooms: Iterable<string>, now = Date.now()): void => {
    for (const room of rooms) upsertRoomTime.run(room, touchedAt.get(room) ?? now);
  };

  /** Last seq per room, filled on first use; only ever advanced after a successful commit. */
  const lastSeqs = new Map<string, number>();
  const lastSeqOf = (room: string): number => {
    let last = lastSeqs.get(room);
    if (last === undefined) {
      last = Math.max(selectMaxSeq.get(room) ?? 0, selectSnapshotSeq.get(room) ?? 0);
      lastSeqs.set(room, last);
    }
    return last;
  };

  /** `entries` with the seqs they will be stored at (lastSeqs moves only once they are). */
  const numberEntries = (entries: readonly AppendEntry[]): JournalEntry[] => {
    const next = new Map<string, number>();
    return entries.map(({ room, update }) => {
      const seq = (next.get(room) ?? lastSeqOf(room)) + 1;
      next.set(room, seq);
      return { room, seq, update };
    });
  };

  /** Each append its own commit ('direct'), its rooms' times with it. */
  const insertBatch = db.transaction((entries: readonly JournalEntry[], at: number) => {
    const rooms = new Set<string>();
    for (const { room, seq, update } of entries) {
      insertUpdate.run(room, seq, update);
      rooms.add(room);
    }
    for (const room of rooms) upsertRoomTime.run(room, at);
  });

  /**
   * Insert journaled entries, skipping any a stored snapshot already covers, and those of a
   * deleted room (a journal replayed after a crash may still hold them).
   */
  const foldEntries = db.transaction((entries: Iterable<JournalEntry>) => {
    const snapshotSeqs = new Map<string, number>();
    for (const { room, seq, update } of entries) {
      let covered = snapshotSeqs.get(room);
      if (covered === undefined) {
        covered = selectDeleted.get(room)
          ? Number.POSITIVE_INFINITY
          : (selectSnapshotSeq.get(room) ?? 0);
        snapshotSeqs.set(room, covered);
      }
      if (seq > covered) insertUpdateIfAbsent.run(room, seq, update);
    }
    recordTimes(
      [...snapshotSeqs.keys()].filter(
        (room) => snapshotSeqs.get(room) !== Number.POSITIVE_INFINITY,
      ),
    );
  });

  // Opening folds in what a crash left in the journals: acknowledged appends go in first.
  let journaled: JournaledAppends | null = null;
  if (path !== ':memory:' && options.appends !== 'direct') {
    try {
      journaled = new JournaledAppends(
        path,
        {
          fold: (entries) => foldEntries(entries),
          onFolded: () => checkpointer?.noteWrite(),
          onError: (error) => options.onCheckpointError?.(error),
        },
        { fsync: options.synchronous === 'FULL' },
      );
    } catch (error) {
      void checkpointer?.stop();
      db.close();
      throw error;
    }
  }

  const compactRoom = db.transaction((room: string, snapshot: Uint8Array, throughSeq: number) => {
    const lastSeq = lastSeqOf(room);
    if (throughSeq > lastSeq) {
      throw new RangeError(`compact(${room}): throughSeq ${throughSeq} > lastSeq ${lastSeq}`);
    }
    // Stale or repeated: the stored snapshot already covers throughSeq.
    if (throughSeq <= (selectSnapshotSeq.get(room) ?? 0)) return;
    upsertSnapshot.run(room, throughSeq, snapshot);
    deleteThrough.run(room, throughSeq);
  });

  // better-sqlite3 is synchronous, so nothing interleaves with a load: no transaction needed.
  const loadRoom = (room: string): StoredDoc => {
    if (selectDeleted.get(room)) return { updates: [], lastSeq: 0, bytes: 0, deleted: true };
    const snapshot = selectSnapshot.get(room);
    const updates: Uint8Array[] = snapshot ? [snapshot.data] : [];
    for (const data of selectUpdatesAfter.all(room, snapshot?.through_seq ?? 0)) updates.push(data);
    // Journaled entries are newer than every row, and those a compaction covered are gone.
    // Copies, as SQLite's rows are: callers may change what they load.
    for (const entry of journaled?.unfoldedOf(room) ?? []) updates.push(Buffer.from(entry.update));
    const bytes = updates.reduce((sum, u) => sum + u.byteLength, 0);
    return { updates, lastSeq: lastSeqOf(room), bytes };
  };

  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('DocStore is closed');
  };

  const appendSync = (entries: readonly AppendEntry[]): Map<string, number> => {
    ensureOpen();
    const numbered = numberEntries(entries);
    if (numbered.length === 0) return new Map();
    const now = Date.now();
    if (journaled) journaled.append(numbered);
    else {
      insertBatch(numbered, now);
      checkpointer?.noteWrite();
    }
    const next = new Map<string, number>();
    for (const { room, seq } of numbered) {
      next.set(room, seq);
      lastSeqs.set(room, seq);
      touchedAt.set(room, now);
    }
    return next;
  };

  return {
    async load(room) {
      ensureOpen();
      return loadRoom(room);
    },
    async append(entries) {
      return appendSync(entries);
    },
    appendSync,
    async compact(room, snapshot, throughSeq) {
      ensureOpen();
      compactRoom(room, snapshot, throughSeq);
      journaled?.dropThrough(room, throughSeq);
      checkpointer?.noteWrite();
    },
    async delete(room) {
      ensureOpen();
      deleteRoomRows(room, Date.now());
      journaled?.dropThrough(room, Number.POSITIVE_INFINITY);
      lastSeqs.delete(room);
      touchedAt.delete(room);
      checkpointer?.noteWrite();
    },
    async deletedAmong(rooms) {
      ensureOpen();
      return rooms.filter((room) => selectDeleted.get(room) !== undefined);
    },
    async list(after, limit) {
      ensureOpen();
      const page = new Map<string, number | null>();
      for (const row of selectRoomsAfter.all(after, limit)) page.set(row.room, row.updated_at);
      // Appends not folded yet are newer than the table (and may be the room's first).
      for (const [room, at] of touchedAt) if (room > after) page.set(room, at);
      return [...page.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .slice(0, limit)
        .map(([room, updatedAt]): StoredRoom => ({ room, updatedAt }));
    },
    async close() {
      if (closed) return;
      closed = true;
      // Folded: the database alone holds everything. A journal that could not be folded stays
      // on disk and is replayed at the next open.
      journaled?.close();
      await checkpointer?.stop();
      // The last connection to close checkpoints what is left and removes the WAL.
      db.close();
    },
  };
}

/** Create or upgrade the schema; `user_version` records what is applied. */
function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `SQLite schema version ${version} is newer than this relay (${SCHEMA_VERSION})`,
    );
  }
  if (version === SCHEMA_VERSION) return;
  db.transaction(() => {
    if (version < 1) db.exec(SCHEMA);
    db.exec(SCHEMA_V2);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
