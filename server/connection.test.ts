/** Socket-level limits: liveness pings, slow consumers, allowed origins. */
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../lib/close-codes';
import { connectClient, rawSocket, startRelay, type TestRelay, waitFor } from './test/harness';

let relay: TestRelay | null = null;

afterEach(async () => {
  await relay?.close();
  relay = null;
});

describe('connection limits', () => {
  it('terminates a socket that stops answering pings', async () => {
    relay = await startRelay({ config: { pingIntervalMs: 30 } });
    const deaf = rawSocket(relay.url, 'liveness', { autoPong: false });
    const healthy = rawSocket(relay.url, 'liveness');
    await Promise.all([deaf.opened, healthy.opened]);
    const { code } = await deaf.closed;
    expect(code).toBe(1006); // terminated: no close frame
    // The responsive socket survives many more ping rounds.
    let pings = 0;
    healthy.ws.on('ping', () => pings++);
    await waitFor(() => pings >= 5, 10_000, 'more ping rounds');
    expect(healthy.ws.readyState).toBe(healthy.ws.OPEN);
    healthy.ws.close();
  });

  it('closes a slow consumer with 1013 instead of buffering without bound', async () => {
    relay = await startRelay({ config: { maxBufferedBytes: 64 * 1024 } });
    const slow = rawSocket(relay.url, 'firehose');
    await slow.opened;
    // Stop reading: the kernel buffers fill, then the relay's send buffer grows.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const writer = connectClient(relay.url, 'firehose');
    await writer.synced();
    const chunk = 'x'.repeat(32 * 1024);
    for (let i = 0; i < 400 && relay.relay.stats().connections > 1; i++) {
      writer.text.insert(0, chunk);
      await new Promise((r) => setImmediate(r));
    }
    await waitFor(
      () => relay?.relay.stats().connections === 1,
      10_000,
      'the slow socket to be dropped',
    );
    const metrics = await (await fetch(`${relay.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^relay_rejected_total\{reason="slow-consumer"\} 1$/m);
    // The writer itself is unaffected.
    expect(writer.provider.wsconnected).toBe(true);
    writer.destroy();
    slow.ws.terminate();
  });

  it('closes sockets from origins that are not allowed with 1008', async () => {
    relay = await startRelay({ config: { allowedOrigins: ['https://coedit.example'] } });
    const stranger = rawSocket(relay.url, 'origins', { origin: 'https://evil.example' });
    expect((await stranger.closed).code).toBe(CloseCode.OriginNotAllowed);
    const friend = rawSocket(relay.url, 'origins', { origin: 'https://coedit.example' });
    await friend.opened;
    await waitFor(() => friend.frames.length > 0, 10_000, 'sync step 1 for the allowed origin');
    friend.ws.close();
  });
});
