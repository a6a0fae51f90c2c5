/**
 * In-process Cluster. A lone LocalCluster (the single-instance default) publishes to nobody;
 * several relays in one process can join one LocalBus to behave like instances sharing a
 * Redis, which is how tests exercise fan-out and anti-entropy without a server. The bus can be
 * made unavailable to simulate an outage: members turn 'degraded' and frames are dropped.
 */

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

export interface LocalClusterOptions {
  readonly instanceId?: string;
  /** A handler threw while a frame was delivered (default: rethrown asynchronously). */
  readonly onHandlerError?: (err: unknown, room: string) => void;
}

export class LocalBus {
  private readonly members = new Map<string, LocalCluster>();
  private available = true;

  /** A new member instance on this bus. */
  join(options: LocalClusterOptions = {}): LocalCluster {
    const member = new LocalCluster(this, options);
    this.members.set(member.instanceId, member);
    return member;
  }

  /** Simulate the bus going down (false) and coming back (true). */
  setAvailable(available: boolean): void {
    if (available === this.available) return;
    this.available = available;
    for (const member of [...this.members.values()]) member.busStatus(this.statusNow());
  }

  /** @internal */
  statusNow(): ClusterStatus {
    return this.available ? 'ok' : 'degraded';
  }

  /**
   * @internal Delivered on a later macrotask, in publish order, like a network would. Like
   * Redis, a broadcast goes to the members subscribed when it is sent; returns their number
   * (what Redis's PUBLISH answers, less the sender).
   */
  send(from: string, room: string, frame: Uint8Array, to: string | undefined): number {
    if (!this.available) return 0;
    const targets: LocalCluster[] = [];
    if (to !== undefined) {
      const target = this.members.get(to);
      if (target && to !== from) targets.push(target);
    } else {
      for (const member of this.members.values())
        if (member.instanceId !== from && member.subscribes(room)) targets.push(member);
    }
    if (targets.length === 0) return 0;
    setImmediate(() => {
      if (!this.available) return;
      for (const target of targets) target.deliver(room, frame, { from, direct: to !== undefined });
    });
    return targets.length;
  }

  /** @internal */
  leave(member: LocalCluster): void {
    this.members.delete(member.instanceId);
  }
}

export class LocalCluster implements Cluster {
  readonly instanceId: string;
  readonly counters = new ClusterCounters();
  private readonly handlers: RoomHandlers;
  private readonly audience = new RoomAudience();
  private readonly notifier: StatusNotifier;
  private closed = false;

  /** @internal Use `LocalBus.join` or `createLocalCluster`. */
  constructor(
    private readonly bus: LocalBus,
    options: LocalClusterOptions,
  ) {
    this.instanceId = options.instanceId ?? newInstanceId();
    this.notifier = new StatusNotifier(bus.statusNow());
    this.handlers = new RoomHandlers(
      options.onHandlerError ??
        ((err) =>
          setImmediate(() => {
            throw err;
          })),
    );
  }

  async subscribe(room: string, onFrame: FrameHandler): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('cluster is closed');
    if (this.handlers.add(room, onFrame)) {
      this.audience.watch(room);
      this.audience.confirm(room);
    }
    return async () => {
      if (this.handlers.remove(room, onFrame)) this.audience.unwatch(room);
    };
  }

  publish(room: string, frame: Uint8Array, to?: string): void {
    if (this.closed || this.bus.statusNow() !== 'ok') return;
    this.counters.countPublished(frame, to === undefined);
    this.counters.messagesPublished++;
    const ticket = to === undefined ? this.audience.ticket(room) : undefined;
    const reached = this.bus.send(this.instanceId, room, frame, to);
    if (ticket !== undefined) this.audience.reached(room, ticket, reached);
  }

  reachesOthers(room: string): boolean {
    return this.audience.reachesOthers(room);
  }

  /** @internal */
  subscribes(room: string): boolean {
    return !this.closed && this.handlers.has(room);
  }

  status(): ClusterStatus {
    return this.notifier.status;
  }

  onStatusChange(listener: (status: ClusterStatus) => void): () => void {
    return this.notifier.listen(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    this.notifier.clear();
    this.bus.leave(this);
  }

  /** @internal */
  deliver(room: string, frame: Uint8Array, meta: { from: string; direct: boolean }): void {
    if (this.closed) return;
    this.counters.messagesReceived++;
    this.counters.countReceived(frame);
    this.audience.heardFrom(room);
    this.handlers.deliver(room, frame, meta);
  }

  /** @internal */
  busStatus(status: ClusterStatus): void {
    if (!this.closed) this.notifier.set(status);
  }
}

/** The single-instance cluster: nothing to fan out to, always 'ok'. */
export function createLocalCluster(options: LocalClusterOptions = {}): LocalCluster {
  return new LocalBus().join(options);
}
