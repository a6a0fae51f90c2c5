/**
 * The Cluster behaviour suite, written once and run against every implementation
 * (local.test.ts, redis.test.ts).
 *
 * "Not delivered" is asserted without sleeping, through a causal barrier: after the frame that
 * must not arrive, the same publisher sends a marker the same recipient does receive. Buses
 * keep one publisher's frames in order for one recipient, so once the marker is in, the other
 * frame would have been too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../test/harness';
import type { Cluster, FrameMeta } from './cluster';

export interface ClusterFixture {
  /** A new instance on the fixture's bus, connected ('ok'). */
  join(): Promise<Cluster>;
  /** Close every instance the fixture made and release the bus. */
  cleanup(): Promise<void>;
}

interface Received {
  readonly frame: Uint8Array;
  readonly meta: FrameMeta;
}

/** Records what a handler receives and waits for it. */
export class Inbox {
  readonly received: Received[] = [];
  readonly handler = (frame: Uint8Array, meta: FrameMeta): void => {
    this.received.push({ frame: frame.slice(), meta });
    for (const waiter of [...this.waiters]) waiter();
  };
  private readonly waiters = new Set<() => void>();

  texts(): string[] {
    return this.received.map((r) => new TextDecoder().decode(r.frame));
  }

  /** Resolve once `predicate` holds, or fail after `timeoutMs`. */
  until(predicate: (inbox: Inbox) => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out; received ${JSON.stringify(this.texts()).slice(0, 500)}`));
      }, timeoutMs);
      const check = () => {
        if (!predicate(this)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  untilText(text: string, timeoutMs?: number): Promise<void> {
    return this.until((inbox) => inbox.texts().includes(text), timeoutMs);
  }
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export function describeClusterContract(name: string, makeFixture: () => ClusterFixture): void {
  describe(`Cluster contract: ${name}`, () => {
    let fixture: ClusterFixture | undefined;
    const fleet = async (n: number): Promise<Cluster[]> => {
      fixture ??= makeFixture();
      const made: Cluster[] = [];
      for (let i = 0; i < n; i++) made.push(await fixture.join());
      return made;
    };
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    it('starts ok with a distinct instance id per instance', async () => {
      const [a, b] = await fleet(2);
      expect(a?.status()).toBe('ok');
      expect(a?.instanceId).not.toBe(b?.instanceId);
    });

    it('delivers a broadcast to every other subscribed instance, tagged with its origin', async () => {
      const [a, b, c] = (await fleet(3)) as [Cluster, Cluster, Cluster];
      const [inA, inB, inC] = [new Inbox(), new Inbox(), new Inbox()];
      await a.subscribe('r', inA.handler);
      await b.subscribe('r', inB.handler);
      await c.subscribe('r', inC.handler);
      a.publish('r', utf8('hello'));
      await inB.untilText('hello');
      await inC.untilText('hello');
      expect(inB.received[0]?.meta).toEqual({ from: a.instanceId, direct: false });
      // No echo: b answers after receiving, and a receives b's answer after its own frame.
      b.publish('r', utf8('reply'));
      await inA.untilText('reply');
      expect(inA.texts()).toEqual(['reply']);
    });

    it('keeps rooms isolated', async () => {
      const [a, b] = (await fleet(2)) as [Cluster, Cluster];
      const [one, two] = [new Inbox(), new Inbox()];
      await b.subscribe('one', one.handler);
      await b.subscribe('two', two.handler);
      a.publish('two', utf8('for-two'));
      a.publish('elsewhere', utf8('for-nobody'));
      a.publish('one', utf8('for-one'));
      await one.untilText('for-one');
      await two.untilText('for-two');
      expect(one.texts()).toEqual(['for-one']);
      expect(two.texts()).toEqual(['for-two']);
    });

    it('keeps one publisher’s frames in order', async () => {
      const [a, b] = (await fleet(2)) as [Cluster, Cluster];
      const inbox = new Inbox();
      await b.subscribe('r', inbox.handler);
      const sent = Array.from({ length: 200 }, (_, i) => `m${i}`);
      for (const text of sent) a.publish('r', utf8(text));
      await inbox.until((i) => i.received.length === sent.length);
      expect(inbox.texts()).toEqual(sent);
    });

    it('stops delivery to a handler once unsubscribed, leaving other handlers', async () => {
      const [a, b] = (await fleet(2)) as [Cluster, Cluster];
      const [first, second, barrier] = [new Inbox(), new Inbox(), new Inbox()];
      const unsubFirst = await b.subscribe('r', first.handler);
      const unsubSecond = await b.subscribe('r', second.handler);
      await b.subscribe('barrier', barrier.handler);
      await unsubFirst();
      a.publish('r', utf8('x'));
      await second.untilText('x');
      await unsubSecond();
      await unsubSecond(); // idempotent
      a.publish('r', utf8('y'));
      a.publish('barrier', utf8('after-y'));
      await barrier.untilText('after-y');
      expect(first.texts()).toEqual([]);
      expect(second.texts()).toEqual(['x']);
    });

    it('delivers an addressed frame to its target only, marked direct', async () => {
      const [a, b, c] = (await fleet(3)) as [Cluster, Cluster, Cluster];
      const [inB, inC] = [new Inbox(), new Inbox()];
      await b.subscribe('r', inB.handler);
      await c.subscribe('r', inC.handler);
      a.publish('r', utf8('just-b'), b.instanceId);
      a.publish('r', utf8('everyone'));
      await inB.until((i) => i.received.length === 2);
      await inC.untilText('everyone');
      expect(inB.received[0]?.meta).toEqual({ from: a.instanceId, direct: true });
      expect(inB.texts()).toEqual(['just-b', 'everyone']);
      expect(inC.texts()).toEqual(['everyone']);
    });

    it('delivers binary frames intact, from empty to 1 MiB', async () => {
      const [a, b] = (await fleet(2)) as [Cluster, Cluster];
      const inbox = new Inbox();
      await b.subscribe('bin', inbox.handler);
      const allBytes = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
      const big = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7919) % 251);
      const frames = [allBytes, new Uint8Array(0), Uint8Array.of(0, 0, 0, 255, 13, 10), big];
      for (const frame of frames) a.publish('bin', frame);
      await inbox.until((i) => i.received.length === frames.length);
      // Compared as Buffers: a deep equal of a 1 MiB array element by element takes seconds.
      const same = inbox.received.map((r, i) =>
        Buffer.from(r.frame).equals(frames[i] ?? new Uint8Array(1)),
      );
      expect(same).toEqual(frames.map(() => true));
      expect(inbox.received.map((r) => r.frame.length)).toEqual(frames.map((f) => f.length));
    });

    it('accepts any room id the relay accepts', async () => {
      const [a, b] = (await fleet(2)) as [Cluster, Cluster];
      const room = `Aa_-9${'z'.repeat(120)}`;
      const inbox = new Inbox();
      await b.subscribe(room, inbox.handler);
      a.publish(room, utf8('long'));
      await inbox.untilText('long');
    });

    it('tells when a room reaches no other instance, and notices one that publishes to it', async () => {
      const [a, b] = (await fleet(2)) as [Cluster, Cluster];
      const [inA, inB] = [new Inbox(), new Inbox()];
      expect(a.reachesOthers('r')).toBe(true); // not subscribed: nothing known
      await a.subscribe('r', inA.handler);
      expect(a.reachesOthers('r')).toBe(true); // until a broadcast is answered
      a.publish('r', utf8('to-nobody'));
      await waitFor(() => !a.reachesOthers('r'), 5000, 'a to learn it is alone');
      await b.subscribe('r', inB.handler);
      b.publish('r', utf8('here'));
      await inA.untilText('here');
      expect(a.reachesOthers('r')).toBe(true);
      a.publish('r', utf8('to-b'));
      await inB.untilText('to-b');
      expect(inB.texts()).toEqual(['to-b']);
    });

    it('a room is alone again once the other instance unsubscribes', async () => {
      const [a, b] = (await fleet(2)) as [Cluster, Cluster];
      const [inA, inB] = [new Inbox(), new Inbox()];
      await a.subscribe('r', inA.handler);
      const unsubscribe = await b.subscribe('r', inB.handler);
      a.publish('r', utf8('one'));
      await inB.untilText('one');
      expect(a.reachesOthers('r')).toBe(true);
      await unsubscribe();
      a.publish('r', utf8('two'));
      await waitFor(() => !a.reachesOthers('r'), 5000, 'a to learn it is alone');
    });

    it('closes idempotently; afterwards publish is a no-op and subscribe fails', async () => {
      const [a, b] = (await fleet(2)) as [Cluster, Cluster];
      const inbox = new Inbox();
      await b.subscribe('r', inbox.handler);
      await Promise.all([a.close(), a.close()]);
      await a.close();
      expect(() => a.publish('r', utf8('late'))).not.toThrow();
      await expect(a.subscribe('r', () => {})).rejects.toThrow();
      await b.close();
      await b.close();
    });
  });
}
