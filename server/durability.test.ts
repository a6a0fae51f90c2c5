/**
 * Durability with the sqlite store: restart, kill -9 and graceful shutdown. The last two run the
 * relay as a child process (`node --import tsx server/main.ts`), as `npm run relay:dev` does.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../lib/close-codes';
import { DOC_TEXT } from '../lib/doc-schema';
import { openSqliteStore } from './storage/sqlite';
import {
  connectClient,
  spawnRelay,
  startRelay,
  type TestClient,
  tempDir,
  waitFor,
} from './test/harness';

let dir: ReturnType<typeof tempDir>;
let dbPath: string;
const clients: TestClient[] = [];

beforeEach(() => {
  dir = tempDir();
  dbPath = join(dir.path, 'relay.db');
});

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
  dir.cleanup();
});

function client(url: string, room: string): TestClient {
  const c = connectClient(url, room);
  clients.push(c);
  return c;
}

/** The room's document as stored in the sqlite file. */
async function storedDoc(room: string): Promise<Y.Doc> {
  const store = openSqliteStore(dbPath);
  try {
    const stored = await store.load(room);
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(doc, update);
    });
    return doc;
  } finally {
    await store.close();
  }
}

describe('durability (sqlite)', () => {
  it('a restarted relay on the same file serves the whole document', async () => {
    const store1 = openSqliteStore(dbPath);
    const relay1 = await startRelay({ store: store1, config: { compactAfterUpdates: 50 } });
    const a = client(relay1.url, 'restart');
    await a.synced();
    for (let i = 0; i < 120; i++) a.text.insert(a.text.length, `line ${i}\n`);
    const expected = a.text.toString();
    const b = client(relay1.url, 'restart');
    await waitFor(() => b.text.toString() === expected, 10_000, 'b to sync');
    a.destroy();
    b.destroy();
    await relay1.close();
    await store1.close();

    const store2 = openSqliteStore(dbPath);
    const relay2 = await startRelay({ store: store2 });
    try {
      const fresh = client(relay2.url, 'restart');
      await fresh.synced();
      await waitFor(
        () => fresh.text.toString() === expected,
        10_000,
        'fresh client to see everything',
      );
    } finally {
      await relay2.close();
      await store2.close();
    }
  });

  it('kill -9: every update any client received from the relay is stored', async () => {
    const relay = await spawnRelay([
      '--port',
      '0',
      '--storage',
      `sqlite:${dbPath}`,
      '--compact-after-updates',
      '100',
    ]);
    const writers = [client(relay.url, 'crash'), client(relay.url, 'crash')];
    await Promise.all(writers.map((w) => w.synced()));
    const received: Uint8Array[] = [];
    for (const w of writers) {
      w.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === w.provider) received.push(update);
      });
    }
    let typed = 0;
    const typing = setInterval(() => {
      for (const [i, w] of writers.entries()) {
        w.text.insert(Math.floor(Math.random() * (w.text.length + 1)), String.fromCharCode(97 + i));
        typed++;
      }
    }, 1);
    try {
      await waitFor(() => received.length >= 200, 10_000, 'updates to flow');
      relay.child.kill('SIGKILL');
      expect(await relay.exited).toBe('SIGKILL');
    } finally {
      clearInterval(typing);
    }
    for (const w of writers) w.provider.disconnect();
    expect(typed).toBeGreaterThan(0);

    const recovered = await storedDoc('crash');
    const textBefore = recovered.getText(DOC_TEXT).toString();
    const vectorBefore = Y.encodeStateVector(recovered);
    // Anything missing from the stored doc would change it when re-applied.
    recovered.transact(() => {
      for (const update of received) Y.applyUpdate(recovered, update);
    });
    expect(recovered.getText(DOC_TEXT).toString()).toBe(textBefore);
    expect(Y.encodeStateVector(recovered)).toEqual(vectorBefore);
    expect(textBefore.length).toBeGreaterThan(0);

    // And a restarted relay serves it.
    const restarted = await spawnRelay(['--port', '0', '--storage', `sqlite:${dbPath}`]);
    try {
      const reader = client(restarted.url, 'crash');
      await reader.synced();
      await waitFor(() => reader.text.toString() === textBefore, 10_000, 'restarted relay content');
    } finally {
      restarted.child.kill('SIGKILL');
      await restarted.exited;
    }
  });

  it('SIGTERM: clients see 1001, the process exits 0, the data is on disk', async () => {
    const relay = await spawnRelay(['--port', '0', '--storage', `sqlite:${dbPath}`]);
    const a = client(relay.url, 'graceful');
    const b = client(relay.url, 'graceful');
    await Promise.all([a.synced(), b.synced()]);
    // The first close each client sees (later ones are failed reconnects to a stopping relay).
    const closeCodes = new Map<TestClient, number>();
    for (const c of [a, b]) {
      c.provider.on('connection-close', (event) => {
        if (event && !closeCodes.has(c)) closeCodes.set(c, event.code);
      });
    }
    for (let i = 0; i < 50; i++) a.text.insert(a.text.length, `${i} `);
    const expected = a.text.toString();
    await waitFor(() => b.text.toString() === expected, 10_000, 'b to receive the edits');
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    await waitFor(() => closeCodes.size === 2, 10_000, 'both clients to see the close');
    expect([...closeCodes.values()]).toEqual([CloseCode.GoingAway, CloseCode.GoingAway]);
    for (const c of [a, b]) c.provider.disconnect();
    expect((await storedDoc('graceful')).getText(DOC_TEXT).toString()).toBe(expected);
  });
});
