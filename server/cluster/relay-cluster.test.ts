/**
 * Several in-process relays on a real Redis (fresh prefix) and a real PostgreSQL (fresh
 * database), with real y-websocket clients spread across them.
 */
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/close-codes';
import { MessageType } from '../../lib/protocol';
import { createMemoryStore } from '../storage/memory';
import { openPostgresStore } from '../storage/postgres';
import { connectClient, type TestClient, waitFor } from '../test/harness';
import {
  converged,
  databasePerFile,
  freshPrefix,
  health,
  type Instance,
  metric,
  SHARED_REDIS_URL,
  startInstance,
  storedText,
  typeTokens,
} from './fleet.fixture';
import { LocalBus } from './local';
import { connectRedisCluster } from './redis';
import { PrivateRedis } from './redis-server.fixture';

const db = databasePerFile();

const instances: Instance[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(instances.splice(0).map((i) => i.close()));
});

/** `n` relays on one Redis prefix, each with its own pool on the shared database. */
async function fleet(n: number, redisUrl = SHARED_REDIS_URL): Promise<Instance[]> {
  const prefix = freshPrefix();
  const made: Instance[] = [];
  for (let i = 0; i < n; i++) {
    const cluster = await connectRedisCluster({
      url: redisUrl,
      prefix,
      probeIntervalMs: 100,
      probeTimeoutMs: 500,
      maxReconnectDelayMs: 100,
    });
    expect(cluster.status()).toBe('ok');
    const store = await openPostgresStore(db.url);
    made.push(await startInstance({ cluster, store, sharedStore: true }));
  }
  instances.push(...made);
  return made;
}

function client(instance: Instance, room: string): TestClient {
  const made = connectClient(instance.url, room);
  clients.push(made);
  return made;
}

