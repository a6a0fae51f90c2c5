import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { itemCount, mergeMax, missingItems, sameVector } from './state-vectors';

describe('state vectors', () => {
  it('counts what one vector has beyond another', () => {
    const stored = new Map([
      [1, 10],
      [2, 5],
    ]);
    expect(missingItems(new Map([[1, 10]]), stored)).toBe(0);
    expect(missingItems(new Map([[1, 12]]), stored)).toBe(2);
    expect(missingItems(new Map([[3, 4]]), stored)).toBe(4);
  });

  it('merges by maximum and compares', () => {
    const merged = mergeMax(
      new Map([[1, 3]]),
      new Map([
        [1, 2],
        [2, 7],
      ]),
    );
    expect([...merged]).toEqual([
      [1, 3],
      [2, 7],
    ]);
    expect(itemCount(merged)).toBe(10);
    expect(
      sameVector(
        merged,
        new Map([
          [2, 7],
          [1, 3],
        ]),
      ),
    ).toBe(true);
    expect(sameVector(merged, new Map([[1, 3]]))).toBe(false);
  });

  it('matches what Yjs reports for real documents', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('t').insert(0, 'hello');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    b.getText('t').insert(5, '!');
    const svA = Y.decodeStateVector(Y.encodeStateVector(a));
    const svB = Y.decodeStateVector(Y.encodeStateVector(b));
    expect(missingItems(svB, svA)).toBe(1);
    expect(missingItems(svA, svB)).toBe(0);
  });
});
