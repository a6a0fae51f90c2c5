/** The coedit Ack extension (README "Ack protocol extension"): opt-in, and truthful. */
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MessageType } from '../lib/protocol';
import { rawSocket, type TestClient, waitFor } from './test/harness';
import { relayPerTest } from './test/relay-per-test';

const harness = relayPerTest();

/** A client that records the state vector of every Ack it receives. */
function ackRecordingClient(
  room: string,
  ack: boolean,
): { client: TestClient; acks: Map<number, number>[] } {
  const client = harness.client(room, { ack });
  const acks: Map<number, number>[] = [];
  client.provider.messageHandlers[MessageType.Ack] = (_encoder, decoder) => {
    acks.push(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
  };
  return { client, acks };
}

/** Every entry of the doc's own state vector is <= the acknowledged one. */
function covers(ack: Map<number, number> | undefined, doc: Y.Doc): boolean {
  if (!ack) return false;
  for (const [clientId, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
    if ((ack.get(clientId) ?? 0) < clock) return false;
  }
  return true;
}

describe('Ack extension', () => {
  it('acknowledges the handshake and then every stored update of an ?ack=1 client', async () => {
    const { client, acks } = ackRecordingClient('ack', true);
    await client.synced();
    await waitFor(() => acks.length >= 1, 10_000, 'handshake ack');
    for (let i = 0; i < 20; i++) {
      client.text.insert(client.text.length, `${i} `);
      await waitFor(() => covers(acks.at(-1), client.doc), 10_000, `ack covering edit ${i}`);
    }
    // The acknowledged state really is stored: a fresh load holds every acknowledged edit.
    const stored = await harness.relay.store.load('ack');
    const doc = new Y.Doc();
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    expect(covers(Y.decodeStateVector(Y.encodeStateVector(doc)), client.doc)).toBe(true);
    expect(doc.getText('body').toString()).toBe(client.text.toString());
  });

  it('acknowledges updates made by other clients of the room too', async () => {
    const { client: watcher, acks } = ackRecordingClient('ack-others', true);
    const writer = harness.client('ack-others');
    await Promise.all([watcher.synced(), writer.synced()]);
    writer.text.insert(0, 'from writer');
    await waitFor(() => covers(acks.at(-1), writer.doc), 10_000, 'ack covering the writer');
  });

  it('never sends type 100 to a plain client', async () => {
    const { client: plain, acks: plainAcks } = ackRecordingClient('ack-mixed', false);
    const { client: acking, acks } = ackRecordingClient('ack-mixed', true);
    const raw = rawSocket(harness.relay.url, 'ack-mixed');
    await Promise.all([plain.synced(), acking.synced(), raw.opened]);
    plain.text.insert(0, 'plain ');
    acking.text.insert(0, 'acking ');
    await waitFor(
      () => covers(acks.at(-1), plain.doc) && covers(acks.at(-1), acking.doc),
      5000,
      'acks for both edits',
    );
    await waitFor(() => plain.text.toString() === acking.text.toString(), 10_000, 'convergence');
    await waitFor(() => raw.frames.length >= 3, 10_000, 'raw socket to receive the edits');
    expect(plainAcks).toHaveLength(0);
    expect(raw.frames.filter((f) => f[0] === MessageType.Ack)).toHaveLength(0);
    raw.ws.close();
  });
});
