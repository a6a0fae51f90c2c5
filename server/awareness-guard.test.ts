import { describe, expect, it } from 'vitest';
import {
  type AwarenessPeer,
  decodeAwarenessEntries,
  encodeAwarenessEntries,
  guardAwareness,
} from './awareness-guard';

const limits = { maxIdsPerConnection: 4, maxStateBytes: 1000 };
const peer = (id: number, ids: number[] = []): AwarenessPeer & { link: string } => ({
  id,
  awarenessIds: new Set(ids),
  isOpen: true,
  link: 'a',
});
const update = (...entries: [number, number, unknown][]) =>
  encodeAwarenessEntries(
    entries.map(([clientId, clock, state]) => ({ clientId, clock, json: JSON.stringify(state) })),
  );
const differentLinks = () => false;

describe('guardAwareness', () => {
  it('stamps each state with the server-side identity, replacing a forged one', () => {
    const conn = peer(7);
    const verdict = guardAwareness(
      update([1, 1, { user: { name: 'a' }, relay: { conn: 99, role: 'edit' } }]),
      conn,
      { role: 'view' },
      [conn],
      differentLinks,
      limits,
    );
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    const [entry] = decodeAwarenessEntries(verdict.update);
    expect(JSON.parse(entry?.json ?? '')).toEqual({
      user: { name: 'a' },
      relay: { conn: 7, role: 'view' },
    });
  });

  it('refuses a client id owned by another connection, including its removal', () => {
    const victim = peer(1, [100]);
    const attacker = peer(2);
    for (const state of [{ user: { name: 'me' } }, null]) {
      expect(
        guardAwareness(
          update([100, 9, state]),
          attacker,
          { role: 'edit' },
          [victim, attacker],
          differentLinks,
          limits,
        ),
      ).toEqual({ ok: false, reason: 'spoof' });
    }
    expect(victim.awarenessIds.has(100)).toBe(true);
  });

  it('lets the same link holder take an id over (a reconnect before the old socket died)', () => {
    const old = peer(1, [100]);
    const fresh = peer(2);
    const verdict = guardAwareness(
      update([100, 3, {}]),
      fresh,
      { role: 'edit' },
      [old, fresh],
      () => true,
      limits,
    );
    expect(verdict.ok).toBe(true);
    expect(fresh.awarenessIds.has(100)).toBe(true);
    expect(old.awarenessIds.has(100)).toBe(false);
  });

  it('ignores closed connections when looking for owners', () => {
    const gone = { ...peer(1, [100]), isOpen: false };
    const conn = peer(2);
    expect(
      guardAwareness(
        update([100, 1, {}]),
        conn,
        { role: 'edit' },
        [gone, conn],
        differentLinks,
        limits,
      ).ok,
    ).toBe(true);
  });

  it('caps the ids per connection and the size of a state', () => {
    const conn = peer(1, [1, 2, 3]);
    expect(
      guardAwareness(
        update([4, 1, {}], [5, 1, {}]),
        conn,
        { role: 'edit' },
        [conn],
        differentLinks,
        limits,
      ),
    ).toEqual({ ok: false, reason: 'too-many-ids' });
    expect(
      guardAwareness(
        update([1, 2, { big: 'x'.repeat(2000) }]),
        conn,
        { role: 'edit' },
        [conn],
        differentLinks,
        limits,
      ),
    ).toEqual({ ok: false, reason: 'state-too-big' });
  });

  it('refuses truncated frames, lying counts and bad JSON', () => {
    const conn = peer(1);
    const good = update([1, 1, {}]);
    for (const bad of [
      good.slice(0, -1),
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]),
      encodeAwarenessEntries([{ clientId: 1, clock: 1, json: '{nope' }]),
      // Too deep: at ~5,000 levels JSON.stringify overflows when the room sends it to a joiner.
      encodeAwarenessEntries([
        { clientId: 1, clock: 1, json: `${'['.repeat(400)}${']'.repeat(400)}` },
      ]),
    ]) {
      expect(guardAwareness(bad, conn, { role: 'edit' }, [conn], differentLinks, limits)).toEqual({
        ok: false,
        reason: 'bad',
      });
    }
  });
});
