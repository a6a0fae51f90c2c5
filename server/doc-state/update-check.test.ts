import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOC_TEXT } from '../../lib/doc-schema';
import { loadTrace, replayTrace } from '../test/traces';
import { KnownState } from './known-state';
import { applyEffect, checkUpdate, MalformedUpdate, type UpdateVerdict } from './update-check';

/** Check `update` and, when new, take it in (what a room does). */
function take(known: KnownState, update: Uint8Array): UpdateVerdict['kind'] {
  const verdict = checkUpdate(update, known);
  if (verdict.kind === 'new') applyEffect(known, verdict.effect);
  return verdict.kind;
}

/** Every update a doc emits while `edit` runs, one per transaction. */
function updatesOf(doc: Y.Doc, edit: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const listener = (update: Uint8Array) => updates.push(update);
  doc.on('update', listener);
  edit();
  doc.off('update', listener);
  return updates;
}

function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

type HandStruct =
  | { text: string; origin?: [number, number]; rightOrigin?: [number, number] }
  | { gc: number }
  | { skip: number };

/** A v1 update written by hand, for shapes no honest client produces. */
function handUpdate(
  blocks: { client: number; clock: number; structs: HandStruct[] }[],
  deletes: [client: number, clock: number, len: number][] = [],
): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, blocks.length);
  for (const { client, clock, structs } of blocks) {
    encoding.writeVarUint(e, structs.length);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
    for (const struct of structs) {
      if ('gc' in struct) {
        encoding.writeUint8(e, 0);
        encoding.writeVarUint(e, struct.gc);
      } else if ('skip' in struct) {
        encoding.writeUint8(e, 10);
        encoding.writeVarUint(e, struct.skip);
      } else {
        const info = 4 | (struct.origin ? 0x80 : 0) | (struct.rightOrigin ? 0x40 : 0);
        encoding.writeUint8(e, info);
        for (const id of [struct.origin, struct.rightOrigin]) {
          if (!id) continue;
          encoding.writeVarUint(e, id[0]);
          encoding.writeVarUint(e, id[1]);
        }
        if (!struct.origin && !struct.rightOrigin) {
          encoding.writeVarUint(e, 1);
          encoding.writeVarString(e, DOC_TEXT);
        }
        encoding.writeVarString(e, struct.text);
      }
    }
  }
  const byClient = new Map<number, [number, number][]>();
  for (const [client, clock, len] of deletes) {
    byClient.set(client, [...(byClient.get(client) ?? []), [clock, len]]);
  }
  encoding.writeVarUint(e, byClient.size);
  for (const [client, ranges] of byClient) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, ranges.length);
    for (const [clock, len] of ranges) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, len);
    }
  }
  return encoding.toUint8Array(e);
}

