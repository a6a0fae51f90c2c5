import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../test/harness';
import { openSqliteStore } from './sqlite';
import { decodeJournalRecords, encodeJournalRecords, type JournalEntry } from './sqlite-journal';
import type { DocStore } from './store';

const tempDirs: string[] = [];
const dbPath = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'coedit-journal-'));
  tempDirs.push(dir);
  return join(dir, 'coedit.db');
};
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const entries: JournalEntry[] = [
  { room: 'a', seq: 1, update: new Uint8Array([1, 2, 3]) },
  { room: 'room with ünïcode', seq: 2 ** 40, update: new Uint8Array(0) },
  { room: 'a', seq: 2, update: new Uint8Array(1000).fill(9) },
];
const plain = (list: readonly JournalEntry[]) =>
  list.map(({ room, seq, update }) => ({ room, seq, update: Array.from(update) }));

describe('journal records', () => {
  it('round-trip, and the views of the encoding hold each update', () => {
    const { bytes, updates } = encodeJournalRecords(entries);
    expect(updates.map((u) => Array.from(u))).toEqual(entries.map((e) => Array.from(e.update)));
    const decoded = decodeJournalRecords(bytes);
    expect(decoded.discardedBytes).toBe(0);
    expect(plain(decoded.entries)).toEqual(plain(entries));
  });

  it('stop at a torn last record, wherever it was cut', () => {
    const whole = encodeJournalRecords(entries.slice(0, 2)).bytes;
    const last = encodeJournalRecords(entries.slice(2)).bytes;
    for (let cut = 0; cut < last.byteLength; cut++) {
      const torn = Buffer.concat([whole, last.subarray(0, cut)]);
      const decoded = decodeJournalRecords(torn);
      expect(plain(decoded.entries)).toEqual(plain(entries.slice(0, 2)));
      expect(decoded.discardedBytes).toBe(cut);
    }
  });

  it('stop at a record whose checksum fails', () => {
    const bytes = Buffer.from(encodeJournalRecords(entries).bytes);
    // Flip a byte in the last record's update.
    bytes[bytes.byteLength - 1] = (bytes[bytes.byteLength - 1] as number) ^ 0xff;
    const decoded = decodeJournalRecords(bytes);
    expect(plain(decoded.entries)).toEqual(plain(entries.slice(0, 2)));
    expect(decoded.discardedBytes).toBeGreaterThan(1000);
  });
});

