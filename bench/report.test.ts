import { describe, expect, it } from 'vitest';
import { evaluateTargets, type RunRecord, scenarioTable, summarizeRuns } from './report';
import type { Scenario } from './scenarios/scenario';

const S1 = 'S1 fan-out, 5 clients/room';
const run = (
  server: RunRecord['server'],
  rep: number,
  cpuPer1k: number,
  p99: number,
): RunRecord => ({
  scenario: S1,
  server,
  rep,
  load: 1,
  metrics: { cpuPer1k, p99 },
});

describe('summarizeRuns', () => {
  it('takes the median of each metric per scenario and server, skipping failed runs', () => {
    const summary = summarizeRuns([
      run('ours-sqlite', 0, 30, 5),
      run('ours-sqlite', 1, 50, 7),
      run('ours-sqlite', 2, 40, 6),
      { scenario: S1, server: 'reference', rep: 0, load: 1, error: 'boom' },
      run('reference', 1, 60, 6),
    ]);
    expect(summary[S1]?.['ours-sqlite']).toEqual({ cpuPer1k: 40, p99: 6 });
    expect(summary[S1]?.reference).toEqual({ cpuPer1k: 60, p99: 6 });
  });
});

describe('evaluateTargets', () => {
  it('passes S1 CPU at ≤ 0.75× and latency at ≤ 1×, and leaves unmeasured targets open', () => {
    const targets = evaluateTargets(
      summarizeRuns([run('ours-sqlite', 0, 45, 6), run('reference', 0, 60, 6)]),
    );
    expect(targets[0]).toMatchObject({ value: '0.75×', pass: true });
    expect(targets[1]).toMatchObject({ value: '1.00×', pass: true });
    expect(targets.find((t) => t.target.startsWith('S3'))?.pass).toBeNull();
  });

  it('fails S1 CPU above 0.75×', () => {
    const targets = evaluateTargets(
      summarizeRuns([run('ours-sqlite', 0, 46, 7), run('reference', 0, 60, 6)]),
    );
    expect(targets[0]?.pass).toBe(false);
    expect(targets[1]?.pass).toBe(false);
  });
  it('judges memory per open document (S6) against 0.25× the reference', () => {
    const perDoc = (server: RunRecord['server'], rssPerDocKb: number): RunRecord => ({
      scenario: 'S6 memory per open document (sveltecomponent)',
      server,
      rep: 0,
      load: 1,
      metrics: { rssPerDocKb },
    });
    const target = (ours: number) =>
      evaluateTargets(summarizeRuns([perDoc('ours-sqlite', ours), perDoc('reference', 1000)])).find(
        (t) => t.target.startsWith('S6'),
      );
    expect(target(250)).toMatchObject({ value: '0.25×', pass: true });
    expect(target(260)?.pass).toBe(false);
  });

  it('judges the idle RSS of a fresh server against 1.3× the reference', () => {
    const idle = (server: RunRecord['server'], idleRssMb: number): RunRecord => ({
      scenario: 'S3 idle server (fresh, no clients)',
      server,
      rep: 0,
      load: 1,
      metrics: { idleRssMb },
    });
    const target = (ours: number) =>
      evaluateTargets(summarizeRuns([idle('ours-sqlite', ours), idle('reference', 50)])).find((t) =>
        t.target.includes('idle RSS of a fresh server'),
      );
    expect(target(65)).toMatchObject({ value: '1.30×', pass: true });
    expect(target(66)?.pass).toBe(false);
  });
});

describe('scenarioTable', () => {
  it('prints one row per metric with ours/reference ratios only for judged metrics', () => {
    const scenario = {
      title: S1,
      metrics: [
        { key: 'cpuPer1k', label: 'cpu', better: 'lower', digits: 1 },
        { key: 'expected', label: 'expected', better: 'none', digits: 0 },
      ],
    } as Scenario;
    const table = scenarioTable(
      scenario,
      { 'ours-sqlite': { cpuPer1k: 30, expected: 10 }, reference: { cpuPer1k: 60, expected: 10 } },
      ['ours-sqlite', 'reference'],
    );
    expect(table.split('\n')).toEqual([
      '| metric | ours-sqlite | reference | sqlite/ref |',
      '|---|---:|---:|---:|',
      '| cpu ↓ | 30.0 | 60.0 | 0.50 |',
      '| expected | 10 | 10 |  |',
    ]);
  });
});
