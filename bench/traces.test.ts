import { describe, expect, it } from 'vitest';
import { clockCheckpoints, type Trace } from './traces';

describe('clockCheckpoints', () => {
  it('spreads checkpoints over the inserted characters, which is what a Yjs clock counts', () => {
    const trace: Trace = {
      startContent: '',
      endContent: 'ab',
      txns: [
        { patches: [[0, 0, 'abc']] },
        { patches: [[2, 1, '']] }, // a delete does not advance the clock
        {
          patches: [
            [0, 0, 'x'],
            [0, 1, ''],
          ],
        },
      ],
    };
    expect(clockCheckpoints(trace, 4)).toEqual([1, 2, 3, 4]);
    expect(clockCheckpoints(trace, 2)).toEqual([2, 4]);
  });

  it('never repeats or returns a zero clock', () => {
    const trace: Trace = { startContent: '', endContent: 'a', txns: [{ patches: [[0, 0, 'a']] }] };
    expect(clockCheckpoints(trace, 3)).toEqual([1]);
  });
});
