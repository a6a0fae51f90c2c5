/**
 * The DocStore behaviour suite, written once and run against every implementation
 * (memory.test.ts, sqlite.test.ts, postgres.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOC_TEXT } from '../../lib/doc-schema';
import type { DocStore, StoredDoc } from './store';

export interface StoreFixture {
  readonly store: DocStore;
  /** Durable stores only: open a new store on the same file/database (after `store.close()`). */
  reopen?(): Promise<DocStore>;
  /** Close every store the fixture opened and remove its file/database. */
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  /** The store keeps data across close + reopen (the fixture must provide `reopen`). */
  readonly durable: boolean;
}

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

/** Rebuild a Y.Doc from what the store holds, the way a room does on load. */
export function rebuild(stored: StoredDoc): Y.Doc {
  const doc = new Y.Doc();
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}

/** A Y.Doc whose updates are collected so a test can append them to a store. */
function editor(): { doc: Y.Doc; text: Y.Text; take(): Uint8Array[] } {
  const doc = new Y.Doc();
  let pending: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => pending.push(update));
  return {
    doc,
    text: doc.getText(DOC_TEXT),
    take() {
      const taken = pending;
      pending = [];
      return taken;
    },
  };
}

export function describeDocStoreContract(
  name: string,
  makeStore: () => Promise<StoreFixture>,
  options: ContractOptions,
): void {
  describe(`DocStore contract: ${name}`, () => {
    let fixture: StoreFixture | undefined;
    const open = async (): Promise<DocStore> => {
      fixture = await makeStore();
      return fixture.store;
    };
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    it('loads a room never written as empty', async () => {
      const store = await open();
      expect(await store.load('nothing-here')).toEqual({ updates: [], lastSeq: 0, bytes: 0 });
    });

    it('loads updates in append order with exact bytes and byte count', async () => {
      const store = await open();
      await store.append([{ room: 'r', update: bytes(1, 2, 3) }]);
      await store.append([
        { room: 'r', update: bytes(0, 255) },
        { room: 'r', update: bytes(7) },
      ]);
      const loaded = await store.load('r');
      expect(loaded.updates.map((u) => Array.from(u))).toEqual([[1, 2, 3], [0, 255], [7]]);
      expect(loaded.lastSeq).toBe(3);
      expect(loaded.bytes).toBe(6);
    });

    it('appends to several rooms in one call and returns each last seq', async () => {
      const store = await open();
      await store.append([{ room: 'b', update: bytes(9) }]);
      const result = await store.append([
        { room: 'a', update: bytes(1) },
        { room: 'b', update: bytes(2) },
        { room: 'a', update: bytes(3) },
      ]);
      expect(Object.fromEntries(result)).toEqual({ a: 2, b: 2 });
      expect((await store.load('a')).updates.map((u) => Array.from(u))).toEqual([[1], [3]]);
      expect((await store.load('b')).updates.map((u) => Array.from(u))).toEqual([[9], [2]]);
    });

    it('numbers entries monotonically per room, across compaction', async () => {
      const store = await open();
      const seen: number[] = [];
      for (let i = 0; i < 5; i++) {
        const result = await store.append([{ room: 'm', update: bytes(i) }]);
        seen.push(result.get('m') ?? -1);
      }
      expect(seen).toEqual([1, 2, 3, 4, 5]);
      await store.compact('m', bytes(42), 5);
      expect((await store.load('m')).lastSeq).toBe(5);
      expect((await store.append([{ room: 'm', update: bytes(6) }])).get('m')).toBe(6);
      expect((await store.append([{ room: 'other', update: bytes(1) }])).get('other')).toBe(1);
    });

    it('compaction replaces entries <= throughSeq and keeps later ones', async () => {
      const store = await open();
      for (let i = 1; i <= 5; i++) await store.append([{ room: 'c', update: bytes(i) }]);
      await store.compact('c', bytes(100, 101), 3);
      const loaded = await store.load('c');
      expect(loaded.updates.map((u) => Array.from(u))).toEqual([[100, 101], [4], [5]]);
      expect(loaded.lastSeq).toBe(5);
      expect(loaded.bytes).toBe(4);
    });

    it('never loses an update appended between taking a snapshot and compacting', async () => {
      const store = await open();
      const alice = editor();
      alice.text.insert(0, 'hello');
      alice.text.insert(5, ' world');
      await store.append(alice.take().map((update) => ({ room: 'y', update })));

      const loaded = await store.load('y');
      const snapshot = Y.encodeStateAsUpdate(rebuild(loaded));
      alice.text.insert(0, '>> ');
      alice.text.delete(3, 1);
      await store.append(alice.take().map((update) => ({ room: 'y', update })));
      await store.compact('y', snapshot, loaded.lastSeq);

      const after = await store.load('y');
      expect(after.updates).toHaveLength(3);
      expect(rebuild(after).getText(DOC_TEXT).toString()).toBe('>> ello world');
    });

    it('ignores a stale compaction and rejects one beyond the last seq', async () => {
      const store = await open();
      const alice = editor();
      const steps: { snapshot: Uint8Array; seq: number; appended: Uint8Array[] }[] = [];
      for (const word of ['one ', 'two ', 'three ']) {
        alice.text.insert(alice.text.length, word);
        const appended = alice.take();
        const result = await store.append(appended.map((update) => ({ room: 's', update })));
        steps.push({
          snapshot: Y.encodeStateAsUpdate(alice.doc),
          seq: result.get('s') ?? -1,
          appended,
        });
      }
      const [first, second, third] = steps;
      if (!first || !second || !third) throw new Error('unreachable');
      await store.compact('s', second.snapshot, second.seq);
      const expected = [second.snapshot, ...third.appended].map((u) => Array.from(u));
      await store.compact('s', first.snapshot, first.seq); // stale: older than the stored snapshot
      expect((await store.load('s')).updates.map((u) => Array.from(u))).toEqual(expected);
      await store.compact('s', bytes(0), second.seq); // repeated: must not replace the snapshot
      const loaded = await store.load('s');
      expect(loaded.updates.map((u) => Array.from(u))).toEqual(expected);
      expect(rebuild(loaded).getText(DOC_TEXT).toString()).toBe('one two three ');
      await expect(store.compact('s', bytes(1), loaded.lastSeq + 1)).rejects.toThrow(RangeError);
      await expect(store.compact('never', bytes(1), 1)).rejects.toThrow(RangeError);
    });

    // Only durable stores promise this; a memory store does not register the test at all.
    if (options.durable) {
      it('sees its data again after close and reopen', async () => {
        const store = await open();
        const alice = editor();
        alice.text.insert(0, 'durable');
        await store.append(alice.take().map((update) => ({ room: 'd', update })));
        await store.compact('d', Y.encodeStateAsUpdate(alice.doc), 1);
        alice.text.insert(7, '!');
        await store.append(alice.take().map((update) => ({ room: 'd', update })));
        await store.append([{ room: 'e', update: bytes(5) }]);
        const before = await store.load('d');
        await store.close();

        const reopened = await fixture?.reopen?.();
        if (!reopened) throw new Error('durable fixture must provide reopen()');
        const after = await reopened.load('d');
        expect(after).toEqual(before);
        expect(rebuild(after).getText(DOC_TEXT).toString()).toBe('durable!');
        // Sequence numbers continue where they were, not from a fresh counter.
        const result = await reopened.append([
          { room: 'd', update: bytes(1) },
          { room: 'e', update: bytes(2) },
        ]);
        expect(Object.fromEntries(result)).toEqual({ d: before.lastSeq + 1, e: 2 });
      });
    }

    it('deletes a room for good: loads answer deleted, other rooms are untouched', async () => {
      const store = await open();
      await store.append([
        { room: 'gone', update: bytes(1) },
        { room: 'kept', update: bytes(2) },
      ]);
      await store.compact('gone', bytes(9), 1);
      await store.append([{ room: 'gone', update: bytes(3) }]);
      await store.delete('gone');
      expect(await store.load('gone')).toEqual({
        updates: [],
        lastSeq: 0,
        bytes: 0,
        deleted: true,
      });
      expect((await store.load('kept')).updates.map((u) => Array.from(u))).toEqual([[2]]);
      expect(await store.deletedAmong(['kept', 'gone', 'never'])).toEqual(['gone']);
      expect((await store.list('', 10)).map((r) => r.room)).toEqual(['kept']);
      await store.delete('never-written');
      expect((await store.load('never-written')).deleted).toBe(true);
    });

    if (options.durable) {
      it('keeps a deletion across close and reopen', async () => {
        const store = await open();
        await store.append([{ room: 'gone', update: bytes(1) }]);
        await store.delete('gone');
        await store.close();
        const reopened = await fixture?.reopen?.();
        if (!reopened) throw new Error('durable fixture must provide reopen()');
        expect((await reopened.load('gone')).deleted).toBe(true);
        expect(await reopened.list('', 10)).toEqual([]);
      });
    }

    it('lists stored rooms in id order, page by page, with when they were written', async () => {
      const store = await open();
      const before = Date.now();
      await store.append(['c', 'a', 'B', 'b'].map((room) => ({ room, update: bytes(1) })));
      const first = await store.list('', 2);
      expect(first.map((r) => r.room)).toEqual(['B', 'a']);
      const second = await store.list('a', 2);
      expect(second.map((r) => r.room)).toEqual(['b', 'c']);
      expect(await store.list('c', 2)).toEqual([]);
      for (const { updatedAt } of [...first, ...second]) {
        expect(updatedAt).toBeGreaterThanOrEqual(before - 1000);
        expect(updatedAt).toBeLessThanOrEqual(Date.now() + 1000);
      }
    });

    it('keeps rooms isolated, including names that differ by case or suffix', async () => {
      const store = await open();
      await store.append([
        { room: 'room', update: bytes(1) },
        { room: 'Room', update: bytes(2) },
        { room: 'room_', update: bytes(3) },
      ]);
      await store.compact('room', bytes(10), 1);
      expect((await store.load('room')).updates.map((u) => Array.from(u))).toEqual([[10]]);
      expect((await store.load('Room')).updates.map((u) => Array.from(u))).toEqual([[2]]);
      expect((await store.load('room_')).updates.map((u) => Array.from(u))).toEqual([[3]]);
      expect((await store.load('roo')).updates).toEqual([]);
    });

    it('stores large updates (1 MiB) intact', async () => {
      const store = await open();
      const big = new Uint8Array(1024 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 8)) & 0xff;
      await store.append([{ room: 'big', update: big }]);
      await store.compact('big', big, 1);
      await store.append([{ room: 'big', update: big }]);
      const loaded = await store.load('big');
      expect(loaded.bytes).toBe(2 * big.length);
      for (const update of loaded.updates) expect(Buffer.compare(update, big)).toBe(0);
    });

    it('copies buffers: callers cannot mutate stored data', async () => {
      const store = await open();
      const input = bytes(1, 2, 3);
      await store.append([{ room: 'copy', update: input }]);
      input[0] = 99;
      const first = await store.load('copy');
      const loadedUpdate = first.updates[0];
      if (!loadedUpdate) throw new Error('expected one update');
      loadedUpdate[1] = 99;
      expect(Array.from((await store.load('copy')).updates[0] ?? [])).toEqual([1, 2, 3]);
    });

    it('closes idempotently and rejects every later call', async () => {
      const store = await open();
      await store.append([{ room: 'x', update: bytes(1) }]);
      await store.close();
      await store.close();
      await expect(store.load('x')).rejects.toThrow();
      await expect(store.append([{ room: 'x', update: bytes(2) }])).rejects.toThrow();
      await expect(store.compact('x', bytes(3), 1)).rejects.toThrow();
    });

    it('gives concurrent appends distinct, gap-free seqs matching load order', async () => {
      const store = await open();
      const rooms = ['p', 'q', 'r'];
      const calls = Array.from({ length: 150 }, (_, i) => {
        const room = rooms[i % rooms.length] ?? 'p';
        return store.append([{ room, update: bytes(i & 0xff, i >> 8) }]).then((result) => ({
          room,
          i,
          seq: result.get(room) ?? -1,
        }));
      });
      const results = await Promise.all(calls);
      for (const room of rooms) {
        const mine = results.filter((r) => r.room === room).sort((a, b) => a.seq - b.seq);
        expect(mine.map((r) => r.seq)).toEqual(mine.map((_, index) => index + 1));
        const loaded = await store.load(room);
        expect(loaded.lastSeq).toBe(mine.length);
        expect(loaded.updates.map((u) => Array.from(u))).toEqual(
          mine.map((r) => [r.i & 0xff, r.i >> 8]),
        );
      }
    });
  });
}
