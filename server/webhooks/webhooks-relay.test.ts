/**
 * Webhooks end to end on one relay: the admin API, signed deliveries to a real HTTP receiver on
 * 127.0.0.1, debouncing, retries, isolation between targets, and the SSRF guard.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateLinkId, signAdminToken } from '../../lib/token';
import { silentLogger } from '../log';
import { connectClient, type TestClient, waitFor } from '../test/harness';
import { TEST_SECRET, token } from '../test/secured';
import { createRelayWebhooks } from './relay-webhooks';
import { verifySignature } from './signature';
import type { WebhookStore } from './store';
import { createMemoryWebhookStore } from './store-memory';
import {
  bodiesOf,
  FAST,
  type Json,
  type Receiver,
  startReceiver,
  startWebhookRelay,
  type WebhookRelay,
} from './test-support';

const relays: WebhookRelay[] = [];
const receivers: Receiver[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(relays.splice(0).map((r) => r.close()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function relay(config: Parameters<typeof startWebhookRelay>[0] = {}) {
  const started = await startWebhookRelay(config);
  relays.push(started);
  return started;
}

async function receiver(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

async function register(
  r: WebhookRelay,
  body: Record<string, unknown>,
): Promise<{ id: string; secret: string }> {
  const res = await r.api('POST', '/api/v1/webhooks', body);
  expect(res.status).toBe(201);
  return res.body;
}

/** A document with `text`, written through the API (a document.updated follows the quiet). */
async function createDocument(r: WebhookRelay, text: string, author = 'Ada'): Promise<string> {
  const res = await r.api('POST', '/api/v1/documents', { text }, { 'x-coedit-author': author });
  expect(res.status).toBe(201);
  return res.body.room;
}

async function deliveries(r: WebhookRelay, id: string) {
  const res = await r.api('GET', `/api/v1/webhooks/${id}/deliveries`);
  expect(res.status).toBe(200);
  return res.body.deliveries as Json[];
}

describe('webhook admin API', () => {
  it('creates (generating a secret), lists without secrets, reads and deletes', async () => {
    const r = await relay();
    const created = await r.api('POST', '/api/v1/webhooks', {
      url: 'https://hooks.example.com/coedit',
      events: ['version.created', 'document.updated', 'version.created'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^wh_[0-9a-f]{24}$/),
      secret: expect.stringMatching(/^[0-9a-f]{64}$/),
      url: 'https://hooks.example.com/coedit',
      events: ['document.updated', 'version.created'],
      room: null,
    });
    const { id } = created.body;
    const own = await register(r, {
      url: 'https://hooks.example.com/2',
      events: ['document.deleted'],
      room: 'some-room',
      secret: 'my-own-secret-of-some-length',
    });
    expect(own.secret).toBe('my-own-secret-of-some-length');

    const list = await r.api('GET', '/api/v1/webhooks');
    expect(list.status).toBe(200);
    expect(list.body.webhooks.map((w: { id: string }) => w.id)).toEqual([id, own.id]);
    expect(JSON.stringify(list.body)).not.toContain('secret');
    const one = await r.api('GET', `/api/v1/webhooks/${own.id}`);
    expect(one.body).toMatchObject({ id: own.id, room: 'some-room', events: ['document.deleted'] });
    expect(one.body.secret).toBeUndefined();
    expect(await deliveries(r, id)).toEqual([]);

    expect((await r.api('DELETE', `/api/v1/webhooks/${id}`)).status).toBe(204);
    expect(await r.api('GET', `/api/v1/webhooks/${id}`)).toMatchObject({
      status: 404,
      body: { code: 'not-found' },
    });
    expect((await r.api('DELETE', `/api/v1/webhooks/${id}`)).status).toBe(404);
    expect((await r.api('GET', '/api/v1/webhooks/wh_nope/deliveries')).status).toBe(404);
  });

  it('refuses malformed registrations with 400 and a code', async () => {
    const r = await relay();
    const url = 'https://hooks.example.com/x';
    for (const [body, code] of [
      [{ url, events: [] }, 'bad-request'],
      [{ url, events: ['document.renamed'] }, 'bad-request'],
      [{ url: 'ftp://example.com/', events: ['document.updated'] }, 'bad-request'],
      [{ url: 'https://u:p@example.com/', events: ['document.updated'] }, 'bad-request'],
      [{ events: ['document.updated'] }, 'bad-request'],
      [{ url, events: ['document.updated'], room: '../etc' }, 'bad-request'],
      [{ url, events: ['document.updated'], secret: 'short' }, 'bad-request'],
    ] as const) {
      const res = await r.api('POST', '/api/v1/webhooks', body);
      expect([body, res.status, res.body.code]).toEqual([body, 400, code]);
    }
    expect((await r.api('PUT', '/api/v1/webhooks')).status).toBe(405);
  });

  it('on a relay with a secret, only an admin token may use the routes', async () => {
    const r = await relay({ config: { secret: TEST_SECRET } });
    const body = { url: 'https://hooks.example.com/x', events: ['document.updated'] };
    expect(await r.api('POST', '/api/v1/webhooks', body)).toMatchObject({
      status: 401,
      body: { code: 'unauthorized' },
    });
    const share = await token('some-room', 'edit');
    expect(
      await r.api('GET', '/api/v1/webhooks', undefined, { authorization: `Bearer ${share}` }),
    ).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    const admin = await signAdminToken(TEST_SECRET, { linkId: generateLinkId() });
    const auth = { authorization: `Bearer ${admin}` };
    expect((await r.api('POST', '/api/v1/webhooks', body, auth)).status).toBe(201);
    expect((await r.api('GET', '/api/v1/webhooks', undefined, auth)).body.webhooks).toHaveLength(1);
  });
});

