import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, versionsToThin } from './retention';
import type { VersionKind } from './version-store';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A fixed "now" on an exact day boundary keeps bucket arithmetic readable. */
const NOW = 20_000 * DAY;

const v = (id: string, ageMs: number, kind: VersionKind = 'auto') => ({
  id,
  kind,
  createdAt: NOW - ageMs,
});

describe('retention thinning', () => {
  it('keeps every automatic version younger than a day', () => {
    const versions = Array.from({ length: 50 }, (_, i) => v(`a${i}`, i * 20 * 60_000));
    expect(versionsToThin(versions, NOW)).toEqual([]);
  });

  it('keeps the newest automatic version per hour between one day and a week', () => {
    const base = 2 * DAY;
    const versions = [
      v('h1-old', base + 50 * 60_000),
      v('h1-new', base + 10 * 60_000),
      v('h1-mid', base + 30 * 60_000),
      v('h2', base + HOUR + 30 * 60_000),
    ];
    expect(versionsToThin(versions, NOW).sort()).toEqual(['h1-mid', 'h1-old']);
  });

  it('keeps the newest automatic version per day after a week', () => {
    const base = 10 * DAY;
    const versions = [
      v('d1-a', base + 20 * HOUR),
      v('d1-b', base + 2 * HOUR),
      v('d1-c', base + 5 * HOUR),
      v('d2-a', base + DAY + HOUR),
    ];
    expect(versionsToThin(versions, NOW).sort()).toEqual(['d1-a', 'd1-c']);
  });

  it('never deletes named versions', () => {
    const versions = [
      v('n1', 30 * DAY + HOUR, 'named'),
      v('n2', 30 * DAY + 2 * HOUR, 'named'),
      v('a', 30 * DAY + 3 * HOUR),
      v('n3', 2 * DAY + 60_000, 'named'),
      v('b', 2 * DAY + 120_000),
    ];
    expect(versionsToThin(versions, NOW)).toEqual([]);
  });

  it('is stable: thinning what is left deletes nothing more', () => {
    const versions = Array.from({ length: 2000 }, (_, i) => v(`x${i}`, i * 9 * 60_000));
    const dropped = new Set(versionsToThin(versions, NOW));
    expect(dropped.size).toBeGreaterThan(0);
    const left = versions.filter((x) => !dropped.has(x.id));
    expect(versionsToThin(left, NOW)).toEqual([]);
    // Within a day: all 160 kept; a week: about one per hour; beyond: one per day.
    const ages = left.map((x) => NOW - x.createdAt);
    expect(ages.filter((a) => a < DAY)).toHaveLength(160);
    const hourly = ages.filter((a) => a >= DAY && a < 7 * DAY).length;
    expect(hourly).toBeGreaterThanOrEqual(143);
    expect(hourly).toBeLessThanOrEqual(145);
  });

  it('takes a custom policy', () => {
    const policy = { keepAllMs: HOUR, hourlyMs: 2 * HOUR };
    const versions = [v('a', 70 * 60_000), v('b', 80 * 60_000), v('c', 30 * 60_000)];
    expect(versionsToThin(versions, NOW, policy)).toEqual(['b']);
    expect(DEFAULT_RETENTION.keepAllMs).toBe(DAY);
  });
});
