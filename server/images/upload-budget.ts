import { TokenBucket } from '../guard/rate-limiter';

const HOUR_SECONDS = 3600;
/** Past this many addresses, those whose budget has refilled are forgotten (a fresh one is equal). */
const SWEEP_ABOVE = 1024;

/**
 * How many image bytes each client address may upload: `bytesPerHour`, refilled continuously, and
 * all of it at once (a user pasting a batch of screenshots). Without it one edit link could fill
 * the disk, 10 MiB at a time. An upload is admitted while its address is not in debt and charged
 * once stored, so the one that crosses the line still lands, and the next waits until the debt is
 * repaid (`Retry-After`). Addresses come from the relay's resolver, behind a trusted proxy from
 * X-Forwarded-For. 0 turns the budget off.
 */
export class UploadBudget {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly bytesPerHour: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Milliseconds until `address` may upload again; 0: now. */
  waitMs(address: string): number {
    return this.buckets.get(address)?.charge(0) ?? 0;
  }

  /** Count `bytes` uploaded from `address`. */
  spend(address: string, bytes: number): void {
    if (this.bytesPerHour === 0) return;
    let bucket = this.buckets.get(address);
    if (!bucket) {
      if (this.buckets.size >= SWEEP_ABOVE) this.forgetRefilled();
      bucket = new TokenBucket(this.bytesPerHour / HOUR_SECONDS, this.bytesPerHour, this.now);
      this.buckets.set(address, bucket);
    }
    bucket.charge(bytes);
  }

  /** Addresses remembered (what the sweep keeps bounded). */
  get size(): number {
    return this.buckets.size;
  }

  private forgetRefilled(): void {
    const now = this.now();
    for (const [address, bucket] of this.buckets) {
      if (bucket.isFull(now)) this.buckets.delete(address);
    }
  }
}