describe('sqlite store journal', () => {
  const journalPaths = (path: string) => [`${path}-updates-0.log`, `${path}-updates-1.log`];
  /**
   * Close `store` and open it again with its journals as they are now, unfolded: what a crash
   * would have left (the close folds them into the table first, as a fold before the crash did).
   */
  const reopenAsAfterCrash = async (path: string, store: DocStore): Promise<DocStore> => {
    const kept = journalPaths(path).map((file) => [file, readFileSync(file)] as const);
    await store.close();
    for (const [file, bytes] of kept) writeFileSync(file, bytes);
    return openSqliteStore(path);
  };

  it('folds appends into the table within its interval and empties the journal', async () => {
    const path = dbPath();
    const store = openSqliteStore(path);
    try {
      await store.append([{ room: 'r', update: new Uint8Array([1]) }]);
      const [first, second] = journalPaths(path) as [string, string];
      expect(readFileSync(first).byteLength).toBeGreaterThan(0);
      const reader = new Database(path, { readonly: true });
      const countRows = reader.prepare<[], number>('SELECT count(*) FROM updates').pluck();
      try {
        await waitFor(() => countRows.get() === 1, 5_000);
      } finally {
        reader.close();
      }
      expect(readFileSync(first).byteLength).toBe(0);
      // The next appends went to the other journal while the first one folded.
      await store.append([{ room: 'r', update: new Uint8Array([2]) }]);
      expect(readFileSync(second).byteLength).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
    for (const file of journalPaths(path)) expect(existsSync(file)).toBe(false);
  });

  it('loads every update exactly once at every turn while a fold moves them into the table', async () => {
    const path = dbPath();
    const store = openSqliteStore(path);
    const rooms = ['a', 'b', 'c', 'd', 'e'];
    const perRoom = 100;
    try {
      for (let n = 1; n <= perRoom; n++) {
        await store.append(rooms.map((room) => ({ room, update: new Uint8Array([n]) })));
      }
      const reader = new Database(path, { readonly: true });
      const countRows = reader.prepare<[], number>('SELECT count(*) FROM updates').pluck();
      const expected = Array.from({ length: perRoom }, (_, i) => [i + 1]);
      let sawPartialFold = false;
      try {
        // Polled once per event-loop turn, as each fold chunk runs: between every two chunks.
        const deadline = performance.now() + 10_000;
        for (;;) {
          for (const room of rooms) {
            const loaded = await store.load(room);
            expect(loaded.updates.map((u) => Array.from(u))).toEqual(expected);
          }
          const rows = countRows.get() ?? 0;
          if (rows === rooms.length * perRoom) break;
          if (rows > 0) sawPartialFold = true;
          if (performance.now() > deadline) throw new Error('the fold did not finish in 10 s');
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        reader.close();
      }
      // 500 entries fold 64 at a time, one transaction per turn: loads ran between them.
      expect(sawPartialFold).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('replays a journal whose records were already folded without duplicating them', async () => {
    const path = dbPath();
    const store = openSqliteStore(path);
    await store.append([1, 2, 3].map((n) => ({ room: 'r', update: new Uint8Array([n]) })));
    // A crash between the fold's commit and emptying the journal leaves both.
    const reopened = await reopenAsAfterCrash(path, store);
    try {
      const loaded = await reopened.load('r');
      expect(loaded.updates.map((u) => Array.from(u))).toEqual([[1], [2], [3]]);
      expect(loaded.lastSeq).toBe(3);
      expect((await reopened.append([{ room: 'r', update: new Uint8Array([4]) }])).get('r')).toBe(
        4,
      );
    } finally {
      await reopened.close();
    }
  });

  it('never brings back journaled updates that a compaction covered', async () => {
    const path = dbPath();
    const store = openSqliteStore(path);
    await store.append([1, 2, 3, 4].map((n) => ({ room: 'r', update: new Uint8Array([n]) })));
    await store.compact('r', new Uint8Array([9, 9]), 3);
    // Still journaled, not folded: the load must not return seqs 1..3 after the snapshot.
    expect((await store.load('r')).updates.map((u) => Array.from(u))).toEqual([[9, 9], [4]]);
    const reopened = await reopenAsAfterCrash(path, store);
    try {
      const loaded = await reopened.load('r');
      expect(loaded.updates.map((u) => Array.from(u))).toEqual([[9, 9], [4]]);
      expect(loaded.lastSeq).toBe(4);
    } finally {
      await reopened.close();
    }
  });

  it('keeps the whole records of a journal with a torn tail, and says so', async () => {
    const path = dbPath();
    const store = openSqliteStore(path);
    await store.append([1, 2].map((n) => ({ room: 'r', update: new Uint8Array([n]) })));
    const [first] = journalPaths(path) as [string];
    const journal = readFileSync(first);
    await store.close();
    const torn = encodeJournalRecords([{ room: 'r', seq: 3, update: new Uint8Array(50) }]).bytes;
    writeFileSync(first, Buffer.concat([journal, torn.subarray(0, 20)]));

    const errors: Error[] = [];
    const reopened = openSqliteStore(path, { onCheckpointError: (err) => errors.push(err) });
    try {
      expect((await reopened.load('r')).updates.map((u) => Array.from(u))).toEqual([[1], [2]]);
      expect(errors.map((e) => e.message)).toEqual([
        'journal: dropped a torn last record (20 bytes) at open',
      ]);
    } finally {
      await reopened.close();
    }
  });
});
