/**
 * Every server process the soak starts, with how each one ended, so the verdict can tell a
 * crash from a kill the schedule asked for.
 */
import { nowMs } from '../bench/clock';

export interface Lifetime {
  readonly label: string;
  readonly pid: number;
  readonly startedAtMs: number;
  /** Exit code or signal name, once it is gone. */
  exit: string | null;
  /** What the schedule (or the teardown) did to it, once it did: `SIGKILL`, `0`, … */
  expectedExit: string | null;
}

export class ProcessLedger {
  readonly lifetimes: Lifetime[] = [];

  /** Record a started process; `exited` resolves with its exit code or signal. */
  track(running: {
    readonly label: string;
    readonly pid: number;
    readonly exited: Promise<number | string>;
  }): Lifetime {
    const lifetime: Lifetime = {
      label: running.label,
      pid: running.pid,
      startedAtMs: nowMs(),
      exit: null,
      expectedExit: null,
    };
    this.lifetimes.push(lifetime);
    void running.exited.then((code) => {
      lifetime.exit = String(code);
    });
    return lifetime;
  }

  /** Lifetimes that ended on their own, or not the way they were told to. */
  crashes(): Lifetime[] {
    return this.lifetimes.filter((l) => l.exit !== null && l.exit !== l.expectedExit);
  }
}
