import { describe, expect, it } from 'vitest';
import type { Cluster } from './cluster';
import { describeClusterContract, Inbox, utf8 } from './cluster.contract';
import { createLocalCluster, LocalBus } from './local';

describeClusterContract('local bus', () => {
  const bus = new LocalBus();
  const made: Cluster[] = [];
  return {
    async join() {
      const member = bus.join();
      made.push(member);
      return member;
    },
    async cleanup() {
      await Promise.all(made.map((c) => c.close()));
    },
  };
});

describe('local cluster', () => {
  it('alone, publishes to nobody and stays ok', async () => {
    const cluster = createLocalCluster();
    const inbox = new Inbox();
    await cluster.subscribe('r', inbox.handler);
    cluster.publish('r', utf8('nobody hears this'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(inbox.received).toEqual([]);
    expect(cluster.status()).toBe('ok');
    await cluster.close();
  });

  it('reports an unavailable bus as degraded, drops frames meanwhile, and recovers', async () => {
    const bus = new LocalBus();
    const [a, b] = [bus.join(), bus.join()];
    const seen: string[] = [];
    a.onStatusChange((status) => seen.push(status));
    const inbox = new Inbox();
    await b.subscribe('r', inbox.handler);
    bus.setAvailable(false);
    expect([a.status(), b.status()]).toEqual(['degraded', 'degraded']);
    a.publish('r', utf8('lost'));
    bus.setAvailable(true);
    a.publish('r', utf8('after'));
    await inbox.untilText('after');
    expect(inbox.texts()).toEqual(['after']);
    expect(seen).toEqual(['degraded', 'ok']);
    await Promise.all([a.close(), b.close()]);
  });
});
