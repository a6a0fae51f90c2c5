'use client';

import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import styles from './admin.module.css';

/** Line colours of series, in order (instances or reasons); readable on light and dark. */
export const SERIES_COLORS = ['#3e63dd', '#e5484d', '#30a46c', '#f76b15', '#8e4ec6', '#0e7490'];

const PLOT_HEIGHT = 140;

export interface ChartProps {
  /** Stable key of the metric (data-metric, for tests and styling). */
  readonly metric: string;
  readonly title: string;
  /** The headline figure: the newest value, formatted. */
  readonly current: string;
  /** One per series (instance ids, or rejection reasons): shown as text only. */
  readonly labels: readonly string[];
  readonly data: uPlot.AlignedData;
  /** Formats a y value for the axis and legend. */
  readonly format?: (value: number) => string;
}

/**
 * One metric over the last 15 minutes, drawn by uPlot on a canvas. The plot is made again when
 * its series change (an instance joins, a reason appears) and otherwise only fed new data.
 */
export function Chart({ metric, title, current, labels, data, format = formatNumber }: ChartProps) {
  const headingId = useId();
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const seriesKey = labels.join('\n');
  const latestData = useRef(data);
  latestData.current = data;
  const formatRef = useRef(format);
  formatRef.current = format;

  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const css = getComputedStyle(document.documentElement);
    const muted = css.getPropertyValue('--text-muted').trim() || '#5b6470';
    const grid = css.getPropertyValue('--border').trim() || '#e3e6eb';
    const axis = (values?: uPlot.Axis['values']): uPlot.Axis => ({
      stroke: muted,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      ...(values ? { values } : {}),
    });
    // No instance yet: a plot of no series (uPlot wants one data array per series).
    const names = seriesKey === '' ? [] : seriesKey.split('\n');
    const made = new uPlot(
      {
        width: Math.max(root.clientWidth, 200),
        height: PLOT_HEIGHT,
        legend: { show: names.length > 1 },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max, 1) * 1.1] } },
        axes: [
          axis(),
          // Wide enough for "1.2 KiB" or "500 µs".
          { ...axis((_u, splits) => splits.map((v) => formatRef.current(v))), size: 64 },
        ],
        series: [
          {},
          ...names.map((label, i) => ({
            label,
            stroke: SERIES_COLORS[i % SERIES_COLORS.length],
            width: 1.5,
            points: { show: false },
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatRef.current(v)),
          })),
        ],
      },
      latestData.current,
      root,
    );
    plot.current = made;
    const resize = new ResizeObserver(() => {
      made.setSize({ width: Math.max(root.clientWidth, 200), height: PLOT_HEIGHT });
    });
    resize.observe(root);
    return () => {
      resize.disconnect();
      made.destroy();
      plot.current = null;
    };
  }, [seriesKey]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  let drawn = 0;
  for (let i = 1; i < data.length; i++) for (const v of data[i] ?? []) if (v != null) drawn++;
  return (
    <section className={styles.card} aria-labelledby={headingId} data-metric={metric}>
      <header className={styles.cardHeader}>
        <h3 id={headingId} className={styles.cardTitle}>
          {title}
        </h3>
        <output className={styles.cardValue} data-testid={`current-${metric}`}>
          {current}
        </output>
      </header>
      <div
        ref={container}
        className={styles.plot}
        role="img"
        aria-label={`${title}, last 15 minutes`}
        data-points={drawn}
      />
    </section>
  );
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export function formatNumber(value: number): string {
  return Math.abs(value) < 1000 ? String(Math.round(value * 100) / 100) : compact.format(value);
}

export function formatBytes(value: number): string {
  if (value < 1024) return `${Math.round(value)} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatMs(value: number): string {
  return value < 1 ? `${Math.round(value * 1000)} µs` : `${Math.round(value * 10) / 10} ms`;
}
