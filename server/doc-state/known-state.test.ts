import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { KnownState } from './known-state';

describe('KnownState', () => {
  it('encodes the state vector as Yjs does', () => {
    const doc = new Y.Doc();
    const other = new Y.Doc();
    doc.getText('body').insert(0, 'hello');
    other.getText('body').insert(0, 'world!');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    const known = new KnownState();
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
      known.advance(client, clock);
    }
    expect(Y.decodeStateVector(known.encodeStateVector())).toEqual(
      Y.decodeStateVector(Y.encodeStateVector(doc)),
    );
    expect(known.clock(other.clientID)).toBe(6);
    expect(known.clock(12345)).toBe(0);
  });

  it('never moves a clock backwards', () => {
    const known = new KnownState();
    known.advance(1, 10);
    known.advance(1, 4);
    expect(known.clock(1)).toBe(10);
  });

  it('merges delete ranges and answers coverage like a set of clocks would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(60), fc.integer({ min: 1, max: 8 })), { maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(70), fc.integer({ min: 1, max: 10 })), { maxLength: 20 }),
        (adds, queries) => {
          const known = new KnownState();
          const clocks = new Set<number>();
          for (const [start, len] of adds) {
            known.addDelete(7, start, start + len);
            for (let c = start; c < start + len; c++) clocks.add(c);
          }
          for (const [start, len] of queries) {
            let all = true;
            for (let c = start; c < start + len; c++) all &&= clocks.has(c);
            expect(known.coversDelete(7, start, start + len)).toBe(all);
          }
          // Disjoint and never adjacent: one range per maximal run of deleted clocks.
          let runs = 0;
          for (const c of clocks) if (!clocks.has(c - 1)) runs++;
          expect(known.deleteRangeCount).toBe(runs);
        },
      ),
    );
  });
});
