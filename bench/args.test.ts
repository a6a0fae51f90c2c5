import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';

describe('bench flags', () => {
  it('defaults to a full run of every scenario against all three servers, twice', () => {
    expect(parseArgs([])).toEqual({
      quick: false,
      only: [],
      reps: 2,
      workers: 2,
      servers: ['ours-sqlite', 'ours-memory', 'reference'],
    });
  });

  it('runs quick once unless told otherwise, and selects scenario groups', () => {
    const options = parseArgs(['--quick', '--only', 's1, S3']);
    expect(options.reps).toBe(1);
    expect(options.only).toEqual(['S1', 'S3']);
    expect(parseArgs(['--quick', '--reps', '3']).reps).toBe(3);
  });

  it('refuses unknown flags, servers and non-positive counts', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown flag/);
    expect(() => parseArgs(['--servers', 'hocuspocus'])).toThrow(/unknown server/);
    expect(() => parseArgs(['--reps', '0'])).toThrow(/positive integer/);
    expect(() => parseArgs(['--only'])).toThrow(/needs a value/);
  });
});
