/**
 * GET /api/v1/admin/stream on a real relay, with real y-websocket clients making the load: who
 * may watch, the history first, then live samples that agree with /metrics; streams end when
 * the relay closes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DASHBOARD_STREAM_PATH } from '../../lib/dashboard';
import { generateRoomId } from '../../lib/room-id';
import { signAdminToken } from '../../lib/token';
import { metric } from '../cluster/fleet.fixture';
import type { Config } from '../config';
import {
  connectClient,
  startRelay,
  type TestClient,
  type TestRelay,
  waitFor,
} from '../test/harness';
import { TEST_SECRET, token } from '../test/secured';
import { type Watch, watch } from './watch.fixture';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relay(config: Partial<Config> = {}): Promise<TestRelay> {
  const started = await startRelay({ config });
  cleanups.push(() => started.close());
  return started;
}

function client(r: TestRelay, room: string, tokenValue: string | null = null): TestClient {
  const made = connectClient(r.url, room, { token: tokenValue });
  cleanups.push(() => made.destroy());
  return made;
}

async function watching(r: TestRelay, tokenValue?: string): Promise<Watch> {
  const w = await watch(r.httpUrl, tokenValue);
  cleanups.push(() => w.close());
  return w;
}

const stream = (r: TestRelay, init: RequestInit = {}) =>
  fetch(`${r.httpUrl}${DASHBOARD_STREAM_PATH}`, init);

describe('dashboard stream', () => {
  it('on a relay with a secret: refuses without an admin token, as {error, code}', async () => {
    const r = await relay({ secret: TEST_SECRET });
    const none = await stream(r);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: expect.any(String), code: 'unauthorized' });
    const roomToken = await token(generateRoomId(), 'edit');
    const share = await stream(r, { headers: { authorization: `Bearer ${roomToken}` } });
    expect(share.status).toBe(403);
    expect(await share.json()).toEqual({ error: expect.any(String), code: 'forbidden' });
    const admin = await signAdminToken(TEST_SECRET, { linkId: 'dash' });
    const post = await stream(r, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(post.status).toBe(405);
    expect((await post.json()).code).toBe('method-not-allowed');
    // The page is on another origin: its preflight is answered.
    const preflight = await stream(r, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization');
    const w = await watching(r, admin);
    expect(w.history.self).toEqual(expect.any(String));
  });

  it('streams the history first, then a sample a second that agrees with /metrics', async () => {
    const r = await relay(); // open relay: open dashboard, like the rest of the API
    const first = await watching(r);
    const before = first.history.instances[first.history.self] ?? [];
    expect(before.every((s) => s.updatesInTotal === 0)).toBe(true);
    const room = generateRoomId();
    const [alice, bob] = [client(r, room), client(r, room)];
    await Promise.all([alice.synced(), bob.synced()]);
    for (let i = 0; i < 20; i++) alice.text.insert(0, `a${i} `);
    await waitFor(() => bob.text.length === alice.text.length, 5000, 'bob to get the edits');
    const busy = await first.sample((s) => s.busiest.some((b) => b.room === room && b.updates > 0));
    expect(busy.connections).toBe(2);
    expect(busy.rooms).toBe(1);
    expect(busy.busiest[0]).toEqual({ room, people: 2, updates: expect.any(Number) });
    // Edits are one update each (y-websocket sends one per transaction); bob got them all.
    const inTotal = await metric(r.httpUrl, 'relay_messages_in_total{type="sync-update"}');
    const outTotal = await metric(r.httpUrl, 'relay_messages_out_total{type="sync-update"}');
    const settled = await first.sample((s) => s.updatesInTotal === inTotal);
    expect(settled.updatesOutTotal).toBe(outTotal);
    expect(await metric(r.httpUrl, 'relay_open_connections')).toBe(settled.connections);
    // Each second's count adds up to the total: every sample since the relay started, summed.
    const samples = [...before, ...first.samples.filter((s) => s.t <= settled.t)];
    expect(samples.reduce((sum, s) => sum + s.updatesIn, 0)).toBe(inTotal);
    expect(samples.reduce((sum, s) => sum + s.updatesOut, 0)).toBe(outTotal);
    expect(samples.reduce((sum, s) => sum + s.bytesIn, 0)).toBeGreaterThan(0);

    // A rejection shows under its reason.
    const bad = new WebSocket(`${r.url}/not%20a%20room`);
    bad.on('error', () => {});
    await first.sample((s) => (s.rejections['bad-room'] ?? 0) >= 1);

    // A second watcher starts from the history: the samples the first one saw.
    const second = await watching(r);
    const history = second.history.instances[second.history.self] ?? [];
    expect(history.map((s) => s.t)).toEqual(expect.arrayContaining(samples.map((s) => s.t)));
    expect(history.every((s, i) => i === 0 || s.t > (history[i - 1]?.t ?? 0))).toBe(true);
    await second.sample(() => true);
  });

  it('ends every stream when the relay closes', async () => {
    const r = await startRelay();
    const w = await watch(r.httpUrl);
    await r.close();
    await w.ended;
  });
});
