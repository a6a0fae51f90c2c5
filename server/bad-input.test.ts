/**
 * Hostile or broken input on raw sockets: each case closes only the offending socket, with the
 * right code and one warning, while a healthy pair of clients in another room keeps syncing.
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../lib/close-codes';
import {
  captureLogger,
  connectClient,
  rawSocket,
  startRelay,
  type TestClient,
  type TestRelay,
  waitFor,
} from './test/harness';

const MAX_MESSAGE_BYTES = 64 * 1024;
let relay: TestRelay;
let log: ReturnType<typeof captureLogger>;
let writer: TestClient;
let reader: TestClient;
let round = 0;

beforeAll(async () => {
  log = captureLogger('warn');
  relay = await startRelay({ logger: log.logger, config: { maxMessageBytes: MAX_MESSAGE_BYTES } });
  writer = connectClient(relay.url, 'healthy');
  reader = connectClient(relay.url, 'healthy');
  await Promise.all([writer.synced(), reader.synced()]);
});

afterAll(async () => {
  writer.destroy();
  reader.destroy();
  await relay.close();
});

/** One more edit in the healthy room reaches the other client. */
async function healthyRoomStillSyncs(): Promise<void> {
  round++;
  writer.text.insert(writer.text.length, `${round};`);
  const expected = writer.text.toString();
  await waitFor(() => reader.text.toString() === expected, 10_000, 'healthy room to sync');
}

/** Open a raw socket to `room`, send `frame`, and return the close code. */
async function sendAndClose(frame: Uint8Array | string, room = 'victim'): Promise<number> {
  const socket = rawSocket(relay.url, room);
  await socket.opened;
  socket.ws.send(frame);
  const { code } = await socket.closed;
  return code;
}

function frameOf(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** A deterministic pseudo-random generator (mulberry32), so failures replay exactly. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('malformed frames close only their socket with 4400', () => {
  it.each([
    ['empty frame', new Uint8Array([])],
    ['truncated varint type', new Uint8Array([0x80])],
    ['sync without step', new Uint8Array([0])],
    ['update without length', new Uint8Array([0, 2])],
    ['update shorter than its length', new Uint8Array([0, 2, 10, 1, 2])],
    ['awareness shorter than its length', new Uint8Array([1, 200, 1])],
    ['unknown message type', new Uint8Array([7])],
    [
      'ack sent by a client',
      frameOf((e) => {
        encoding.writeVarUint(e, 100);
        encoding.writeVarUint8Array(e, new Uint8Array([0]));
      }),
    ],
    ['unknown sync step', new Uint8Array([0, 9, 0])],
    ['trailing garbage', new Uint8Array([3, 1, 2, 3])],
    ['bogus update (Yjs throws)', new Uint8Array([0, 2, 1, 5])],
    ['bogus update in sync step 2', new Uint8Array([0, 1, 3, 1, 2, 3])],
    [
      'bad awareness JSON',
      frameOf((e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint8Array(
          e,
          frameOf((inner) => {
            encoding.writeVarUint(inner, 1);
            encoding.writeVarUint(inner, 42);
            encoding.writeVarUint(inner, 1);
            encoding.writeVarString(inner, '{not json');
          }),
        );
      }),
    ],
  ])('%s', async (_name, frame) => {
    const warningsBefore = log.lines().length;
    expect(await sendAndClose(frame)).toBe(CloseCode.MalformedMessage);
    await healthyRoomStillSyncs();
    const warnings = log.lines().slice(warningsBefore);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ room: 'victim', msg: 'malformed message' });
    expect(typeof warnings[0]?.reason).toBe('string');
  });

  it('a text frame', async () => {
    expect(await sendAndClose('hello')).toBe(CloseCode.MalformedMessage);
    await healthyRoomStillSyncs();
  });

  it('random bytes', async () => {
    const random = prng(20240601);
    for (let i = 0; i < 20; i++) {
      const frame = new Uint8Array(16 + Math.floor(random() * 200));
      for (let j = 0; j < frame.length; j++) frame[j] = Math.floor(random() * 256);
      expect(await sendAndClose(frame, `random-${i}`)).toBe(CloseCode.MalformedMessage);
    }
    await healthyRoomStillSyncs();
  });
});

describe('limits', () => {
  it('closes an oversize frame with 1009', async () => {
    expect(await sendAndClose(new Uint8Array(MAX_MESSAGE_BYTES + 1))).toBe(CloseCode.MessageTooBig);
    await healthyRoomStillSyncs();
    const metrics = await (await fetch(`${relay.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^relay_rejected_total\{reason="too-big"\} 1$/m);
  });

  it('relays an update just under the limit', async () => {
    const watcher = rawSocket(relay.url, 'limit-ok');
    await watcher.opened;
    const big = connectClient(relay.url, 'limit-ok');
    await big.synced();
    big.text.insert(0, 'x'.repeat(MAX_MESSAGE_BYTES - 100));
    await waitFor(
      () => watcher.frames.some((f) => f.length > MAX_MESSAGE_BYTES - 100),
      5000,
      'big update relayed',
    );
    big.destroy();
    watcher.ws.close();
  });

  it('refuses a bad room name with HTTP 400', async () => {
    for (const path of ['bad%20room', 'a'.repeat(129), 'x/y', '', 'caf%C3%A9']) {
      expect(await rawSocket(relay.url, path).refused).toBe(400);
    }
    await healthyRoomStillSyncs();
  });

  it('answers 404 for unknown HTTP paths', async () => {
    const res = await fetch(`${relay.httpUrl}/nope`);
    expect(res.status).toBe(404);
  });
});
