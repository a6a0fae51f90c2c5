/**
 * RedisCluster: the contract against the shared Redis (COEDIT_TEST_REDIS_URL, default
 * 127.0.0.1:6379) under a fresh random prefix, then fault tests against a private
 * redis-server that they kill, pause and restart.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, ClusterStatus } from './cluster';
import { describeClusterContract, Inbox, utf8 } from './cluster.contract';
import { connectRedisCluster, type RedisClusterOptions } from './redis';
import { PrivateRedis, waitFor } from './redis-server.fixture';

const sharedUrl = process.env.COEDIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const freshPrefix = () => `coedit-test-${randomBytes(6).toString('hex')}`;

describeClusterContract('redis', () => {
  const prefix = freshPrefix();
  const made: Cluster[] = [];
  return {
    async join() {
      const cluster = await connectRedisCluster({ url: sharedUrl, prefix });
      made.push(cluster);
      if (cluster.status() !== 'ok') throw new Error(`Redis not reachable at ${sharedUrl}`);
      return cluster;
    },
    async cleanup() {
      await Promise.all(made.map((c) => c.close()));
    },
  };
});

/** Clusters opened by a test, closed after it. */
const opened: Cluster[] = [];
async function open(options: RedisClusterOptions): Promise<Cluster> {
  const cluster = await connectRedisCluster({
    probeIntervalMs: 100,
    probeTimeoutMs: 300,
    maxReconnectDelayMs: 100,
    ...options,
  });
  opened.push(cluster);
  return cluster;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

function statusLog(cluster: Cluster): ClusterStatus[] {
  const log: ClusterStatus[] = [];
  cluster.onStatusChange((status) => log.push(status));
  return log;
}

describe('redis cluster on the shared Redis', () => {
  it('with withhold off, a room reaches others even when Redis counted nobody', async () => {
    const prefix = freshPrefix();
    const keeps = await open({ url: sharedUrl, prefix, withhold: false });
    const learns = await open({ url: sharedUrl, prefix });
    await keeps.subscribe('k', () => {});
    await learns.subscribe('l', () => {});
    keeps.publish('k', utf8('alone'));
    learns.publish('l', utf8('alone'));
    await waitFor('the default instance to learn it is alone', () => !learns.reachesOthers('l'));
    expect(keeps.reachesOthers('k')).toBe(true);
  });

  it('does not cross prefixes', async () => {
    const prefix = freshPrefix();
    const a = await open({ url: sharedUrl, prefix });
    const b = await open({ url: sharedUrl, prefix });
    const stranger = await open({ url: sharedUrl, prefix: freshPrefix() });
    const [inB, inStranger] = [new Inbox(), new Inbox()];
    await b.subscribe('r', inB.handler);
    await stranger.subscribe('r', inStranger.handler);
    a.publish('r', utf8('mine'));
    await inB.untilText('mine');
    stranger.publish('r', utf8('theirs'));
    b.publish('r', utf8('echo-check'));
    await waitFor('stranger sees nothing of ours', () => inStranger.received.length === 0);
    a.publish('r', utf8('barrier'));
    await inB.untilText('barrier');
    expect(inB.texts()).toEqual(['mine', 'barrier']);
  });

  it('drops malformed messages and keeps delivering', async () => {
    const prefix = freshPrefix();
    const a = await open({ url: sharedUrl, prefix });
    const b = await open({ url: sharedUrl, prefix });
    const inbox = new Inbox();
    await b.subscribe('r', inbox.handler);
    const raw = new Redis(sharedUrl);
    try {
      await raw.publish(`${prefix}:room:r`, Buffer.from([7, 1, 2]));
      await raw.publish(`${prefix}:room:r`, Buffer.from([1, 200]));
      await raw.publish(`${prefix}:instance:${b.instanceId}`, Buffer.from([]));
    } finally {
      raw.disconnect();
    }
    a.publish('r', utf8('fine'));
    await inbox.untilText('fine');
    expect(inbox.texts()).toEqual(['fine']);
  });
});

describe('redis cluster faults (private redis-server)', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterAll(async () => {
    redis?.pause(false);
    await redis?.kill();
  });

  it('turns degraded when Redis dies, ok when it is back, with subscriptions restored', async () => {
    const prefix = freshPrefix();
    const a = await open({ url: redis.url, prefix });
    const b = await open({ url: redis.url, prefix });
    const inbox = new Inbox();
    await b.subscribe('r', inbox.handler);
    const log = statusLog(b);
    a.publish('r', utf8('before'));
    await inbox.untilText('before');

    await redis.kill();
    await waitFor('both degraded', () => a.status() === 'degraded' && b.status() === 'degraded');
    a.publish('r', utf8('during')); // dropped, not queued, and no throw
    // Subscribing while degraded resolves at once; the subscription is made on recovery.
    const late = new Inbox();
    await b.subscribe('late', late.handler);

    await redis.restart();
    await waitFor('both ok', () => a.status() === 'ok' && b.status() === 'ok');
    a.publish('r', utf8('after'));
    a.publish('late', utf8('late-after'));
    await inbox.untilText('after');
    await late.untilText('late-after');
    expect(inbox.texts()).toEqual(['before', 'after']);
    expect(log).toEqual(['degraded', 'ok']);
  });

  it('turns degraded while Redis is frozen and ok once it answers again', async () => {
    const prefix = freshPrefix();
    const a = await open({ url: redis.url, prefix });
    const b = await open({ url: redis.url, prefix });
    const inbox = new Inbox();
    await b.subscribe('r', inbox.handler);
    redis.pause(true);
    try {
      await waitFor('degraded while frozen', () => a.status() === 'degraded');
      // Loading a room must not wait for a frozen Redis: subscribing gives up after the timeout.
      const whileFrozen = new Inbox();
      await b.subscribe('frozen', whileFrozen.handler);
    } finally {
      redis.pause(false);
    }
    await waitFor('ok after thaw', () => a.status() === 'ok' && b.status() === 'ok');
    a.publish('r', utf8('thawed'));
    await inbox.untilText('thawed');
  });

  it('starts degraded when Redis is down and becomes ok when it comes up', async () => {
    await redis.kill();
    const prefix = freshPrefix();
    const cluster = await open({ url: redis.url, prefix, startupWaitMs: 200 });
    expect(cluster.status()).toBe('degraded');
    const inbox = new Inbox();
    await cluster.subscribe('r', inbox.handler); // resolves at once while degraded
    await redis.restart();
    await waitFor('ok after Redis started', () => cluster.status() === 'ok');
    const other = await open({ url: redis.url, prefix });
    other.publish('r', utf8('first'));
    await inbox.untilText('first');
  });
});
