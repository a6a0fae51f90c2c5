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
  const s1 = 'S1 fan-out, 5 clients/room';
  const cpu = ratio(get(s, s1, 'ours-sqlite', 'cpuPer1k'), get(s, s1, 'reference', 'cpuPer1k'));
  check('S1 sqlite CPU per 1k delivered ≤ 0.75× reference', cpu, 0.75, `${format(cpu, 2)}×`);
  const p99 = ratio(get(s, s1, 'ours-sqlite', 'p99'), get(s, s1, 'reference', 'p99'));
  check('S1 sqlite p99 latency ≤ reference', p99, 1, `${format(p99, 2)}×`);
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
  const s3 = 'S3 idle connections';
  const rss = ratio(
    get(s, s3, 'ours-sqlite', 'rssPerConnKb'),
    get(s, s3, 'reference', 'rssPerConnKb'),
  );
  check('S3 sqlite RSS per idle connection ≤ 0.8× reference', rss, 0.8, `${format(rss, 2)}×`);
  const idle = ratio(
    get(s, 'S3 idle server (fresh, no clients)', 'ours-sqlite', 'idleRssMb'),
    get(s, 'S3 idle server (fresh, no clients)', 'reference', 'idleRssMb'),
  );
  check('S3 sqlite idle RSS of a fresh server ≤ 1.3× reference', idle, 1.3, `${format(idle, 2)}×`);
  const s4 = 'S4 cold join (automerge-paper)';
  // The median, not the mean: one join stalled by other work on the machine would dominate.
  const join = ratio(
    get(s, s4, 'ours-sqlite', 'joinMsMedian'),
    get(s, s4, 'reference', 'joinMsMedian'),
  );
  check('S4 sqlite cold join (median) ≤ 0.5× reference', join, 0.5, `${format(join, 2)}×`);
  // Issue 14 (rooms without a resident Y.Doc): durability costs nothing against a server that
  // stores nothing, and a gigabyte holds 4× the open documents.
  const p50 = ratio(get(s, s1, 'ours-sqlite', 'p50'), get(s, s1, 'reference', 'p50'));
  check('S1 sqlite p50 latency ≤ 1.5× reference', p50, 1.5, `${format(p50, 2)}×`);
  check('S1 sqlite CPU per 1k delivered ≤ 1.0× reference', cpu, 1, `${format(cpu, 2)}×`);
  const joinCpu = ratio(
    get(s, s4, 'ours-sqlite', 'serverCpuPerJoinMs'),
    get(s, s4, 'reference', 'serverCpuPerJoinMs'),
  );
  check(
    'S4 sqlite server CPU per cold join ≤ 0.5× reference',
    joinCpu,
    0.5,
    `${format(joinCpu, 2)}×`,
  );
  const s6 = 'S6 memory per open document (sveltecomponent)';
  const perDoc = ratio(
    get(s, s6, 'ours-sqlite', 'rssPerDocKb'),
    get(s, s6, 'reference', 'rssPerDocKb'),
  );
  check(
    'S6 sqlite memory per open document ≤ 0.25× reference',
    perDoc,
    0.25,
    `${format(perDoc, 2)}×`,
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
