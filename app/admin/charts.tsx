'use client';

import { useMemo } from 'react';
import type { DashboardSample } from '../../lib/dashboard';
import styles from './admin.module.css';
import { Chart, type ChartProps, formatBytes, formatMs, formatNumber } from './chart';
import { alignedSeries, allSamples, type DashboardTimeline, rejectionReasons } from './timeline';

interface Metric {
  readonly metric: string;
  readonly title: string;
  readonly value: (s: DashboardSample) => number | null;
  readonly format?: (v: number) => string;
  /** How instances' newest values make the headline: summed (counts) or the worst (latencies). */
  readonly combine: 'sum' | 'max';
}

const METRICS: readonly Metric[] = [
  { metric: 'connections', title: 'Connections', value: (s) => s.connections, combine: 'sum' },
  { metric: 'rooms', title: 'Loaded rooms', value: (s) => s.rooms, combine: 'sum' },
  { metric: 'updates-in', title: 'Updates in /s', value: (s) => s.updatesIn, combine: 'sum' },
  { metric: 'updates-out', title: 'Updates out /s', value: (s) => s.updatesOut, combine: 'sum' },
  {
    metric: 'bytes-in',
    title: 'Bytes in /s',
    value: (s) => s.bytesIn,
    format: formatBytes,
    combine: 'sum',
  },
  {
    metric: 'bytes-out',
    title: 'Bytes out /s',
    value: (s) => s.bytesOut,
    format: formatBytes,
    combine: 'sum',
  },
  {
    metric: 'append-p99',
    title: 'Storage append p99',
    value: (s) => s.appendP99Ms,
    format: formatMs,
    combine: 'max',
  },
  {
    metric: 'apply-p99',
    title: 'Update apply p99',
    value: (s) => s.applyP99Ms,
    format: formatMs,
    combine: 'max',
  },
];

/** The headline of a metric: its newest value over the instances. */
function headline(timeline: DashboardTimeline, metric: Metric): string {
  const values = timeline
    .order()
    .map((instance) => timeline.latest(instance))
    .map((s) => (s ? metric.value(s) : null))
    .filter((v): v is number => v !== null);
  if (values.length === 0) return '–';
  const combined =
    metric.combine === 'sum' ? values.reduce((a, b) => a + b, 0) : Math.max(...values);
  return (metric.format ?? formatNumber)(combined);
}

/** One chart per metric, one line per instance; rejections: one line per reason. */
export function Charts({ timeline }: { timeline: DashboardTimeline }) {
  const version = timeline.version;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the timeline mutates in place; `version` says when.
  const charts = useMemo((): ChartProps[] => {
    const instances = timeline.order();
    const samplesOf = (instance: string) => timeline.instances.get(instance) ?? [];
    const labels = instances.map((i) => (i === timeline.self ? `${i} (this relay)` : i));
    const perInstance = METRICS.map((m) => ({
      metric: m.metric,
      title: m.title,
      current: headline(timeline, m),
      labels,
      data: alignedSeries(timeline, instances, (_, s) => m.value(s), samplesOf),
      ...(m.format ? { format: m.format } : {}),
    }));
    const reasons = rejectionReasons(timeline);
    const everything = allSamples(timeline);
    const rejections: ChartProps = {
      metric: 'rejections',
      title: 'Rejections /s by reason',
      current: String(
        instances.reduce((sum, i) => {
          const last = timeline.latest(i);
          return sum + Object.values(last?.rejections ?? {}).reduce((a, b) => a + b, 0);
        }, 0),
      ),
      labels: reasons.length > 0 ? reasons : ['none'],
      data: alignedSeries(
        timeline,
        reasons.length > 0 ? reasons : ['none'],
        (reason, s) => s.rejections[reason] ?? 0,
        () => everything,
        true,
      ),
    };
    return [...perInstance, rejections];
  }, [timeline, version]);

  return (
    <section className={styles.section} aria-labelledby="charts-heading">
      <h2 id="charts-heading" className={styles.sectionTitle}>
        Last 15 minutes
      </h2>
      <div className={styles.grid}>
        {charts.map((chart) => (
          <Chart key={chart.metric} {...chart} />
        ))}
      </div>
    </section>
  );
}
