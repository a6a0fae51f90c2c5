import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, CloseCode, describeCloseCode, standardClientGivesUp } from './close-codes';

/** Standard codes the app treats as fatal although an unmodified client retries them. */
const FATAL_OUTSIDE_RANGE = new Set<number>([
  CloseCode.OriginNotAllowed, // 1008: sent before any data; the retry is refused the same way
  CloseCode.MessageTooBig, // 1009: chosen by ws itself for an oversize frame
]);

describe('close codes', () => {
  it('keep 4400–4499 for fatal conditions only, so an unmodified client is never stranded', () => {
    for (const info of CLOSE_CODES) {
      if (!info.fatal) expect(standardClientGivesUp(info.code), `${info.code}`).toBe(false);
      if (standardClientGivesUp(info.code)) expect(info.fatal, `${info.code}`).toBe(true);
      if (info.fatal && !standardClientGivesUp(info.code)) {
        expect(FATAL_OUTSIDE_RANGE.has(info.code), `${info.code}`).toBe(true);
      }
    }
  });

  it('describe every code the relay sends, and treat unknown ones as transient', () => {
    for (const code of Object.values(CloseCode)) {
      expect(describeCloseCode(code).reason).not.toBe('unknown');
    }
    expect(describeCloseCode(4999).fatal).toBe(false);
  });

  it('match the README table, retry columns included', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = [
      ...readme.matchAll(/^\| (\d{4}) \| ([^|]+) \|[^|]+\| (yes|no) \| (yes|no) \|$/gm),
    ];
    expect(rows.map((row) => Number(row[1]))).toEqual(CLOSE_CODES.map((info) => info.code));
    for (const [, code, reason, standardRetries, appRetries] of rows) {
      const info = describeCloseCode(Number(code));
      expect(reason?.trim(), code).toBe(info.reason);
      expect(standardRetries === 'yes', `${code} unmodified client`).toBe(
        !standardClientGivesUp(info.code),
      );
      expect(appRetries === 'yes', `${code} app`).toBe(!info.fatal);
    }
  });
});