describe('checkUpdate on honest updates', () => {
  it('accepts every update of a real editing trace, in order, and resends as known', () => {
    const trace = loadTrace('sveltecomponent');
    const doc = new Y.Doc();
    const updates = updatesOf(doc, () => replayTrace(trace, doc));
    const known = new KnownState();
    const verdicts = updates.map((update) => take(known, update));
    expect(verdicts.every((kind) => kind === 'new')).toBe(true);
    expect(Y.decodeStateVector(known.encodeStateVector())).toEqual(
      Y.decodeStateVector(Y.encodeStateVector(doc)),
    );
    // A reconnecting client resends everything: nothing of it is new.
    expect(take(known, Y.encodeStateAsUpdate(doc))).toBe('known');
    for (const update of updates.slice(-200)) expect(take(known, update)).toBe('known');
  });

  it('reports a missing dependency until it arrives', () => {
    const doc = new Y.Doc();
    const [first, second] = updatesOf(doc, () => {
      doc.getText(DOC_TEXT).insert(0, 'a');
      doc.getText(DOC_TEXT).insert(1, 'b');
    }) as [Uint8Array, Uint8Array];
    const known = new KnownState();
    expect(take(known, second)).toBe('missing');
    expect(take(known, first)).toBe('new');
    expect(take(known, second)).toBe('new');
  });

  it('needs the other client’s struct an item is anchored to', () => {
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    const [fromAlice] = updatesOf(alice, () => alice.getText(DOC_TEXT).insert(0, 'hi'));
    Y.applyUpdate(bob, fromAlice as Uint8Array);
    const [fromBob] = updatesOf(bob, () => bob.getText(DOC_TEXT).insert(1, '!'));
    const known = new KnownState();
    expect(take(known, fromBob as Uint8Array)).toBe('missing');
    expect(take(known, fromAlice as Uint8Array)).toBe('new');
    expect(take(known, fromBob as Uint8Array)).toBe('new');
  });

  it('treats deletions: new once, then known; of unknown clocks, missing', () => {
    const doc = new Y.Doc();
    const [insert, remove] = updatesOf(doc, () => {
      doc.getText(DOC_TEXT).insert(0, 'hello');
      doc.getText(DOC_TEXT).delete(1, 3);
    }) as [Uint8Array, Uint8Array];
    const known = new KnownState();
    expect(take(known, remove)).toBe('missing');
    expect(take(known, insert)).toBe('new');
    expect(take(known, remove)).toBe('new');
    expect(take(known, remove)).toBe('known');
    expect(known.coversDelete(doc.clientID, 1, 4)).toBe(true);
  });

  it('accepts one update carrying two clients that depend on each other in turn', () => {
    // a0 ← b0 ← a1 ← b1: valid in causal order, though each client needs the other.
    const update = handUpdate([
      {
        client: 1,
        clock: 0,
        structs: [{ text: 'a' }, { text: 'c', origin: [2, 0] }],
      },
      {
        client: 2,
        clock: 0,
        structs: [
          { text: 'b', origin: [1, 0] },
          { text: 'd', origin: [1, 1] },
        ],
      },
    ]);
    expect(take(new KnownState(), update)).toBe('new');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    expect(hasPending(doc)).toBe(false);
    expect(doc.getText(DOC_TEXT).toString()).toBe('abcd');
  });

  it('checks the clocks after a Skip against what is known', () => {
    const update = handUpdate([
      { client: 5, clock: 0, structs: [{ text: 'x' }, { skip: 2 }, { text: 'y', origin: [5, 0] }] },
    ]);
    expect(take(new KnownState(), update)).toBe('missing');
    const known = new KnownState();
    known.advance(5, 3);
    expect(take(known, update)).toBe('new');
    expect(known.clock(5)).toBe(4);
  });
});

