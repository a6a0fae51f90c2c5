/** GET /healthz and GET /metrics on the relay's port. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, rawSocket, startRelay, type TestRelay, waitFor } from './test/harness';

let relay: TestRelay;

beforeAll(async () => {
  relay = await startRelay();
});

afterAll(async () => {
  await relay.close();
});

describe('HTTP endpoints', () => {
  it('/healthz reports status, rooms, connections and uptime', async () => {
    const a = connectClient(relay.url, 'health-1');
    const b = connectClient(relay.url, 'health-2');
    await Promise.all([a.synced(), b.synced()]);
    const res = await fetch(`${relay.httpUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = await res.json();
    expect(body).toEqual({
      status: 'ok',
      rooms: 2,
      connections: 2,
      uptimeSeconds: expect.any(Number),
    });
    a.destroy();
    b.destroy();
    await waitFor(
      async () => (await (await fetch(`${relay.httpUrl}/healthz`)).json()).rooms === 0,
      10_000,
      'unload',
    );
  });

  it('/metrics exposes Prometheus text with the relay metrics', async () => {
    const a = connectClient(relay.url, 'metrics');
    const b = connectClient(relay.url, 'metrics');
    await Promise.all([a.synced(), b.synced()]);
    a.text.insert(0, 'counted');
    await waitFor(() => b.text.toString() === 'counted', 10_000, 'update relayed');
    const res = await fetch(`${relay.httpUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^relay_open_connections 2$/m);
    expect(text).toMatch(/^relay_loaded_rooms 1$/m);
    expect(text).toMatch(/^relay_messages_in_total\{type="sync-update"\} 1$/m);
    expect(text).toMatch(/^relay_messages_out_total\{type="sync-update"\} 1$/m);
    expect(text).toMatch(/^relay_messages_in_bytes_total\{type="sync-update"\} \d+$/m);
    // Checked twice: a client id's first update waits for its binding (writer-gate.ts), then
    // is checked again against what the room holds by then.
    expect(text).toMatch(/^relay_update_check_seconds_count 2$/m);
    expect(text).toMatch(/^relay_update_check_seconds_bucket\{le="\+Inf"\} 2$/m);
    expect(text).toMatch(/^relay_storage_append_seconds_count [1-9]\d*$/m);
    expect(text).toContain('# TYPE relay_rejected_total counter');
    a.destroy();
    b.destroy();
  });

  it('counts rejections by reason', async () => {
    expect(await rawSocket(relay.url, 'not%20a%20room').refused).toBe(400);
    const text = await (await fetch(`${relay.httpUrl}/metrics`)).text();
    expect(text).toMatch(/^relay_rejected_total\{reason="bad-room"\} 1$/m);
  });

  it('answers 404 elsewhere, and 405 with Allow for another method, as JSON {error, code}', async () => {
    const missing = await fetch(`${relay.httpUrl}/`);
    expect([missing.status, await missing.json()]).toEqual([
      404,
      { error: 'no such route', code: 'not-found' },
    ]);
    const wrong = await fetch(`${relay.httpUrl}/healthz`, { method: 'POST' });
    expect([
      wrong.status,
      wrong.headers.get('allow'),
      ((await wrong.json()) as { code: string }).code,
    ]).toEqual([405, 'GET, HEAD', 'method-not-allowed']);
  });
});
