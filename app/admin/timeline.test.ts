import { describe, expect, it } from 'vitest';
import type { DashboardSample } from '../../lib/dashboard';
import { alignedSeries, DashboardTimeline, STALE_AFTER_MS } from './timeline';

function sample(
  instance: string,
  t: number,
  extra: Partial<DashboardSample> = {},
): DashboardSample {
  return {
    instance,
    t,
    status: 'ok',
    connections: 1,
    rooms: 1,
    updatesIn: 0,
    updatesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    updatesInTotal: 0,
    updatesOutTotal: 0,
    appendP99Ms: null,
    applyP99Ms: null,
    rejections: {},
    busiest: [],
    ...extra,
  };
}

describe('DashboardTimeline', () => {
  it('aligns instances on the relay seconds of the last 15 minutes, gaps as null', () => {
    const timeline = new DashboardTimeline();
    timeline.loadHistory(
      { self: 'a', instances: { a: [sample('a', 100), sample('a', 101)], b: [sample('b', 100)] } },
      0,
    );
    timeline.add(sample('b', 102, { connections: 5 }), 0);
    const [x, a, b] = alignedSeries(
      timeline,
      ['a', 'b'],
      (_, s) => s.connections,
      (i) => timeline.instances.get(i) ?? [],
    );
    expect(x).toHaveLength(900);
    expect(x.at(-1)).toBe(102);
    expect(a?.slice(-3)).toEqual([1, 1, null]);
    expect(b?.slice(-3)).toEqual([1, null, 5]);
    expect(timeline.order()).toEqual(['a', 'b']);
  });

  it('sums counts of several instances on one second when asked', () => {
    const timeline = new DashboardTimeline();
    timeline.add(sample('a', 5, { rejections: { origin: 2 } }), 0);
    timeline.add(sample('b', 5, { rejections: { origin: 3 } }), 0);
    const all = [...timeline.instances.values()].flat();
    const [, origin] = alignedSeries(
      timeline,
      ['origin'],
      (r, s) => s.rejections[r] ?? 0,
      () => all,
      true,
    );
    expect(origin?.at(-1)).toBe(5);
  });

  it('calls an instance unreachable once its samples stop arriving, else says its status', () => {
    const timeline = new DashboardTimeline();
    timeline.add(sample('a', 1, { status: 'degraded' }), 1000);
    expect(timeline.health('a', 1000 + STALE_AFTER_MS)).toBe('degraded');
    expect(timeline.health('a', 1001 + STALE_AFTER_MS)).toBe('unreachable');
    expect(timeline.health('nobody', 0)).toBe('unreachable');
  });
});
