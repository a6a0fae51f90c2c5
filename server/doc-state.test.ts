/**
 * The relay's room without a Y.Doc, seen from real sockets: updates whose dependencies are
 * missing are parked (never stored or relayed) until they arrive, an update that adds nothing is
 * acknowledged but neither stored nor relayed, and a sender that parks too much is closed with a
 * retryable code while the room carries on.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode, standardClientGivesUp } from '../lib/close-codes';
import { DOC_TEXT } from '../lib/doc-schema';
import { MessageType } from '../lib/protocol';
import { MAX_PARKED_BYTES } from './doc-state/parked-updates';
import { decodeClientMessage, encodeSyncStep1, encodeSyncUpdate } from './protocol';
import {
  captureLogger,
  connectClient,
  rawSocket,
  startRelay,
  type TestRelay,
  waitFor,
} from './test/harness';

let relay: TestRelay;
let log: ReturnType<typeof captureLogger>;

beforeEach(async () => {
  log = captureLogger('warn');
  relay = await startRelay({ logger: log.logger });
});

afterEach(async () => {
  await relay.close();
});

/** Two updates from one writer, the second depending on the first. */
function chainedUpdates(): [Uint8Array, Uint8Array] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  doc.getText(DOC_TEXT).insert(0, 'first ');
  doc.getText(DOC_TEXT).insert(6, 'second');
  return updates as [Uint8Array, Uint8Array];
}

/** The updates among the frames a raw socket received, in order. */
function updatesIn(frames: readonly Uint8Array[]): Uint8Array[] {
  const updates: Uint8Array[] = [];
  for (const frame of frames) {
    const message = decodeClientMessage(frame);
    if (message.kind === 'sync-update' || message.kind === 'sync-step2') {
      if (message.update.length > 2) updates.push(message.update);
    }
  }
  return updates;
}

async function storedText(room: string): Promise<string> {
  const doc = new Y.Doc();
  for (const update of (await relay.store.load(room)).updates) Y.applyUpdate(doc, update);
  return doc.getText(DOC_TEXT).toString();
}

describe('a room without a Y.Doc', () => {
  it('parks an update until its dependency arrives, then stores and relays both in order', async () => {
    const [first, second] = chainedUpdates();
    const watcher = rawSocket(relay.url, 'park');
    const early = rawSocket(relay.url, 'park');
    const late = rawSocket(relay.url, 'park');
    await Promise.all([watcher.opened, early.opened, late.opened]);
    early.ws.send(encodeSyncUpdate(second));
    // A round trip on the same socket: once answered, the parked update has been handled.
    early.ws.send(encodeSyncStep1(new Uint8Array([0])));
    await waitFor(
      () => early.frames.some((frame) => decodeClientMessage(frame).kind === 'sync-step2'),
      5000,
      'step 2 after the parked update',
    );
    const observer = connectClient(relay.url, 'park');
    await observer.synced();
    expect(observer.text.toString()).toBe('');
    expect((await relay.store.load('park')).updates).toHaveLength(0);
    expect(updatesIn(watcher.frames)).toHaveLength(0);

    late.ws.send(encodeSyncUpdate(first));
    await waitFor(() => updatesIn(watcher.frames).length === 2, 5000, 'both relayed');
    expect(updatesIn(watcher.frames)).toEqual([first, second]);
    await waitFor(() => observer.text.toString() === 'first second', 5000, 'observer');
    expect(await storedText('park')).toBe('first second');
    observer.destroy();
  });

  it('acknowledges an update that adds nothing without storing or relaying it again', async () => {
    const [first] = chainedUpdates();
    const watcher = rawSocket(relay.url, 'known');
    const sender = rawSocket(relay.url, 'known?ack=1');
    await Promise.all([watcher.opened, sender.opened]);
    sender.ws.send(encodeSyncUpdate(first));
    await waitFor(() => updatesIn(watcher.frames).length === 1, 5000, 'relayed once');
    const acks = () => sender.frames.filter((frame) => frame[0] === MessageType.Ack).length;
    const acksBefore = acks();
    sender.ws.send(encodeSyncUpdate(first));
    await waitFor(() => acks() > acksBefore, 5000, 'an ack for the resent update');
    expect(updatesIn(watcher.frames)).toHaveLength(1);
    expect((await relay.store.load('known')).updates).toHaveLength(1);
  });

  it('loads a log holding an update that never integrated, leaving it out with a warning', async () => {
    const [first, second] = chainedUpdates();
    const other = new Y.Doc();
    other.getText(DOC_TEXT).insert(0, 'kept');
    // Stored by a relay that kept a Y.Doc: the dangling `second` sat there as pending.
    await relay.store.append([
      { room: 'legacy', update: Y.encodeStateAsUpdate(other) },
      { room: 'legacy', update: second },
    ]);
    const reader = connectClient(relay.url, 'legacy');
    await reader.synced();
    expect(reader.text.toString()).toBe('kept');
    expect(log.lines().some((line) => String(line.msg).includes('left out'))).toBe(true);
    // Its dependency arrives: now the update integrates.
    const writer = rawSocket(relay.url, 'legacy');
    await writer.opened;
    writer.ws.send(encodeSyncUpdate(first));
    writer.ws.send(encodeSyncUpdate(second));
    await waitFor(
      () =>
        reader.text.toString().includes('first second') && reader.text.toString().includes('kept'),
      5000,
      'both arrive',
    );
    reader.destroy();
  });

  it('closes a sender that parks too much with a retryable code; the room carries on', async () => {
    const writer = connectClient(relay.url, 'flood');
    const reader = connectClient(relay.url, 'flood');
    await Promise.all([writer.synced(), reader.synced()]);
    const flooder = rawSocket(relay.url, 'flood');
    await flooder.opened;
    // Updates at clock 1 of fresh clients: clock 0 never comes.
    let sent = 0;
    for (let client = 1; sent <= MAX_PARKED_BYTES; client++) {
      const doc = new Y.Doc();
      doc.clientID = client;
      const updates: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(update));
      doc.getText(DOC_TEXT).insert(0, 'a');
      doc.getText(DOC_TEXT).insert(1, 'y'.repeat(4000));
      flooder.ws.send(encodeSyncUpdate(updates[1] as Uint8Array));
      sent += (updates[1] as Uint8Array).length;
    }
    const { code } = await flooder.closed;
    expect(code).toBe(CloseCode.OutOfSync);
    expect(standardClientGivesUp(code)).toBe(false);
    expect(log.lines().some((line) => line.msg === 'update dropped')).toBe(true);
    writer.text.insert(0, 'still here');
    await waitFor(() => reader.text.toString() === 'still here', 5000, 'room carries on');
    expect(await storedText('flood')).toBe('still here');
    writer.destroy();
    reader.destroy();
  });
});
