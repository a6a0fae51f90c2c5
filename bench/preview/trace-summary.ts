/**
 * Where a Chromium trace's CPU went: the busy time of every thread (its top-level tasks), per
 * process, divided by the keystrokes traced. Comparing an Edit block with a Split block shows
 * which process and thread the preview's cost per keystroke lands on.
 */

export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'viz', 'blink'];

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string; readonly labels?: string };
}

/** The top-level task events (one per task a thread's scheduler ran). */
const TASK_NAMES = new Set(['ThreadControllerImpl::RunTask', 'ThreadPool_RunTask']);

export function summarizeTrace(trace: { traceEvents: TraceEvent[] }, keystrokes: number): string {
  const processNames = new Map<number, string>();
  const threadNames = new Map<string, string>();
  const busy = new Map<string, { wall: number; cpu: number }>();
  for (const event of trace.traceEvents) {
    if (event.ph === 'M' && event.name === 'process_name') {
      processNames.set(event.pid, event.args?.name ?? '?');
    } else if (event.ph === 'M' && event.name === 'process_labels') {
      processNames.set(
        event.pid,
        `${processNames.get(event.pid) ?? ''} ${event.args?.labels ?? ''}`,
      );
    } else if (event.ph === 'M' && event.name === 'thread_name') {
      threadNames.set(`${event.pid}:${event.tid}`, event.args?.name ?? '?');
    } else if (event.ph === 'X' && TASK_NAMES.has(event.name)) {
      const key = `${event.pid}:${event.tid}`;
      const entry = busy.get(key) ?? { wall: 0, cpu: 0 };
      entry.wall += event.dur ?? 0;
      entry.cpu += event.tdur ?? event.dur ?? 0;
      busy.set(key, entry);
    }
  }
  const rows = [...busy.entries()]
    .map(([key, time]) => {
      const pid = Number(key.split(':')[0]);
      const name = `${processNames.get(pid) ?? pid} / ${threadNames.get(key) ?? key}`;
      return { name, cpuMs: time.cpu / 1000 / keystrokes, wallMs: time.wall / 1000 / keystrokes };
    })
    .filter((row) => row.wallMs >= 0.05)
    .sort((a, b) => b.cpuMs - a.cpuMs);
  const total = rows.reduce((sum, row) => sum + row.cpuMs, 0);
  return [
    `  CPU ms per keystroke (thread time of top-level tasks), total ${total.toFixed(2)}:`,
    ...rows.map(
      (r) =>
        `  ${r.cpuMs.toFixed(2).padStart(7)} cpu ${r.wallMs.toFixed(2).padStart(7)} wall  ${r.name}`,
    ),
  ].join('\n');
}
