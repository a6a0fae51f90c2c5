/**
 * Messages between the orchestrator (bench/run.ts) and a load-generator process (bench/loadgen.ts).
 * Every command carries an id; the worker answers each with exactly one reply of the same id.
 */

/** One simulated user: a Y.Doc with a WebsocketProvider in `room`. `index` is global. */
export interface ClientSpec {
  index: number;
  room: string;
}

export type Command =
  /** Connects the clients and resolves once every one has synced. */
  | { op: 'open'; url: string; clients: ClientSpec[]; concurrency: number; timeoutMs: number }
  /**
   * Every open client inserts one token per `1000 / ratePerClient` ms, from `startAt` (shared
   * clock) for `warmupMs + measureMs`. Only tokens sent after the warm-up are measured. Clears
   * the previous measurement. Replies when this worker has sent its last token.
   */
  | {
      op: 'type';
      startAt: number;
      ratePerClient: number;
      warmupMs: number;
      measureMs: number;
      totalClients: number;
    }
  /** Measured tokens received so far by this worker's clients. */
  | { op: 'progress' }
  /** Propagation latencies (ms) of every measured token received. */
  | { op: 'latencies' }
  /** Opens a client that holds `update` (e.g. a whole document) and keeps it connected. */
  | { op: 'seed'; url: string; room: string; update: Uint8Array; timeoutMs: number }
  /** A fresh client joins `room`; replies with the time from connect until its text equals. */
  | { op: 'join'; url: string; room: string; expected: string; timeoutMs: number }
  /** Connects a watcher that records when the writer's clock reaches each checkpoint. */
  | {
      op: 'watch';
      url: string;
      room: string;
      tracePath: string;
      writerClientId: number;
      checkpoints: number;
    }
  /** Waits until the watcher's text equals the trace's end content. */
  | { op: 'watchResult'; timeoutMs: number }
  /** Replays a trace keystroke by keystroke as fast as the socket accepts it. */
  | {
      op: 'replay';
      url: string;
      room: string;
      tracePath: string;
      clientId: number;
      checkpoints: number;
      timeoutMs: number;
    }
  /** Disconnects and destroys every client of this worker. */
  | { op: 'closeAll' };

export type CommandOp = Command['op'];

export interface OpenReply {
  opened: number;
  ms: number;
}
export interface TypeReply {
  /** Measured tokens sent per room. */
  sentByRoom: Record<string, number>;
  /** How late the worker sent tokens relative to schedule (ms): p99 and max. */
  sendLagP99: number;
  sendLagMax: number;
}
export interface ProgressReply {
  received: number;
}
export interface LatenciesReply {
  latencies: Float64Array;
}
export interface JoinReply {
  ms: number;
}
export interface WatchResultReply {
  converged: boolean;
  /** Shared-clock time at which the text first equalled the end content. */
  convergedAt: number;
  /** Shared-clock time at which the writer's clock first reached each checkpoint. */
  checkpointAt: number[];
}
export interface ReplayReply {
  txns: number;
  firstSentAt: number;
  lastSentAt: number;
  checkpointAt: number[];
  /** Largest ws.bufferedAmount seen while replaying (bytes). */
  maxBuffered: number;
}

export interface ReplyMap {
  open: OpenReply;
  type: TypeReply;
  progress: ProgressReply;
  latencies: LatenciesReply;
  seed: OpenReply;
  join: JoinReply;
  watch: OpenReply;
  watchResult: WatchResultReply;
  replay: ReplayReply;
  closeAll: OpenReply;
}

export type Request = { id: number; command: Command };
export type Response =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string };
