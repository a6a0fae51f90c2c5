/**
 * History settings from the environment (all optional; defaults in schedule.ts/retention.ts):
 *   COEDIT_HISTORY_BURST_SECONDS         editing span worth an automatic version (120)
 *   COEDIT_HISTORY_QUIET_SECONDS         quiet time that ends a burst (30)
 *   COEDIT_HISTORY_MAX_INTERVAL_SECONDS  longest edits stay unversioned while editing goes on (600)
 *   COEDIT_HISTORY_KEEP_ALL_HOURS        keep every automatic version this long (24)
 *   COEDIT_HISTORY_HOURLY_DAYS           then one per hour until this age, then one per day (7)
 * Named versions are always kept.
 */
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention';
import { DEFAULT_SCHEDULE, type ScheduleOptions } from './schedule';

export interface HistoryOptions {
  readonly schedule: ScheduleOptions;
  readonly retention: RetentionPolicy;
}

/** Thrown for an invalid value; the message names the variable. */
export class HistoryOptionError extends Error {}

function read(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  unitMs: number,
  fallbackMs: number,
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallbackMs;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new HistoryOptionError(`${name} must be a positive number, got "${raw}"`);
  }
  return Math.round(value * unitMs);
}

export function historyOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): HistoryOptions {
  const S = 1000;
  const schedule: ScheduleOptions = {
    burstMs: read(env, 'COEDIT_HISTORY_BURST_SECONDS', S, DEFAULT_SCHEDULE.burstMs),
    quietMs: read(env, 'COEDIT_HISTORY_QUIET_SECONDS', S, DEFAULT_SCHEDULE.quietMs),
    maxIntervalMs: read(
      env,
      'COEDIT_HISTORY_MAX_INTERVAL_SECONDS',
      S,
      DEFAULT_SCHEDULE.maxIntervalMs,
    ),
  };
  const retention: RetentionPolicy = {
    keepAllMs: read(env, 'COEDIT_HISTORY_KEEP_ALL_HOURS', 3600 * S, DEFAULT_RETENTION.keepAllMs),
    hourlyMs: read(env, 'COEDIT_HISTORY_HOURLY_DAYS', 86_400 * S, DEFAULT_RETENTION.hourlyMs),
  };
  if (retention.hourlyMs < retention.keepAllMs) {
    throw new HistoryOptionError(
      'COEDIT_HISTORY_HOURLY_DAYS must cover at least COEDIT_HISTORY_KEEP_ALL_HOURS',
    );
  }
  return { schedule, retention };
}
