/**
 * Cluster over Redis pub/sub: one channel per room, `${prefix}:room:${room}`, plus one inbox
 * channel per instance, `${prefix}:instance:${id}`, for replies addressed to it (anti-entropy
 * answers can be a whole document; other instances need not receive them).
 *
 * Why pub/sub and not Streams: the bus only has to be fast. Every update is already durable in
 * the DocStore before it is published, and Yjs state-vector exchange repairs any gap (missed
 * messages, an outage, even a flushed Redis), so stream offsets, replay and trimming would
 * store every update a second time for no gain in safety, and blocking stream reads add latency.
 * Pub/sub is at most once; every way it loses a frame (a connection drop, a subscriber evicted
 * for a full output buffer) is a reconnect, after which the status turns 'ok' again and rooms
 * re-run anti-entropy.
 *
 * Publishing is coalesced (outbox.ts): the frames published in one turn of the event loop, or
 * within `coalesceMs` of the previous write, leave in one corked socket write, and consecutive
 * frames for the same channel share one PUBLISH (one envelope). Order is kept. Fewer writes
 * also mean fewer wake-ups of every subscriber.
 *
 * PUBLISH answers with the number of subscribers reached; RoomAudience turns that into
 * `reachesOthers`, so that rooms held by this instance alone publish nothing but step 1s.
 *
 * Two connections: a subscriber (in subscribe mode it cannot publish) and a publisher. Neither
 * queues commands while disconnected: frames published during an outage are dropped, not
 * buffered without bound. A PING probe on the publisher also notices a Redis that accepts
 * connections but does not answer (e.g. SIGSTOP) and reports 'degraded' meanwhile.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log';
import { RoomAudience } from './audience';
import {
  type Cluster,
  type ClusterStatus,
  type FrameHandler,
  newInstanceId,
  RoomHandlers,
  StatusNotifier,
} from './cluster';
import { ClusterCounters } from './counters';
import { decodeEnvelope, encodeEnvelope } from './envelope';
import { Outbox, type OutboxGroup } from './outbox';

export interface RedisClusterOptions {
  /** redis:// or rediss:// URL. */
  readonly url: string;
  /** Namespace of every channel (tests use a random one). Default 'coedit'. */
  readonly prefix?: string;
  readonly instanceId?: string;
  readonly logger?: Logger;
  /** How often the publisher is PINGed (default 1000 ms) ... */
  readonly probeIntervalMs?: number;
  /** ... and how long an answer may take before the status turns 'degraded' (default 2000). */
  readonly probeTimeoutMs?: number;
  /** Longest wait between reconnection attempts (default 1000 ms). */
  readonly maxReconnectDelayMs?: number;
  /** How long `connectRedisCluster` waits for 'ok' before returning degraded (default 3000). */
  readonly startupWaitMs?: number;
  /** Minimum time between two bus writes while frames keep coming (default 2 ms; 0 = none). */
  readonly coalesceMs?: number;
  /**
   * Let `reachesOthers` turn false for rooms whose broadcasts reach no other subscriber
   * (default true). Off where PUBLISH's count does not cover every instance: in Redis Cluster,
   * or with instances subscribed through different nodes, it counts one node's subscribers only.
   */
  readonly withhold?: boolean;
}

/** Connect and wait (bounded) for 'ok'. If Redis is down, returns a 'degraded' cluster that
 * keeps reconnecting: the relay serves its own clients meanwhile. */
export async function connectRedisCluster(options: RedisClusterOptions): Promise<RedisCluster> {
  const cluster = new RedisCluster(options);
  if (cluster.status() !== 'ok') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, options.startupWaitMs ?? 3000);
      const stop = cluster.onStatusChange((status) => status === 'ok' && done());
      function done(): void {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
  }
  if (cluster.status() !== 'ok') {
    options.logger?.warn('redis unreachable at start; serving local clients only until it is');
  }
  return cluster;
}

