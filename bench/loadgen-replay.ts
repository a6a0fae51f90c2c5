import * as Y from 'yjs';
import { delay, nowMs } from './clock';
import { type Client, connectClient, whenSynced } from './loadgen-client';
import type { ReplayReply, WatchResultReply } from './loadgen-protocol';
import { clockCheckpoints, loadTrace } from './traces';

/** Keystrokes sent per macrotask: small enough to let the socket flush between batches. */
const BATCH = 64;
/** A fast client stops queueing when this much is still unsent on its socket. */
const MAX_BUFFERED = 1 << 20;

interface ReplayOptions {
  url: string;
  room: string;
  tracePath: string;
  clientId: number;
  checkpoints: number;
  timeoutMs: number;
}

/**
 * Replays a trace into a fresh client, one transaction (one y-websocket update) per keystroke,
 * as fast as the socket takes them, recording when its clock passes each checkpoint.
 */
export async function replayTrace(options: ReplayOptions): Promise<ReplayReply> {
  const trace = loadTrace(options.tracePath);
  const targets = clockCheckpoints(trace, options.checkpoints);
  const doc = new Y.Doc();
  doc.clientID = options.clientId; // lets the watcher find this writer's clock
  const client = connectClient(options.url, options.room, doc);
  try {
    await whenSynced(client, options.timeoutMs);
    const deadline = nowMs() + options.timeoutMs;
    const checkpointAt: number[] = [];
    let maxBuffered = 0;
    const firstSentAt = nowMs();
    let i = 0;
    while (i < trace.txns.length) {
      for (const end = Math.min(trace.txns.length, i + BATCH); i < end; i++) {
        const { patches } = trace.txns[i] as (typeof trace.txns)[number];
        doc.transact(() => {
          for (const [pos, deleted, inserted] of patches) {
            if (deleted) client.text.delete(pos, deleted);
            if (inserted) client.text.insert(pos, inserted);
          }
        });
        const clock = Y.getState(doc.store, doc.clientID);
        while (
          checkpointAt.length < targets.length &&
          clock >= (targets[checkpointAt.length] as number)
        ) {
          checkpointAt.push(nowMs());
        }
      }
      for (
        let buffered = bufferedAmount(client);
        buffered > MAX_BUFFERED;
        buffered = bufferedAmount(client)
      ) {
        maxBuffered = Math.max(maxBuffered, buffered);
        if (nowMs() > deadline) throw new Error('replay: socket did not drain before the deadline');
        await delay(1);
      }
      maxBuffered = Math.max(maxBuffered, bufferedAmount(client));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const lastSentAt = nowMs();
    // Stay connected until everything queued is on the wire.
    while (bufferedAmount(client) > 0 && nowMs() < deadline) await delay(5);
    return { txns: trace.txns.length, firstSentAt, lastSentAt, checkpointAt, maxBuffered };
  } finally {
    client.provider.destroy();
    doc.destroy();
  }
}

function bufferedAmount(client: Client): number {
  return client.provider.ws?.bufferedAmount ?? 0;
}

/** Watches a room for a writer's replay: checkpoint arrival times and final convergence. */
export class TraceWatcher {
  readonly #client: Client;
  readonly #expected: string;
  readonly #targets: number[];
  readonly #checkpointAt: number[] = [];
  #convergedAt = Number.NaN;
  #onConverged: (() => void) | undefined;

  constructor(
    url: string,
    room: string,
    tracePath: string,
    writerClientId: number,
    checkpoints: number,
  ) {
    const trace = loadTrace(tracePath);
    this.#expected = trace.endContent;
    this.#targets = clockCheckpoints(trace, checkpoints);
    this.#client = connectClient(url, room);
    const { doc, text } = this.#client;
    doc.on('update', () => {
      const now = nowMs();
      const clock = Y.getState(doc.store, writerClientId);
      while (
        this.#checkpointAt.length < this.#targets.length &&
        clock >= (this.#targets[this.#checkpointAt.length] as number)
      ) {
        this.#checkpointAt.push(now);
      }
      // Compare lengths first: building the string on every keystroke would dominate.
      if (
        Number.isNaN(this.#convergedAt) &&
        text.length === this.#expected.length &&
        text.toString() === this.#expected
      ) {
        this.#convergedAt = now;
        this.#onConverged?.();
      }
    });
  }

  ready(timeoutMs: number): Promise<void> {
    return whenSynced(this.#client, timeoutMs);
  }

  async result(timeoutMs: number): Promise<WatchResultReply> {
    if (Number.isNaN(this.#convergedAt)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.#onConverged = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return {
      converged: !Number.isNaN(this.#convergedAt),
      convergedAt: this.#convergedAt,
      checkpointAt: this.#checkpointAt,
    };
  }

  close(): void {
    this.#client.provider.destroy();
    this.#client.doc.destroy();
  }
}
