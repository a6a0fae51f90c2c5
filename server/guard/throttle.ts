/**
 * Throttling by backpressure: a socket over its rate budget is not closed but no longer read
 * until its debt is repaid. The kernel's receive buffer fills, TCP's window closes, and the sender
 * simply slows down: nothing is dropped and nothing reconnects. Only a socket that stays over
 * budget for `closeAfterMs` in a row is reported as abuse, for the guard to close with a code
 * that standard clients retry.
 */

/** What a throttled socket must offer (the relay's Connection). */
export interface Throttleable {
  readonly isOpen: boolean;
  pause(): void;
  resume(): void;
}

/** Counts of what throttling did, exported on /metrics. */
export interface ThrottleStats {
  /** Sockets paused right now. */
  readonly paused: number;
  /** Times a socket was paused. */
  readonly throttles: number;
  /** Seconds sockets spent paused, summed over sockets (includes running pauses). */
  readonly pausedSeconds: number;
}

/**
 * Pauses that follow each other with less than this between them form one streak: a sender held
 * at the limit is resumed and paused again within milliseconds, a bursty but honest one is not.
 */
export const STREAK_GAP_MS = 1000;

interface ThrottleState {
  timer: NodeJS.Timeout | null;
  /** When the current pause began (null while reading). */
  pausedAt: number | null;
  /** When the current pause may end: the debt of every frame charged so far is repaid. */
  resumeAt: number;
  /** When the current streak of pauses began. */
  streakStart: number;
  /** When the last pause ended. */
  lastResume: number;
}

const performanceNow = (): number => performance.now();

export class Throttler {
  /** Only sockets that were ever throttled have an entry: an idle socket costs nothing here. */
  private readonly states = new Map<Throttleable, ThrottleState>();
  private pausedNow = 0;
  private throttles = 0;
  private pausedMs = 0;

  /** `closeAfterMs` 0: never report abuse (throttle forever). */
  constructor(
    private readonly closeAfterMs: number,
    private readonly now: () => number = performanceNow,
  ) {}

  /**
   * Stop reading `conn` for `waitMs` (extended if it is paused already). Returns 'abuse' instead,
   * without pausing, when the socket has been over budget for `closeAfterMs` in a row.
   */
  throttle(conn: Throttleable, waitMs: number): 'paused' | 'abuse' {
    const now = this.now();
    let state = this.states.get(conn);
    if (!state) {
      state = {
        timer: null,
        pausedAt: null,
        resumeAt: now,
        streakStart: now,
        lastResume: -Infinity,
      };
      this.states.set(conn, state);
    } else if (state.pausedAt === null && now - state.lastResume > STREAK_GAP_MS) {
      state.streakStart = now;
    }
    if (this.closeAfterMs > 0 && now - state.streakStart >= this.closeAfterMs) {
      this.release(conn);
      return 'abuse';
    }
    if (state.pausedAt === null) {
      state.pausedAt = now;
      this.pausedNow++;
      this.throttles++;
      conn.pause();
    }
    // Frames read before the pause took effect still arrive and add to the debt: wait for all of
    // it. One timer per pause, re-armed when it fires early, not one per frame.
    state.resumeAt = now + waitMs;
    state.timer ??= this.arm(conn, waitMs);
    return 'paused';
  }

  /** Forget `conn` (it closed): stop its timer and account its pause. */
  release(conn: Throttleable): void {
    const state = this.states.get(conn);
    if (!state) return;
    this.endPause(state);
    this.states.delete(conn);
  }

  stats(): ThrottleStats {
    let running = 0;
    if (this.pausedNow > 0) {
      const now = this.now();
      for (const state of this.states.values()) {
        if (state.pausedAt !== null) running += now - state.pausedAt;
      }
    }
    return {
      paused: this.pausedNow,
      throttles: this.throttles,
      pausedSeconds: (this.pausedMs + running) / 1000,
    };
  }

  private arm(conn: Throttleable, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.wake(conn), Math.ceil(ms));
    timer.unref();
    return timer;
  }

  private wake(conn: Throttleable): void {
    const state = this.states.get(conn);
    if (!state) return;
    state.timer = null;
    const left = state.resumeAt - this.now();
    if (left >= 1) {
      state.timer = this.arm(conn, left);
      return;
    }
    this.endPause(state);
    if (conn.isOpen) conn.resume();
  }

  private endPause(state: ThrottleState): void {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    if (state.pausedAt === null) return;
    const now = this.now();
    this.pausedMs += now - state.pausedAt;
    state.pausedAt = null;
    state.lastResume = now;
    this.pausedNow--;
  }
}
