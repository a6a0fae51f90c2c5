/**
 * RoomLink: one loaded room's presence on the cluster. It subscribes the room's channel on
 * load and unsubscribes on unload, publishes what this instance's sockets sent (after it is
 * stored), applies what other instances sent, and runs anti-entropy.
 *
 * Frames between instances are plain y-websocket frames:
 * - sync update, awareness: broadcast to the room's channel as received from a socket;
 * - sync step 1 broadcast: "here is my state vector", sent when the room loads and whenever the
 *   cluster turns 'ok' again (it may have missed frames). Each instance holding the room answers
 *   the asker directly with a step 2 (what the asker lacks), its own step 1 (so the asker sends
 *   what it lacks in turn) and the awareness states of its own sockets;
 * - sync step 1 sent directly: answered with a step 2 and awareness only, so the exchange ends.
 * One broadcast step 1 therefore converges the asker with every instance that received it, in
 * both directions, whichever of them missed what.
 *
 * A room no other instance holds (Cluster.reachesOthers) publishes nothing but its step 1s:
 * with a room-affine load balancer that is most rooms, and each frame published costs both the
 * publisher and Redis. An instance that loads the room announces itself with its step 1.
 *
 * Updates received in one run of the event loop (one read from the bus can carry many) are
 * applied together, in order, with every socket corked (one write each); any other frame first
 * applies those before it.
 */
