import { describe, expect, it } from 'vitest';
import type { LifetimeResources } from './analysis';
import type { HeldState, RoomStates } from './final-states';
import { judge, rssLimitFor, type VerdictInput } from './verdict';

const state = (holder: string, vector: [number, number][], textHash = 'h'): HeldState => ({
  holder,
  stateVector: new Map(vector),
  textHash,
  textLength: 10,
});

const flat: LifetimeResources = {
  pid: 1,
  cleanSamples: 600,
  cleanSpanMs: 15 * 60_000,
  rssSlopeMbPerMin: 0.2,
  fdSlopePerMin: 0,
  otherFdDrift: 0,
  rssFirstMb: 100,
  rssLastMb: 103,
};

function input(overrides: Partial<VerdictInput> = {}): VerdictInput {
  const room: RoomStates = {
    room: 'r',
    clients: [state('typist 0', [[1, 5]]), state('typist 1', [[1, 5]])],
    instances: [state('fresh client on relay-a', [[1, 5]])],
    stored: state('PostgreSQL', [[1, 5]]),
  };
  return {
    rooms: [room],
    acked: [{ label: 'typist 0', room: 'r', stateVector: new Map([[1, 5]]) }],
    clientsConverged: true,
    crashes: [],
    gaveUp: [],
    browserProblems: [],
    saveIndicatorFindings: [],
    resources: new Map([['relay-a', [flat]]]),
    ...overrides,
  };
}

describe('judge', () => {
  it('passes a clean run', () => {
    const verdict = judge(input());
    expect(verdict.failures).toEqual([]);
    expect(verdict.lost).toBe(0);
    expect(verdict.roomsConverged).toBe(1);
  });

  it('counts acknowledged items missing from storage as lost', () => {
    const verdict = judge(
      input({ acked: [{ label: 'typist 0', room: 'r', stateVector: new Map([[1, 8]]) }] }),
    );
    expect(verdict.lost).toBe(3);
    expect(verdict.failures.join('\n')).toMatch(/typist 0: 3 acknowledged items not stored/);
  });

  it('fails a room where an instance serves another text, and an unexpected exit', () => {
    const base = input();
    const room = base.rooms[0] as RoomStates;
    const verdict = judge({
      ...base,
      rooms: [{ ...room, instances: [state('fresh client on relay-b', [[1, 5]], 'other')] }],
      crashes: [{ label: 'redis', pid: 9, startedAtMs: 0, exit: '1', expectedExit: null }],
    });
    expect(verdict.roomsConverged).toBe(0);
    expect(verdict.failures.join('\n')).toMatch(/relay-b/);
    expect(verdict.failures.join('\n')).toMatch(/redis \(pid 9\) exited 1 on its own/);
  });

  it('applies 1 MB/min to long clean spans, a looser limit to short ones, none below 30 s', () => {
    expect(rssLimitFor(20 * 60_000)).toBe(1);
    expect(rssLimitFor(45_000)).toBe(12);
    expect(rssLimitFor(20_000)).toBeNull();
    const leaking = { ...flat, rssSlopeMbPerMin: 1.4, otherFdDrift: 40 };
    const verdict = judge(input({ resources: new Map([['relay-a', [leaking]]]) }));
    expect(verdict.failures.join('\n')).toMatch(/RSS grew 1.40 MB\/min/);
    expect(verdict.failures.join('\n')).toMatch(/drifted by 40/);
  });
});
