/**
 * DocStore: durable storage of each room's Yjs updates, as a log plus an optional snapshot.
 * One contract suite (store.contract.ts) runs against every implementation.
 */

/** What a room needs to rebuild its Y.Doc. */
export interface StoredDoc {
  /** Updates in the order they were stored (a snapshot, if any, comes first). Apply all. */
  readonly updates: Uint8Array[];
  /** Sequence number of the last stored entry, 0 for an empty room. */
  readonly lastSeq: number;
  /** Total bytes of `updates`, so a room can decide when to compact. */
  readonly bytes: number;
  /** The room was deleted (`delete`): it has no updates and must not be served again. */
  readonly deleted?: boolean;
}

/** A room in the list of stored rooms. */
export interface StoredRoom {
  readonly room: string;
  /** When an update was last stored (ms since the epoch), null if not recorded. */
  readonly updatedAt: number | null;
}

/** One update to append to a room's log. */
export interface AppendEntry {
  readonly room: string;
  readonly update: Uint8Array;
}

export interface DocStore {
  /** Everything stored for `room` (an empty list for a room never written). */
  load(room: string): Promise<StoredDoc>;
  /**
   * Append updates, possibly for several rooms, durably and atomically (one transaction):
   * when the promise resolves they survive a crash. Returns the new last sequence number of
   * each room touched.
   */
  append(entries: readonly AppendEntry[]): Promise<Map<string, number>>;
  /**
   * Optional: `append` for a store that commits synchronously (SQLite), with the same contract
   * but no promise, so the relay can store and broadcast a batch in one turn. Throws on failure.
   */
  appendSync?(entries: readonly AppendEntry[]): Map<string, number>;
  /**
   * Replace the log entries of `room` with sequence numbers <= `throughSeq` by `snapshot`, which
   * must contain all of them (entries after `throughSeq` are kept). Atomic.
   * A stale or repeated call (`throughSeq` <= the seq of a snapshot already stored) is a no-op,
   * so racing compactions never replace a newer snapshot with an older one. Rejects with a
   * RangeError if `throughSeq` > the room's last seq. Sequence numbers keep increasing across
   * compaction (`lastSeq` never goes down).
   */
  compact(room: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
  /**
   * Remove everything stored for `room` and leave a tombstone: later loads answer `deleted`
   * (and no updates), so a client that kept the document offline cannot bring it back.
   * The caller stops appending to the room first.
   */
  delete(room: string): Promise<void>;
  /** Which of `rooms` are deleted (the cluster's sweep closes them on other instances). */
  deletedAmong(rooms: readonly string[]): Promise<string[]>;
  /** Stored rooms in id order after `after` ('' for the first page), at most `limit` of them. */
  list(after: string, limit: number): Promise<StoredRoom[]>;
  /** Flush and release resources; later calls fail. Idempotent. */
  close(): Promise<void>;
}
