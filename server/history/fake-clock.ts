/** A manual clock for tests: time moves only when `advance` is called, firing due timers. */
import type { Clock } from './auto-versioner';

export class FakeClock implements Clock {
  private time: number;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextHandle = 1;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(fn: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.timers.set(handle, { at: this.time + ms, fn });
    return handle;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Move time forward by `ms`, firing each due timer at its own time, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].fn();
      // Let promise callbacks started by the timer run before the next one fires.
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    this.time = end;
  }
}
