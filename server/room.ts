/**
 * One document: its state (doc-state/: a snapshot plus accepted updates, no resident Y.Doc),
 * awareness and connections. Incoming updates are checked, queued for storage, and broadcast to
 * every other connection only once stored, so anything a client ever receives from the relay
 * survives a crash of the relay. Updates whose dependencies are missing are parked, never
 * stored or broadcast; updates that add nothing are acknowledged only.
 */
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode } from '../lib/close-codes';
import { announcedUser } from './authorship/announced-user';
import { type WriteAdmission, WriterGate } from './authorship/writer-gate';
import type { Cluster } from './cluster/cluster';
import { type ClusterRoom, FROM_CLUSTER, RoomLink } from './cluster/room-link';
import { Connection } from './connection';
import type { Compactor } from './doc-state/compactor';
import type { DocState } from './doc-state/doc-state';
import { type ParkedUpdate, ParkedUpdates } from './doc-state/parked-updates';
import type { UpdateEffect } from './doc-state/update-check';
import { errorMessage, malformed } from './errors';
import type { Logger } from './log';
import type { OutKind, RelayMetrics } from './metrics';
import {
  type ClientMessage,
  encodeAck,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  isEmptyUpdate,
} from './protocol';
import { loadDocState, RoomCompaction } from './room-compaction';
import type { AuthorStore } from './storage/authors';
import type { DocStore } from './storage/store';
import type { BatchMember, WriteBatcher } from './write-batcher';
import { encodeBinaryFrame } from './ws-frame';

/** The room's document was deleted (DocStore.delete): it is never served again. */
export class RoomDeletedError extends Error {
  constructor(readonly roomId: string) {
    super(`room ${roomId} was deleted`);
  }
}

export interface RoomDeps {
  readonly store: DocStore;
  readonly batcher: WriteBatcher;
  /** Compacts documents through a Y.Doc on a worker thread (one per relay). */
  readonly compactor: Compactor;
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  readonly compactAfterUpdates: number;
  readonly compactAfterBytes: number;
  /** Other instances serving the same rooms (absent: this instance is alone). */
  readonly cluster?: Cluster;
  /**
   * Other instances store into the same DocStore (PostgreSQL): updates they send were stored by
   * them and are not stored again, and compaction snapshots the stored log, not this doc.
   */
  readonly sharedStore?: boolean;
  /** Client-id bindings (authorship/writer-gate.ts); absent: anyone writes with any id. */
  readonly authors?: AuthorStore;
  /** The last connection left (the registry starts the unload grace period). */
  onEmpty(room: Room): void;
  /** Storage failed: the room must be dropped without flushing and reloaded on next use. */
  onBroken(room: Room): void;
}

interface StoredCallback {
  readonly target: number;
  readonly run: () => void;
}

/** An update of a connection held while the writer gate asks the store about its client ids. */
interface HeldUpdate {
  readonly update: Uint8Array;
  readonly frame: Uint8Array | null;
}

/** The sender of an update the relay itself made (the HTTP API): stored and sent like a socket's. */
const RELAY_EDIT = Symbol('relay edit');

/** Who sent an update: a socket, the relay itself, or another instance (null). */
type Sender = Connection | typeof RELAY_EDIT | null;

/** Told of every update that changed the document, with its origin (the socket, or null). */
export type EditListener = (origin: Connection | null) => void;

