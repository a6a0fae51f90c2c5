/**
 * In-memory DocStore for tests and benchmarks. Nothing survives the process; sqlite is the
 * default for a real run. Buffers are copied in and out so callers can never mutate stored data.
 */
import type { AppendEntry, DocStore, StoredDoc, StoredRoom } from './store';

interface MemoryRoom {
  /** Snapshot covering every entry with seq <= snapshotSeq (null until the first compaction). */
  snapshot: Uint8Array | null;
  snapshotSeq: number;
  /** Entries after the snapshot, in seq order. */
  entries: { seq: number; data: Uint8Array }[];
  lastSeq: number;
  updatedAt: number;
}

export function createMemoryStore(): DocStore {
  const rooms = new Map<string, MemoryRoom>();
  const deleted = new Set<string>();
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw new Error('DocStore is closed');
  };

  const roomOf = (room: string): MemoryRoom => {
    let state = rooms.get(room);
    if (!state) {
      state = { snapshot: null, snapshotSeq: 0, entries: [], lastSeq: 0, updatedAt: 0 };
      rooms.set(room, state);
    }
    return state;
  };

  return {
    async load(room: string): Promise<StoredDoc> {
      ensureOpen();
      if (deleted.has(room)) return { updates: [], lastSeq: 0, bytes: 0, deleted: true };
      const state = rooms.get(room);
      if (!state) return { updates: [], lastSeq: 0, bytes: 0 };
      const updates: Uint8Array[] = [];
      if (state.snapshot) updates.push(state.snapshot.slice());
      for (const entry of state.entries) updates.push(entry.data.slice());
      const bytes = updates.reduce((sum, u) => sum + u.byteLength, 0);
      return { updates, lastSeq: state.lastSeq, bytes };
    },

    async append(entries: readonly AppendEntry[]): Promise<Map<string, number>> {
      ensureOpen();
      const touched = new Map<string, number>();
      const now = Date.now();
      for (const { room, update } of entries) {
        const state = roomOf(room);
        state.updatedAt = now;
        state.lastSeq += 1;
        state.entries.push({ seq: state.lastSeq, data: update.slice() });
        touched.set(room, state.lastSeq);
      }
      return touched;
    },

    async compact(room: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
      ensureOpen();
      const state = rooms.get(room);
      const lastSeq = state?.lastSeq ?? 0;
      if (throughSeq > lastSeq) {
        throw new RangeError(`compact(${room}): throughSeq ${throughSeq} > lastSeq ${lastSeq}`);
      }
      // A stale or repeated compaction is a no-op: a newer snapshot already covers it.
      if (!state || throughSeq <= state.snapshotSeq) return;
      state.snapshot = snapshot.slice();
      state.snapshotSeq = throughSeq;
      state.entries = state.entries.filter((entry) => entry.seq > throughSeq);
    },

    async delete(room: string): Promise<void> {
      ensureOpen();
      rooms.delete(room);
      deleted.add(room);
    },

    async deletedAmong(candidates: readonly string[]): Promise<string[]> {
      ensureOpen();
      return candidates.filter((room) => deleted.has(room));
    },

    async list(after: string, limit: number): Promise<StoredRoom[]> {
      ensureOpen();
      return [...rooms.entries()]
        .filter(([room, state]) => room > after && state.lastSeq > 0)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .slice(0, limit)
        .map(([room, state]) => ({ room, updatedAt: state.updatedAt }));
    },

    async close(): Promise<void> {
      closed = true;
      rooms.clear();
      deleted.clear();
    },
  };
}
