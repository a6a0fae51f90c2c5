/**
 * Token buckets: a connection may spend `ratePerSecond` on average and up to `burst` at once.
 * Used per connection for messages/s and bytes/s; refilled lazily on each take, so an idle
 * connection costs no timer.
 */
const performanceNow = (): number => performance.now();

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = performanceNow,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /**
   * Spend `amount` if available; false (and nothing spent) when the bucket is short. `now` may
   * be passed by a caller that read the clock already.
   */
  take(amount: number, now = this.now()): boolean {
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((now - this.last) / 1000) * this.ratePerSecond,
    );
    this.last = now;
    if (amount > this.tokens) return false;
    this.tokens -= amount;
    return true;
  }
}

export interface RateLimits {
  /** Average frames per second; 0 turns the limit off. */
  readonly messagesPerSecond: number;
  /** Average bytes per second; 0 turns the limit off. */
  readonly bytesPerSecond: number;
  /** How many seconds of the average rate may arrive at once. */
  readonly burstSeconds: number;
  /** The byte burst is at least this (so one maximum-size frame always fits). */
  readonly minByteBurst: number;
}

/** Both buckets of one connection. */
export class ConnectionRateLimiter {
  private readonly messages: TokenBucket | null;
  private readonly bytes: TokenBucket | null;
  private readonly now: () => number;

  constructor(limits: RateLimits, now: () => number = performanceNow) {
    this.now = now;
    const { messagesPerSecond: mps, bytesPerSecond: bps, burstSeconds } = limits;
    this.messages = mps > 0 ? new TokenBucket(mps, mps * burstSeconds, now) : null;
    this.bytes =
      bps > 0 ? new TokenBucket(bps, Math.max(bps * burstSeconds, limits.minByteBurst), now) : null;
  }

  /** Account one frame of `size` bytes; false once the connection is over either limit. */
  allow(size: number): boolean {
    const messages = this.messages;
    const bytes = this.bytes;
    if (!messages && !bytes) return true;
    // One clock read for both buckets.
    const now = this.now();
    if (messages && !messages.take(1, now)) return false;
    if (bytes && !bytes.take(size, now)) return false;
    return true;
  }
}
