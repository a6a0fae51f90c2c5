/**
 * Two relays on one Redis (fresh prefix; own memory stores): each one's dashboard stream carries
 * both instances' samples, and an instance that loses Redis says 'degraded' in its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateRoomId } from '../../lib/room-id';
import {
  freshPrefix,
  type Instance,
  SHARED_REDIS_URL,
  startInstance,
} from '../cluster/fleet.fixture';
import { connectRedisCluster } from '../cluster/redis';
import { PrivateRedis } from '../cluster/redis-server.fixture';
import { createMemoryStore } from '../storage/memory';
import { connectClient, type TestClient } from '../test/harness';
import { type Watch, watch } from './watch.fixture';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function instance(url: string, prefix: string): Promise<Instance> {
  const cluster = await connectRedisCluster({
    url,
    prefix,
    probeIntervalMs: 100,
    probeTimeoutMs: 500,
    maxReconnectDelayMs: 100,
  });
  const started = await startInstance({ cluster, store: createMemoryStore(), sharedStore: false });
  cleanups.push(() => started.close());
  return started;
}

function client(i: Instance, room: string): TestClient {
  const made = connectClient(i.url, room);
  cleanups.push(() => made.destroy());
  return made;
}

async function watching(i: Instance): Promise<Watch> {
  const w = await watch(i.httpUrl);
  cleanups.push(() => w.close());
  return w;
}

describe('dashboard in a cluster', () => {
  it("each instance's stream has a line per instance, with that instance's own numbers", async () => {
    const prefix = freshPrefix();
    const a = await instance(SHARED_REDIS_URL, prefix);
    const b = await instance(SHARED_REDIS_URL, prefix);
    const room = generateRoomId();
    const onA = [client(a, room), client(a, room)];
    const onB = client(b, room);
    await Promise.all([...onA, onB].map((c) => c.synced()));
    onB.text.insert(0, 'from b');
    const watchA = await watching(a);
    expect(watchA.history.self).toBe(a.cluster.instanceId);
    // A's stream: B's samples arrive over Redis, with B's connection count.
    const fromB = await watchA.sample((s) => s.instance === b.cluster.instanceId);
    expect(fromB).toMatchObject({ connections: 1, status: 'ok' });
    const fromA = await watchA.sample((s) => s.instance === a.cluster.instanceId);
    expect(fromA).toMatchObject({ connections: 2, status: 'ok' });
    // A newcomer to B's dashboard gets both instances' history at once.
    const watchB = await watching(b);
    expect(Object.keys(watchB.history.instances).sort()).toEqual(
      [a.cluster.instanceId, b.cluster.instanceId].sort(),
    );
  });

  it("an instance that loses Redis reports 'degraded', and 'ok' again once it is back", async () => {
    const redis = await PrivateRedis.start();
    cleanups.push(() => redis.kill());
    const a = await instance(redis.url, freshPrefix());
    const w = await watching(a);
    await w.sample((s) => s.status === 'ok');
    await redis.kill();
    await w.sample((s) => s.status === 'degraded');
    await redis.restart();
    await w.sample((s) => s.status === 'ok');
  });
});