import { type Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { Logger } from '../log';
import {
  decodeClientMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
} from '../protocol';
import type { Cluster, FrameMeta } from './cluster';

/** The origin of changes applied from other instances: they are never published again. */
export const FROM_CLUSTER = Symbol('cluster');

/** What the link needs of one of the room's sockets. */
export interface LinkedConnection {
  readonly awarenessIds: ReadonlySet<number>;
  /** Hold this socket's writes until `uncork`, so they leave in one write. */
  cork(): void;
  uncork(): void;
}

/** What a room offers its link. */
export interface ClusterRoom {
  readonly id: string;
  readonly awareness: Awareness;
  /** The room's state vector (Yjs v1 encoding). */
  stateVector(): Uint8Array;
  /** What a peer with `stateVector` lacks, as one update; throws on a malformed vector. */
  diff(stateVector: Uint8Array): Uint8Array;
  /** This instance's sockets in the room, with the awareness ids each one owns. */
  readonly connections: ReadonlySet<LinkedConnection>;
  /** Resolves once every update applied so far is durably stored. */
  whenStored(): Promise<void>;
  /** Take an update from another instance and send it to the sockets. */
  applyRemoteUpdate(update: Uint8Array, frame: Uint8Array | null): void;
  /** Apply an awareness update from another instance and forward `frame` to the sockets. */
  applyRemoteAwareness(update: Uint8Array, frame: Uint8Array): void;
}

export class RoomLink {
  /** Updates (and the frames to forward, null for a step 2) waiting for `applyReceived`. */
  private receivedUpdates: Uint8Array[] = [];
  private receivedFrames: (Uint8Array | null)[] = [];
  private applyScheduled = false;
  /** Off the bus's delivery loop, so a throw is caught here as RoomHandlers would have. */
  private readonly applyReceived = () => {
    try {
      this.applyReceivedUpdates();
    } catch (err) {
      this.logger.error({ room: this.room.id, err }, 'applying cluster updates failed');
    }
  };
  private unsubscribe: (() => Promise<void>) | null = null;
  private stopStatus: (() => void) | null = null;
  private detached = false;

  private constructor(
    private readonly room: ClusterRoom,
    private readonly cluster: Cluster,
    private readonly logger: Logger,
  ) {}

  /** Subscribe `room` and ask the other instances for what it lacks. */
  static async attach(room: ClusterRoom, cluster: Cluster, logger: Logger): Promise<RoomLink> {
    const link = new RoomLink(room, cluster, logger);
    link.unsubscribe = await cluster.subscribe(room.id, (frame, meta) => link.receive(frame, meta));
    link.stopStatus = cluster.onStatusChange((status) => {
      if (status === 'ok') link.resync();
    });
    link.resync();
    return link;
  }

  /** Send a frame from one of this instance's sockets to the other instances, if any hold the
   * room: one that loads it later asks for what it lacks (resync), and is answered. */
  publish(frame: Uint8Array): void {
    if (this.detached) return;
    if (this.cluster.reachesOthers(this.room.id)) this.cluster.publish(this.room.id, frame);
    else this.cluster.counters.framesWithheld++;
  }

  /** Anti-entropy: broadcast this room's state vector (see the header comment). */
  resync(): void {
    if (this.detached || this.cluster.status() !== 'ok') return;
    this.cluster.publish(this.room.id, encodeSyncStep1(this.room.stateVector()));
  }

  /** Stop receiving and unsubscribe. Idempotent. */
  async detach(): Promise<void> {
    if (this.detached) return;
    this.detached = true;
    this.stopStatus?.();
    await this.unsubscribe?.();
  }

  private receive(frame: Uint8Array, meta: FrameMeta): void {
    if (this.detached) return;
    let message: ReturnType<typeof decodeClientMessage>;
    try {
      message = decodeClientMessage(frame);
    } catch (err) {
      this.logger.warn({ room: this.room.id, from: meta.from, err }, 'bad frame from cluster');
      return;
    }
    switch (message.kind) {
      case 'sync-update':
        this.queueUpdate(message.update, frame);
        break;
      case 'sync-step2':
        this.queueUpdate(message.update, null);
        break;
      case 'sync-step1':
        this.applyReceivedUpdates();
        this.answer(message.stateVector, meta);
        break;
      case 'awareness':
        this.applyReceivedUpdates();
        this.room.applyRemoteAwareness(message.update, frame);
        break;
      case 'query-awareness':
      case 'auth':
        break;
      default:
        message satisfies never;
    }
  }

  private queueUpdate(update: Uint8Array, frame: Uint8Array | null): void {
    this.receivedUpdates.push(update);
    this.receivedFrames.push(frame);
    if (this.applyScheduled) return;
    this.applyScheduled = true;
    queueMicrotask(this.applyReceived);
  }

  /** Take the queued updates in order, every socket corked meanwhile. */
  private applyReceivedUpdates(): void {
    this.applyScheduled = false;
    const updates = this.receivedUpdates;
    const frames = this.receivedFrames;
    if (updates.length === 0 || this.detached) return;
    this.receivedUpdates = [];
    this.receivedFrames = [];
    if (updates.length === 1) {
      this.room.applyRemoteUpdate(updates[0] as Uint8Array, frames[0] ?? null);
      return;
    }
    // Every socket corked meanwhile: whatever goes out now leaves in one write per socket.
    // A snapshot: a socket closed meanwhile still gets its uncork.
    const conns = [...this.room.connections];
    for (const conn of conns) conn.cork();
    try {
      for (let i = 0; i < updates.length; i++) {
        this.room.applyRemoteUpdate(updates[i] as Uint8Array, frames[i] ?? null);
      }
    } finally {
      for (const conn of conns) conn.uncork();
    }
  }

  private answer(stateVector: Uint8Array, meta: FrameMeta): void {
    const { id } = this.room;
    const to = meta.from;
    let step2: Uint8Array;
    try {
      step2 = encodeSyncStep2(this.room.diff(stateVector));
    } catch (err) {
      this.logger.warn({ room: id, from: to, err }, 'bad state vector from cluster');
      return;
    }
    // The asker may pass it straight to its sockets without storing it: send it once stored.
    void this.room.whenStored().then(() => {
      if (!this.detached) this.cluster.publish(id, step2, to);
    });
    if (!meta.direct) this.cluster.publish(id, encodeSyncStep1(this.room.stateVector()), to);
    const awareness = this.localAwareness();
    if (awareness) this.cluster.publish(id, awareness, to);
  }

  /** The awareness states owned by this instance's sockets, as one frame (null if none). */
  private localAwareness(): Uint8Array | null {
    const states = this.room.awareness.getStates();
    const ids: number[] = [];
    for (const conn of this.room.connections) {
      for (const id of conn.awarenessIds) if (states.has(id)) ids.push(id);
    }
    return ids.length > 0 ? encodeAwareness(encodeAwarenessUpdate(this.room.awareness, ids)) : null;
  }
}
