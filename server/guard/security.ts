/**
 * The relay's guard: everything it refuses and why (README "Security model", "Limits").
 * relay.ts calls it at four points: `claimIp` and `admit` at the upgrade (before the room is
 * loaded or anything is sent), `attach`/`detach` around a connection's life, and `filter` on
 * every frame before the room sees it. Rooms and connections stay unaware of the rules.
 */
import type { Duplex } from 'node:stream';
import { CloseCode } from '../../lib/close-codes';
import type { DroppedPresenceField } from '../../lib/presence';
import type { Config } from '../config';
import { malformed } from '../errors';
import { type ClientMessage, decodeClientMessage } from '../protocol';
import type { LinkStore } from '../storage/links';
import { createMemoryLinkStore } from '../storage/links-memory';
import { Access, type Grant } from './access';
import { type AwarenessLimits, type AwarenessPeer, guardAwareness } from './awareness-guard';
import { ConnectionRateLimiter, type RateLimits } from './rate-limiter';
import { type Throttleable, Throttler } from './throttle';

/** Seconds of the average rate a socket may send at once. */
const BURST_SECONDS = 10;
/** Awareness limits: a browser tab announces one client id with a state well under 1 KiB. */
const AWARENESS_LIMITS: AwarenessLimits = { maxIdsPerConnection: 8, maxStateBytes: 64 * 1024 };

/**
 * The guard for a relay with `config`. Without a LinkStore a secured relay keeps revocations in
 * memory (tests); the process entry point passes the durable one.
 */
export function createGuard(
  config: Config,
  links: LinkStore | undefined,
  counts: GuardCounts,
): Guard {
  const access = new Access(
    config.secret,
    config.secret === undefined ? null : (links ?? createMemoryLinkStore()),
  );
  return new Guard(
    access,
    {
      maxConnectionsPerIp: config.maxConnectionsPerIp,
      maxRooms: config.maxRooms,
      maxDocBytes: config.maxDocBytes,
      handshakeTimeoutMs: config.handshakeTimeoutMs,
      throttleCloseAfterMs: config.throttleCloseAfterMs,
      rate: {
        messagesPerSecond: config.maxMessagesPerSecond,
        bytesPerSecond: config.maxBytesPerSecond,
        burstSeconds: BURST_SECONDS,
        minByteBurst: 2 * config.maxMessageBytes,
      },
      awareness: AWARENESS_LIMITS,
    },
    counts,
  );
}

/** Why the guard refused something; counted in /metrics `relay_rejected_total{reason}`. */
export type GuardRejectReason =
  | 'unauthorized'
  | 'revoked'
  | 'read-only'
  | 'rate-limited'
  | 'ip-limit'
  | 'room-limit'
  | 'doc-too-large'
  | 'handshake-timeout'
  | 'awareness-refused';

/** What the guard counts (RelayMetrics). */
export interface GuardCounts {
  /** A refusal, in /metrics `relay_rejected_total{reason}`. */
  reject(reason: GuardRejectReason): void;
  /**
   * A field of an awareness state's `user` dropped (unknown, or of the wrong shape) while the
   * frame went through, in /metrics `relay_presence_fields_dropped_total{field}`.
   */
  presenceFieldDropped(field: DroppedPresenceField): void;
}

export interface GuardLimits {
  /** Open sockets (and upgrades in progress) per remote address; 0 = unlimited. */
  readonly maxConnectionsPerIp: number;
  /** Loaded rooms; a connection that would load one more is closed with 1013. 0 = unlimited. */
  readonly maxRooms: number;
  /** Encoded size a room's document may reach; a write past it closes with 4413. 0 = off. */
  readonly maxDocBytes: number;
  /** A socket must send sync step 1 within this or is closed with 4508. 0 = off. */
  readonly handshakeTimeoutMs: number;
  /** A socket over its rate this long in a row is closed with 4529 (retryable). 0 = never. */
  readonly throttleCloseAfterMs: number;
  /** Over these rates a socket is throttled: no longer read until it is back under them. */
  readonly rate: RateLimits;
  readonly awareness: AwarenessLimits;
}

/** The parts of a Connection the guard uses. */
export interface GuardedConnection extends Throttleable {
  readonly id: number;
  readonly awarenessIds: Set<number>;
  readonly isOpen: boolean;
  close(code: number): void;
}