describe('relays on Redis + PostgreSQL', () => {
  it('a document deleted through one instance is closed (4410) on the other and stays gone', async () => {
    const [a, b] = (await fleet(2)) as [Instance, Instance];
    const room = freshPrefix();
    const onA = client(a, room);
    const onB = client(b, room);
    await Promise.all([onA.synced(), onB.synced()]);
    onB.text.insert(0, 'doomed');
    await waitFor(() => onA.text.toString() === 'doomed', 5000, 'the edit to cross');
    const codes: number[] = [];
    onB.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) codes.push(event.code);
    });
    const res = await fetch(`${a.httpUrl}/api/v1/documents/${room}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    // Instance B learns it from the shared store's tombstone (its deletion sweep).
    await waitFor(() => codes.includes(CloseCode.DocumentDeleted), 10_000, 'B to close 4410');
    expect(await storedText(db.url, room)).toBe('');
    const text = await fetch(`${b.httpUrl}/api/v1/documents/${room}/text`);
    expect(text.status).toBe(410);
  });

  it('two instances: clients on both converge on concurrent edits, all of it stored', async () => {
    const [a, b] = (await fleet(2)) as [Instance, Instance];
    const room = freshPrefix();
    const users = [client(a, room), client(b, room), client(a, room), client(b, room)];
    await Promise.all(users.map((u) => u.synced()));
    const typed = await Promise.all(users.map((u, i) => typeTokens(u, `u${i}`, 40)));
    const text = await converged(users, typed.flat());
    await waitFor(
      async () => (await storedText(db.url, room)) === text,
      10_000,
      'database to hold it',
    );

    // What crossed the bus is counted; several frames may share one bus message.
    const updates = (direction: string, instance: Instance) =>
      metric(instance.httpUrl, `relay_cluster_frames_${direction}_total{type="sync-update"}`);
    expect(await updates('published', a)).toBeGreaterThanOrEqual(80);
    expect(await updates('received', b)).toBeGreaterThanOrEqual(80);
    const messages = await metric(a.httpUrl, 'relay_cluster_messages_published_total');
    expect(messages).toBeGreaterThan(0);
    expect(messages).toBeLessThanOrEqual(
      (await metric(a.httpUrl, 'relay_cluster_frames_published_total{type="sync-update"}')) +
        (await metric(a.httpUrl, 'relay_cluster_frames_published_total{type="sync-step1"}')) +
        (await metric(a.httpUrl, 'relay_cluster_frames_published_total{type="sync-step2"}')) +
        (await metric(a.httpUrl, 'relay_cluster_frames_published_total{type="awareness"}')),
    );
    expect(await metric(a.httpUrl, 'relay_cluster_status')).toBe(1);
  });

  it('acknowledges to an idle ?ack=1 client the edits another instance stored', async () => {
    const [a, b] = (await fleet(2)) as [Instance, Instance];
    const room = freshPrefix();
    const watcher = connectClient(a.url, room, { ack: true });
    clients.push(watcher);
    let lastAck = new Map<number, number>();
    watcher.provider.messageHandlers[MessageType.Ack] = (_encoder, decoder) => {
      lastAck = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
    };
    const writer = client(b, room);
    await Promise.all([watcher.synced(), writer.synced()]);
    await typeTokens(writer, 'w', 20);
    // The watcher never writes: only the acknowledgement of b's stored edits can cover them.
    const covered = () => {
      const own = Y.decodeStateVector(Y.encodeStateVector(watcher.doc));
      return [...own].every(([id, clock]) => (lastAck.get(id) ?? 0) >= clock);
    };
    await waitFor(
      () => watcher.text.toString() === writer.text.toString() && covered(),
      10_000,
      "an ack covering the other instance's edits",
    );
  });

  it('three instances: edits and awareness reach every client, removals too', async () => {
    const fleet3 = await fleet(3);
    const room = freshPrefix();
    const users = fleet3.flatMap((instance) => [client(instance, room), client(instance, room)]);
    await Promise.all(users.map((u) => u.synced()));
    users.forEach((u, i) => {
      u.provider.awareness.setLocalStateField('user', { name: `user${i}` });
    });
    const seesAll = (u: TestClient) =>
      users.every((other) => u.provider.awareness.getStates().get(other.doc.clientID)?.user);
    await waitFor(() => users.every(seesAll), 10_000, 'every awareness state everywhere');
    const typed = await Promise.all(users.map((u, i) => typeTokens(u, `t${i}`, 25)));
    await converged(users, typed.flat());

    // A client vanishing without a goodbye on instance 0 disappears everywhere within 1 s.
    const leaver = users[0] as TestClient;
    leaver.kill();
    const rest = users.slice(1);
    await waitFor(
      () => rest.every((u) => !u.provider.awareness.getStates().has(leaver.doc.clientID)),
      1000,
      'awareness removal on every instance',
    );
  });

  it('a room on one instance publishes no updates; one loading it later catches up, then both ways', async () => {
    const [a, b] = (await fleet(2)) as [Instance, Instance];
    const room = freshPrefix();
    const first = client(a, room);
    await first.synced();
    const withheld = () => metric(a.httpUrl, 'relay_cluster_frames_withheld_total');
    const published = () =>
      metric(a.httpUrl, 'relay_cluster_frames_published_total{type="sync-update"}');
    // Type until instance a has learnt from Redis that nobody else holds the room.
    const solo: string[] = [];
    await waitFor(
      async () => {
        solo.push(...(await typeTokens(first, `solo${solo.length}`, 1, 5)));
        return (await withheld()) > 0;
      },
      10_000,
      'a to withhold updates',
    );
    const [withheldBefore, publishedBefore] = [await withheld(), await published()];
    const alone = await typeTokens(first, 'alone', 20);
    await waitFor(async () => (await withheld()) >= withheldBefore + 20, 5000, 'all 20 withheld');
    expect(await published()).toBe(publishedBefore);

    const second = client(b, room);
    await converged([first, second], [...solo, ...alone]);
    const both = (
      await Promise.all([typeTokens(first, 'x', 20), typeTokens(second, 'y', 20)])
    ).flat();
    await converged([first, second], [...solo, ...alone, ...both]);
    expect(await published()).toBeGreaterThan(publishedBefore);
    await waitFor(
      async () => (await storedText(db.url, room)) === first.text.toString(),
      10_000,
      'database to hold it',
    );
  });

  it('unsubscribes a room from Redis when it unloads', async () => {
    const [a] = (await fleet(1)) as [Instance];
    const room = freshPrefix();
    const user = client(a, room);
    await user.synced();
    const redis = new Redis(SHARED_REDIS_URL);
    try {
      const channels = () => redis.pubsub('CHANNELS', `*:room:${room}`) as Promise<string[]>;
      expect(await channels()).toHaveLength(1);
      user.destroy();
      await waitFor(async () => (await channels()).length === 0, 5000, 'unsubscribe');
    } finally {
      redis.disconnect();
    }
  });
});

describe('anti-entropy', () => {
  it('an instance loading a room mid-session catches up from the others (own stores)', async () => {
    // Per-instance memory stores: the newcomer can learn the document only over the bus.
    const bus = new LocalBus();
    const [a, b, c] = (await Promise.all(
      [0, 1, 2].map(() =>
        startInstance({ cluster: bus.join(), store: createMemoryStore(), sharedStore: false }),
      ),
    )) as [Instance, Instance, Instance];
    instances.push(a, b, c);
    const room = freshPrefix();
    const early = [client(a, room), client(b, room)];
    await Promise.all(early.map((u) => u.synced()));
    const typed = await Promise.all(early.map((u, i) => typeTokens(u, `e${i}`, 20)));
    await converged(early, typed.flat());
    const late = client(c, room);
    await converged([...early, late], typed.flat());
  });

  it('never loses another instance’s stored updates when compacting a shared log', async () => {
    // The bus is down, so neither instance sees the other's updates while both compact often.
    const bus = new LocalBus();
    const config = { compactAfterUpdates: 3 };
    const [a, b] = (await Promise.all(
      [0, 1].map(async () =>
        startInstance({
          cluster: bus.join(),
          store: await openPostgresStore(db.url),
          sharedStore: true,
          config,
        }),
      ),
    )) as [Instance, Instance];
    instances.push(a, b);
    const room = freshPrefix();
    const [onA, onB] = [client(a, room), client(b, room)];
    await Promise.all([onA.synced(), onB.synced()]);
    bus.setAvailable(false);
    const typed = (await Promise.all([typeTokens(onA, 'a', 20), typeTokens(onB, 'b', 20)])).flat();
    await waitFor(async () =>
      typed.every((t) => onA.text.toString().includes(t) || onB.text.toString().includes(t)),
    );
    onA.destroy();
    onB.destroy();
    await Promise.all([a.close(), b.close()]); // flush and compact on unload
    const text = await storedText(db.url, room);
    for (const token of typed) expect(text).toContain(token);
  });
});

describe('Redis outage (private redis-server)', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterAll(async () => {
    await redis?.kill();
  });

  it('keeps serving each instance’s clients, reports degraded, and converges afterwards', async () => {
    const [a, b] = (await fleet(2, redis.url)) as [Instance, Instance];
    const room = freshPrefix();
    const onA = [client(a, room), client(a, room)];
    const onB = [client(b, room), client(b, room)];
    await Promise.all([...onA, ...onB].map((u) => u.synced()));
    const before = (
      await Promise.all([...onA, ...onB].map((u, i) => typeTokens(u, `p${i}`, 5)))
    ).flat();
    await converged([...onA, ...onB], before);

    await redis.kill();
    await waitFor(async () => (await health(a.httpUrl)).body.status === 'degraded', 5000);
    expect(await metric(a.httpUrl, 'relay_cluster_status')).toBe(0);
    const roundsBefore = await metric(a.httpUrl, 'relay_cluster_anti_entropy_rounds_total');
    expect(roundsBefore).toBeGreaterThanOrEqual(1); // the room's load
    expect(await health(b.httpUrl)).toEqual({
      status: 200,
      body: expect.objectContaining({ status: 'degraded' }),
    });
    const duringA = (await Promise.all(onA.map((u, i) => typeTokens(u, `da${i}`, 15)))).flat();
    const duringB = (await Promise.all(onB.map((u, i) => typeTokens(u, `db${i}`, 15)))).flat();
    // Each instance still serves its own clients.
    await converged(onA, [...before, ...duringA]);
    await converged(onB, [...before, ...duringB]);

    await redis.restart();
    const all = [...before, ...duringA, ...duringB];
    const text = await converged([...onA, ...onB], all);
    expect((await health(a.httpUrl)).body.status).toBe('ok');
    expect((await health(b.httpUrl)).body.status).toBe('ok');
    expect(await metric(a.httpUrl, 'relay_cluster_status')).toBe(1);
    // Recovery re-ran anti-entropy for the loaded room.
    expect(await metric(a.httpUrl, 'relay_cluster_anti_entropy_rounds_total')).toBeGreaterThan(
      roundsBefore,
    );
    await waitFor(
      async () => (await storedText(db.url, room)) === text,
      10_000,
      'database to hold it',
    );
  });
});
