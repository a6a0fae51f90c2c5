import { describe, expect, it } from 'vitest';
import { type FaultKind, planFaults } from './schedule';

const ALL: FaultKind[] = [
  'kill-instance',
  'term-instance',
  'reset-connections',
  'restart-redis',
  'pause-redis',
  'restart-postgres',
  'bad-clients',
];

describe('fault schedule', () => {
  it('fits every fault into a 2-minute run, after the warm-up, leaving a quiet tail', () => {
    const plan = planFaults(120_000);
    expect(plan.faults.map((f) => f.kind)).toEqual(ALL);
    const first = plan.faults[0];
    const last = plan.faults.at(-1);
    expect(first?.atMs).toBe(plan.warmupMs);
    expect((last?.atMs ?? 0) + (last?.holdMs ?? 0)).toBeLessThanOrEqual(120_000 - 55_000);
    const starts = plan.faults.map((f) => f.atMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('kills each instance once, early, and repeats the other faults every 10 minutes', () => {
    const plan = planFaults(30 * 60_000);
    const count = (kind: FaultKind) => plan.faults.filter((f) => f.kind === kind).length;
    expect(count('kill-instance')).toBe(1);
    expect(count('term-instance')).toBe(1);
    expect(count('restart-postgres')).toBe(3);
    expect(plan.faults[0]).toMatchObject({ kind: 'kill-instance', instance: 0 });
    expect(plan.faults[1]).toMatchObject({ kind: 'term-instance', instance: 1 });
    expect(plan.faults.find((f) => f.kind === 'pause-redis')?.holdMs).toBe(10_000);
  });

  it('refuses a run with no room for faults', () => {
    expect(() => planFaults(30_000)).toThrow();
  });
});
