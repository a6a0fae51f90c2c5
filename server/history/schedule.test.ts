import { describe, expect, it } from 'vitest';
import {
  type Activity,
  burstQualifies,
  DEFAULT_SCHEDULE,
  nextDueAt,
  noteEdit,
  versionDue,
} from './schedule';

const S = 1000;
const M = 60 * S;
const opts = DEFAULT_SCHEDULE;

/** Activity after edits at the given times. */
const editsAt = (...times: number[]): Activity =>
  times.reduce<Activity>((activity, t) => noteEdit(activity, t), null);

describe('automatic version schedule', () => {
  it('has nothing due without edits', () => {
    expect(versionDue(null, 1e12, opts)).toBeNull();
    expect(nextDueAt(null, opts)).toBeNull();
  });

  it('takes a version 30 s after a burst of at least 2 minutes ends', () => {
    const activity = editsAt(0, 1 * M, 2 * M);
    expect(burstQualifies(activity, opts)).toBe(true);
    expect(versionDue(activity, 2 * M + 29 * S, opts)).toBeNull();
    expect(versionDue(activity, 2 * M + 30 * S, opts)).toBe('burst-ended');
    expect(nextDueAt(activity, opts)).toBe(2 * M + 30 * S);
  });

  it('does not version a short burst when it ends; it joins the next one', () => {
    const short = editsAt(0, 10 * S);
    expect(burstQualifies(short, opts)).toBe(false);
    expect(versionDue(short, 5 * M, opts)).toBeNull();
    // Nothing would be due until the 10-minute cap.
    expect(nextDueAt(short, opts)).toBe(10 * M);
    const later = noteEdit(short, 3 * M);
    expect(versionDue(later, 3 * M + 30 * S, opts)).toBe('burst-ended');
  });

  it('takes a version every 10 minutes while editing never pauses', () => {
    let activity: Activity = null;
    const versions: number[] = [];
    // An edit every 5 s for 35 minutes, checking every second.
    for (let t = 0; t <= 35 * M; t += S) {
      if (t % (5 * S) === 0) activity = noteEdit(activity, t);
      if (versionDue(activity, t, opts)) {
        versions.push(t);
        activity = null;
      }
    }
    expect(versions).toEqual([10 * M, 20 * M + 5 * S, 30 * M + 10 * S]);
  });

  it('honours custom options', () => {
    const fast = { burstMs: 10, quietMs: 5, maxIntervalMs: 100 };
    const activity = editsAt(0, 10);
    expect(versionDue(activity, 14, fast)).toBeNull();
    expect(versionDue(activity, 15, fast)).toBe('burst-ended');
    expect(versionDue(editsAt(0, 1), 100, fast)).toBe('max-interval');
  });

  it('keeps the first edit time and the latest last edit time', () => {
    expect(editsAt(5, 3, 9)).toEqual({ firstEditAt: 5, lastEditAt: 9 });
  });
});
