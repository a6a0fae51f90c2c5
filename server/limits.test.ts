/**
 * Abuse limits over real sockets (README "Limits"): L1 message and byte rates that a fast typist
 * and a 1 MB paste never reach, and beyond which a socket is throttled (4529 only for sustained
 * abuse); L2 document size (4413, nothing applied); L3 handshake deadline (4508); L4 connections
 * per address (4529); L5 loaded rooms (1013). Origins (1008) are
 * covered in connection.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../lib/close-codes';
import type { Config } from './config';
import { connectClient, rawSocket, startRelay, type TestRelay, waitFor } from './test/harness';
import { insertFrame, step1Frame } from './test/secured';

let relay: TestRelay | null = null;
afterEach(async () => {
  await relay?.close();
  relay = null;
});

async function start(config: Partial<Config> = {}): Promise<TestRelay> {
  relay = await startRelay({ config });
  return relay;
}

async function rejectedCount(r: TestRelay, reason: string): Promise<number> {
  const text = await (await fetch(`${r.httpUrl}/metrics`)).text();
  const match = new RegExp(`relay_rejected_total\\{reason="${reason}"\\} (\\d+)`).exec(text);
  return Number(match?.[1] ?? 0);
}

describe('L1: per-socket rate limits (defaults)', () => {
  it('a fast typist (25 keys/s for 4 s, cursor with each key) and a 1 MB paste never trip them', async () => {
    const r = await start();
    const typist = connectClient(r.url, 'l1');
    const reader = connectClient(r.url, 'l1');
    await Promise.all([typist.synced(), reader.synced()]);
    for (let key = 0; key < 100; key++) {
      typist.text.insert(typist.text.length, 'x');
      typist.provider.awareness.setLocalStateField('cursor', key);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    typist.text.insert(0, 'p'.repeat(1024 * 1024));
    await waitFor(() => reader.text.length === 100 + 1024 * 1024, 10_000, 'reader has everything');
    expect(typist.provider.wsconnected).toBe(true);
    expect(await rejectedCount(r, 'rate-limited')).toBe(0);
    typist.destroy();
    reader.destroy();
  });

  it('a flood of frames is throttled, not closed: every frame is applied, throttling is counted', async () => {
    const r = await start({ maxMessagesPerSecond: 500 });
    const flood = connectClient(r.url, 'l1b');
    const reader = connectClient(r.url, 'l1b');
    await Promise.all([flood.synced(), reader.synced()]);
    let closes = 0;
    flood.provider.on('connection-close', () => closes++);
    // 6,000 frames against a 5,000-frame burst at 500/s: about 2 s of backpressure.
    for (let i = 0; i < 6000; i++) flood.text.insert(flood.text.length, 'f');
    await waitFor(() => reader.text.length === 6000, 20_000, 'reader has every frame');
    expect(closes).toBe(0);
    expect(await rejectedCount(r, 'rate-limited')).toBe(0);
    const text = await (await fetch(`${r.httpUrl}/metrics`)).text();
    expect(Number(/^relay_throttles_total (\d+)/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^relay_throttled_seconds_total (\S+)/m.exec(text)?.[1])).toBeGreaterThan(0);
    // The last frames read leave a debt: the socket is paused until it is repaid, then read again.
    await waitFor(
      async () =>
        /^relay_throttled_sockets 0$/m.test(await (await fetch(`${r.httpUrl}/metrics`)).text()),
      10_000,
      'the flood is read again',
    );
    flood.destroy();
    reader.destroy();
  });

  it('sustained bytes beyond the byte rate are throttled; every byte arrives', async () => {
    const r = await start({ maxBytesPerSecond: 64 * 1024, maxMessageBytes: 64 * 1024 });
    const hog = rawSocket(r.url, 'l1c');
    const reader = connectClient(r.url, 'l1c');
    await Promise.all([hog.opened, reader.synced()]);
    hog.ws.send(step1Frame());
    // 10 s of burst is 640 KiB: 15 frames of 60 KiB are about 4 s over it.
    for (let i = 0; i < 15; i++) hog.ws.send(insertFrame('b'.repeat(60 * 1024), 1000 + i));
    await waitFor(() => reader.text.length === 15 * 60 * 1024, 20_000, 'reader has every byte');
    expect(hog.ws.readyState).toBe(hog.ws.OPEN);
    reader.destroy();
    hog.ws.close();
  });

  it('a socket over its rate for --throttle-close-after-ms in a row is closed with 4529 and counted', async () => {
    const r = await start({ maxMessagesPerSecond: 50, throttleCloseAfterMs: 300 });
    const flood = rawSocket(r.url, 'l1d');
    await flood.opened;
    const sendUntilClosed = setInterval(() => {
      for (let i = 0; i < 100 && flood.ws.readyState === flood.ws.OPEN; i++) {
        flood.ws.send(step1Frame());
      }
    }, 5);
    try {
      expect((await flood.closed).code).toBe(CloseCode.RateLimited);
    } finally {
      clearInterval(sendUntilClosed);
    }
    expect(await rejectedCount(r, 'rate-limited')).toBe(1);
  });
});

describe('L2: document size', () => {
  it('refuses the write that would pass the limit with 4413; it is never applied', async () => {
    const r = await start({ maxDocBytes: 100 * 1024 });
    const writer = connectClient(r.url, 'l2');
    const reader = connectClient(r.url, 'l2');
    await Promise.all([writer.synced(), reader.synced()]);
    writer.text.insert(0, 'a'.repeat(60 * 1024));
    await waitFor(() => reader.text.length === 60 * 1024, 5000, 'first write arrives');
    const closed = new Promise<number>((resolve) =>
      writer.provider.on('connection-close', (event: CloseEvent | null) =>
        resolve(event?.code ?? 0),
      ),
    );
    writer.provider.shouldConnect = false;
    writer.text.insert(0, 'b'.repeat(60 * 1024));
    expect(await closed).toBe(CloseCode.DocumentTooLarge);
    // The reader's room stays at the last accepted state.
    const late = connectClient(r.url, 'l2');
    await late.synced();
    expect(late.text.length).toBe(60 * 1024);
    expect(reader.text.length).toBe(60 * 1024);
    for (const c of [writer, reader, late]) c.destroy();
  });
});

describe('L3: handshake deadline', () => {
  it('closes a socket that never sends sync step 1 with 4508, and keeps one that did', async () => {
    const r = await start({ handshakeTimeoutMs: 200 });
    const silent = rawSocket(r.url, 'l3');
    const polite = rawSocket(r.url, 'l3');
    await Promise.all([silent.opened, polite.opened]);
    polite.ws.send(step1Frame());
    const started = performance.now();
    expect((await silent.closed).code).toBe(CloseCode.HandshakeTimeout);
    expect(performance.now() - started).toBeLessThan(2000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(polite.ws.readyState).toBe(polite.ws.OPEN);
    polite.ws.close();
  });
});

describe('L4 and L5: connections per address, loaded rooms', () => {
  it('refuses the connection past the per-address limit with 4529 until one closes', async () => {
    const r = await start({ maxConnectionsPerIp: 2 });
    const [a, b] = [rawSocket(r.url, 'l4'), rawSocket(r.url, 'l4')];
    await Promise.all([a.opened, b.opened]);
    expect((await rawSocket(r.url, 'l4').closed).code).toBe(CloseCode.RateLimited);
    a.ws.close();
    await a.closed;
    await waitFor(
      async () => {
        const next = rawSocket(r.url, 'l4');
        const outcome = await Promise.race([
          next.opened.then(() => new Promise((resolve) => setTimeout(() => resolve('open'), 50))),
          next.closed.then(() => 'closed'),
        ]);
        next.ws.close();
        return outcome === 'open' && next.ws.readyState !== next.ws.CLOSED;
      },
      5000,
      'a slot frees up',
    );
    expect(await rejectedCount(r, 'ip-limit')).toBeGreaterThanOrEqual(1);
  });

  it('refuses a connection that would load one room too many with 1013; loaded rooms still join', async () => {
    const r = await start({ maxRooms: 1 });
    const first = rawSocket(r.url, 'l5-a');
    await waitFor(() => first.frames.length > 0, 5000, 'first room loaded');
    expect((await rawSocket(r.url, 'l5-b').closed).code).toBe(CloseCode.Overloaded);
    const same = rawSocket(r.url, 'l5-a');
    await waitFor(() => same.frames.length > 0, 5000, 'loaded room joins');
    first.ws.close();
    same.ws.close();
  });
});
