/**
 * Prints the hottest functions of V8 CPU profiles (from `npm run bench -- --cpu-prof DIR`):
 * `tsx bench/profile-summary.ts FILE.cpuprofile [more…] [--top N]`. Self time is summed per
 * function and source location across all given files.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time in ms per "function (file:line)", from one profile. */
export function selfTimes(profile: Profile, into = new Map<string, number>()): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const file = frame.url ? path.basename(frame.url.replace(/^file:\/\//, '')) : '';
    const key = `${frame.functionName || '(anonymous)'}${file ? ` (${file}:${frame.lineNumber + 1})` : ''}`;
    into.set(key, (into.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return into;
}

function main(argv: string[]): void {
  let top = 30;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') top = Number(argv[++i]);
    else files.push(argv[i] as string);
  }
  const totals = new Map<string, number>();
  for (const file of files) selfTimes(JSON.parse(readFileSync(file, 'utf8')) as Profile, totals);
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  const idle = (totals.get('(idle)') ?? 0) + (totals.get('(program)') ?? 0);
  process.stdout.write(
    `total ${all.toFixed(0)} ms sampled, ${(all - idle).toFixed(0)} ms not idle/program\n`,
  );
  for (const [key, ms] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(
      `${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / all).toFixed(1).padStart(5)}%  ${key}\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
