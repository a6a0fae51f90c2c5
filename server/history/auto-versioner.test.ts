import { describe, expect, it } from 'vitest';
import { AutoVersioner } from './auto-versioner';
import { FakeClock } from './fake-clock';
import { DEFAULT_SCHEDULE } from './schedule';

const S = 1000;
const M = 60 * S;

function setup(options: { failFirst?: number } = {}) {
  const clock = new FakeClock(1_000_000);
  const taken: { at: number; authors: string[] }[] = [];
  const errors: unknown[] = [];
  let failures = options.failFirst ?? 0;
  const versioner = new AutoVersioner({
    clock,
    schedule: DEFAULT_SCHEDULE,
    async take(authors) {
      if (failures > 0) {
        failures--;
        throw new Error('disk full');
      }
      taken.push({ at: clock.now() - 1_000_000, authors: [...authors].sort() });
    },
    onError: (err) => errors.push(err),
  });
  /** Edits by `author` every `every` ms for `forMs`. */
  const type = async (author: string, forMs: number, every = 5 * S) => {
    for (let t = 0; t < forMs; t += every) {
      versioner.noteEdit([author]);
      await clock.advance(every);
    }
  };
  return { clock, taken, errors, versioner, type };
}

describe('AutoVersioner', () => {
  it('takes one version 30 s after a 2-minute burst, crediting its authors', async () => {
    const { clock, taken, versioner, type } = setup();
    await type('Ada', 2 * M + 5 * S);
    versioner.noteEdit(['Grace']);
    await clock.advance(29 * S);
    expect(taken).toEqual([]);
    await clock.advance(2 * S);
    expect(taken).toEqual([{ at: 2 * M + 5 * S + 30 * S, authors: ['Ada', 'Grace'] }]);
    expect(versioner.hasPendingEdits).toBe(false);
    await clock.advance(60 * M);
    expect(taken).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('takes a version every 10 minutes while editing continues', async () => {
    const { taken, type } = setup();
    await type('Ada', 31 * M);
    expect(taken.map((t) => Math.round(t.at / M))).toEqual([10, 20, 30]);
  });

  it('does not version a short burst, and keeps one timer', async () => {
    const { clock, taken, type } = setup();
    await type('Ada', 30 * S);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(5 * M);
    expect(taken).toEqual([]);
  });

  it('starts over after a named version covers the edits', async () => {
    const { clock, taken, versioner, type } = setup();
    await type('Ada', 3 * M);
    versioner.covered();
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(10 * M);
    expect(taken).toEqual([]);
  });

  it('on dispose, saves a pending burst that qualifies and stops its timer', async () => {
    const { clock, taken, versioner, type } = setup();
    await type('Ada', 2 * M + 5 * S);
    await versioner.dispose();
    expect(taken).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
    versioner.noteEdit(['Late']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('on dispose, skips a burst too short to be worth a version', async () => {
    const { taken, versioner, type } = setup();
    await type('Ada', 20 * S);
    await versioner.dispose();
    expect(taken).toEqual([]);
  });

  it('keeps the edits after a failed save and retries after a quiet period', async () => {
    const { clock, taken, errors, type } = setup({ failFirst: 1 });
    await type('Ada', 2 * M + 5 * S);
    await clock.advance(31 * S);
    expect(errors).toHaveLength(1);
    expect(taken).toEqual([]);
    await clock.advance(31 * S);
    expect(taken).toHaveLength(1);
    expect(taken[0]?.authors).toEqual(['Ada']);
  });
});
