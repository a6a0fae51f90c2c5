/** The markdown summary a soak run prints. */
import type { SoakResult } from './soak-result';

const n = (value: number) => value.toLocaleString('en-US');
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const signed = (value: number, digits = 2) =>
  Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(digits)}` : 'n/a';

export function markdownReport(result: SoakResult): string {
  const { verdict, latency } = result;
  const lines: string[] = [];
  lines.push(`# Soak: ${verdict.failures.length === 0 ? 'PASSED' : 'FAILED'}`, '');
  lines.push(
    `${result.minutes} min of load (${(result.loadMs / 60_000).toFixed(1)} min measured), ` +
      `${(result.wallMs / 60_000).toFixed(1)} min wall time; ${result.load.typists} typists in ` +
      `${result.load.rooms} rooms on 2 relay instances, ${result.load.browsers} Chromium users.`,
    '',
  );
  lines.push('| Figure | Value |', '|---|---|');
  lines.push(
    `| Edits sent (typists + browsers) | ${n(result.edits.typists)} + ${n(result.edits.browsers)} |`,
  );
  lines.push(`| Characters delivered (per receiving typist) | ${n(result.delivered)} |`);
  lines.push(
    `| Acknowledged (ack typists' own characters) | ${n(result.acknowledged)} of ${n(result.ackTyped)} |`,
  );
  lines.push(`| Items stored (all rooms) | ${n(result.storedItems)} |`);
  lines.push(`| Faults survived | ${result.faults.length} |`);
  lines.push(`| Updates lost | ${n(verdict.lost)} |`);
  lines.push(
    `| Rooms converged (clients, both instances, storage) | ${verdict.roomsConverged} of ${result.load.rooms + result.rooms.flood.length} (incl. the flood ${result.rooms.flood.length === 1 ? 'room' : 'rooms'}) |`,
  );
  lines.push(
    `| Delivery latency outside faults | p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}, max ${ms(latency.max)} (${n(latency.n)} samples; ${n(latency.excluded)} in fault windows or warm-up) |`,
  );
  lines.push(`| Settle time after the load stopped | ${(result.settleMs / 1000).toFixed(1)} s |`);
  lines.push('');
  lines.push(
    '| Instance | Lifetimes | Longest clean span | RSS slope | RSS first → last | fd slope | other-fd drift | RSS limit |',
  );
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const [instance, lifetimes] of Object.entries(result.resources)) {
    const top = lifetimes[0];
    const limit = verdict.rssLimits.get(instance);
    if (!top) {
      lines.push(`| ${instance} | 0 | – | – | – | – | – | – |`);
      continue;
    }
    lines.push(
      `| ${instance} | ${lifetimes.length} | ${(top.cleanSpanMs / 1000).toFixed(0)} s (${top.cleanSamples} samples) | ` +
        `${signed(top.rssSlopeMbPerMin)} MB/min | ${top.rssFirstMb.toFixed(0)} → ${top.rssLastMb.toFixed(0)} MB | ` +
        `${signed(top.fdSlopePerMin, 1)}/min | ${signed(top.otherFdDrift, 0)} | ` +
        `${limit === null || limit === undefined ? 'not judged (too little clean time)' : `< ${limit} MB/min`} |`,
    );
  }
  lines.push('');
  lines.push('| At | Fault | Target | Whole again after | Detail |', '|---|---|---|---|---|');
  for (const fault of result.faults) {
    lines.push(
      `| ${fault.atS.toFixed(1)} s | ${fault.kind} | ${fault.target} | ${fault.tookS.toFixed(1)} s | ${fault.detail} |`,
    );
  }
  lines.push('');
  if (verdict.failures.length) {
    lines.push('**Failures**', '', ...verdict.failures.map((f) => `- ${f}`), '');
  }
  if (verdict.warnings.length) {
    lines.push('**Findings (not failures)**', '', ...verdict.warnings.map((w) => `- ${w}`), '');
  }
  lines.push(`Logs: \`${result.logDir}\``);
  return lines.join('\n');
}
