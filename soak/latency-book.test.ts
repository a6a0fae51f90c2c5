import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LatencyBook } from './latency-book';

describe('LatencyBook', () => {
  it('times characters by their Yjs id and leaves out fault windows', () => {
    const book = new LatencyBook();
    const sender = new Y.Doc();
    const receiver = new Y.Doc();
    receiver.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'wire') book.received(update, 1000 + sender.getText('t').length * 100);
    });
    const text = sender.getText('t');
    for (let i = 0; i < 3; i++) {
      book.typed(sender.clientID, Y.getState(sender.store, sender.clientID), 1000 + i * 100);
      const before = Y.encodeStateVector(receiver);
      text.insert(text.length, 'x');
      Y.applyUpdate(receiver, Y.encodeStateAsUpdate(sender, before), 'wire');
    }
    // Each arrives 100 ms after it was typed; a duplicate adds nothing.
    Y.applyUpdate(receiver, Y.encodeStateAsUpdate(sender), 'wire');
    expect(book.delivered).toBe(3);
    expect([...book.latencies(0, []).kept]).toEqual([100, 100, 100]);
    const { kept, left } = book.latencies(1050, [{ startMs: 1250, endMs: 1300 }]);
    expect([...kept]).toEqual([100]);
    expect(left).toBe(2);
  });
});
