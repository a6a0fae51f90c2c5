import { describe, expect, it } from 'vitest';
import {
  PeakRssSampler,
  parseContextSwitches,
  parseMemorySplit,
  parseStatCpuTicks,
  parseVmRssKb,
  readContextSwitches,
  readCpuMs,
  readRssKb,
} from './proc';

// A real /proc/<pid>/stat line, with a command name containing spaces and a parenthesis.
const STAT =
  '12345 (node (tsx) x) S 1 12345 12345 0 -1 4194304 27010 0 3 0 1234 567 0 0 20 0 11 0 ' +
  '5281047 1219485696 23859 18446744073709551615 1 1 0 0 0 0 0 16781312 134234626 0 0 0 17 1 0 0';

const STATUS = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
VmPeak:\t 1250000 kB
VmHWM:\t   99000 kB
VmRSS:\t   95436 kB
RssAnon:\t   60000 kB
RssFile:\t   35436 kB
Threads:\t11
voluntary_ctxt_switches:\t4021
nonvoluntary_ctxt_switches:\t87
`;

describe('/proc parsing', () => {
  it('adds utime and stime, counting fields after the last parenthesis', () => {
    expect(parseStatCpuTicks(STAT)).toBe(1234 + 567);
  });

  it('reads VmRSS in KiB (not VmHWM or RssAnon)', () => {
    expect(parseVmRssKb(STATUS)).toBe(95436);
  });

  it('splits RSS into anonymous and file-backed pages, with the thread count', () => {
    expect(parseMemorySplit(STATUS)).toEqual({
      rssKb: 95436,
      anonKb: 60000,
      fileKb: 35436,
      threads: 11,
    });
    expect(() => parseMemorySplit('Name:\tnode\nVmRSS:\t 1 kB\n')).toThrow(/RssAnon/);
  });

  it('reads voluntary and involuntary context switches', () => {
    expect(parseContextSwitches(STATUS)).toEqual({ voluntary: 4021, involuntary: 87 });
    expect(() => parseContextSwitches('Name:\tnode\n')).toThrow(/ctxt_switches/);
  });

  it('rejects text that is not a stat or status file', () => {
    expect(() => parseStatCpuTicks('garbage')).toThrow(/no command name/);
    expect(() => parseStatCpuTicks('1 (x) S 1 2')).toThrow(/utime/);
    expect(() => parseVmRssKb('Name:\tkthreadd\n')).toThrow(/VmRSS/);
  });
});

describe('/proc reading of a live process', () => {
  it('sees this process use CPU and memory', () => {
    const before = readCpuMs(process.pid);
    const until = Date.now() + 60;
    while (Date.now() < until) Math.sqrt(Math.random()); // burn a little CPU
    expect(readCpuMs(process.pid)).toBeGreaterThanOrEqual(before);
    expect(readRssKb(process.pid)).toBeGreaterThan(1024);
  });

  it('counts a sleep of this process as a voluntary context switch', async () => {
    const before = readContextSwitches(process.pid);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the event loop sleeps in epoll
    expect(readContextSwitches(process.pid).voluntary).toBeGreaterThan(before.voluntary);
  });

  it('keeps the peak RSS it sampled', () => {
    const sampler = new PeakRssSampler(process.pid, 5);
    const current = sampler.sample();
    expect(sampler.stop()).toBeGreaterThanOrEqual(current);
  });
});