/** The parts of a Room the guard uses. */
export interface GuardedRoom {
  readonly id: string;
  readonly connections: Iterable<GuardedConnection>;
  /** Bytes of the document's state as held (an estimate of its encoded size, never below). */
  readonly stateBytes: number;
  /** Compact the document now and return its exact encoded size. */
  measureCompactedBytes(): number;
  /** Would `update` add anything to the document (true for garbage too)? */
  wouldChange(update: Uint8Array): boolean;
  /** Close `conn` for a malformed frame (4400, one warning): the room's own path for that. */
  reject(conn: GuardedConnection, err: unknown): void;
}

interface ConnState {
  readonly room: string;
  readonly grant: Grant;
  readonly limiter: ConnectionRateLimiter;
  handshakeTimer: NodeJS.Timeout | null;
}

export type Refusal = { readonly code: number; readonly reason: GuardRejectReason };

export class Guard {
  private readonly perIp = new Map<string, number>();
  /** Keyed by connection object (an AwarenessPeer passed back by the awareness guard too). */
  private readonly states = new Map<object, ConnState>();
  /** Upper bound of each room's encoded size; recomputed exactly only when it nears the limit. */
  private readonly docBytes = new WeakMap<GuardedRoom, { estimate: number }>();
  /** Pauses sockets over their rate (backpressure) and spots the ones that never slow down. */
  readonly throttler: Throttler;

  constructor(
    readonly access: Access,
    private readonly limits: GuardLimits,
    private readonly counts: GuardCounts,
  ) {
    this.throttler = new Throttler(limits.throttleCloseAfterMs);
  }

  private reject(reason: GuardRejectReason): void {
    this.counts.reject(reason);
  }

