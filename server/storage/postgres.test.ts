/**
 * Runs the DocStore contract against a real PostgreSQL, in a fresh database created for this run
 * and dropped afterwards. Admin URL: COEDIT_TEST_PG_URL (default postgres on 127.0.0.1:5432).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOC_TEXT } from '../../lib/doc-schema';
import { createTestDatabase, runSql, type TestDatabase } from '../test/postgres';
import { type ReopenableStore, reopenable } from '../test/reopenable';
import { openPostgresStore } from './postgres';
import type { DocStore } from './store';
import { describeDocStoreContract, rebuild } from './store.contract';

const created: TestDatabase[] = [];

/** Create an empty database (dropped after the file) and return its URL. */
async function createDatabase(): Promise<string> {
  const db = await createTestDatabase();
  created.push(db);
  return db.url;
}

let dbUrl = '';
beforeAll(async () => {
  dbUrl = await createDatabase();
});
afterAll(async () => {
  for (const db of created.splice(0)) await db.drop();
});

/** Open a store on the run's database with empty tables. */
async function freshStore(): Promise<ReopenableStore<DocStore>> {
  const fixture = await reopenable(() => openPostgresStore(dbUrl));
  await runSql(dbUrl, 'TRUNCATE coedit_docs, coedit_updates');
  return fixture;
}

describeDocStoreContract('postgres', freshStore, { durable: true });

describe('postgres store with several instances', () => {
  it('runs migrations once when instances start together', async () => {
    const url = await createDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url)));
    try {
      await stores[0]?.append([{ room: 'm', update: new Uint8Array([1]) }]);
      expect((await stores[3]?.load('m'))?.lastSeq).toBe(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('loses no update while two instances append to and compact one room at once', async () => {
    const { store: first } = await freshStore();
    const second = await openPostgresStore(dbUrl);
    const instances = [first, second];
    try {
      const writers = 4;
      const tokensPerWriter = 40;
      let appended = 0;
      let writing = writers;
      const write = async (w: number): Promise<void> => {
        const doc = new Y.Doc();
        const store = instances[w % 2] as DocStore;
        const pending: Uint8Array[] = [];
        doc.on('update', (update: Uint8Array) => pending.push(update));
        const text = doc.getText(DOC_TEXT);
        for (let t = 0; t < tokensPerWriter; t++) {
          text.insert(text.length, `<w${w}t${t}>`);
          // Alternate single appends with small batches, as the relay's per-turn batching does.
          if (t % 3 !== 2) continue;
          const batch = pending.splice(0).map((update) => ({ room: 'hot', update }));
          appended += batch.length;
          await store.append(batch);
        }
        const rest = pending.splice(0).map((update) => ({ room: 'hot', update }));
        appended += rest.length;
        if (rest.length > 0) await store.append(rest);
        writing -= 1;
      };
      let compactions = 0;
      const compactLoop = async (store: DocStore): Promise<void> => {
        while (writing > 0) {
          const loaded = await store.load('hot');
          await store.compact('hot', Y.encodeStateAsUpdate(rebuild(loaded)), loaded.lastSeq);
          compactions += 1;
        }
      };
      await Promise.all([
        ...Array.from({ length: writers }, (_, w) => write(w)),
        compactLoop(first),
        compactLoop(second),
      ]);

      const loaded = await second.load('hot');
      expect(loaded.lastSeq).toBe(appended);
      expect(compactions).toBeGreaterThan(0);
      const text = rebuild(loaded).getText(DOC_TEXT).toString();
      let expectedLength = 0;
      for (let w = 0; w < writers; w++) {
        for (let t = 0; t < tokensPerWriter; t++) {
          expect(text).toContain(`<w${w}t${t}>`);
          expectedLength += `<w${w}t${t}>`.length;
        }
      }
      expect(text).toHaveLength(expectedLength);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('never deadlocks on multi-room batches listing rooms in opposite orders', async () => {
    const { store: first } = await freshStore();
    const second = await openPostgresStore(dbUrl);
    try {
      const rooms = ['alpha', 'beta', 'gamma'];
      const batch = (order: string[]) =>
        order.map((room) => ({ room, update: new Uint8Array([1]) }));
      const rounds = 60;
      await Promise.all(
        Array.from({ length: rounds }, (_, i) =>
          (i % 2 ? first : second).append(batch(i % 2 ? rooms : [...rooms].reverse())),
        ),
      );
      for (const room of rooms) expect((await first.load(room)).lastSeq).toBe(rounds);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('applies exactly one of two simultaneous compactions of the same range', async () => {
    const { store: first } = await freshStore();
    const second = await openPostgresStore(dbUrl);
    try {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(update));
      for (let i = 0; i < 20; i++) doc.getText(DOC_TEXT).insert(0, `${i},`);
      await first.append(updates.map((update) => ({ room: 'twice', update })));
      const loaded = await first.load('twice');
      const snapshotA = Y.encodeStateAsUpdate(rebuild(loaded));
      const snapshotB = Y.mergeUpdates(loaded.updates);
      doc.getText(DOC_TEXT).insert(0, 'late ');
      const lateUpdate = updates.at(-1);
      if (!lateUpdate) throw new Error('expected an update');

      await Promise.all([
        first.compact('twice', snapshotA, loaded.lastSeq),
        second.compact('twice', snapshotB, loaded.lastSeq),
        second.append([{ room: 'twice', update: lateUpdate }]),
      ]);
      const after = await first.load('twice');
      expect(after.updates).toHaveLength(2);
      const stored = Array.from(after.updates[0] ?? []);
      expect([Array.from(snapshotA), Array.from(snapshotB)]).toContainEqual(stored);
      expect(rebuild(after).getText(DOC_TEXT).toString()).toBe(doc.getText(DOC_TEXT).toString());
    } finally {
      await first.close();
      await second.close();
    }
  });
});
