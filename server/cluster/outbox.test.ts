import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxGroup } from './outbox';

const bytes = (n: number) => Uint8Array.of(n);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** An outbox recording each write (as room/to/frame numbers) and when it happened. */
function recorder(windowMs: number) {
  const writes: { at: number; groups: string[] }[] = [];
  let notify = () => {};
  const outbox = new Outbox((groups: readonly OutboxGroup[]) => {
    writes.push({
      at: performance.now(),
      groups: groups.map((g) => `${g.room}>${g.to ?? '*'}:${g.frames.map((f) => f[0]).join(',')}`),
    });
    notify();
  }, windowMs);
  const nextWrite = () => new Promise<void>((resolve) => (notify = resolve));
  return { outbox, writes, nextWrite };
}

describe('cluster outbox', () => {
  it('writes one turn’s frames together, grouping consecutive frames of one room and target', async () => {
    const { outbox, writes } = recorder(0);
    outbox.add('a', undefined, bytes(1));
    outbox.add('a', undefined, bytes(2));
    outbox.add('b', undefined, bytes(3));
    outbox.add('a', 'x', bytes(4));
    outbox.add('a', undefined, bytes(5));
    expect(writes).toEqual([]);
    await nextTurn(); // the outbox's setImmediate was queued first, so it ran before this
    expect(writes.map((w) => w.groups)).toEqual([['a>*:1,2', 'b>*:3', 'a>x:4', 'a>*:5']]);
  });

  it('holds frames that follow a write until its window has passed, then sends them at once', async () => {
    const windowMs = 40;
    const { outbox, writes, nextWrite } = recorder(windowMs);
    outbox.add('a', undefined, bytes(1));
    await nextTurn();
    expect(writes).toHaveLength(1); // a quiet outbox writes at the end of the turn
    const second = nextWrite();
    outbox.add('a', undefined, bytes(2));
    outbox.add('b', undefined, bytes(3));
    await nextTurn();
    expect(writes).toHaveLength(1);
    await second;
    const [first, next] = writes as [{ at: number }, { at: number; groups: string[] }];
    expect(next.groups).toEqual(['a>*:2', 'b>*:3']);
    expect(next.at - first.at).toBeGreaterThanOrEqual(windowMs - 2); // timers may round down
  });

  it('flushes synchronously on demand; the scheduled flush then finds nothing', async () => {
    const { outbox, writes } = recorder(0);
    outbox.add('a', undefined, bytes(1));
    outbox.flush();
    expect(writes.map((w) => w.groups)).toEqual([['a>*:1']]);
    await nextTurn();
    expect(writes).toHaveLength(1);
  });
});