export class Room implements BatchMember, ClusterRoom {
  /** Awareness needs a Y.Doc (for its own client id); this one stays empty. */
  private readonly awarenessDoc = new Y.Doc();
  readonly awareness = new Awareness(this.awarenessDoc);
  readonly connections = new Set<Connection>();
  /** Acquired by the registry for a socket that has not joined yet; blocks unloading. */
  pendingJoins = 0;
  private ackConnections = 0;
  /** Updates ever queued for storage / ever confirmed stored; equal when nothing is in flight. */
  private queued = 0;
  private stored_ = 0;
  /** Broadcast frames (and their senders) waiting for their updates to be stored, in order. */
  private pendingFrames: Uint8Array[] = [];
  /** Sender null: the update came from another instance (to every socket; not published). */
  private pendingSenders: Sender[] = [];
  private storedCallbacks: StoredCallback[] = [];
  /** State vector covering the batch being written, sent as Ack once it is stored. */
  private ackCandidate: Uint8Array | null = null;
  /** An Ack for updates another instance stored (shared store) is scheduled for this turn. */
  private remoteAckScheduled = false;
  /** `[sync step 2][full state]`, reused for joiners with an empty doc until the doc changes. */
  private fullStateFrame: Uint8Array | null = null;
  private fullStateVersion = -1;
  private readonly parked = new ParkedUpdates<Connection>((sender) =>
    this.dropUnsynced(sender, 'dependencies did not arrive in time'),
  );
  private readonly editListeners = new Set<EditListener>();
  private lastSeq_: number;
  private readonly compaction: RoomCompaction;
  private broken_ = false;
  private link: RoomLink | null = null;
  private readonly writers: WriterGate<Connection> | null;
  /** Updates of connections waiting for the writer gate, in arrival order. */
  private readonly held = new Map<Connection, HeldUpdate[]>();
  /** Told when storage fails (the room is dropped): relay edits waiting to be stored fail. */
  private readonly breakWaiters = new Set<(err: Error) => void>();
  /** When this instance last accepted an edit of the document (ms since the epoch), if it has. */
  lastEditAt: number | null = null;
  /** Edits accepted since the room loaded; the dashboard's updates/s are its per-second deltas. */
  editCount = 0;

