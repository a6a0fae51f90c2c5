/**
 * When to take an automatic version, as pure functions of the editing activity since the last
 * version and the time. A version is due when a burst ends (the edits since the last version
 * span at least `burstMs` and the last one is `quietMs` old) or, while editing goes on, once the
 * oldest unsaved edit is `maxIntervalMs` old. Nothing here reads a clock or sets a timer: the
 * room hook (auto-versioner.ts) does, so tests drive these with plain numbers.
 */

export interface ScheduleOptions {
  /** Shortest span of editing (first to last unsaved edit) worth a version when it ends. */
  readonly burstMs: number;
  /** Quiet time after the last edit that ends a burst. */
  readonly quietMs: number;
  /** Longest an edit stays unversioned while editing continues. */
  readonly maxIntervalMs: number;
}

export const DEFAULT_SCHEDULE: ScheduleOptions = Object.freeze({
  burstMs: 2 * 60_000,
  quietMs: 30_000,
  maxIntervalMs: 10 * 60_000,
});

/** Edits not yet covered by a version; null when there are none. */
export type Activity = { readonly firstEditAt: number; readonly lastEditAt: number } | null;

/** The activity after an edit at `now`. */
export function noteEdit(activity: Activity, now: number): Activity {
  if (!activity) return { firstEditAt: now, lastEditAt: now };
  return { firstEditAt: activity.firstEditAt, lastEditAt: Math.max(activity.lastEditAt, now) };
}

/** The unsaved edits span a whole burst (so a version is worth taking once they end). */
export function burstQualifies(activity: Activity, options: ScheduleOptions): boolean {
  return activity !== null && activity.lastEditAt - activity.firstEditAt >= options.burstMs;
}

export type DueReason = 'burst-ended' | 'max-interval';

/** Why an automatic version is due at `now`, or null if none is. */
export function versionDue(
  activity: Activity,
  now: number,
  options: ScheduleOptions,
): DueReason | null {
  if (!activity) return null;
  if (now - activity.firstEditAt >= options.maxIntervalMs) return 'max-interval';
  if (burstQualifies(activity, options) && now - activity.lastEditAt >= options.quietMs) {
    return 'burst-ended';
  }
  return null;
}

/**
 * The earliest time a version becomes due if no further edit arrives, or null if never (no
 * unsaved edits). A later edit can only move it later, except that it can make a short burst
 * qualify, which the caller handles by recomputing on edits.
 */
export function nextDueAt(activity: Activity, options: ScheduleOptions): number | null {
  if (!activity) return null;
  const byInterval = activity.firstEditAt + options.maxIntervalMs;
  if (!burstQualifies(activity, options)) return byInterval;
  return Math.min(byInterval, activity.lastEditAt + options.quietMs);
}
