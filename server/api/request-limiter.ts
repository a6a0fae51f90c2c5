/**
 * Requests per second for the HTTP API, one token bucket per caller (its bearer token, else its
 * address). Unlike a socket frame, an HTTP request can be refused without losing anything: the
 * caller gets 429 with Retry-After and sends it again.
 */
import { createHash } from 'node:crypto';
import { TokenBucket } from '../guard/rate-limiter';

/** Callers remembered at most; full buckets are forgotten first (they behave like new ones). */
const MAX_CALLERS = 10_000;

export class RequestLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly perSecond: number,
    private readonly burstSeconds: number,
  ) {}

  /** 0 when `caller` may go ahead, else the seconds to wait (the request is not counted). */
  retryAfter(token: string | null, address: string): number {
    if (this.perSecond <= 0) return 0;
    // A hash, so the map never holds a usable token.
    const caller = token ? createHash('sha256').update(token).digest('base64') : `ip ${address}`;
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      if (this.buckets.size >= MAX_CALLERS) this.forgetIdle();
      bucket = new TokenBucket(this.perSecond, Math.max(1, this.perSecond * this.burstSeconds));
      this.buckets.set(caller, bucket);
    }
    const waitMs = bucket.charge(1);
    if (waitMs === 0) return 0;
    bucket.charge(-1);
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  private forgetIdle(): void {
    for (const [caller, bucket] of this.buckets) if (bucket.isFull()) this.buckets.delete(caller);
    // Still full of busy callers: drop the oldest rather than grow without bound.
    while (this.buckets.size >= MAX_CALLERS) {
      this.buckets.delete(this.buckets.keys().next().value as string);
    }
  }
}
