/**
 * Version history through a real relay: automatic versions from real editing (short schedule),
 * authors from awareness, a version saved when a room unloads mid-burst, and the HTTP API's
 * answers to bad requests and CORS preflights.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, type TestClient, waitFor } from '../test/harness';
import { TEST_SECRET, token } from '../test/secured';
import { type HistoryRelay, startHistoryRelay } from './test-relay';

let relay: HistoryRelay | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await relay?.close();
  relay = undefined;
});

async function client(url: string, room: string, name: string): Promise<TestClient> {
  const c = connectClient(url, room);
  clients.push(c);
  c.provider.awareness.setLocalStateField('user', { name, color: '#123456' });
  await c.synced();
  return c;
}

/** Type `text` one character per event-loop turn, spread over at least `spanMs`. */
async function typeSlowly(c: TestClient, text: string, spanMs: number): Promise<void> {
  const started = performance.now();
  for (const ch of text) {
    c.text.insert(c.text.length, ch);
    await new Promise((r) => setTimeout(r, spanMs / text.length));
  }
  await waitFor(() => performance.now() - started >= spanMs);
}

describe('automatic versions', () => {
  it('takes one after a burst ends, crediting the editors by name', async () => {
    relay = await startHistoryRelay({
      schedule: { burstMs: 150, quietMs: 100, maxIntervalMs: 60_000 },
    });
    const room = 'auto-burst';
    const ada = await client(relay.url, room, 'Ada');
    const grace = await client(relay.url, room, 'Grace');
    await waitFor(() => grace.provider.awareness.getStates().size === 2);
    await Promise.all([typeSlowly(ada, 'hello ', 200), typeSlowly(grace, 'world ', 200)]);
    const api = relay.api;
    await waitFor(async () => (await api.list(room)).length === 1, 10_000, 'an automatic version');
    const [version] = await api.list(room);
    expect(version).toMatchObject({ kind: 'auto', name: null, authors: ['Ada', 'Grace'] });
    expect(await api.text(room, version?.id ?? '')).toBe(ada.text.toString());
  });

  it('saves the pending burst when the room unloads before the quiet period ends', async () => {
    relay = await startHistoryRelay({
      schedule: { burstMs: 100, quietMs: 60_000, maxIntervalMs: 600_000 },
    });
    const room = 'auto-unload';
    const ada = await client(relay.url, room, 'Ada');
    await typeSlowly(ada, 'draft text', 150);
    const text = ada.text.toString();
    await waitFor(() => relay?.relay.stats().connections === 1);
    ada.destroy();
    const api = relay.api;
    await waitFor(async () => (await api.list(room)).length === 1, 10_000, 'version on unload');
    await waitFor(() => relay?.relay.stats().rooms === 0, 10_000, 'room unloaded');
    const [version] = await api.list(room);
    expect(version?.authors).toEqual(['Ada']);
    expect(await api.text(room, version?.id ?? '')).toBe(text);
    expect(relay.history.attachedRooms).toBe(0);
  });
});

describe('history HTTP API', () => {
  it('saves a named version of a room that is not loaded, loading it from storage', async () => {
    relay = await startHistoryRelay();
    const room = 'cold-room';
    const ada = await client(relay.url, room, 'Ada');
    ada.text.insert(0, 'stored text');
    const stored = relay.relay;
    ada.destroy();
    await waitFor(() => stored.stats().rooms === 0, 10_000, 'room unloaded');
    const version = await relay.api.save(room, '  Launch  ', 'Ada');
    expect(version).toMatchObject({ kind: 'named', name: 'Launch', authors: ['Ada'] });
    expect(await relay.api.text(room, version.id)).toBe('stored text');
    await waitFor(() => stored.stats().rooms === 0, 10_000, 'room unloaded again');
  });

  it('answers bad requests with JSON errors and CORS headers', async () => {
    relay = await startHistoryRelay();
    const base = relay.httpUrl;
    const status = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${base}${path}`, init);
      const body = (await res.json()) as { error?: string };
      return {
        status: res.status,
        error: body.error,
        cors: res.headers.get('access-control-allow-origin'),
      };
    };
    expect(await status('/rooms/bad%20room/versions')).toMatchObject({ status: 400, cors: '*' });
    expect(await status('/rooms/ok/versions/12345')).toMatchObject({ status: 404 });
    expect(await status('/rooms/ok/versions/x')).toMatchObject({ status: 404 });
    const post = (body: string) =>
      status('/rooms/ok/versions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    expect(await post('{}')).toMatchObject({ status: 400, error: 'name is required' });
    expect(await post('not json')).toMatchObject({ status: 400 });
    expect(await post(JSON.stringify({ name: 'x'.repeat(101) }))).toMatchObject({ status: 400 });
    expect(await post(JSON.stringify({ name: 'x'.repeat(20_000) }))).toMatchObject({ status: 413 });
    expect(await status('/rooms/ok/versions/1', { method: 'DELETE' })).toMatchObject({
      status: 405,
    });

    const preflight = await fetch(`${base}/rooms/ok/versions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');

    // Everything else on the relay is untouched.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});

describe('history HTTP API with --allowed-origins', () => {
  it('serves allowed origins with CORS and refuses others', async () => {
    relay = await startHistoryRelay({ config: { allowedOrigins: ['http://app.example'] } });
    const versions = `${relay.httpUrl}/rooms/origins/versions`;
    const allowed = await fetch(versions, { headers: { origin: 'http://app.example' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://app.example');
    const refused = await fetch(versions, { headers: { origin: 'http://evil.example' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('history HTTP API on a relay with a secret', () => {
  it('needs a token for the room, like the socket; view tokens read, edit tokens save', async () => {
    relay = await startHistoryRelay({ config: { secret: TEST_SECRET } });
    const room = 'guarded';
    const versions = `${relay.httpUrl}/rooms/${room}/versions`;
    const save = (query: string, init: RequestInit = {}) =>
      fetch(`${versions}${query}`, {
        method: 'POST',
        body: JSON.stringify({ name: 'v' }),
        ...init,
        headers: { 'content-type': 'application/json', ...init.headers },
      });
    const edit = await token(room, 'edit');
    const view = await token(room, 'view');
    const elsewhere = await token('other-room', 'edit');

    expect((await fetch(versions)).status).toBe(401);
    expect((await fetch(`${versions}?token=${elsewhere}`)).status).toBe(401);
    expect((await fetch(`${versions}?token=${view}`)).status).toBe(200);
    expect((await save(`?token=${view}`)).status).toBe(403);
    expect((await save('')).status).toBe(401);
    const created = await save(`?token=${edit}`);
    expect(created.status).toBe(201);
    const { version } = (await created.json()) as { version: { id: string } };
    expect((await fetch(`${versions}/${version.id}`)).status).toBe(401);
    const read = await fetch(`${versions}/${version.id}`, {
      headers: { authorization: `Bearer ${view}` },
    });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ text: '' });
  });
});
