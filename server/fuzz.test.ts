/**
 * Fuzz: >= 100,000 random and mutated-valid frames over many sockets into a relay process, while
 * an honest pair of clients in another room keeps syncing. Asserts the relay stays up, the pair
 * converges to exactly what was typed at every checkpoint, and the relay's RSS stays bounded.
 * Seeded (FUZZ_SEED) so a failure replays; the seed is in the test name.
 *
 * Each fuzz socket opens with sync step 1, sends a batch of frames the relay must survive without
 * closing (awareness for its own id and floods of foreign ids, queries, random state vectors,
 * updates that reference missing structs, empty updates, auth), then one hostile frame (random
 * bytes, a bit-flipped or truncated valid frame, huge or overlong varints, deep JSON) and closes.
 */
import { readFileSync } from 'node:fs';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { encodeAwarenessEntries } from './guard/awareness-guard';
import {
  encodeAwareness,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from './protocol';
import {
  connectClient,
  type RelayProcess,
  spawnRelay,
  type TestClient,
  waitFor,
} from './test/harness';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const TOTAL_FRAMES = Number(process.env.FUZZ_FRAMES ?? 100_000);
const SOCKETS = 16;
const FRAMES_PER_SESSION = 200;
const FUZZ_ROOMS = ['fuzz-a', 'fuzz-b', 'fuzz-c'];
const CHECKPOINT_EVERY = 20_000;
const MAX_RSS_MB = 400;

/** mulberry32: small, fast, good enough to pick frames. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)] as T };
}
type Rng = ReturnType<typeof prng>;

const frame = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

function randomBytes(rng: Rng, max: number): Uint8Array {
  const bytes = new Uint8Array(rng.int(max) + 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
  return bytes;
}

/** A valid update whose first half is never sent: it references structs the room lacks. */
function danglingUpdate(rng: Rng): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 1 + rng.int(2 ** 30);
  const text = doc.getText('body');
  text.insert(0, 'hidden'.repeat(1 + rng.int(3)));
  const before = Y.encodeStateVector(doc);
  text.insert(rng.int(text.length), 'x'.repeat(1 + rng.int(8)));
  if (rng.next() < 0.5) text.delete(0, 1 + rng.int(3));
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update;
}

function randomStateVector(rng: Rng): Uint8Array {
  return frame((e) => {
    const n = rng.int(4);
    encoding.writeVarUint(e, n);
    for (let i = 0; i < n; i++) {
      encoding.writeVarUint(e, rng.int(2 ** 31));
      encoding.writeVarUint(e, rng.int(1000));
    }
  });
}

function awarenessOf(entries: { clientId: number; clock: number; json: string }[]): Uint8Array {
  return encodeAwareness(encodeAwarenessEntries(entries));
}

/** Frames the relay must take without closing the socket. */
function survivable(rng: Rng, ownId: number, clock: { n: number }): Uint8Array {
  switch (rng.int(8)) {
    case 0:
    case 1:
      return awarenessOf([
        {
          clientId: ownId,
          clock: ++clock.n,
          json: JSON.stringify({ user: { name: `f${rng.int(99)}` }, cursor: rng.int(1e6) }),
        },
      ]);
    case 2: // a flood of ids: refused whole (dropped), the socket stays
      return awarenessOf(
        Array.from({ length: 20 + rng.int(200) }, (_, i) => ({
          clientId: ownId + 1 + i,
          clock: 1,
          json: '{}',
        })),
      );
    case 3:
      return encodeQueryAwareness();
    case 4:
      return encodeSyncStep1(randomStateVector(rng));
    case 5:
      // Rare: parked until its dependencies come (never); past 64 KiB the sender is closed (4509).
      if (rng.next() < 0.05) {
        return rng.next() < 0.5
          ? encodeSyncUpdate(danglingUpdate(rng))
          : encodeSyncStep2(danglingUpdate(rng));
      }
      return encodeQueryAwareness();
    case 6:
      return encodeSyncUpdate(Y.encodeStateAsUpdate(new Y.Doc()));
    default:
      return frame((e) => {
        encoding.writeVarUint(e, 2);
        encoding.writeVarUint(e, 0);
        encoding.writeVarString(e, 'let me in');
      });
  }
}

