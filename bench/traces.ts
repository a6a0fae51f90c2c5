import { readTrace, type Trace, tracePath as traceFile } from '../server/test/traces';

/** One editing trace (format: see the traces README beside the files). */
export type { Trace };

export type TraceName = 'automerge-paper' | 'sveltecomponent';

/** The gzipped file of a trace: $COEDIT_TRACES_DIR, else ../shared/traces beside the repo. */
export function tracePath(name: TraceName): string {
  return traceFile(name);
}

/** Load a trace by file path (workers are handed paths, not names). */
export function loadTrace(file: string): Trace {
  return readTrace(file);
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