  private constructor(
    readonly id: string,
    private readonly deps: RoomDeps,
    readonly state: DocState,
    loaded: { lastSeq: number; count: number; bytes: number },
  ) {
    this.lastSeq_ = loaded.lastSeq;
    this.compaction = new RoomCompaction(this, deps, loaded);
    this.writers = deps.authors
      ? new WriterGate(id, deps.authors, (err) =>
          deps.logger.warn({ room: id, err: errorMessage(err) }, 'author profile not saved'),
        )
      : null;
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** Load the room's stored state; no client is answered before this resolves. */
  static async load(id: string, deps: RoomDeps): Promise<Room> {
    const stored = await deps.store.load(id);
    if (stored.deleted) throw new RoomDeletedError(id);
    let state: DocState;
    try {
      state = await loadDocState(id, stored.updates, deps);
    } catch (err) {
      // Never serve (and later compact) a partial document: refuse the room instead.
      throw new Error(`stored state of room ${id} does not apply: ${errorMessage(err)}`);
    }
    const room = new Room(id, deps, state, {
      lastSeq: stored.lastSeq,
      count: stored.updates.length,
      bytes: stored.bytes,
    });
    room.compaction.maybeCompact();
    if (deps.cluster) room.link = await RoomLink.attach(room, deps.cluster, deps.logger);
    return room;
  }

  join(conn: Connection): void {
    this.connections.add(conn);
    if (conn.wantsAck) this.ackConnections++;
    conn.send(encodeSyncStep1(this.stateVector()), 'sync-step1');
    const states = this.awareness.getStates();
    if (states.size > 0) {
      conn.send(
        encodeAwareness(encodeAwarenessUpdate(this.awareness, [...states.keys()])),
        'awareness',
      );
    }
    if (conn.wantsAck) {
      // Everything applied so far is stored once the queue drains; say so then, not before.
      const ack = encodeAck(this.stateVector());
      this.afterStored(() => conn.send(ack, 'ack'));
    }
  }

  /** The room's state vector (Yjs v1 encoding). */
  stateVector(): Uint8Array {
    return this.state.known.encodeStateVector();
  }

  /** What a client with `stateVector` lacks, as one update. Throws on a malformed vector. */
  diff(stateVector: Uint8Array): Uint8Array {
    return this.state.diff(stateVector);
  }

  /** The whole document as one update (Yjs v1). */
  fullState(): Uint8Array {
    return this.state.fullState();
  }

  /** Bytes of the document's state as held (about what a full sync sends). */
  get stateBytes(): number {
    return this.state.bytes;
  }

  /** Compact now, on this thread, and return the compacted size (near the size limit only). */
  measureCompactedBytes(): number {
    const bytes = this.state.compactNow();
    this.fullStateFrame = null;
    return bytes;
  }

  /**
   * Would `update` add anything to the document? False for what it holds already; true for
   * anything else, a malformed update or one with missing dependencies included.
   */
  wouldChange(update: Uint8Array): boolean {
    try {
      return this.state.check(update).kind !== 'known';
    } catch {
      return true;
    }
  }

  /** Listen to changes of the document; returns the unsubscribe function. */
  onEdit(listener: EditListener): () => void {
    this.editListeners.add(listener);
    return () => this.editListeners.delete(listener);
  }

  /** Remove a closed connection and, at once, the awareness states it owned. */
  leave(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    if (conn.wantsAck) this.ackConnections--;
    this.parked.forget(conn);
    this.held.delete(conn);
    this.writers?.forget(conn);
    if (conn.awarenessIds.size > 0) {
      removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
    }
    if (this.connections.size === 0) this.deps.onEmpty(this);
  }

  /** Handle `message`, decoded once from `frame` by the guard (guard.filter). */
  receive(conn: Connection, frame: Buffer, message: ClientMessage): void {
    if (message.kind === 'awareness') {
      this.receiveAwareness(conn, frame, message.update);
      return;
    }
    this.deps.metrics.received(message.kind, frame.length);
    switch (message.kind) {
      case 'sync-update':
        // The frame is already `[sync][update][update bytes]`: forward it unchanged.
        this.applyOrHold(conn, message.update, frame);
        break;
      case 'sync-step2':
        // Forwarded as a plain update: a step 2 would make y-websocket think it just synced.
        this.applyOrHold(conn, message.update, null);
        break;
      case 'sync-step1':
        this.answerStep1(conn, message.stateVector);
        break;
      case 'query-awareness':
        conn.send(
          encodeAwareness(
            encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]),
          ),
          'awareness',
        );
        break;
      case 'auth':
        // Auth messages flow server → client only; a client sending one is ignored.
        break;
      default:
        message satisfies never;
    }
  }

  /**
   * The guard stamps awareness (awareness-guard.ts), so what is relayed is `update` framed
   * anew; an update that is still a view of the received frame is relayed as received.
   */
  private receiveAwareness(conn: Connection, frame: Buffer, update: Uint8Array): void {
    const relayed = update.buffer === frame.buffer ? frame : encodeAwareness(update);
    this.deps.metrics.received('awareness', relayed.length);
    try {
      applyAwarenessUpdate(this.awareness, update, conn);
    } catch (err) {
      this.reject(conn, malformed('bad awareness update', err));
      return;
    }
    this.broadcast(relayed, conn, 'awareness');
    this.link?.publish(relayed);
    if (this.writers) {
      const user = announcedUser(this.awareness.getStates(), conn.awarenessIds);
      if (user) this.writers.announce(conn, user);
      this.writers.reserve(conn, conn.awarenessIds);
    }
  }

  /** A frame that broke the protocol: one warning, and only this socket is closed. */
  reject(conn: Connection, err: unknown): void {
    this.deps.metrics.reject('malformed');
    this.deps.logger.warn(
      { room: this.id, conn: conn.id, reason: errorMessage(err) },
      'malformed message',
    );
    conn.close(CloseCode.MalformedMessage);
  }

  /**
   * An update from a socket (`conn`) or from another instance with its own store (null): check
   * it; if new, store it, then broadcast `frame` (or the update framed anew) once stored.
   */
  private applyUpdate(conn: Connection | null, update: Uint8Array, frame: Uint8Array | null): void {
    if (isEmptyUpdate(update)) return;
    const verdict = this.checkUpdate(conn, update);
    if (verdict === null) return;
    if (verdict.kind === 'missing') {
      this.park(conn, update, frame);
      return;
    }
    if (verdict.kind === 'known') {
      // Nothing to store: the sender is told it is saved once what the room holds is.
      if (conn?.wantsAck) {
        const ack = encodeAck(this.stateVector());
        this.afterStored(() => conn.send(ack, 'ack'));
      }
      return;
    }
    const admission = this.admitWriter(conn, verdict.effect);
    if (admission === 'refused') return;
    if (admission !== 'ok') {
      this.hold(conn as Connection, { update, frame }, admission);
      return;
    }
    this.storeAndRelay(conn, update, frame, verdict.effect);
    this.retryParked();
  }

  /** Updates of a connection whose earlier update waits for the writer gate wait behind it. */
  private applyOrHold(conn: Connection, update: Uint8Array, frame: Uint8Array | null): void {
    const queue = this.held.get(conn);
    if (queue) queue.push({ update, frame });
    else this.applyUpdate(conn, update, frame);
  }

  /**
   * May the sender write with the client ids `effect` advances? A socket writing with someone
   * else's id is closed 4403; the update is never stored. Updates from the cluster were admitted by
   * the instance their socket is on.
   */
  private admitWriter(conn: Connection | null, effect: UpdateEffect): WriteAdmission {
    if (!conn || !this.writers) return 'ok';
    const admission = this.writers.admit(conn, effect.clocks);
    if (admission === 'refused') {
      this.deps.metrics.reject('client-id-taken');
      this.deps.logger.warn(
        { room: this.id, conn: conn.id, reason: 'writes with a client id bound to another writer' },
        'update refused',
      );
      conn.close(CloseCode.Forbidden);
    }
    return admission;
  }

  /** Hold `first` and what follows from `conn` until the gate has the bindings, then go on. */
  private hold(conn: Connection, first: HeldUpdate, ready: Promise<void>): void {
    this.held.set(conn, [first]);
    ready.then(
      () => {
        const queue = this.held.get(conn) ?? [];
        this.held.delete(conn);
        if (this.broken_ || !conn.isOpen) return;
        for (let i = 0; i < queue.length; i++) {
          const next = this.held.get(conn);
          if (next) {
            // Another update needed the store again: the rest waits behind it.
            next.push(...queue.slice(i));
            return;
          }
          const { update, frame } = queue[i] as HeldUpdate;
          this.applyUpdate(conn, update, frame);
        }
      },
      (err: unknown) => {
        this.held.delete(conn);
        this.deps.logger.error(
          { room: this.id, conn: conn.id, err: errorMessage(err) },
          'client id binding failed',
        );
        conn.close(CloseCode.InternalError);
      },
    );
  }

  private storeAndRelay(
    conn: Sender,
    update: Uint8Array,
    frame: Uint8Array | null,
    effect: UpdateEffect,
  ): void {
    this.state.accept(update, effect);
    this.pendingFrames.push(frame ?? encodeSyncUpdate(update));
    this.pendingSenders.push(conn);
    this.queued++;
    this.compaction.appended(update.length);
    this.deps.batcher.enqueue(this, update);
    this.lastEditAt = Date.now();
    this.edited(conn === RELAY_EDIT ? null : conn);
  }

  /** The check's verdict, or null when the update was malformed (and its sender closed). */
  private checkUpdate(conn: Connection | null, update: Uint8Array) {
    const started = performance.now();
    try {
      const verdict = this.state.check(update);
      this.deps.metrics.checkSeconds.observe((performance.now() - started) / 1000);
      return verdict;
    } catch (err) {
      // MalformedUpdate, or anything else hostile bytes provoke: only this sender pays.
      if (conn) this.reject(conn, malformed('update rejected', err));
      else this.deps.logger.warn({ room: this.id, err: errorMessage(err) }, 'bad cluster update');
      return null;
    }
  }

  /** Hold an update until its dependencies arrive; a sender over its limit is dropped. */
  private park(conn: Connection | null, update: Uint8Array, frame: Uint8Array | null): void {
    if (!this.parked.park(conn, update, frame)) {
      this.parked.forget(conn);
      this.dropUnsynced(conn, 'too many updates waiting for missing dependencies');
      return;
    }
    this.deps.metrics.reject('parked');
  }

  /** Offer the parked updates again: the document just advanced. */
  private retryParked(): void {
    this.parked.retry(this.retryOne);
  }

  private readonly retryOne = (entry: ParkedUpdate<Connection>): boolean => {
    const { sender, update, frame } = entry;
    if (sender && !this.connections.has(sender)) return true;
    const verdict = this.checkUpdate(sender, update);
    if (verdict === null) return true;
    if (verdict.kind === 'missing') return false;
    if (verdict.kind === 'new') {
      const admission = this.admitWriter(sender, verdict.effect);
      if (admission === 'refused') return true;
      if (admission !== 'ok') {
        // Parked until the gate knows the ids; then offered again.
        admission.then(
          () => this.retryParked(),
          () => sender?.close(CloseCode.InternalError),
        );
        return false;
      }
      if (sender === null && this.deps.sharedStore)
        this.takeStoredRemote(update, frame, verdict.effect);
      else this.storeAndRelay(sender, update, frame, verdict.effect);
    }
    return true;
  };

  /**
   * Updates whose dependencies never came are dropped; their sender (if a socket) is closed
   * with a retryable code, so it reconnects and syncs from what the room holds.
   */
  private dropUnsynced(conn: Connection | null, reason: string): void {
    this.deps.metrics.reject('unsynced');
    this.deps.logger.warn({ room: this.id, conn: conn?.id ?? 'cluster', reason }, 'update dropped');
    conn?.close(CloseCode.OutOfSync);
  }

  private edited(origin: Connection | null): void {
    this.editCount++;
    for (const listener of this.editListeners) listener(origin);
  }

  /** Reply with what the client lacks, once everything in the reply is stored. */
  private answerStep1(conn: Connection, stateVector: Uint8Array): void {
    let frame: Uint8Array;
    if (stateVector.length === 1 && stateVector[0] === 0) {
      frame = this.fullStateMessage();
    } else {
      try {
        frame = encodeSyncStep2(this.diff(stateVector));
      } catch (err) {
        this.reject(conn, malformed('bad state vector', err));
        return;
      }
    }
    this.afterStored(() => conn.send(frame, 'sync-step2'));
  }

  /**
   * `[sync step 2][full state]` for joiners with nothing, encoded once per document version. The
   * state then lives in that frame alone (DocState keeps a view of it), not in two copies.
   */
  private fullStateMessage(): Uint8Array {
    if (this.fullStateFrame && this.fullStateVersion === this.state.version) {
      return this.fullStateFrame;
    }
    const state = this.state.fullState();
    const frame = encodeSyncStep2(state);
    this.state.adoptSnapshotView(frame.subarray(frame.length - state.length));
    this.fullStateFrame = frame;
    this.fullStateVersion = this.state.version;
    return frame;
  }

  /** Send `frame` to every connection but `except`; the frame is encoded once for all. */
  private broadcast(frame: Uint8Array, except: Connection | null, kind: OutKind): void {
    let recipients = 0;
    let wire: Buffer | null = null;
    for (const conn of this.connections) {
      if (conn === except) continue;
      wire ??= encodeBinaryFrame(frame);
      if (conn.writeFramed(frame, wire)) recipients++;
    }
    if (recipients > 0) this.deps.metrics.sent(kind, frame.length, recipients);
  }

  /** Several updates to every connection but each one's sender, one corked write per socket. */
  private broadcastMany(frames: readonly Uint8Array[], senders: readonly Sender[]): void {
    let count = 0;
    let bytes = 0;
    const wires = frames.map(encodeBinaryFrame);
    for (const conn of this.connections) {
      // Corked so this socket gets all of them in one write; no closure per socket.
      conn.cork();
      try {
        for (let i = 0; i < frames.length; i++) {
          const frame = frames[i] as Uint8Array;
          if (senders[i] !== conn && conn.writeFramed(frame, wires[i] as Buffer)) {
            count++;
            bytes += frame.length;
          }
        }
      } finally {
        conn.uncork();
      }
    }
    const tally = this.deps.metrics.messagesOut['sync-update'];
    tally.count += count;
    tally.bytes += bytes;
  }

  /** Run `fn` once every update applied so far is stored (now, if nothing is in flight). */
  private afterStored(fn: () => void): void {
    if (this.stored_ === this.queued) fn();
    else this.storedCallbacks.push({ target: this.queued, run: fn });
  }

  /**
   * An edit made on the relay itself (the HTTP API): `edit` runs on a Y.Doc of the current state
   * writing as `clientId`, and the update it makes goes where a socket's goes: checked, stored,
   * then sent to every socket and to the other instances. Resolves once stored (false when the
   * edit changed nothing); rejects if storage fails meanwhile.
   */
  async applyRelayEdit(clientId: number, edit: (doc: Y.Doc) => void): Promise<boolean> {
    if (this.broken_) throw new Error('room storage failed');
    const doc = new Y.Doc();
    let update: Uint8Array;
    try {
      Y.applyUpdate(doc, this.fullState());
      doc.clientID = clientId;
      const before = Y.encodeStateVector(doc);
      edit(doc);
      update = Y.encodeStateAsUpdate(doc, before);
    } finally {
      doc.destroy();
    }
    const verdict = isEmptyUpdate(update) ? null : this.checkUpdate(null, update);
    if (verdict?.kind !== 'new') return false;
    this.storeAndRelay(RELAY_EDIT, update, null, verdict.effect);
    this.retryParked();
    await new Promise<void>((resolve, reject) => {
      const onBreak = (err: Error) => reject(err);
      this.breakWaiters.add(onBreak);
      this.afterStored(() => {
        this.breakWaiters.delete(onBreak);
        resolve();
      });
    });
    return true;
  }

  /** Resolves when every update applied so far is stored. */
  whenStored(): Promise<void> {
    return new Promise((resolve) => this.afterStored(resolve));
  }

  beforeWrite(): void {
    this.ackCandidate = this.ackConnections > 0 ? this.stateVector() : null;
  }

  stored(count: number, lastSeq: number): void {
    if (this.broken_) return;
    this.stored_ += count;
    this.lastSeq_ = lastSeq;
    const frames = this.pendingFrames.splice(0, count);
    const senders = this.pendingSenders.splice(0, count);
    if (this.storedCallbacks.length > 0) {
      const due = this.storedCallbacks.filter((cb) => cb.target <= this.stored_);
      this.storedCallbacks = this.storedCallbacks.filter((cb) => cb.target > this.stored_);
      for (const cb of due) cb.run();
    }
    if (frames.length === 1) {
      const sender = senders[0] ?? null;
      this.broadcast(frames[0] as Uint8Array, sender === RELAY_EDIT ? null : sender, 'sync-update');
    } else if (frames.length > 1) {
      this.broadcastMany(frames, senders);
    }
    if (this.link) {
      // Our sockets' updates, now stored, go to the other instances too.
      for (let i = 0; i < frames.length; i++) {
        if (senders[i]) this.link.publish(frames[i] as Uint8Array);
      }
    }
    const ackVector = this.ackCandidate;
    if (ackVector && this.ackConnections > 0) this.sendAck(encodeAck(ackVector));
    this.compaction.maybeCompact();
  }

  storeFailed(err: unknown): void {
    if (this.broken_) return;
    this.broken_ = true;
    // Updates accepted in memory are not durable: drop the state so clients reconnect to a
    // fresh load and send them again during their sync handshake.
    this.deps.logger.error(
      { room: this.id, err: errorMessage(err) },
      'room reset after storage failure',
    );
    for (const conn of [...this.connections]) conn.close(CloseCode.InternalError);
    this.storedCallbacks = [];
    for (const waiter of this.breakWaiters) waiter(new Error('room storage failed'));
    this.breakWaiters.clear();
    this.pendingFrames = [];
    this.pendingSenders = [];
    this.deps.onBroken(this);
    this.destroy();
  }

  // CompactedRoom: what compaction (room-compaction.ts) needs of the room.

  get lastSeq(): number {
    return this.lastSeq_;
  }

  get broken(): boolean {
    return this.broken_;
  }

  compacted(): void {
    this.fullStateFrame = null;
  }

  /** Flush pending writes and compact the log; then the room can be destroyed. */
  async flush(): Promise<void> {
    await this.whenStored();
    await this.compaction.flush();
  }

  destroy(): void {
    this.link?.detach().catch((err) => {
      this.deps.logger.warn(
        { room: this.id, err: errorMessage(err) },
        'cluster unsubscribe failed',
      );
    });
    this.parked.close();
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.awarenessDoc.destroy();
  }

  /**
   * Track which socket owns which awareness ids. Changes not made by a socket (the socket's own
   * frame is forwarded as received) are removals: on close or timeout; tell everyone.
   */
  private readonly onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin instanceof Connection) {
      for (const id of changes.added) origin.awarenessIds.add(id);
      for (const id of changes.removed) origin.awarenessIds.delete(id);
      return;
    }
    // Another instance's frame is forwarded as received (applyRemoteAwareness).
    if (origin === FROM_CLUSTER) return;
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    if (changed.length === 0) return;
    const frame = encodeAwareness(encodeAwarenessUpdate(this.awareness, changed));
    if (this.connections.size > 0) this.broadcast(frame, null, 'awareness');
    // One of our sockets closed: tell the other instances (timeouts run on every instance).
    if (origin === null) this.link?.publish(frame);
  };

  // ClusterRoom: what the cluster link (cluster/room-link.ts) needs from the room.

  applyRemoteUpdate(update: Uint8Array, frame: Uint8Array | null): void {
    if (!this.deps.sharedStore) {
      // Own store: store it like a client's update, then send it to every socket.
      this.applyUpdate(null, update, frame);
      return;
    }
    // Shared store: its origin stored it before publishing, so it can go out at once.
    if (isEmptyUpdate(update)) return;
    const verdict = this.checkUpdate(null, update);
    if (verdict === null || verdict.kind === 'known') return;
    if (verdict.kind === 'missing') {
      this.park(null, update, frame);
      return;
    }
    this.takeStoredRemote(update, frame, verdict.effect);
    this.retryParked();
  }

  /** An update another instance stored already (shared store): take it in and send it out. */
  private takeStoredRemote(update: Uint8Array, frame: Uint8Array | null, effect: UpdateEffect) {
    this.state.accept(update, effect);
    this.lastEditAt = Date.now();
    this.broadcast(frame ?? encodeSyncUpdate(update), null, 'sync-update');
    this.scheduleRemoteAck();
    this.edited(null);
    this.compaction.maybeCompact();
  }

  /**
   * Updates from another instance are stored already, but no write of ours will acknowledge
   * them: without this, a client that received them would wait for its "saved" until someone
   * on this instance typed again. One Ack per event-loop turn, sent once our own writes queued
   * before it are stored too (its state vector covers them).
   */
  private scheduleRemoteAck(): void {
    if (this.ackConnections === 0 || this.remoteAckScheduled) return;
    this.remoteAckScheduled = true;
    setImmediate(() => {
      this.remoteAckScheduled = false;
      if (this.broken_ || this.ackConnections === 0) return;
      const ack = encodeAck(this.stateVector());
      this.afterStored(() => this.sendAck(ack));
    });
  }

  private sendAck(ack: Uint8Array): void {
    for (const conn of this.connections) if (conn.wantsAck) conn.send(ack, 'ack');
  }

  applyRemoteAwareness(update: Uint8Array, frame: Uint8Array): void {
    try {
      applyAwarenessUpdate(this.awareness, update, FROM_CLUSTER);
    } catch (err) {
      this.deps.logger.warn({ room: this.id, err: errorMessage(err) }, 'bad cluster awareness');
      return;
    }
    if (this.connections.size > 0) this.broadcast(frame, null, 'awareness');
  }
}