export class RedisCluster implements Cluster {
  readonly instanceId: string;
  readonly counters = new ClusterCounters();
  private readonly outbox: Outbox;
  private readonly prefix: string;
  private readonly inbox: string;
  private readonly sub: Redis;
  private readonly pub: Redis;
  private readonly handlers: RoomHandlers;
  private readonly audience = new RoomAudience();
  private readonly withhold: boolean;
  private readonly notifier = new StatusNotifier('degraded');
  private readonly logger: Logger | undefined;
  /** The subscriber holds every channel of `handlers` (set after each (re)subscription). */
  private subscribed = false;
  /** Bumped on every subscriber connection, so a late resubscription of an old one is ignored. */
  private subGeneration = 0;
  private probeFailed = false;
  private readonly probeTimeoutMs: number;
  private readonly probeTimer: NodeJS.Timeout;
  private closing: Promise<void> | null = null;

  constructor(options: RedisClusterOptions) {
    this.instanceId = options.instanceId ?? newInstanceId();
    this.prefix = options.prefix ?? 'coedit';
    this.outbox = new Outbox((groups) => this.write(groups), options.coalesceMs ?? 2);
    this.inbox = `${this.prefix}:instance:${this.instanceId}`;
    this.logger = options.logger;
    this.withhold = options.withhold ?? true;
    this.handlers = new RoomHandlers((err, room) =>
      this.logger?.error({ err, room }, 'cluster frame handler failed'),
    );
    const maxDelay = options.maxReconnectDelayMs ?? 1000;
    const common: RedisOptions = {
      enableOfflineQueue: false,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay),
      connectionName: `coedit-relay-${this.instanceId}`,
    };
    this.sub = new Redis(options.url, common);
    this.pub = new Redis(options.url, common);
    for (const [name, conn] of [
      ['subscriber', this.sub],
      ['publisher', this.pub],
    ] as const) {
      conn.on('error', (err: Error) =>
        this.logger?.debug({ err: err.message, conn: name }, 'redis'),
      );
      conn.on('close', () => this.update());
    }
    this.pub.on('ready', () => {
      this.probeFailed = false;
      this.update();
    });
    this.sub.on('ready', () => void this.resubscribe());
    this.sub.on('close', () => {
      this.subscribed = false;
      this.audience.lost();
      this.update();
    });
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      this.receive(channel.toString(), message),
    );
    const interval = options.probeIntervalMs ?? 1000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 2000;
    this.probeTimer = setInterval(() => this.probe(this.probeTimeoutMs), interval);
    this.probeTimer.unref();
  }

  async subscribe(room: string, onFrame: FrameHandler): Promise<() => Promise<void>> {
    if (this.closing) throw new Error('cluster is closed');
    const first = this.handlers.add(room, onFrame);
    if (first) this.audience.watch(room);
    if (first && this.sub.status === 'ready') {
      // A failure means the connection dropped: its 'ready' resubscribes every room. Bounded, so
      // a frozen Redis cannot hold up loading a room (the probe reports it as degraded).
      const generation = this.subGeneration;
      const subscribed = this.sub.subscribe(this.roomChannel(room)).then(
        () => {
          if (generation === this.subGeneration && this.handlers.has(room)) {
            this.audience.confirm(room);
          }
        },
        () => {},
      );
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.probeTimeoutMs);
      });
      await Promise.race([subscribed, timeout]);
      clearTimeout(timer);
    }
    return async () => {
      if (!this.handlers.remove(room, onFrame)) return;
      this.audience.unwatch(room);
      if (this.sub.status === 'ready' && !this.closing) {
        await this.sub.unsubscribe(this.roomChannel(room)).catch(() => {});
      }
    };
  }

  publish(room: string, frame: Uint8Array, to?: string): void {
    if (this.closing || this.pub.status !== 'ready') return;
    this.counters.countPublished(frame, to === undefined);
    this.outbox.add(room, to, frame);
  }

  reachesOthers(room: string): boolean {
    return !this.withhold || this.audience.reachesOthers(room);
  }

  /** One corked write of every group, one PUBLISH (one envelope) per group. */
  private write(groups: readonly OutboxGroup[]): void {
    if (this.closing || this.pub.status !== 'ready') return;
    const stream = this.pub.stream;
    stream.cork();
    try {
      for (const { room, to, frames } of groups) {
        const channel = to === undefined ? this.roomChannel(room) : this.inboxOf(to);
        const message = encodeEnvelope({ from: this.instanceId, to, room }, frames);
        this.counters.messagesPublished++;
        // Lost frames are repaired by anti-entropy after the reconnect that every loss implies.
        const sent = this.pub.publish(channel, message);
        const ticket = to === undefined ? this.audience.ticket(room) : undefined;
        if (ticket === undefined) sent.catch(ignore);
        else {
          // The count includes this instance's own subscriber (the ticket says it is in place).
          sent.then((receivers) => this.audience.reached(room, ticket, receivers - 1), ignore);
        }
      }
    } finally {
      stream.uncork();
    }
  }

  status(): ClusterStatus {
    return this.notifier.status;
  }

  onStatusChange(listener: (status: ClusterStatus) => void): () => void {
    return this.notifier.listen(listener);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.outbox.flush(); // frames published just before closing still leave
      clearInterval(this.probeTimer);
      this.handlers.clear();
      this.notifier.clear();
      // QUIT lets frames already written reach Redis; disconnect covers a dead connection.
      await Promise.all(
        [this.pub, this.sub].map((conn) =>
          conn.status === 'ready' ? conn.quit().catch(() => conn.disconnect()) : conn.disconnect(),
        ),
      );
    })();
    return this.closing;
  }

  private roomChannel(room: string): string {
    return `${this.prefix}:room:${room}`;
  }

  private inboxOf(instanceId: string): string {
    return `${this.prefix}:instance:${instanceId}`;
  }

  private receive(channel: string, message: Buffer): void {
    let envelope: ReturnType<typeof decodeEnvelope>;
    try {
      envelope = decodeEnvelope(message);
    } catch (err) {
      this.logger?.warn({ channel, err: String(err) }, 'dropped malformed cluster message');
      return;
    }
    const { from, to, room, frames } = envelope;
    if (from === this.instanceId) return; // our own broadcast, echoed by Redis
    const direct = channel === this.inbox;
    if (direct ? to !== this.instanceId : channel !== this.roomChannel(room)) return;
    this.counters.messagesReceived++;
    this.audience.heardFrom(room);
    const meta = { from, direct };
    for (const frame of frames) {
      this.counters.countReceived(frame);
      this.handlers.deliver(room, frame, meta);
    }
  }

  /** On every (re)connection of the subscriber: subscribe the inbox and every room again. */
  private async resubscribe(): Promise<void> {
    const generation = ++this.subGeneration;
    const rooms = this.handlers.rooms();
    const channels = [this.inbox, ...rooms.map((room) => this.roomChannel(room))];
    try {
      await this.sub.subscribe(...channels);
    } catch {
      return; // dropped again; the next 'ready' retries
    }
    if (generation !== this.subGeneration || this.sub.status !== 'ready') return;
    for (const room of rooms) if (this.handlers.has(room)) this.audience.confirm(room);
    this.subscribed = true;
    this.update();
  }

  private probe(timeoutMs: number): void {
    if (this.closing || this.pub.status !== 'ready') return;
    const timer = setTimeout(() => {
      this.probeFailed = true;
      this.update();
    }, timeoutMs);
    this.pub.ping().then(
      () => {
        clearTimeout(timer);
        this.probeFailed = false;
        this.update();
      },
      () => clearTimeout(timer), // the connection dropped: 'close' already reports it
    );
  }

  private update(): void {
    if (this.closing) return;
    const ok =
      this.subscribed &&
      this.sub.status === 'ready' &&
      this.pub.status === 'ready' &&
      !this.probeFailed;
    const next: ClusterStatus = ok ? 'ok' : 'degraded';
    if (next === this.notifier.status) return;
    if (next === 'degraded') this.logger?.warn('redis unreachable: cluster degraded');
    else this.logger?.info('redis reachable: cluster ok');
    this.notifier.set(next);
  }
}

function ignore(): void {}
