/**
 * Room lifecycle: one load for concurrent joiners, unload after the grace period, a joiner
 * arriving during an unload, compaction, and recovery from a failed storage write.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../lib/close-codes';
import { createMemoryStore } from './storage/memory';
import type { AppendEntry, DocStore } from './storage/store';
import {
  connectClient,
  startRelay,
  type TestClient,
  type TestRelay,
  waitFor,
} from './test/harness';

/** A memory store whose calls can be counted, delayed or failed by the test. */
function instrumentedStore() {
  const inner = createMemoryStore();
  const calls = { load: 0, append: 0, compact: 0 };
  const gates = {
    load: null as Promise<void> | null,
    compact: null as Promise<void> | null,
    failAppends: 0,
  };
  const store: DocStore = {
    async load(room) {
      calls.load++;
      if (gates.load) await gates.load;
      return inner.load(room);
    },
    async append(entries: readonly AppendEntry[]) {
      calls.append++;
      if (gates.failAppends > 0) {
        gates.failAppends--;
        throw new Error('disk full (simulated)');
      }
      return inner.append(entries);
    },
    async compact(room, snapshot, throughSeq) {
      calls.compact++;
      if (gates.compact) await gates.compact;
      return inner.compact(room, snapshot, throughSeq);
    },
    delete: (room) => inner.delete(room),
    deletedAmong: (rooms) => inner.deletedAmong(rooms),
    list: (after, limit) => inner.list(after, limit),
    close: () => inner.close(),
  };
  return { store, calls, gates };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('body').toString();
}

let relay: TestRelay | null = null;
const clients: TestClient[] = [];

function client(room: string): TestClient {
  if (!relay) throw new Error('no relay');
  const c = connectClient(relay.url, room);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await relay?.close();
  relay = null;
});

describe('room lifecycle', () => {
  it('concurrent joiners of a cold room share one load and nobody is answered before it', async () => {
    const { store, calls, gates } = instrumentedStore();
    await store.append([{ room: 'cold', update: encodeText('stored') }]);
    const gate = deferred();
    gates.load = gate.promise;
    relay = await startRelay({ store });
    const joiners = [client('cold'), client('cold'), client('cold')];
    await waitFor(() => calls.load === 1, 10_000, 'the load to start');
    expect(joiners.some((j) => j.provider.synced)).toBe(false);
    gate.resolve();
    await Promise.all(joiners.map((j) => j.synced()));
    for (const j of joiners) expect(j.text.toString()).toBe('stored');
    expect(calls.load).toBe(1);
  });

  it('unloads an idle room after the grace period, compacting its log', async () => {
    const { store, calls } = instrumentedStore();
    relay = await startRelay({ store, config: { unloadGraceMs: 20 } });
    const a = client('idle');
    await a.synced();
    for (let i = 0; i < 10; i++) a.text.insert(a.text.length, `${i}`);
    await waitFor(async () => (await store.load('idle')).lastSeq >= 10, 10_000, 'appends');
    a.destroy();
    await waitFor(() => relay?.relay.stats().rooms === 0, 10_000, 'unload');
    // The room leaves the registry at once; its flush compacts through a worker thread.
    await waitFor(() => calls.compact === 1, 10_000, 'compaction on unload');
    const stored = await store.load('idle');
    expect(stored.updates).toHaveLength(1);
    expect(textOf(stored.updates)).toBe('0123456789');
  });

  it('a client arriving during an unload waits for it and sees every update', async () => {
    const { store, calls, gates } = instrumentedStore();
    relay = await startRelay({ store, config: { unloadGraceMs: 0 } });
    const a = client('churn');
    await a.synced();
    a.text.insert(0, 'kept across unload');
    await waitFor(async () => (await store.load('churn')).lastSeq >= 1, 10_000, 'append');
    a.text.insert(0, '>');
    const gate = deferred();
    gates.compact = gate.promise;
    a.destroy();
    await waitFor(() => calls.compact === 1, 10_000, 'unload to reach compaction');
    const b = client('churn');
    // b must wait: the room is mid-unload.
    expect(b.provider.synced).toBe(false);
    gate.resolve();
    await b.synced();
    await waitFor(() => b.text.toString() === '>kept across unload', 10_000, 'b content');
  });

  it('compacts in the background past the update threshold without losing concurrent updates', async () => {
    const { store, calls } = instrumentedStore();
    relay = await startRelay({ store, config: { compactAfterUpdates: 25 } });
    const a = client('compact');
    const b = client('compact');
    await Promise.all([a.synced(), b.synced()]);
    for (let i = 0; i < 100; i++) {
      a.text.insert(a.text.length, 'a');
      b.text.insert(0, 'b');
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => a.text.length === 200 && b.text.length === 200, 10_000, 'convergence');
    await waitFor(() => calls.compact >= 2, 10_000, 'compactions');
    const stored = await store.load('compact');
    expect(stored.updates.length).toBeLessThan(100);
    await waitFor(
      async () => textOf((await store.load('compact')).updates) === a.text.toString(),
      10_000,
      'stored = live',
    );
  });

  it('after a failed storage write, clients are closed with 1011, reconnect and resend', async () => {
    const { store, gates } = instrumentedStore();
    relay = await startRelay({ store });
    const a = client('flaky');
    await a.synced();
    const closes: number[] = [];
    a.provider.on('connection-close', (event) => {
      if (event) closes.push(event.code);
    });
    gates.failAppends = 1;
    a.text.insert(0, 'survives a failed write');
    await waitFor(() => closes.includes(CloseCode.InternalError), 10_000, '1011 close');
    await waitFor(() => a.provider.synced, 10_000, 'reconnect');
    await waitFor(
      async () => textOf((await store.load('flaky')).updates) === 'survives a failed write',
      5000,
      'the edit to be stored after reconnecting',
    );
  });
});

function encodeText(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('body').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}
