/** The sampler's arithmetic on a real RelayMetrics: p99 from bucket deltas, the ring, busiest rooms. */
import { describe, expect, it } from 'vitest';
import { RelayMetrics } from '../metrics';
import { BusiestRooms, type RoomActivity } from './busiest';
import { quantileOfDelta, WindowedPercentile } from './percentile';
import { Ring } from './ring';
import { Sampler } from './sampler';

const newMetrics = () => new RelayMetrics({ connections: () => 0, rooms: () => 0 });

function room(id: string, people: number, editCount: number): RoomActivity & { editCount: number } {
  return { id, connections: { size: people }, editCount };
}

describe('WindowedPercentile', () => {
  it('answers the p99 of what was observed since the previous call only', () => {
    const metrics = newMetrics();
    const append = metrics.appendSeconds; // bounds 0.1 ms, 0.25 ms, 0.5 ms, 1 ms, ...
    const p99 = new WindowedPercentile(append);
    expect(p99.next(0.99)).toBeNull();
    // 100 fast appends: all in the first bucket (0, 0.1 ms].
    for (let i = 0; i < 100; i++) append.observe(0.00005);
    expect(p99.next(0.99)).toBeCloseTo(0.000099, 9);
    // The next second: 98 fast, 2 slow (in (5 ms, 10 ms]): the p99 falls in the slow bucket.
    for (let i = 0; i < 98; i++) append.observe(0.00005);
    for (let i = 0; i < 2; i++) append.observe(0.007);
    const slow = p99.next(0.99) as number;
    expect(slow).toBeGreaterThan(0.005);
    expect(slow).toBeLessThanOrEqual(0.01);
    // Nothing since: no value, and the slow second does not linger.
    expect(p99.next(0.99)).toBeNull();
    append.observe(0.00005);
    expect(p99.next(0.99)).toBeLessThanOrEqual(0.0001);
  });

  it('answers the last bound for observations above it, as histogram_quantile does', () => {
    const bounds = [0.001, 0.01];
    const before = new Float64Array([0, 0, 0]);
    expect(quantileOfDelta(bounds, before, new Float64Array([0, 0, 5]), 0.99)).toBe(0.01);
    expect(quantileOfDelta(bounds, before, new Float64Array([10, 0, 0]), 0.5)).toBeCloseTo(0.0005);
  });
});

describe('Ring', () => {
  it('keeps the latest `capacity` items, oldest first, across wraps', () => {
    const ring = new Ring<number>(3);
    expect(ring.toArray()).toEqual([]);
    expect(ring.last()).toBeUndefined();
    for (let i = 1; i <= 7; i++) ring.push(i);
    expect(ring.toArray()).toEqual([5, 6, 7]);
    expect(ring.size).toBe(3);
    expect(ring.last()).toBe(7);
  });
});

describe('BusiestRooms', () => {
  it('ranks by edits since the previous pass, then people, keeps the top N, skips idle rooms', () => {
    const busiest = new BusiestRooms(2);
    const a = room('a', 1, 10);
    const b = room('b', 5, 0);
    const c = room('c', 2, 3);
    const idle = room('idle', 0, 0);
    // First pass: counts so far are deltas from zero.
    expect(busiest.next([a, b, c, idle]).map((r) => r.room)).toEqual(['a', 'c']);
    a.editCount += 1;
    c.editCount += 4;
    expect(busiest.next([a, b, c, idle])).toEqual([
      { room: 'c', people: 2, updates: 4 },
      { room: 'a', people: 1, updates: 1 },
    ]);
    // No edits anywhere: people decide.
    expect(busiest.next([a, b, c, idle]).map((r) => r.room)).toEqual(['b', 'c']);
  });
});

describe('Sampler', () => {
  it('reports per-sample deltas, totals, rejections by reason and p99s from the metrics', () => {
    const metrics = newMetrics();
    const wall = 1_700_000_000_000;
    const rooms = [room('r1', 2, 0)];
    const sampler = new Sampler(
      {
        instance: 'i1',
        metrics,
        stats: () => ({ connections: 2, rooms: 1 }),
        rooms: () => rooms,
        status: () => 'ok',
      },
      () => wall,
    );
    for (let i = 0; i < 6; i++) metrics.received('sync-update', 100);
    metrics.received('awareness', 50);
    metrics.sent('sync-update', 100, 3);
    metrics.reject('too-big');
    metrics.reject('too-big');
    metrics.checkSeconds.observe(0.0002);
    (rooms[0] as { editCount: number }).editCount = 6;
    const sample = sampler.take();
    expect(sample).toMatchObject({
      instance: 'i1',
      t: wall / 1000,
      status: 'ok',
      connections: 2,
      rooms: 1,
      updatesIn: 6,
      updatesOut: 3,
      bytesIn: 650,
      bytesOut: 300,
      updatesInTotal: 6,
      updatesOutTotal: 3,
      appendP99Ms: null,
      rejections: { 'too-big': 2 },
      busiest: [{ room: 'r1', people: 2, updates: 6 }],
    });
    expect(sample.applyP99Ms).toBeGreaterThan(0.1);
    expect(sample.applyP99Ms).toBeLessThanOrEqual(0.25);
    expect(sampler.take()).toMatchObject({ updatesIn: 0, rejections: {}, applyP99Ms: null });
  });

  it('costs a few microseconds a sample with 1000 loaded rooms', () => {
    const metrics = newMetrics();
    const rooms = Array.from({ length: 1000 }, (_, i) => room(`r${i}`, i % 7, 0));
    const sampler = new Sampler({
      instance: 'i1',
      metrics,
      stats: () => ({ connections: 1, rooms: rooms.length }),
      rooms: () => rooms,
      status: () => 'ok',
    });
    const idle = new Sampler({
      instance: 'i1',
      metrics,
      stats: () => ({ connections: 0, rooms: 0 }),
      rooms: () => [],
      status: () => 'ok',
    });
    const perSample = (s: Sampler, n: number) => {
      for (let i = 0; i < 200; i++) s.take(); // warm up
      const started = performance.now();
      for (let i = 0; i < n; i++) {
        for (const r of rooms) r.editCount += r.connections.size;
        metrics.received('sync-update', 40);
        s.take();
      }
      return ((performance.now() - started) * 1000) / n;
    };
    const idleUs = perSample(idle, 2000);
    const busyUs = perSample(sampler, 500);
    console.log(
      `sampler: ${idleUs.toFixed(1)} µs/sample (no rooms), ${busyUs.toFixed(1)} µs (1000 rooms)`,
    );
    // Generous bounds: a shared CI machine; the point is "microseconds, not milliseconds".
    expect(idleUs).toBeLessThan(200);
    expect(busyUs).toBeLessThan(2000);
  });
});
