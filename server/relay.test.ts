import { describe, expect, it } from 'vitest';
import { waitFor } from './test/harness';
import { relayPerTest } from './test/relay-per-test';

const harness = relayPerTest();
const { client } = harness;

describe('sync through the relay', () => {
  it('two clients converge on concurrent inserts at the same position', async () => {
    const a = client('converge');
    const b = client('converge');
    await Promise.all([a.synced(), b.synced()]);
    a.text.insert(0, 'hello');
    await waitFor(() => b.text.toString() === 'hello', 10_000, 'b to see hello');
    // Both insert at index 5 in the same turn, before either sees the other's insert.
    a.text.insert(5, ' from a');
    b.text.insert(5, ' from b');
    await waitFor(
      () => a.text.toString() === b.text.toString() && a.text.length === 19,
      5000,
      'convergence',
    );
    expect(a.text.toString()).toMatch(/^hello( from a from b| from b from a)$/);
  });

  it('keeps three rooms isolated', async () => {
    const rooms = ['iso-1', 'iso-2', 'iso-3'];
    const pairs = rooms.map((room) => [client(room), client(room)] as const);
    await Promise.all(pairs.flat().map((c) => c.synced()));
    for (const [i, [writer]] of pairs.entries()) writer.text.insert(0, `room ${i}`);
    for (const [i, [, reader]] of pairs.entries()) {
      await waitFor(() => reader.text.toString() === `room ${i}`, 10_000, `room ${i} content`);
    }
    // Give any leak a chance to arrive: one more round trip in every room.
    for (const [writer] of pairs) writer.text.insert(0, '!');
    for (const [i, [, reader]] of pairs.entries()) {
      await waitFor(() => reader.text.toString() === `!room ${i}`, 10_000, `room ${i} marker`);
    }
    for (const [i, [writer, reader]] of pairs.entries()) {
      expect(writer.text.toString()).toBe(`!room ${i}`);
      expect(reader.text.toString()).toBe(`!room ${i}`);
    }
  });

  it('gives a late joiner the full state', async () => {
    const a = client('late');
    await a.synced();
    for (let i = 0; i < 200; i++) a.text.insert(a.text.length, `${i},`);
    const expected = a.text.toString();
    await waitFor(
      () => harness.relay.relay.metrics.messagesIn['sync-update'].count >= 200,
      10_000,
      'updates',
    );
    const late = client('late');
    await late.synced();
    await waitFor(() => late.text.toString() === expected, 10_000, 'late joiner state');
  });

  it('lets a client that reconnects after missing updates catch up', async () => {
    const a = client('reconnect');
    const b = client('reconnect');
    await Promise.all([a.synced(), b.synced()]);
    a.text.insert(0, 'before ');
    await waitFor(() => b.text.toString() === 'before ', 10_000, 'first update');
    b.provider.disconnect();
    a.text.insert(a.text.length, 'while away');
    b.text.insert(0, '[b offline] ');
    await waitFor(
      () => harness.relay.relay.metrics.messagesIn['sync-update'].count >= 2,
      10_000,
      'a update',
    );
    b.provider.connect();
    const expected = '[b offline] before while away';
    await waitFor(() => b.text.toString() === expected, 10_000, 'b to catch up');
    await waitFor(() => a.text.toString() === expected, 10_000, 'a to get b offline edit');
  });
});

describe('awareness', () => {
  it('relays a state and removes it within 1 s of its socket closing', async () => {
    const a = client('aware');
    const b = client('aware');
    await Promise.all([a.synced(), b.synced()]);
    a.provider.awareness.setLocalStateField('user', { name: 'alice' });
    const aId = a.doc.clientID;
    await waitFor(
      () =>
        (b.provider.awareness.getStates().get(aId) as { user?: { name: string } } | undefined)?.user
          ?.name === 'alice',
      5000,
      'b to see alice',
    );
    const closedAt = performance.now();
    a.kill();
    await waitFor(() => !b.provider.awareness.getStates().has(aId), 1000, 'alice to disappear');
    expect(performance.now() - closedAt).toBeLessThan(1000);
  });

  it('answers query-awareness and sends existing states to a joiner', async () => {
    const a = client('aware-join');
    await a.synced();
    a.provider.awareness.setLocalStateField('user', { name: 'alice' });
    await waitFor(
      () => harness.relay.relay.metrics.messagesIn.awareness.count >= 2,
      10_000,
      'awareness in',
    );
    const late = client('aware-join');
    await late.synced();
    await waitFor(
      () => late.provider.awareness.getStates().has(a.doc.clientID),
      10_000,
      'state at join',
    );
  });
});
