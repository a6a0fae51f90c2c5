/**
 * Which automatic versions to thin out, as a pure function of the versions and the time.
 * Named versions are always kept. Automatic ones are all kept for `keepAllMs`; older than that,
 * the newest per hour is kept until `hourlyMs`, then the newest per day. Buckets are aligned to
 * the epoch (UTC), so repeated runs agree and never delete a version kept by an earlier run
 * except when it moves into a coarser band.
 */
import type { VersionMeta } from './version-store';

export interface RetentionPolicy {
  /** Keep every automatic version younger than this. */
  readonly keepAllMs: number;
  /** Keep one automatic version per hour for versions younger than this (then one per day). */
  readonly hourlyMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DEFAULT_RETENTION: RetentionPolicy = Object.freeze({
  keepAllMs: DAY,
  hourlyMs: 7 * DAY,
});

type Thinnable = Pick<VersionMeta, 'id' | 'kind' | 'createdAt'>;

/** Ids of the versions `policy` drops at `now`. */
export function versionsToThin(
  versions: readonly Thinnable[],
  now: number,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): string[] {
  /** Bucket key → newest automatic version in it. */
  const newest = new Map<string, Thinnable>();
  const bucketed: Thinnable[] = [];
  for (const version of versions) {
    if (version.kind === 'named') continue;
    const age = now - version.createdAt;
    if (age < policy.keepAllMs) continue;
    const key =
      age < policy.hourlyMs
        ? `h${Math.floor(version.createdAt / HOUR)}`
        : `d${Math.floor(version.createdAt / DAY)}`;
    bucketed.push(version);
    const kept = newest.get(key);
    if (!kept || version.createdAt >= kept.createdAt) newest.set(key, version);
  }
  const keep = new Set([...newest.values()].map((v) => v.id));
  return bucketed.filter((v) => !keep.has(v.id)).map((v) => v.id);
}
