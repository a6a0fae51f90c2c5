import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** One editing trace (format: see the traces README beside the files). */
export interface Trace {
  startContent: string;
  endContent: string;
  txns: { patches: [number, number, string][] }[];
}

export type TraceName = 'automerge-paper' | 'sveltecomponent';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Directory holding the gzipped traces: $COEDIT_TRACES_DIR, else ../shared/traces beside the repo. */
export function tracesDir(): string {
  const dir = process.env.COEDIT_TRACES_DIR ?? path.resolve(repoRoot, '../shared/traces');
  if (!existsSync(dir)) {
    throw new Error(`editing traces not found at ${dir}; set COEDIT_TRACES_DIR`);
  }
  return dir;
}

export function tracePath(name: TraceName): string {
  return path.join(tracesDir(), `${name}.json.gz`);
}

export function loadTrace(file: string): Trace {
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Trace;
}

/**
 * Clock values of a single writer's Yjs client at `count` evenly spaced points of a replay.
 * A Yjs client's clock grows by one per inserted character (deletes do not advance it), so both
 * the writer and a watcher can tell, without any extra message, when a given prefix has arrived.
 */
export function clockCheckpoints(trace: Trace, count: number): number[] {
  let inserted = 0;
  for (const { patches } of trace.txns) for (const [, , text] of patches) inserted += text.length;
  const step = inserted / count;
  const points: number[] = [];
  for (let i = 1; i <= count; i++) points.push(Math.max(1, Math.floor(i * step)));
  return [...new Set(points)];
}
