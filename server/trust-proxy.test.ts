/**
 * `--trust-proxy` over real sockets (README "Limits"): behind a trusted proxy the per-address
 * connection limit and the log lines use the client named by X-Forwarded-For; from any other
 * peer the header is ignored. The resolution rules themselves are in client-address.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../lib/close-codes';
import type { Config } from './config';
import type { Logger } from './log';
import {
  captureLogger,
  type RawSocket,
  rawSocket,
  startRelay,
  type TestRelay,
  waitFor,
} from './test/harness';

let relay: TestRelay | null = null;
const sockets: RawSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.ws.terminate();
  await relay?.close();
  relay = null;
});

async function start(config: Partial<Config>, logger?: Logger): Promise<TestRelay> {
  relay = await startRelay({ config, ...(logger ? { logger } : {}) });
  return relay;
}

/** A socket from this process (127.0.0.1) claiming to forward `forwardedFor`. */
function forwarded(r: TestRelay, room: string, forwardedFor: string, origin?: string): RawSocket {
  const socket = rawSocket(r.url, room, {
    headers: { 'x-forwarded-for': forwardedFor },
    ...(origin ? { origin } : {}),
  });
  sockets.push(socket);
  return socket;
}

/** Admitted: the relay joined it to the room and sent its sync step 1. */
async function admitted(socket: RawSocket): Promise<void> {
  await waitFor(() => socket.frames.length > 0, 5000, 'the relay to greet the socket');
}

/** Refused by the per-address limit: closed by the relay (not a normal close) and counted. */
async function refusedForIpLimit(r: TestRelay, socket: RawSocket, refusals: number): Promise<void> {
  const { code } = await socket.closed;
  expect(code).not.toBe(CloseCode.Normal);
  expect(code).not.toBe(CloseCode.GoingAway);
  expect(socket.frames).toHaveLength(0);
  expect(await rejectedCount(r, 'ip-limit')).toBe(refusals);
}

async function rejectedCount(r: TestRelay, reason: string): Promise<number> {
  const text = await (await fetch(`${r.httpUrl}/metrics`)).text();
  const match = new RegExp(`relay_rejected_total\\{reason="${reason}"\\} (\\d+)`).exec(text);
  return Number(match?.[1] ?? 0);
}

describe('--trust-proxy', () => {
  it('counts connections per X-Forwarded-For client when the peer is a trusted proxy', async () => {
    const r = await start({ trustProxy: ['127.0.0.1/32'], maxConnectionsPerIp: 1 });
    const first = forwarded(r, 'xff', '198.51.100.1');
    const second = forwarded(r, 'xff', '198.51.100.2');
    await Promise.all([admitted(first), admitted(second)]);
    await refusedForIpLimit(r, forwarded(r, 'xff', '198.51.100.1'), 1);
    // Prepending an address does not make the same client someone else.
    await refusedForIpLimit(r, forwarded(r, 'xff', '203.0.113.9, 198.51.100.2'), 2);
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const r = await start({ maxConnectionsPerIp: 1 });
    await admitted(forwarded(r, 'xff', '198.51.100.1'));
    await refusedForIpLimit(r, forwarded(r, 'xff', '198.51.100.2'), 1);
  });

  it('logs the forwarded client when refusing an origin', async () => {
    const { logger, lines } = captureLogger('warn');
    const r = await start(
      { trustProxy: ['127.0.0.1'], allowedOrigins: ['https://app.example'] },
      logger,
    );
    await forwarded(r, 'xff', '198.51.100.7', 'https://evil.example').closed;
    expect(lines()).toContainEqual(
      expect.objectContaining({ msg: 'origin not allowed', client: '198.51.100.7' }),
    );
  });
});
