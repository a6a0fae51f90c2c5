/**
 * The author directory against a real relay and real y-websocket clients: a writer renames
 * after the directory learned their old name, then everyone "leaves" because this page went
 * offline; the page must keep the name it last saw, not the relay's older answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newClientKey } from '../../../../lib/client-key';
import {
  connectClient,
  startRelay,
  type TestClient,
  type TestRelay,
  waitFor,
} from '../../../../server/test/harness';
import { AuthorDirectory } from './author-directory';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function client(relay: TestRelay, room: string): TestClient {
  const made = connectClient(relay.url, room, { clientKey: newClientKey() });
  cleanups.push(() => made.destroy());
  return made;
}

describe('AuthorDirectory', () => {
  it('keeps the name a writer last announced when this page goes offline', async () => {
    const relay = await startRelay();
    let closed = false;
    cleanups.push(() => (closed ? undefined : relay.close()));
    const room = `directory-${Date.now()}`;
    const writer = client(relay, room);
    const reader = client(relay, room);
    await Promise.all([writer.synced(), reader.synced()]);
    writer.provider.awareness.setLocalStateField('user', { name: 'Old Name', color: '#336699' });
    await waitFor(() => reader.provider.awareness.getStates().has(writer.doc.clientID), 5000);
    writer.text.insert(0, 'written as Old Name');

    const directory = new AuthorDirectory(reader.provider, room, reader.provider.awareness);
    cleanups.push(() => directory.dispose());
    const nameSeen = () => directory.authorOf(writer.doc.clientID)?.name;
    await waitFor(() => reader.text.toString() === 'written as Old Name', 5000);
    // The relay vouched for the writer's id (the directory stops asking once it knows it).
    await waitFor(() => directory.legend().some((a) => a.name === 'Old Name'), 5000);

    writer.provider.awareness.setLocalStateField('user', { name: 'New Name', color: '#336699' });
    await waitFor(() => nameSeen() === 'New Name', 5000, 'the live rename');

    // This page goes offline: y-websocket drops everyone else's presence, and the relay cannot
    // be asked.
    closed = true;
    await relay.close();
    await waitFor(() => reader.provider.awareness.getStates().size === 1, 5000, 'presence gone');
    expect(nameSeen()).toBe('New Name');
  });
});
