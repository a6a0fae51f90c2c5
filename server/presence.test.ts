/**
 * Presence is hostile input (README "Security model", issue 16): through a real relay, a real
 * y-websocket client's hostile `user` reaches the others sanitized, its cursor intact, and
 * /metrics counts every dropped field.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from './test/harness';
import { relayPerTest } from './test/relay-per-test';

const harness = relayPerTest();
const { client } = harness;

async function droppedCount(field: string): Promise<number> {
  const text = await (await fetch(`${harness.relay.httpUrl}/metrics`)).text();
  const match = new RegExp(`relay_presence_fields_dropped_total\\{field="${field}"\\} (\\d+)`).exec(
    text,
  );
  return Number(match?.[1] ?? 0);
}

type SeenState = { user?: Record<string, unknown>; cursor?: unknown } | undefined;

describe('presence through the relay', () => {
  it('relays a hostile user sanitized, keeps its cursor, and counts what it dropped', async () => {
    const attacker = client('presence');
    const victim = client('presence');
    await Promise.all([attacker.synced(), victim.synced()]);
    attacker.text.insert(0, 'word');
    const cursor = { anchor: { tname: 'body', item: null, assoc: -1 }, head: null };
    attacker.provider.awareness.setLocalState({
      user: {
        name: `<img src=x onerror=alert(1)>\u202e${'W'.repeat(1000)}`,
        color: 'red; background-image:url(//x.test)',
        colorLight:
          'transparent; position: fixed; inset: 0; z-index: 99999; background: url(https://x.test/a) red',
        avatar: 'https://x.test/me.png',
      },
      cursor,
    });
    const attackerId = attacker.doc.clientID;
    const seen = () => victim.provider.awareness.getStates().get(attackerId) as SeenState;
    await waitFor(() => seen()?.user !== undefined, 5000, 'the victim to see the attacker');
    expect(seen()?.user).toEqual({ name: `<img src=x onerror=alert(1)>${'W'.repeat(12)}` });
    expect(seen()?.cursor).toEqual(cursor);
    for (const field of ['color', 'colorLight', 'other']) {
      expect(await droppedCount(field), field).toBeGreaterThanOrEqual(1);
    }
    expect(await droppedCount('name')).toBe(0);

    // A user that is not an object goes whole; a late joiner gets the sanitized state too.
    attacker.provider.awareness.setLocalState({ user: '<script>', cursor });
    await waitFor(() => seen()?.user === undefined, 5000, 'the user to be dropped');
    expect(seen()?.cursor).toEqual(cursor);
    expect(await droppedCount('user')).toBeGreaterThanOrEqual(1);
    const late = client('presence');
    await late.synced();
    await waitFor(
      () => late.provider.awareness.getStates().has(attackerId),
      5000,
      'the late joiner to see the attacker',
    );
    expect(late.provider.awareness.getStates().get(attackerId)?.user).toBeUndefined();
  });

  it('passes an unmodified y-codemirror.next user unchanged', async () => {
    const a = client('presence-ok');
    const b = client('presence-ok');
    await Promise.all([a.synced(), b.synced()]);
    const user = { name: 'Anonymous 42', color: '#30bced', colorLight: '#30bced33' };
    a.provider.awareness.setLocalStateField('user', user);
    await waitFor(
      () => (b.provider.awareness.getStates().get(a.doc.clientID) as SeenState)?.user !== undefined,
      5000,
      'b to see a',
    );
    expect(b.provider.awareness.getStates().get(a.doc.clientID)?.user).toEqual(user);
    for (const field of ['name', 'color', 'colorLight', 'other', 'user']) {
      expect(await droppedCount(field), field).toBe(0);
    }
  });
});
