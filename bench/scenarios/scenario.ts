import type { RunningServer } from '../servers';
import type { LoadgenPool } from '../workers';

/** What a scenario run gets: one fresh server and the shared load generators. */
export interface ScenarioContext {
  server: RunningServer;
  pool: LoadgenPool;
  quick: boolean;
  log: (message: string) => void;
}

/** Numbers one scenario run produced, keyed by {@link MetricDef.key}. */
export type Metrics = Record<string, number>;

export interface MetricDef {
  key: string;
  label: string;
  /** Which direction is good; 'none' for context numbers (counts, inputs). */
  better: 'lower' | 'higher' | 'none';
  digits?: number;
}

export interface Scenario {
  /** Selector for --only (e.g. 'S1'); several scenarios may share a group. */
  group: string;
  /** A narrower selector for --only naming this scenario alone (e.g. 'S1-5'). */
  key?: string;
  /** Unique title used in tables and JSON (e.g. 'S1 fan-out, 5 clients/room'). */
  title: string;
  /** One line on what is measured and how, for the report. */
  method: string;
  metrics: MetricDef[];
  /** Skipped by --quick. */
  fullOnly?: boolean;
  run(ctx: ScenarioContext): Promise<Metrics>;
}

/** Round-robin: client i goes to worker i % workers, so every room spans processes. */
export function splitAcross<T>(items: readonly T[], workers: number): T[][] {
  const parts: T[][] = Array.from({ length: workers }, () => []);
  items.forEach((item, i) => {
    parts[i % workers]?.push(item);
  });
  return parts;
}

export const kb = (bytes: number) => bytes / 1024;
