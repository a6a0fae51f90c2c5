/**
 * Per-key quiet timers: `touch(key)` on every change; `fire(key)` runs once no change came for
 * `quietMs`. A keystroke only stores a time: the one timer per key is armed at the first touch
 * and, when it fires early, re-armed for the rest of the quiet period.
 */
export class Debouncer<K> {
  private readonly lastTouch = new Map<K, number>();
  private readonly timers = new Map<K, NodeJS.Timeout>();

  constructor(
    private readonly quietMs: number,
    private readonly fire: (key: K) => void,
    private readonly now: () => number = Date.now,
  ) {}

  touch(key: K): void {
    this.lastTouch.set(key, this.now());
    if (!this.timers.has(key)) this.arm(key, this.quietMs);
  }

  isPending(key: K): boolean {
    return this.lastTouch.has(key);
  }

  /** Fire now if a change is pending (the key goes away: as good as quiet). */
  flush(key: K): boolean {
    if (!this.lastTouch.has(key)) return false;
    this.cancel(key);
    this.fire(key);
    return true;
  }

  /** Forget a pending change without firing. */
  cancel(key: K): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.lastTouch.delete(key);
  }

  /** Forget everything without firing. */
  clear(): void {
    for (const key of [...this.lastTouch.keys()]) this.cancel(key);
  }

  private arm(key: K, ms: number): void {
    const timer = setTimeout(() => this.onTimer(key), ms);
    timer.unref();
    this.timers.set(key, timer);
  }

  private onTimer(key: K): void {
    this.timers.delete(key);
    const last = this.lastTouch.get(key);
    if (last === undefined) return;
    const quietFor = this.now() - last;
    if (quietFor < this.quietMs) {
      this.arm(key, this.quietMs - quietFor);
      return;
    }
    this.lastTouch.delete(key);
    this.fire(key);
  }
}
