import { readdirSync, readFileSync } from 'node:fs';

/** Linux USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream kernel build). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * utime + stime (user and system CPU ticks) from the text of /proc/<pid>/stat.
 * The command name (field 2) is in parentheses and may contain spaces or ')', so fields are
 * counted from the last ')'.
 */
export function parseStatCpuTicks(stat: string): number {
  const { user, system } = parseStatCpuSplit(stat);
  return user + system;
}

/** utime and stime (user and kernel CPU ticks) from the text of /proc/<pid>/stat. */
export function parseStatCpuSplit(stat: string): { user: number; system: number } {
  const end = stat.lastIndexOf(')');
  if (end < 0) throw new Error('malformed /proc stat: no command name');
  // After ')' come fields 3 (state) onwards; utime is field 14 and stime field 15.
  const fields = stat
    .slice(end + 1)
    .trim()
    .split(/\s+/);
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error('malformed /proc stat: no utime/stime');
  }
  return { user: utime, system: stime };
}

/** VmRSS in KiB from the text of /proc/<pid>/status. */
export function parseVmRssKb(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error('malformed /proc status: no VmRSS');
  return Number(match[1]);
}

/** How a process's memory splits (KiB), and its thread count, from /proc/<pid>/status. */
export interface MemorySplit {
  rssKb: number;
  /** Heap, stacks and other private memory. */
  anonKb: number;
  /** Pages of the node binary and shared libraries (shared with other processes). */
  fileKb: number;
  threads: number;
}

/** VmRSS, RssAnon, RssFile and Threads from the text of /proc/<pid>/status. */
export function parseMemorySplit(status: string): MemorySplit {
  const field = (name: string) => {
    const value = Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
    if (!Number.isFinite(value)) throw new Error(`malformed /proc status: no ${name}`);
    return value;
  };
  return {
    rssKb: field('VmRSS'),
    anonKb: field('RssAnon'),
    fileKb: field('RssFile'),
    threads: field('Threads'),
  };
}

export function readMemorySplit(pid: number): MemorySplit {
  return parseMemorySplit(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** CPU time (user + system, all threads) the process has used so far, in ms. */
export function readCpuMs(pid: number): number {
  const ticks = parseStatCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Kernel-mode CPU time (stime) the process has used so far, in ms. */
export function readKernelCpuMs(pid: number): number {
  const { system } = parseStatCpuSplit(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return (system * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Current resident set size of the process, in KiB. */
export function readRssKb(pid: number): number {
  return parseVmRssKb(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** Samples a process's RSS on an interval and keeps the peak (VmHWM cannot be reset per phase). */
export class PeakRssSampler {
  #peakKb = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 50,
  ) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): number {
    try {
      const kb = readRssKb(this.pid);
      if (kb > this.#peakKb) this.#peakKb = kb;
      return kb;
    } catch {
      return 0; // the process is gone; keep the peak seen so far
    }
  }

  /** Stops sampling and returns the peak in KiB. */
  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    return this.#peakKb;
  }
}

/** CPU ms used by several processes together (the load generators). */
export function readTotalCpuMs(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) total += readCpuMs(pid);
  return total;
}

/** Context switches of the process's main thread so far (/proc/<pid>/status). A voluntary one is
 * a sleep, so each is one wake-up of the event loop; an involuntary one is a preemption. */
export function readContextSwitches(pid: number): { voluntary: number; involuntary: number } {
  return parseContextSwitches(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** voluntary_ctxt_switches and nonvoluntary_ctxt_switches from the text of /proc/<pid>/status. */
export function parseContextSwitches(status: string): { voluntary: number; involuntary: number } {
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)$`, 'm').exec(status)?.[1]);
  const voluntary = field('voluntary_ctxt_switches');
  const involuntary = field('nonvoluntary_ctxt_switches');
  if (!Number.isFinite(voluntary) || !Number.isFinite(involuntary)) {
    throw new Error('malformed /proc status: no ctxt_switches');
  }
  return { voluntary, involuntary };
}

/**
 * CPU time the live threads of `pid` have used, in ms with nanosecond resolution (the sum of each
 * thread's /proc/PID/task/TID/schedstat), for spans too short for readCpuMs' 10 ms ticks. A
 * thread that exits takes its time with it, so use it over spans in which none does.
 */
export function readThreadsCpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread exited between the listing and the read.
    }
  }
  return ns / 1e6;
}