/** One frame meant to break something: the relay closes the socket or ignores it, and lives. */
function hostile(rng: Rng, ownId: number): Uint8Array {
  switch (rng.int(7)) {
    case 0:
      return randomBytes(rng, 64);
    case 1: {
      const valid = survivable(rng, ownId, { n: 1 });
      const copy = valid.slice();
      for (let flips = 1 + rng.int(4); flips > 0; flips--) {
        const at = rng.int(copy.length);
        copy[at] = (copy[at] as number) ^ (1 << rng.int(8));
      }
      return copy;
    }
    case 2: {
      const valid = survivable(rng, ownId, { n: 1 });
      return valid.slice(0, rng.int(valid.length));
    }
    case 3: // a length varint near 2^53
      return frame((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, 2);
        encoding.writeVarUint(e, Number.MAX_SAFE_INTEGER - rng.int(1000));
      });
    case 4: // an overlong varint: 40 continuation bytes
      return new Uint8Array([...Array.from({ length: 40 }, () => 0x80 | rng.int(128)), 1]);
    case 5: // awareness nested deep enough to overflow JSON.stringify
      return awarenessOf([
        { clientId: ownId, clock: 99, json: `${'['.repeat(8000)}${']'.repeat(8000)}` },
      ]);
    default: // an update wrapped in a valid frame but with random insides
      return encodeSyncUpdate(randomBytes(rng, 200));
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

let relay: RelayProcess;
let writer: TestClient;
let reader: TestClient;

beforeAll(async () => {
  relay = await spawnRelay([
    '--port',
    '0',
    '--storage',
    'memory',
    '--log-level',
    'error',
    // Limits would close most fuzz sockets before their frames reach the parsers.
    '--max-messages-per-second',
    '0',
    '--max-bytes-per-second',
    '0',
  ]);
  writer = connectClient(relay.url, 'honest');
  reader = connectClient(relay.url, 'honest');
  await Promise.all([writer.synced(), reader.synced()]);
}, 30_000);

afterAll(async () => {
  writer?.destroy();
  reader?.destroy();
  relay?.child.kill('SIGTERM');
  await relay?.exited;
});

/** One socket session: handshake, survivable batch, one hostile frame, close. Resolves frames sent. */
async function session(rng: Rng): Promise<number> {
  const room = rng.pick(FUZZ_ROOMS);
  const ws = new WebSocket(`${relay.url}/${room}`);
  ws.on('error', () => {});
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const opened = await Promise.race([
    new Promise<boolean>((resolve) => ws.once('open', () => resolve(true))),
    closed.then(() => false),
  ]);
  if (!opened) return 0;
  const ownId = 1 + rng.int(2 ** 30);
  const clock = { n: 0 };
  let sent = 0;
  const send = (data: Uint8Array) => {
    if (ws.readyState === WebSocket.OPEN) {
      ws.send(data);
      sent++;
    }
  };
  send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
  for (let i = 0; i < FRAMES_PER_SESSION; i++) {
    send(survivable(rng, ownId, clock));
    if (ws.bufferedAmount > 1 << 20) await new Promise((resolve) => setImmediate(resolve));
  }
  send(hostile(rng, ownId));
  ws.close();
  await closed;
  return sent;
}

describe('fuzz', () => {
  it(`survives ${TOTAL_FRAMES} hostile frames while an honest pair keeps syncing (seed ${SEED})`, async () => {
    let sent = 0;
    let typed = '';
    let nextCheckpoint = CHECKPOINT_EVERY;
    let peakRss = rssMb(relay.child.pid as number);
    const typing = setInterval(() => {
      const line = `line ${typed.length}\n`;
      writer.text.insert(writer.text.length, line);
      typed += line;
    }, 10);
    try {
      const workers = Array.from({ length: SOCKETS }, async (_, index) => {
        const rng = prng(SEED + index);
        while (sent < TOTAL_FRAMES) {
          // Not `sent += await …`: that reads `sent` before the await and loses other workers' counts.
          const frames = await session(rng);
          sent += frames;
          if (index === 0 && sent >= nextCheckpoint) {
            nextCheckpoint += CHECKPOINT_EVERY;
            peakRss = Math.max(peakRss, rssMb(relay.child.pid as number));
            const expected = typed;
            await waitFor(
              () => reader.text.toString().startsWith(expected),
              10_000,
              'honest reader keeps up',
            );
          }
        }
      });
      await Promise.all(workers);
    } finally {
      clearInterval(typing);
    }
    await waitFor(() => reader.text.toString() === typed, 10_000, 'honest pair converges');
    expect(writer.text.toString()).toBe(typed);
    expect(relay.child.exitCode).toBeNull();
    const health = await fetch(`${relay.url.replace('ws', 'http')}/healthz`);
    expect(health.status).toBe(200);
    peakRss = Math.max(peakRss, rssMb(relay.child.pid as number));
    expect(peakRss).toBeLessThan(MAX_RSS_MB);
    expect(sent).toBeGreaterThanOrEqual(TOTAL_FRAMES);
  }, 120_000);
});
