/**
 * Two relays sharing PostgreSQL and Redis: every instance sees every edit and reports it, yet
 * each event reaches a webhook once (dedupe key on enqueue, leased claims on delivery).
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  converged,
  databasePerFile,
  freshPrefix,
  type Instance,
  metric,
  startInstance,
  typeTokens,
} from '../cluster/fleet.fixture';
import { connectRedisCluster } from '../cluster/redis';
import { createMemoryAuthorStore } from '../storage/authors-memory';
import { openPostgresStore } from '../storage/postgres';
import { connectClient, type TestClient, waitFor } from '../test/harness';
import type { WebhookStore } from './store';
import { openPostgresWebhookStore } from './store-postgres';
import { bodiesOf, FAST, type Receiver, startReceiver } from './test-support';

const db = databasePerFile();

const instances: Instance[] = [];
const stores: WebhookStore[] = [];
const clients: TestClient[] = [];
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(instances.splice(0).map((i) => i.close()));
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function fleet(n: number): Promise<Instance[]> {
  const prefix = freshPrefix();
  const made: Instance[] = [];
  for (let i = 0; i < n; i++) {
    const cluster = await connectRedisCluster({ url: 'redis://127.0.0.1:6379', prefix });
    const store = await openPostgresStore(db.url);
    const webhooks = await openPostgresWebhookStore(db.url);
    stores.push(webhooks);
    made.push(
      await startInstance({
        cluster,
        store,
        sharedStore: true,
        authors: createMemoryAuthorStore(),
        webhooks,
        config: { ...FAST, webhookDebounceMs: 400 },
      }),
    );
  }
  instances.push(...made);
  return made;
}

async function countRows(room: string): Promise<number> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM coedit_webhook_deliveries WHERE room = $1`,
      [room],
    );
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe('webhooks in a cluster (PostgreSQL + Redis)', () => {
  it('edits on two instances make one document.updated, delivered once', async () => {
    const [a, b] = (await fleet(2)) as [Instance, Instance];
    const target = await startReceiver();
    receivers.push(target);
    const created = await fetch(`${a.httpUrl}/api/v1/webhooks`, {
      method: 'POST',
      body: JSON.stringify({ url: target.url, events: ['document.updated'] }),
    });
    expect(created.status).toBe(201);
    // Registered through one instance, seen by the other.
    const listed = (await (await fetch(`${b.httpUrl}/api/v1/webhooks`)).json()) as {
      webhooks: unknown[];
    };
    expect(listed.webhooks).toHaveLength(1);

    const room = freshPrefix();
    const users = [connectClient(a.url, room), connectClient(b.url, room)];
    clients.push(...users);
    await Promise.all(users.map((u) => u.synced()));
    const typed = await Promise.all(users.map((u, i) => typeTokens(u, `u${i}`, 15, 5)));
    const text = await converged(users, typed.flat());
    await waitFor(() => target.accepted.length >= 1, 10_000, 'the delivery');

    // Let both instances report everything: the clients leave and both unload the room.
    for (const client of clients.splice(0)) client.destroy();
    await waitFor(
      () => a.relay.stats().rooms === 0 && b.relay.stats().rooms === 0,
      10_000,
      'both instances to unload the room',
    );
    // Both reported the same state (each counted it); one row, one request.
    const reported = (i: Instance) =>
      metric(i.httpUrl, 'relay_webhook_events_total{event="document.updated"}');
    expect(await reported(a)).toBeGreaterThanOrEqual(1);
    expect(await reported(b)).toBeGreaterThanOrEqual(1);
    expect(await countRows(room)).toBe(1);
    expect(target.received).toHaveLength(1);
    const [body] = bodiesOf(target.accepted);
    expect(body).toMatchObject({ event: 'document.updated', room });
    expect(text).toContain('<u0:14>');
  });

  it('a burst of queued deliveries is sent once each, however the instances share them', async () => {
    const [a, b] = (await fleet(2)) as [Instance, Instance];
    const target = await startReceiver();
    receivers.push(target);
    const res = await fetch(`${a.httpUrl}/api/v1/webhooks`, {
      method: 'POST',
      body: JSON.stringify({ url: target.url, events: ['document.updated'] }),
    });
    expect(res.status).toBe(201);
    // Documents created through both instances, alternating.
    const rooms: string[] = [];
    for (let i = 0; i < 12; i++) {
      const via = i % 2 ? a : b;
      const made = await fetch(`${via.httpUrl}/api/v1/documents`, {
        method: 'POST',
        body: JSON.stringify({ text: `doc ${i}` }),
      });
      rooms.push(((await made.json()) as { room: string }).room);
    }
    await waitFor(() => target.accepted.length >= 12, 15_000, 'twelve deliveries');
    await waitFor(
      () => a.relay.stats().rooms === 0 && b.relay.stats().rooms === 0,
      10_000,
      'the rooms to unload',
    );
    // Unloading queued nothing new (nothing was pending): still one request per document.
    const delivered = bodiesOf(target.received).map((body) => body.room);
    expect(delivered.sort()).toEqual(rooms.sort());
  });
});
