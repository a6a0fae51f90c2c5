/**
 * Messages between the soak orchestrator and a client worker (a forked process running
 * y-websocket clients). Each request carries an id; the worker answers it exactly once.
 */
import type { TimeWindow } from './analysis';
import type { LatencyBucket } from './latency-book';

/** One simulated typist: a WebsocketProvider through `url` into `room`. */
export interface TypistSpec {
  /** Global index (labels, seeds). */
  readonly index: number;
  readonly room: string;
  readonly url: string;
  /** Connect with `?ack=1` and record the acknowledged state vectors (message type 100). */
  readonly ack: boolean;
  readonly seed: number;
}

export type WorkerCommand =
  | { readonly op: 'open'; readonly typists: readonly TypistSpec[]; readonly timeoutMs: number }
  | { readonly op: 'startTyping' }
  | { readonly op: 'stopTyping' }
  | { readonly op: 'progress' }
  | { readonly op: 'digest' }
  | {
      readonly op: 'report';
      /** Latency samples count only when sent at or after this (shared clock, ms)… */
      readonly measureFromMs: number;
      /** …and neither sent nor received inside one of these. */
      readonly exclusions: readonly TimeWindow[];
    }
  /**
   * Flood `room` through `floodUrl` and stall a reader through `slowUrl`, for `holdMs`, while a
   * listener takes the flood in through `listenUrl`.
   */
  | {
      readonly op: 'badClients';
      readonly floodUrl: string;
      readonly listenUrl: string;
      readonly slowUrl: string;
      readonly room: string;
      readonly holdMs: number;
    }
  /**
   * The flood's clients leave `room` (so the relays can unload it); what each held when it left
   * stays in the digests, for the final checks.
   */
  | { readonly op: 'leaveRoom'; readonly room: string }
  | { readonly op: 'close' };

export type WorkerOp = WorkerCommand['op'];

export interface ProgressReply {
  readonly edits: number;
  readonly delivered: number;
  readonly connected: number;
  readonly members: number;
}

/** What one client in a room holds: enough to compare rooms across processes. */
export interface MemberDigest {
  readonly label: string;
  /** `Y.encodeStateVector` of its document. */
  readonly stateVector: Uint8Array;
  readonly textHash: string;
  readonly textLength: number;
  readonly synced: boolean;
}

export interface RoomDigest {
  readonly room: string;
  readonly members: readonly MemberDigest[];
}

export interface TypistReport {
  readonly index: number;
  readonly room: string;
  readonly ack: boolean;
  /** Client ids this typist's document used (Yjs changes it on a rare id clash). */
  readonly clientIds: readonly number[];
  readonly edits: number;
  /** Items (characters) it inserted: its own clock. */
  readonly inserted: number;
  /** Of those, how many an acknowledgement covered. */
  readonly acknowledged: number;
  readonly acks: number;
  /** Entry-wise maximum of every acknowledged state vector it received. */
  readonly ackedStateVector: Uint8Array;
  /** Whether that acknowledgement covers its whole document (what "All changes saved" needs). */
  readonly ackCoversDocument: boolean;
  /** Set when y-websocket stopped reconnecting (a 44xx close). */
  readonly gaveUp: string | null;
  /** Transactions after which its document held updates with missing dependencies. */
  readonly pendingSeen: number;
  readonly pendingMaxBytes: number;
}

export interface BadClientsReply {
  readonly floodUpdates: number;
  readonly floodBytes: number;
  /** Close codes the relay sent the flooder (4429: rate limited), in order. */
  readonly floodCloseCodes: readonly number[];
  /** Bytes the slow consumer read before it stopped reading. */
  readonly slowBytesRead: number;
  /** What the flooder's document holds at the end of the flood. */
  readonly floodStateVector: Uint8Array;
}

export interface WorkerReport {
  readonly typists: readonly TypistReport[];
  /** Characters received from other clients, counted once per receiving client. */
  readonly delivered: number;
  /** Delivery latencies (ms) outside the fault windows. */
  readonly latencies: Float64Array;
  /** Latency samples left out because they touched a fault window or the warm-up. */
  readonly excludedSamples: number;
  /** Worst latency per 5 s of send time, for finding where a high p99 comes from. */
  readonly latencyTimeline: readonly LatencyBucket[];
  /** The slowest deliveries (fault windows included): room, sender, send time, latency. */
  readonly worst: readonly { room: string; client: number; sentAt: number; latency: number }[];
  /** Longest stall of the worker's own event loop (ms): a slow worker inflates latency. */
  readonly eventLoopDelayMaxMs: number;
  /** Event-loop stalls over 200 ms: [when (shared clock, ms), how long (ms)]. */
  readonly stalls: readonly (readonly [number, number])[];
}

export interface WorkerReplies {
  open: { readonly opened: number; readonly ms: number };
  startTyping: null;
  stopTyping: null;
  progress: ProgressReply;
  digest: readonly RoomDigest[];
  report: WorkerReport;
  badClients: BadClientsReply;
  leaveRoom: null;
  close: null;
}

export type WorkerRequest = { readonly id: number; readonly command: WorkerCommand };
export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
