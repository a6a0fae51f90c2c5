import { describe, expect, it } from 'vitest';
import { silentLogger } from './log';
import { RelayMetrics } from './metrics';
import { createMemoryStore } from './storage/memory';
import type { AppendEntry, DocStore } from './storage/store';
import { type BatchMember, WriteBatcher } from './write-batcher';

function recordingStore(): { store: DocStore; appends: AppendEntry[][] } {
  const inner = createMemoryStore();
  const appends: AppendEntry[][] = [];
  return {
    appends,
    store: {
      ...inner,
      append(entries) {
        appends.push([...entries]);
        return inner.append(entries);
      },
    },
  };
}

function member(id: string): BatchMember & { events: string[] } {
  const events: string[] = [];
  return {
    id,
    events,
    beforeWrite: () => events.push('before'),
    stored: (count, lastSeq) => events.push(`stored ${count} @${lastSeq}`),
    storeFailed: () => events.push('failed'),
  };
}

const metrics = () => new RelayMetrics({ connections: () => 0, rooms: () => 0 });
const bytes = (n: number) => new Uint8Array([n]);

describe('WriteBatcher', () => {
  it('groups the updates of one event-loop turn, across rooms, into one append', async () => {
    const { store, appends } = recordingStore();
    const batcher = new WriteBatcher(store, metrics(), silentLogger());
    const a = member('a');
    const b = member('b');
    batcher.enqueue(a, bytes(1));
    batcher.enqueue(b, bytes(2));
    batcher.enqueue(a, bytes(3));
    await batcher.drain();
    expect(appends).toHaveLength(1);
    expect(appends[0]?.map((e) => e.room)).toEqual(['a', 'b', 'a']);
    expect(a.events).toEqual(['before', 'stored 2 @2']);
    expect(b.events).toEqual(['before', 'stored 1 @1']);
  });

  it('writes serially: updates queued during a write go into the next batch, in order', async () => {
    const inner = createMemoryStore();
    const appends: number[] = [];
    let release = () => {};
    const slow: DocStore = {
      ...inner,
      async append(entries) {
        appends.push(entries.length);
        if (appends.length === 1) await new Promise<void>((r) => (release = r));
        return inner.append(entries);
      },
    };
    const batcher = new WriteBatcher(slow, metrics(), silentLogger());
    const a = member('a');
    batcher.enqueue(a, bytes(1));
    await new Promise((r) => setImmediate(r));
    expect(appends).toEqual([1]);
    batcher.enqueue(a, bytes(2));
    batcher.enqueue(a, bytes(3));
    await new Promise((r) => setImmediate(r));
    expect(appends).toEqual([1]);
    release();
    await batcher.drain();
    expect(appends).toEqual([1, 2]);
    expect(a.events).toEqual(['before', 'stored 1 @1', 'before', 'stored 2 @3']);
  });

  it('reports a failed append to every member of the batch', async () => {
    const inner = createMemoryStore();
    const failing: DocStore = { ...inner, append: async () => Promise.reject(new Error('boom')) };
    const batcher = new WriteBatcher(failing, metrics(), silentLogger());
    const a = member('a');
    const b = member('b');
    batcher.enqueue(a, bytes(1));
    batcher.enqueue(b, bytes(1));
    await batcher.drain();
    expect(a.events).toEqual(['before', 'failed']);
    expect(b.events).toEqual(['before', 'failed']);
  });
});