describe('deliveries', () => {
  it('reports a document edited without pause at least every max-wait, then once after the pause', async () => {
    const r = await relay({ config: { webhookDebounceMs: 400, webhookMaxWaitMs: 1000 } });
    const target = await receiver();
    const room = `busy-${Date.now()}`;
    await register(r, { url: target.url, events: ['document.updated'], room });
    const client = connectClient(r.url, room);
    clients.push(client);
    await client.synced();
    // A keystroke every 100 ms never leaves 400 ms of quiet; the slot deadline (1–2 s after
    // the first edit) reports it anyway, while the typing goes on.
    let typed = 0;
    const typing = setInterval(() => {
      client.text.insert(client.text.length, 'x');
      typed++;
    }, 100);
    try {
      await waitFor(() => target.received.length > 0, 5_000, 'a report while typing');
    } finally {
      clearInterval(typing);
    }
    const during = JSON.parse(target.received[0]?.body ?? '{}');
    expect(during.event).toBe('document.updated');
    expect(typed).toBeGreaterThanOrEqual(5);
    // The last edit, then a pause: the final state is reported too (its own dedupe key).
    const reportsWhileTyping = target.received.length;
    client.text.insert(client.text.length, 'END');
    await waitFor(
      () => target.received.length > reportsWhileTyping,
      5_000,
      'the report after the pause',
    );
    expect(JSON.parse(target.received.at(-1)?.body ?? '{}').version).toBeGreaterThanOrEqual(
      during.version,
    );
  });

  it('sends one signed document.updated after several edits and a quiet period', async () => {
    const r = await relay({ config: { webhookDebounceMs: 400 } });
    const target = await receiver();
    const room = `plans-${Date.now()}`;
    const hook = await register(r, { url: target.url, events: ['document.updated'], room });

    // A live client keeps the room loaded and types a burst, each keystroke well within the quiet.
    const client = connectClient(r.url, room);
    clients.push(client);
    await client.synced();
    for (const word of ['# Plans\n', 'one ', 'two ', 'three ', 'four ', 'five ']) {
      client.text.insert(client.text.length, word);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await waitFor(() => target.received.length > 0, 5_000, 'a delivery');
    const [request] = target.received;
    if (!request) throw new Error('unreachable');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-coedit-event']).toBe('document.updated');
    expect(request.headers['x-coedit-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(
      verifySignature(hook.secret, request.body, request.headers['x-coedit-signature'] as string),
    ).toBe(true);
    expect(
      verifySignature(
        'another-secret-xxxxxxxx',
        request.body,
        request.headers['x-coedit-signature'] as string,
      ),
    ).toBe(false);
    const body = JSON.parse(request.body);
    expect(body).toMatchObject({
      event: 'document.updated',
      room,
      title: 'Plans',
      version: expect.any(Number),
      authors: [{ authorId: `c-${client.doc.clientID}`, name: null }],
      at: expect.any(String),
    });
    expect(client.text.toString()).toBe('# Plans\none two three four five ');

    // Once the room unloaded every pending report is queued: the burst made exactly one.
    client.destroy();
    clients.splice(0);
    await waitFor(() => r.relay.stats().rooms === 0, 5_000, 'the room to unload');
    const log = await deliveries(r, hook.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      event: 'document.updated',
      status: 'delivered',
      attempts: 1,
      responseStatus: 200,
      error: null,
      payload: body,
    });
    expect(target.received).toHaveLength(1);
  });

  it('names the API author, and sends version.created with the version', async () => {
    const r = await relay();
    const target = await receiver();
    const hook = await register(r, {
      url: target.url,
      events: ['document.updated', 'version.created'],
    });
    const room = await createDocument(r, '# Report\nfirst draft', 'Grace');
    await waitFor(
      () => bodiesOf(target.accepted, 'document.updated').length === 1,
      5_000,
      'update',
    );
    expect(bodiesOf(target.accepted)[0].authors).toEqual([
      { authorId: expect.stringMatching(/^api-/), name: 'Grace' },
    ]);
    const saved = await r.api('POST', `/api/v1/documents/${room}/versions`, { name: 'v1' });
    expect(saved.status).toBe(201);
    await waitFor(
      () => bodiesOf(target.accepted, 'version.created').length === 1,
      5_000,
      'version',
    );
    expect(bodiesOf(target.accepted, 'version.created')[0]).toMatchObject({
      event: 'version.created',
      room,
      title: 'Report',
      version: saved.body.version.id,
      versionName: 'v1',
      kind: 'named',
    });
    expect((await deliveries(r, hook.id)).map((d) => d.status)).toEqual(['delivered', 'delivered']);
  });

  it('retries a target answering 500 with backoff until it accepts', async () => {
    const r = await relay();
    const target = await receiver((n) => (n < 2 ? 500 : 200));
    const hook = await register(r, { url: target.url, events: ['document.updated'] });
    await createDocument(r, 'hello');
    await waitFor(() => target.accepted.length === 1, 10_000, 'the third attempt');
    const [first, second, third] = target.received;
    expect(target.received).toHaveLength(3);
    // The same delivery each time, the gaps growing (base 50 ms, doubling).
    expect(new Set(target.received.map((q) => q.headers['x-coedit-delivery'])).size).toBe(1);
    expect(third?.body).toBe(first?.body);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(45);
    expect((third?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(95);
    await waitFor(async () => (await deliveries(r, hook.id))[0]?.status === 'delivered', 5_000);
    expect((await deliveries(r, hook.id))[0]).toMatchObject({
      attempts: 3,
      responseStatus: 200,
      error: null,
      nextAttemptAt: null,
    });
  });

  it('a hanging target does not delay deliveries to another', async () => {
    // The hanging target's requests time out only after 20 s: the other must not wait for them.
    const r = await relay({ config: { webhookTimeoutMs: 20_000 } });
    const stuck = await receiver(() => 'hang');
    const healthy = await receiver();
    await register(r, { url: stuck.url, events: ['document.updated'] });
    await register(r, { url: healthy.url, events: ['document.updated'] });
    const started = Date.now();
    const rooms = [];
    for (let i = 0; i < 8; i++) rooms.push(await createDocument(r, `doc ${i}`));
    await waitFor(() => healthy.accepted.length === 8, 8_000, 'all eight at the healthy target');
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(
      bodiesOf(healthy.accepted)
        .map((b) => b.room)
        .sort(),
    ).toEqual(rooms.sort());
    // The stuck target holds its few in-flight requests, and nothing else.
    expect(stuck.received.length).toBeGreaterThan(0);
    expect(stuck.received.length).toBeLessThanOrEqual(4);
  });

  it('reports document.deleted through WebhookEvents', async () => {
    const store: WebhookStore = createMemoryWebhookStore();
    const target = await receiver();
    const webhooks = createRelayWebhooks({ store, config: FAST, logger: silentLogger() });
    try {
      await store.createWebhook({
        id: 'wh_000000000000000000000001',
        url: target.url,
        events: ['document.deleted'],
        room: null,
        secret: 'a-secret-for-deletions',
        createdAt: 1,
      });
      await webhooks.events.documentDeleted('gone-room', { title: 'Old notes' });
      await waitFor(() => target.accepted.length === 1, 5_000, 'the deletion');
      expect(bodiesOf(target.accepted)[0]).toMatchObject({
        event: 'document.deleted',
        room: 'gone-room',
        title: 'Old notes',
        version: null,
        authors: [],
      });
    } finally {
      await webhooks.close();
      await store.close();
    }
  });
});

describe('SSRF guard (no --webhook-allow-private)', () => {
  it('refuses a private literal at registration', async () => {
    const r = await relay({ config: { webhookAllowPrivate: false } });
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://[::1]/',
      'http://169.254.169.254/x',
      'http://10.0.0.1/',
    ]) {
      const res = await r.api('POST', '/api/v1/webhooks', { url, events: ['document.updated'] });
      expect([url, res.status, res.body.code]).toEqual([url, 400, 'target-not-allowed']);
      expect(res.body.error).toMatch(/--webhook-allow-private/);
    }
  });

  it('refuses a hostname resolving to loopback at delivery, sending nothing', async () => {
    const r = await relay({ config: { webhookAllowPrivate: false } });
    const target = await receiver();
    const hook = await register(r, {
      url: `http://localhost:${target.port}/hook`,
      events: ['document.updated'],
    });
    await createDocument(r, 'secret stuff');
    await waitFor(
      async () => (await deliveries(r, hook.id))[0]?.status === 'failed',
      5_000,
      'refusal',
    );
    const [refused] = await deliveries(r, hook.id);
    expect(refused).toMatchObject({ attempts: 1, responseStatus: null });
    expect(refused.error).toMatch(/localhost resolves to .*loopback/);
    expect(target.received).toEqual([]);
  });
});
