/**
 * Drives the schedule (schedule.ts) for one room with a real (injectable) clock and one timer:
 * edits are noted with their authors, and when a version is due `take` is called with the
 * authors since the last version. One timer at most, re-armed only when an edit makes the next
 * due time earlier, so a keystroke costs a few comparisons.
 */
import { burstQualifies, nextDueAt, type ScheduleOptions, versionDue } from './schedule';

export interface Clock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** Real time; timers are unref'd so a pending version never keeps the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface AutoVersionerDeps {
  readonly clock: Clock;
  readonly schedule: ScheduleOptions;
  /** Take an automatic version now, crediting `authors`. */
  take(authors: string[]): Promise<void>;
  /** A failed `take` (logged by the owner; the edits stay pending and are retried). */
  onError(err: unknown): void;
}

/** The versioner's own Activity, updated in place so a keystroke allocates nothing. */
type OpenActivity = { firstEditAt: number; lastEditAt: number } | null;

export class AutoVersioner {
  private activity: OpenActivity = null;
  private authors = new Set<string>();
  /** The authors iterable of the last noteEdit since `authors` was reset (already added). */
  private notedAuthors: Iterable<string> | null = null;
  private timer: unknown = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private taking: Promise<void> | null = null;
  private disposed = false;

  constructor(private readonly deps: AutoVersionerDeps) {}

  /** Authors of the edits not yet covered by a version. */
  get pendingAuthors(): string[] {
    return [...this.authors];
  }

  get hasPendingEdits(): boolean {
    return this.activity !== null;
  }

  /**
   * An edit happened now, by `authors`. Callers pass the same unchanged iterable for a run of
   * edits by the same authors; it is then added once, not on every keystroke.
   */
  noteEdit(authors: Iterable<string>): void {
    if (this.disposed) return;
    if (authors !== this.notedAuthors) {
      for (const author of authors) this.authors.add(author);
      this.notedAuthors = authors;
    }
    // As schedule.ts's noteEdit, without a new object per edit.
    const now = this.deps.clock.now();
    const activity = this.activity;
    if (activity === null) this.activity = { firstEditAt: now, lastEditAt: now };
    else if (now > activity.lastEditAt) activity.lastEditAt = now;
    const dueAt = nextDueAt(this.activity, this.deps.schedule);
    if (dueAt !== null && dueAt < this.timerAt) this.arm(dueAt);
  }

  /** A version (named or automatic) now covers every edit so far: start over. */
  covered(): void {
    this.activity = null;
    this.authors = new Set();
    this.notedAuthors = null;
    this.disarm();
  }

  /**
   * Stop the timer; if the pending edits make a whole burst, take their version first (the
   * room is about to unload, which is as good as quiet). Idempotent.
   */
  async dispose(savePending = true): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.disarm();
    if (!savePending) return;
    if (this.taking) await this.taking;
    if (burstQualifies(this.activity, this.deps.schedule)) await this.runTake();
  }

  private arm(at: number): void {
    this.disarm();
    this.timerAt = at;
    const delay = Math.max(0, at - this.deps.clock.now());
    this.timer = this.deps.clock.setTimer(() => this.onTimer(), delay);
  }

  private disarm(): void {
    if (this.timer !== null) this.deps.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private onTimer(): void {
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (this.disposed || this.taking) return;
    const now = this.deps.clock.now();
    if (versionDue(this.activity, now, this.deps.schedule)) {
      this.taking = this.runTake().then((ok) => {
        this.taking = null;
        // After a failure, wait a quiet period before retrying rather than spinning.
        this.rearm(ok ? 0 : this.deps.clock.now() + this.deps.schedule.quietMs);
      });
    } else {
      this.rearm();
    }
  }

  private rearm(notBefore = 0): void {
    if (this.disposed) return;
    const dueAt = nextDueAt(this.activity, this.deps.schedule);
    if (dueAt !== null) this.arm(Math.max(dueAt, notBefore));
  }

  /** Take a version of everything so far; edits arriving meanwhile stay pending. */
  private async runTake(): Promise<boolean> {
    const taken = this.activity;
    const authors = this.pendingAuthors;
    this.activity = null;
    this.authors = new Set();
    this.notedAuthors = null;
    try {
      await this.deps.take(authors);
      return true;
    } catch (err) {
      // Put the edits back so the next due time retries them.
      // (TypeScript keeps the `null` narrowing across the await; edits may have arrived.)
      const since = this.activity as OpenActivity;
      if (taken) {
        this.activity = since
          ? { firstEditAt: taken.firstEditAt, lastEditAt: since.lastEditAt }
          : taken;
      }
      for (const author of authors) this.authors.add(author);
      this.deps.onError(err);
      return false;
    }
  }
}
