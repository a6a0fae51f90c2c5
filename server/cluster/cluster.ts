/**
 * Cluster: how relay instances serving the same rooms exchange frames. The bus is best-effort
 * (at most once): durability comes from the DocStore, and rooms close any gap by exchanging
 * state vectors (anti-entropy) when they load and whenever the cluster becomes 'ok' again.
 * One contract suite (cluster.contract.ts) runs against every implementation.
 */
import { randomBytes } from 'node:crypto';
import type { ClusterCounters } from './counters';

/** 'degraded': the bus is unreachable; frames published now are dropped, not queued. */
export type ClusterStatus = 'ok' | 'degraded';

/** Where a delivered frame came from, and whether it was addressed to this instance alone. */
export interface FrameMeta {
  /** `instanceId` of the publisher. Never this instance: own frames are not delivered back. */
  readonly from: string;
  /** True for a frame published with `to` = this instance (a reply), false for a broadcast. */
  readonly direct: boolean;
}

export type FrameHandler = (frame: Uint8Array, meta: FrameMeta) => void;

export interface Cluster {
  /** Unique per process start; tags every published frame. */
  readonly instanceId: string;
  /** Frames and bus messages sent and received, anti-entropy rounds (read by /metrics). */
  readonly counters: ClusterCounters;
  /**
   * Deliver frames published to `room` by other instances (and frames addressed to this
   * instance for `room`) to `onFrame`, until the returned function is called. Several handlers
   * may subscribe to one room. Resolves once frames published from then on will be delivered,
   * or at once while degraded: the subscription is then made on recovery, before the status
   * turns 'ok'. The returned unsubscribe stops delivery to `onFrame` immediately.
   */
  subscribe(room: string, onFrame: FrameHandler): Promise<() => Promise<void>>;
  /**
   * Send `frame` (bytes are delivered intact) to every other instance subscribed to `room`, or,
   * with `to`, only to that instance. Fire and forget: nothing is queued while degraded.
   * The caller must not modify `frame` afterwards.
   */
  publish(room: string, frame: Uint8Array, to?: string): void;
  /**
   * False when a broadcast to `room` would reach no other instance: the last one reached none
   * and no frame for `room` came from another instance since (see audience.ts). True for a room
   * this instance does not subscribe to. An instance that subscribes afterwards is noticed when
   * it publishes to the room, so a room's first broadcast must always be sent.
   */
  reachesOthers(room: string): boolean;
  status(): ClusterStatus;
  /** Called on every change of `status()`; returns a function removing the listener. */
  onStatusChange(listener: (status: ClusterStatus) => void): () => void;
  /** Stop delivering and release connections. Idempotent. */
  close(): Promise<void>;
}

/** Keeps status-change listeners and emits only on real changes. */
export class StatusNotifier {
  private current: ClusterStatus;
  private readonly listeners = new Set<(status: ClusterStatus) => void>();

  constructor(initial: ClusterStatus) {
    this.current = initial;
  }

  get status(): ClusterStatus {
    return this.current;
  }

  set(status: ClusterStatus): void {
    if (status === this.current) return;
    this.current = status;
    for (const listener of [...this.listeners]) listener(status);
  }

  listen(listener: (status: ClusterStatus) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  clear(): void {
    this.listeners.clear();
  }
}

/** Handlers per room for one instance; a throwing handler cannot starve the others. */
export class RoomHandlers {
  private readonly byRoom = new Map<string, Set<FrameHandler>>();

  constructor(private readonly onError: (err: unknown, room: string) => void) {}

  /** Returns true when `handler` is the room's first. */
  add(room: string, handler: FrameHandler): boolean {
    let handlers = this.byRoom.get(room);
    const first = !handlers;
    if (!handlers) {
      handlers = new Set();
      this.byRoom.set(room, handlers);
    }
    handlers.add(handler);
    return first;
  }

  /** Returns true when `handler` was the room's last (it had been added). */
  remove(room: string, handler: FrameHandler): boolean {
    const handlers = this.byRoom.get(room);
    if (!handlers?.delete(handler)) return false;
    if (handlers.size > 0) return false;
    this.byRoom.delete(room);
    return true;
  }

  has(room: string): boolean {
    return this.byRoom.has(room);
  }

  rooms(): string[] {
    return [...this.byRoom.keys()];
  }

  deliver(room: string, frame: Uint8Array, meta: FrameMeta): void {
    const handlers = this.byRoom.get(room);
    if (!handlers) return;
    for (const handler of [...handlers]) {
      try {
        handler(frame, meta);
      } catch (err) {
        this.onError(err, room);
      }
    }
  }

  clear(): void {
    this.byRoom.clear();
  }
}

/** A fresh random instance id: unique per process start, short enough to tag every frame. */
export function newInstanceId(): string {
  return randomBytes(6).toString('hex');
}
