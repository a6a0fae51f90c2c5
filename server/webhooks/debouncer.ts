/**
 * Per-key quiet timers: `touch(key)` on every change; `fire(key)` runs once no change came for
 * `quietMs`. A keystroke only stores a time: the one timer per key is armed at the first touch
 * and, when it fires early, re-armed for the rest of the quiet period.
 *
 * With `maxWaitMs`, changes that never pause still fire: a change pending since wall-clock slot
 * n (slots of `maxWaitMs`) fires at the start of slot n + 2 at the latest, so between one and
 * two `maxWaitMs` after it. The deadline is a slot boundary, not "first touch + maxWaitMs", so
 * instances that saw the same edits fire for the same slot (the dedupe key of a cluster).
 */
export type FireReason =
  | { readonly kind: 'quiet' }
  | { readonly kind: 'busy'; readonly slot: number };

const QUIET: FireReason = { kind: 'quiet' };

export class Debouncer<K> {
  private readonly lastTouch = new Map<K, number>();
  /** The slot whose start is the latest a pending change may wait for (maxWaitMs only). */
  private readonly deadlineSlot = new Map<K, number>();
  private readonly timers = new Map<K, NodeJS.Timeout>();

  constructor(
    private readonly quietMs: number,
    private readonly fire: (key: K, reason: FireReason) => void,
    private readonly now: () => number = Date.now,
    private readonly maxWaitMs = 0,
  ) {}

  touch(key: K): void {
    const now = this.now();
    this.lastTouch.set(key, now);
    if (this.maxWaitMs > 0 && !this.deadlineSlot.has(key)) {
      this.deadlineSlot.set(key, Math.floor(now / this.maxWaitMs) + 2);
    }
    if (!this.timers.has(key)) this.arm(key, this.quietMs);
  }

  isPending(key: K): boolean {
    return this.lastTouch.has(key);
  }

  /** Fire now if a change is pending (the key goes away: as good as quiet). */
  flush(key: K): boolean {
    if (!this.lastTouch.has(key)) return false;
    this.cancel(key);
    this.fire(key, QUIET);
    return true;
  }

  /** Forget a pending change without firing. */
  cancel(key: K): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.lastTouch.delete(key);
    this.deadlineSlot.delete(key);
  }

  /** Forget everything without firing. */
  clear(): void {
    for (const key of [...this.lastTouch.keys()]) this.cancel(key);
  }

  private arm(key: K, ms: number): void {
    const slot = this.deadlineSlot.get(key);
    const untilDeadline = slot === undefined ? ms : slot * this.maxWaitMs - this.now();
    const timer = setTimeout(() => this.onTimer(key), Math.max(0, Math.min(ms, untilDeadline)));
    timer.unref();
    this.timers.set(key, timer);
  }

  private onTimer(key: K): void {
    this.timers.delete(key);
    const last = this.lastTouch.get(key);
    if (last === undefined) return;
    const now = this.now();
    const slot = this.deadlineSlot.get(key);
    if (slot !== undefined && now >= slot * this.maxWaitMs) {
      this.cancel(key);
      this.fire(key, { kind: 'busy', slot });
      return;
    }
    const quietFor = now - last;
    if (quietFor < this.quietMs) {
      this.arm(key, this.quietMs - quietFor);
      return;
    }
    this.cancel(key);
    this.fire(key, QUIET);
  }
}