describe('checkUpdate on hostile updates', () => {
  it('rejects the pending-for-ever blob (10,000 clients with withheld clocks) quickly', () => {
    const blocks = Array.from({ length: 10_000 }, (_, i) => ({
      client: 1000 + i,
      clock: 1,
      structs: [{ text: 'x' }] as HandStruct[],
    }));
    const blob = handUpdate(blocks);
    const started = performance.now();
    expect(take(new KnownState(), blob)).toBe('missing');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('throws MalformedUpdate on shapes that would crash or corrupt an integrating client', () => {
    const forward = handUpdate([{ client: 1, clock: 0, structs: [{ text: 'x', origin: [1, 5] }] }]);
    const cycle = handUpdate([
      { client: 1, clock: 0, structs: [{ text: 'a', origin: [2, 0] }] },
      { client: 2, clock: 0, structs: [{ text: 'b', origin: [1, 0] }] },
    ]);
    const twice = handUpdate([
      { client: 1, clock: 0, structs: [{ text: 'a' }] },
      { client: 2, clock: 0, structs: [{ text: 'b' }] },
      { client: 1, clock: 1, structs: [{ text: 'c' }] },
    ]);
    for (const update of [forward, cycle, twice, new Uint8Array([5]), new Uint8Array([1, 1])]) {
      expect(() => checkUpdate(update, new KnownState())).toThrow(MalformedUpdate);
    }
  });

  it('throws on every truncation of a real state', () => {
    const doc = new Y.Doc();
    doc.getText(DOC_TEXT).insert(0, 'hello world, a state to truncate');
    doc.getText(DOC_TEXT).delete(3, 4);
    const state = Y.encodeStateAsUpdate(doc);
    for (let length = 1; length < state.length; length++) {
      expect(() => checkUpdate(state.subarray(0, length), new KnownState())).toThrow(
        MalformedUpdate,
      );
    }
  });

  it('never accepts a mutant that Yjs cannot integrate completely', () => {
    const doc = new Y.Doc();
    const other = new Y.Doc();
    doc.getText(DOC_TEXT).insert(0, 'The quick brown fox');
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    other.getText(DOC_TEXT).insert(4, 'very ');
    doc.getText(DOC_TEXT).delete(0, 4);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    const state = Y.encodeStateAsUpdate(doc);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(state.length - 1), fc.integer({ min: 0, max: 7 })), {
          minLength: 1,
          maxLength: 3,
        }),
        (flips) => {
          const mutant = state.slice();
          for (const [at, bit] of flips) mutant[at] = (mutant[at] as number) ^ (1 << bit);
          let verdict: UpdateVerdict;
          try {
            verdict = checkUpdate(mutant, new KnownState());
          } catch (err) {
            expect(err).toBeInstanceOf(MalformedUpdate);
            return;
          }
          if (verdict.kind === 'missing') return;
          const target = new Y.Doc();
          Y.applyUpdate(target, mutant);
          expect(hasPending(target)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('checkUpdate against a Y.Doc, random concurrent sessions', () => {
  it('agrees with Yjs on what is missing, and converges under out-of-order delivery', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }),
        fc.array(
          fc.record({
            who: fc.nat(3),
            pos: fc.nat(40),
            del: fc.nat(4),
            text: fc.string({ maxLength: 4 }),
            sync: fc.boolean(),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.infiniteStream(fc.nat(1000)),
        (peers, edits, randomness) => {
          const docs = Array.from({ length: peers }, () => new Y.Doc());
          const emitted: Uint8Array[] = [];
          for (const doc of docs) doc.on('update', (update: Uint8Array) => emitted.push(update));
          for (const { who, pos, del, text, sync } of edits) {
            const doc = docs[who % peers] as Y.Doc;
            const body = doc.getText(DOC_TEXT);
            const at = Math.min(pos, body.length);
            if (del > 0 && at < body.length) body.delete(at, Math.min(del, body.length - at));
            if (text) body.insert(Math.min(at, body.length), text);
            if (sync) {
              const peer = docs[(who + 1) % peers] as Y.Doc;
              Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(peer)));
            }
          }
          // The relay receives every update once, in a random order.
          const order = emitted.slice();
          const picks = randomness[Symbol.iterator]();
          for (let i = order.length - 1; i > 0; i--) {
            const j = (picks.next().value as number) % (i + 1);
            [order[i], order[j]] = [order[j] as Uint8Array, order[i] as Uint8Array];
          }
          const known = new KnownState();
          const relay = new Y.Doc();
          let parked: Uint8Array[] = [];
          const offer = (update: Uint8Array): boolean => {
            const kind = take(known, update);
            if (kind === 'missing') {
              const probe = new Y.Doc();
              Y.applyUpdate(probe, Y.encodeStateAsUpdate(relay));
              Y.applyUpdate(probe, update);
              expect(hasPending(probe)).toBe(true);
              return false;
            }
            const before = Y.encodeStateAsUpdate(relay);
            Y.applyUpdate(relay, update);
            expect(hasPending(relay)).toBe(false);
            if (kind === 'known') expect(Y.encodeStateAsUpdate(relay)).toEqual(before);
            return true;
          };
          for (const update of order) {
            if (!offer(update)) {
              parked.push(update);
              continue;
            }
            let progress = true;
            while (progress) {
              const before = parked.length;
              parked = parked.filter((p) => !offer(p));
              progress = parked.length < before;
            }
          }
          expect(parked).toHaveLength(0);
          for (const doc of docs) Y.applyUpdate(doc, Y.encodeStateAsUpdate(relay));
          const expected = relay.getText(DOC_TEXT).toString();
          for (const doc of docs) expect(doc.getText(DOC_TEXT).toString()).toBe(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