  /**
   * Count an upgrade against its client address (the TCP peer, or behind a trusted proxy the
   * forwarded client: client-address.ts) until its TCP socket closes; false (nothing counted)
   * when the address is at its limit.
   */
  claimIp(address: string | undefined, socket: Duplex): boolean {
    const ip = address ?? 'unknown';
    const count = this.perIp.get(ip) ?? 0;
    if (this.limits.maxConnectionsPerIp > 0 && count >= this.limits.maxConnectionsPerIp) {
      this.reject('ip-limit');
      return false;
    }
    this.perIp.set(ip, count + 1);
    // 'on', not 'once': a TCP socket closes once, and once() adds a wrapper per socket.
    socket.on('close', () => {
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left <= 0) this.perIp.delete(ip);
      else this.perIp.set(ip, left);
    });
    return true;
  }

  /** Token check, then the room cap; the grant to attach, or the close code to refuse with. */
  async admit(
    room: string,
    token: string | null,
    rooms: { readonly loaded: number; readonly isLoaded: boolean },
  ): Promise<{ ok: true; grant: Grant } | ({ ok: false } & Refusal)> {
    const admission = await this.access.admit(room, token);
    if (!admission.ok) {
      const reason = admission.reason === 'revoked' ? 'revoked' : 'unauthorized';
      this.reject(reason);
      return { ok: false, code: admission.code, reason };
    }
    if (this.limits.maxRooms > 0 && !rooms.isLoaded && rooms.loaded >= this.limits.maxRooms) {
      this.reject('room-limit');
      return { ok: false, code: CloseCode.Overloaded, reason: 'room-limit' };
    }
    return { ok: true, grant: admission.grant };
  }

  attach(conn: GuardedConnection, room: string, grant: Grant): void {
    const state: ConnState = {
      room,
      grant,
      limiter: new ConnectionRateLimiter(this.limits.rate),
      handshakeTimer: null,
    };
    if (this.limits.handshakeTimeoutMs > 0) {
      state.handshakeTimer = setTimeout(() => {
        state.handshakeTimer = null;
        this.refuse(conn, { code: CloseCode.HandshakeTimeout, reason: 'handshake-timeout' });
      }, this.limits.handshakeTimeoutMs);
      state.handshakeTimer.unref();
    }
    this.states.set(conn, state);
    this.access.track(room, grant, conn);
  }

  detach(conn: GuardedConnection): void {
    const state = this.states.get(conn);
    if (!state) return;
    this.states.delete(conn);
    this.throttler.release(conn);
    if (state.handshakeTimer) clearTimeout(state.handshakeTimer);
    this.access.untrack(state.room, state.grant, conn);
  }

  roleOf(conn: GuardedConnection): Grant['role'] | undefined {
    return this.states.get(conn)?.grant.role;
  }

  /**
   * The frame decoded once, for the room to handle (for awareness: the stamped update), or null
   * when the guard dropped it, closed the connection, or the room rejected it as malformed
   * (4400). The room gets the decoded message, so no frame is decoded twice.
   */
  filter(conn: GuardedConnection, room: GuardedRoom, frame: Buffer): ClientMessage | null {
    const state = this.states.get(conn);
    // Over its rate, a socket is read no further until the debt is repaid; the frame in hand is
    // still handled (dropping it would lose an edit). Only sustained abuse is closed, retryably.
    const waitMs = state ? state.limiter.charge(frame.length) : 0;
    if (waitMs > 0 && this.throttler.throttle(conn, waitMs) === 'abuse') {
      return this.refuse(conn, { code: CloseCode.RateLimited, reason: 'rate-limited' });
    }
    let message: ClientMessage;
    try {
      message = decodeClientMessage(frame);
    } catch (err) {
      room.reject(conn, err);
      return null;
    }
    if (!state) return message;
    switch (message.kind) {
      case 'sync-step1':
        if (state.handshakeTimer) clearTimeout(state.handshakeTimer);
        state.handshakeTimer = null;
        return message;
      case 'sync-step2':
      case 'sync-update':
        if (state.grant.role === 'view') return this.viewOnlyWrite(conn, room, message.update);
        if (!this.sizeAllows(room, message.update.length)) {
          return this.refuse(conn, { code: CloseCode.DocumentTooLarge, reason: 'doc-too-large' });
        }
        return message;
      case 'awareness': {
        const verdict = guardAwareness(
          message.update,
          conn,
          { role: state.grant.role },
          room.connections,
          this.sameHolder,
          this.limits.awareness,
        );
        if (!verdict.ok && verdict.reason === 'bad') {
          room.reject(conn, malformed('bad awareness update'));
          return null;
        }
        if (!verdict.ok) {
          this.reject('awareness-refused');
          return null;
        }
        for (const field of verdict.dropped) this.counts.presenceFieldDropped(field);
        return { kind: 'awareness', update: verdict.update };
      }
      default:
        return message;
    }
  }

  /**
   * Same client key (the same copy of the document in the same browser: a reconnect that beat
   * its old socket's timeout, or another tab), or the same link on a secured relay; otherwise
   * connections are never interchangeable. A bound property, so an awareness frame does not
   * allocate a closure for it.
   */
  private readonly sameHolder = (a: AwarenessPeer, b: AwarenessPeer): boolean => {
    const keyA = a.writer?.keyHash ?? null;
    if (keyA !== null && keyA === (b.writer?.keyHash ?? null)) return true;
    const linkA = this.states.get(a)?.grant.linkId ?? null;
    const linkB = this.states.get(b)?.grant.linkId ?? null;
    return linkA !== null && linkA === linkB;
  };

  /**
   * A view link's client resends what it has (cached copy, step 2 after reconnecting): dropped
   * quietly. Anything new is a write attempt: never applied, never relayed, socket closed 4403.
   */
  private viewOnlyWrite(conn: GuardedConnection, room: GuardedRoom, update: Uint8Array): null {
    if (room.wouldChange(update))
      this.refuse(conn, { code: CloseCode.Forbidden, reason: 'read-only' });
    return null;
  }

  private sizeAllows(room: GuardedRoom, incoming: number): boolean {
    const max = this.limits.maxDocBytes;
    if (max <= 0) return true;
    let size = this.docBytes.get(room);
    if (!size) {
      size = { estimate: room.stateBytes };
      this.docBytes.set(room, size);
    }
    // Updates only add to the estimate (deletions shrink less than their bytes), so near the
    // limit measure the real size once before refusing.
    if (size.estimate + incoming > max) size.estimate = room.measureCompactedBytes();
    if (size.estimate + incoming > max) return false;
    size.estimate += incoming;
    return true;
  }

  private refuse(conn: GuardedConnection, refusal: Refusal): null {
    this.reject(refusal.reason);
    conn.close(refusal.code);
    return null;
  }
}
