import { describe, expect, it } from 'vitest';
import { ArgsError, parseArgs } from './args';

describe('soak args', () => {
  it('defaults to a 2-minute run', () => {
    expect(parseArgs([])).toEqual({ minutes: 2, jsonPath: null });
  });

  it('reads --minutes and --json in both spellings', () => {
    expect(parseArgs(['--minutes', '30', '--json=/tmp/x.json'])).toEqual({
      minutes: 30,
      jsonPath: '/tmp/x.json',
    });
    expect(parseArgs(['--minutes=2.5'])).toMatchObject({ minutes: 2.5 });
  });

  it('refuses runs too short for every fault, and unknown flags', () => {
    expect(() => parseArgs(['--minutes', '1'])).toThrow(ArgsError);
    expect(() => parseArgs(['--minutes'])).toThrow(ArgsError);
    expect(() => parseArgs(['--fast'])).toThrow(ArgsError);
  });

  it('answers help', () => {
    expect(parseArgs(['--help'])).toBe('help');
  });
});
