/**
 * Delivery latency without putting timestamps into the text: every keystroke is one character,
 * and a character is identified by its Yjs id (client id, clock). The sender notes when it typed
 * each id; a receiver in the same process looks the ids of a remote update up when it arrives.
 * A room's clients all live in one worker process, so every sender is known to every receiver.
 */
import * as Y from 'yjs';
import { inAnyWindow, type TimeWindow } from './analysis';

/** Send times older than this are forgotten (a character arriving later is counted, not timed). */
const KEEP_MS = 120_000;
/** Width of the latency timeline's buckets. */
const BUCKET_MS = 5_000;
const WORST_KEPT = 30;

/** Kept samples sent in one bucket of time (seconds after the measurement start). */
export interface LatencyBucket {
  readonly fromS: number;
  n: number;
  maxMs: number;
}

export class LatencyBook {
  /** client id → clock → send time (shared clock, ms), in insertion order. */
  readonly #sentAt = new Map<number, Map<number, number>>();
  #samples = new Float64Array(1 << 16);
  #count = 0;
  delivered = 0;

  /** The character with id (client, clock) was typed at `atMs`. */
  typed(client: number, clock: number, atMs: number): void {
    let times = this.#sentAt.get(client);
    if (!times) {
      times = new Map();
      this.#sentAt.set(client, times);
    }
    times.set(clock, atMs);
  }

  /**
   * `update` (what a transaction added to a receiving document, i.e. only new items) arrived at
   * `atMs`.
   */
  received(update: Uint8Array, atMs: number, room = ''): void {
    for (const struct of Y.decodeUpdate(update).structs) {
      if (struct instanceof Y.Skip) continue;
      this.delivered += struct.length;
      const times = this.#sentAt.get(struct.id.client);
      if (!times) continue;
      for (let clock = struct.id.clock; clock < struct.id.clock + struct.length; clock++) {
        const sentAt = times.get(clock);
        if (sentAt !== undefined) {
          this.#push(sentAt, atMs - sentAt);
          this.#noteWorst(room, struct.id.client, sentAt, atMs - sentAt);
        }
      }
    }
  }

  /** Forget send times older than {@link KEEP_MS}. */
  prune(nowMs: number): void {
    for (const times of this.#sentAt.values()) {
      for (const [clock, at] of times) {
        if (at > nowMs - KEEP_MS) break;
        times.delete(clock);
      }
    }
  }

  /**
   * Latencies of characters sent after `fromMs`, neither sent nor received in a window; plus,
   * per {@link BUCKET_MS} of send time (from `fromMs`), the count and worst latency of the kept.
   */
  latencies(
    fromMs: number,
    exclusions: readonly TimeWindow[],
  ): { kept: Float64Array; left: number; buckets: LatencyBucket[] } {
    const kept: number[] = [];
    const buckets: LatencyBucket[] = [];
    let left = 0;
    for (let i = 0; i < this.#count; i++) {
      const sentAt = this.#samples[2 * i] as number;
      const latency = this.#samples[2 * i + 1] as number;
      const clean =
        sentAt >= fromMs &&
        !inAnyWindow(sentAt, exclusions) &&
        !inAnyWindow(sentAt + latency, exclusions);
      if (!clean) {
        left++;
        continue;
      }
      kept.push(latency);
      const index = Math.floor((sentAt - fromMs) / BUCKET_MS);
      const bucket = buckets[index] ?? { fromS: (index * BUCKET_MS) / 1000, n: 0, maxMs: 0 };
      buckets[index] = bucket;
      bucket.n++;
      bucket.maxMs = Math.max(bucket.maxMs, latency);
    }
    return { kept: Float64Array.from(kept), left, buckets: buckets.filter(Boolean) };
  }

  /** The slowest deliveries seen (any time), for diagnosing a high p99. */
  readonly worst: { room: string; client: number; sentAt: number; latency: number }[] = [];

  #noteWorst(room: string, client: number, sentAt: number, latency: number): void {
    const floor = this.worst.length < WORST_KEPT ? 0 : (this.worst.at(-1)?.latency ?? 0);
    if (latency <= floor) return;
    this.worst.push({ room, client, sentAt, latency });
    this.worst.sort((a, b) => b.latency - a.latency);
    this.worst.length = Math.min(this.worst.length, WORST_KEPT);
  }

  #push(sentAt: number, latency: number): void {
    if (2 * this.#count + 2 > this.#samples.length) {
      const grown = new Float64Array(this.#samples.length * 2);
      grown.set(this.#samples);
      this.#samples = grown;
    }
    this.#samples[2 * this.#count] = sentAt;
    this.#samples[2 * this.#count + 1] = latency;
    this.#count++;
  }
}
