import type { MetricDef, Metrics, Scenario } from './scenarios/scenario';
import type { ServerName } from './servers';
import { median, ratio } from './stats';

/** Medians over repetitions: scenario title → server → metrics. */
export type Summary = Record<string, Partial<Record<ServerName, Metrics>>>;

/** One run of one scenario against one server (a row of the JSON output). */
export interface RunRecord {
  scenario: string;
  server: ServerName;
  rep: number;
  /** Machine load average (1 min) when the run started: other work on the box skews results. */
  load: number;
  metrics?: Metrics;
  error?: string;
}

export function summarizeRuns(runs: readonly RunRecord[]): Summary {
  const grouped: Record<string, Partial<Record<ServerName, Metrics[]>>> = {};
  for (const run of runs) {
    if (!run.metrics) continue;
    const byServer = grouped[run.scenario] ?? {};
    grouped[run.scenario] = byServer;
    byServer[run.server] = [...(byServer[run.server] ?? []), run.metrics];
  }
  const summary: Summary = {};
  for (const [scenario, byServer] of Object.entries(grouped)) {
    const out: Partial<Record<ServerName, Metrics>> = {};
    for (const [server, list] of Object.entries(byServer) as [ServerName, Metrics[]][]) {
      const keys = new Set(list.flatMap((m) => Object.keys(m)));
      out[server] = Object.fromEntries(
        [...keys].map((k) => [k, median(list.map((m) => m[k] ?? Number.NaN))]),
      );
    }
    summary[scenario] = out;
  }
  return summary;
}

function format(value: number | undefined, digits = 1): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** Markdown table: one row per metric, one column per server, then ours/reference ratios. */
export function scenarioTable(
  scenario: Scenario,
  results: Partial<Record<ServerName, Metrics>>,
  servers: readonly ServerName[],
): string {
  const ours = servers.filter((s) => s !== 'reference');
  const withRef = servers.includes('reference');
  const ratioCols = withRef ? ours.map((s) => `${s.replace('ours-', '')}/ref`) : [];
  const header = ['metric', ...servers, ...ratioCols];
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i ? '---:' : '---')).join('|')}|`,
  ];
  for (const def of scenario.metrics) lines.push(row(def, results, servers, ours, withRef));
  return lines.join('\n');
}

function row(
  def: MetricDef,
  results: Partial<Record<ServerName, Metrics>>,
  servers: readonly ServerName[],
  ours: readonly ServerName[],
  withRef: boolean,
): string {
  const cells = servers.map((s) => format(results[s]?.[def.key], def.digits));
  const reference = results.reference?.[def.key] ?? Number.NaN;
  const ratios =
    withRef && def.better !== 'none'
      ? ours.map((s) => format(ratio(results[s]?.[def.key] ?? Number.NaN, reference), 2))
      : withRef
        ? ours.map(() => '')
        : [];
  const arrow = def.better === 'lower' ? ' ↓' : def.better === 'higher' ? ' ↑' : '';
  return `| ${def.label}${arrow} | ${[...cells, ...ratios].join(' | ')} |`;
}

export interface TargetResult {
  target: string;
  value: string;
  pass: boolean | null;
}

const get = (s: Summary, title: string, server: ServerName, key: string) =>
  s[title]?.[server]?.[key] ?? Number.NaN;

/** The targets, evaluated for ours-sqlite (durability on). null = not measured. */
export function evaluateTargets(s: Summary): TargetResult[] {
  const out: TargetResult[] = [];
  const check = (target: string, value: number, limit: number, shown: string) =>
    out.push({ target, value: shown, pass: Number.isNaN(value) ? null : value <= limit });
  /** ours-sqlite ÷ reference for one metric of one scenario, at most `limit`. */
  const checkVsReference = (target: string, title: string, key: string, limit: number) => {
    const value = ratio(get(s, title, 'ours-sqlite', key), get(s, title, 'reference', key));
    check(target, value, limit, `${format(value, 2)}×`);
  };
  const s1 = 'S1 fan-out, 5 clients/room';
  checkVsReference('S1 sqlite CPU per 1k delivered ≤ 0.75× reference', s1, 'cpuPer1k', 0.75);
  checkVsReference('S1 sqlite p99 latency ≤ reference', s1, 'p99', 1);
  const flat = ratio(
    get(s, 'S1 fan-out, 20 clients/room', 'ours-sqlite', 'cpuPer1k'),
    get(s, s1, 'ours-sqlite', 'cpuPer1k'),
  );
  check(
    'S1 sqlite CPU per delivered flat as rooms grow (20/room ÷ 5/room ≤ 1.1)',
    flat,
    1.1,
    `${format(flat, 2)}×`,
  );
  checkVsReference(
    'S3 sqlite RSS per idle connection ≤ 0.8× reference',
    'S3 idle connections',
    'rssPerConnKb',
    0.8,
  );
  checkVsReference(
    'S3 sqlite idle RSS of a fresh server ≤ 1.3× reference',
    'S3 idle server (fresh, no clients)',
    'idleRssMb',
    1.3,
  );
  const s4 = 'S4 cold join (automerge-paper)';
  // The median, not the mean: one join stalled by other work on the machine would dominate.
  checkVsReference('S4 sqlite cold join (median) ≤ 0.5× reference', s4, 'joinMsMedian', 0.5);
  // Issue 14 (rooms without a resident Y.Doc): durability costs nothing against a server that
  // stores nothing, and a gigabyte holds 4× the open documents.
  checkVsReference('S1 sqlite p50 latency ≤ 1.5× reference', s1, 'p50', 1.5);
  checkVsReference('S1 sqlite CPU per 1k delivered ≤ 1.0× reference', s1, 'cpuPer1k', 1);
  checkVsReference(
    'S4 sqlite server CPU per cold join ≤ 0.5× reference',
    s4,
    'serverCpuPerJoinMs',
    0.5,
  );
  checkVsReference(
    'S6 sqlite memory per open document ≤ 0.25× reference',
    'S6 memory per open document (sveltecomponent)',
    'rssPerDocKb',
    0.25,
  );
  for (const trace of ['sveltecomponent', 'automerge-paper']) {
    const title = `S5 trace replay (${trace})`;
    const converged = get(s, title, 'ours-sqlite', 'converged');
    // A watcher that never converged fails, rather than leaving the lag unmeasured.
    const lag =
      converged === 0 ? Number.POSITIVE_INFINITY : get(s, title, 'ours-sqlite', 'convergeLagMs');
    check(
      `S5 ${trace}: sqlite watcher converges ≤ 1 s after last keystroke`,
      lag,
      1000,
      converged === 0 ? 'never converged' : `${format(lag, 0)} ms`,
    );
  }
  return out;
}

export function targetsTable(targets: readonly TargetResult[]): string {
  const lines = ['| target | measured | result |', '|---|---:|---|'];
  for (const t of targets) {
    lines.push(
      `| ${t.target} | ${t.value} | ${t.pass === null ? 'not measured' : t.pass ? 'PASS' : 'FAIL'} |`,
    );
  }
  return lines.join('\n');
}
