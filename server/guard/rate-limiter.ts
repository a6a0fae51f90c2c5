/**
 * Token buckets: a connection may spend `ratePerSecond` on average and up to `burst` at once.
 * Used per connection for messages/s and bytes/s; refilled lazily on each charge, so an idle
 * connection costs no timer.
 *
 * A frame that has arrived is never refused here: refusing it would lose an edit or strand the
 * client. Instead the bucket goes into debt and says how long the connection must stop being read
 * for the debt to be repaid (TCP backpressure then slows the sender down).
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
   * Spend `amount`, going into debt when the bucket is short; returns the milliseconds until the
   * debt is repaid (0 while the bucket is not in debt). `now` may be passed by a caller that read
   * the clock already.
   */
  charge(amount: number, now = this.now()): number {
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((now - this.last) / 1000) * this.ratePerSecond,
    );
    this.last = now;
    this.tokens -= amount;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.ratePerSecond) * 1000;
  }

  /** Whether the bucket has refilled completely (a fresh bucket would behave the same). */
  isFull(now = this.now()): boolean {
    this.charge(0, now);
    return this.tokens >= this.burst;
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

  /**
   * Account one frame of `size` bytes; returns how many milliseconds the connection should not be
   * read so that it gets back under both limits (0: keep reading).
   */
  charge(size: number): number {
    const messages = this.messages;
    const bytes = this.bytes;
    if (!messages && !bytes) return 0;
    // One clock read for both buckets.
    const now = this.now();
    const messageWait = messages ? messages.charge(1, now) : 0;
    const byteWait = bytes ? bytes.charge(size, now) : 0;
    return messageWait > byteWait ? messageWait : byteWait;
  }
}
