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

/** Pass one frame from `conn`, alone in its room: the first state as relayed, and what was dropped. */
function passed(frame: Uint8Array, conn: AwarenessPeer, role: 'edit' | 'view' = 'edit') {
  const verdict = guardAwareness(frame, conn, { role }, [conn], differentLinks, limits);
  if (!verdict.ok) throw new Error(`refused: ${verdict.reason}`);
  const json = decodeAwarenessEntries(verdict.update)[0]?.json ?? '';
  return { state: JSON.parse(json) as Record<string, unknown>, dropped: verdict.dropped };
}

describe('guardAwareness', () => {
  it('stamps each state with the server-side identity, replacing a forged one', () => {
    const { state } = passed(
      update([1, 1, { user: { name: 'a' }, relay: { conn: 99, role: 'edit' } }]),
      peer(7),
      'view',
    );
    expect(state).toEqual({
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

  it('keeps only a well-formed name and colours in `user`, listing what it dropped', () => {
    const cursor = { anchor: { item: null }, head: { item: null } };
    const hostileUser = {
      name: `  <img src=x onerror=alert(1)>\u202e${'W'.repeat(500)}`,
      color: 'red; background-image:url(//x)',
      colorLight:
        'transparent; position: fixed; inset: 0; z-index: 99999; background: url(https://x.test/a) red',
      avatar: 'https://x.test/me.png',
    };
    // JSON.parse makes "__proto__" an own key; it is one more unknown field.
    const json = `{"user":${JSON.stringify(hostileUser).slice(0, -1)},"__proto__":{"x":1}},"cursor":${JSON.stringify(cursor)}}`;
    const { state, dropped } = passed(
      encodeAwarenessEntries([{ clientId: 1, clock: 1, json }]),
      peer(3),
      'view',
    );
    expect(state.user).toEqual({ name: `<img src=x onerror=alert(1)>${'W'.repeat(12)}` });
    expect(state.cursor).toEqual(cursor);
    expect([...dropped].sort()).toEqual(['color', 'colorLight', 'other', 'other']);
  });

  it('passes a well-formed user as is and drops a `user` that is not an object', () => {
    const conn = peer(4);
    const user = { name: 'Sunny Otter', color: '#30bced', colorLight: '#30bced33' };
    const run = (state: unknown) => passed(update([1, 1, state]), conn);
    expect(run({ user })).toEqual({
      state: { user, relay: { conn: 4, role: 'edit' } },
      dropped: [],
    });
    expect(run({ user: { name: 'x', color: '#30BCED', colorLight: '#30bced' } }).dropped).toEqual(
      [],
    );
    for (const bad of ['<b>', null, ['#fff'], 7]) {
      expect(run({ user: bad, cursor: null })).toEqual({
        state: { cursor: null, relay: { conn: 4, role: 'edit' } },
        dropped: ['user'],
      });
    }
    expect(run({ user: { name: 42, color: '#fff', colorLight: 'url(x)' } })).toEqual({
      state: { user: {}, relay: { conn: 4, role: 'edit' } },
      dropped: ['name', 'color', 'colorLight'],
    });
    // A removal and a state that is not an object carry no user: nothing to sanitize.
    expect(run(null).dropped).toEqual([]);
    expect(run('just a string').dropped).toEqual([]);
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
