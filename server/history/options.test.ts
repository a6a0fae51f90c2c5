import { describe, expect, it } from 'vitest';
import { historyOptionsFromEnv } from './options';
import { DEFAULT_RETENTION } from './retention';
import { DEFAULT_SCHEDULE } from './schedule';

describe('history options from the environment', () => {
  it('defaults to the documented schedule and retention', () => {
    expect(historyOptionsFromEnv({})).toEqual({
      schedule: DEFAULT_SCHEDULE,
      retention: DEFAULT_RETENTION,
    });
  });

  it('reads every setting in its unit', () => {
    const options = historyOptionsFromEnv({
      COEDIT_HISTORY_BURST_SECONDS: '60',
      COEDIT_HISTORY_QUIET_SECONDS: '0.5',
      COEDIT_HISTORY_MAX_INTERVAL_SECONDS: '300',
      COEDIT_HISTORY_KEEP_ALL_HOURS: '2',
      COEDIT_HISTORY_HOURLY_DAYS: '3',
    });
    expect(options.schedule).toEqual({ burstMs: 60_000, quietMs: 500, maxIntervalMs: 300_000 });
    expect(options.retention).toEqual({ keepAllMs: 7_200_000, hourlyMs: 259_200_000 });
  });

  it('names the variable of an invalid value', () => {
    expect(() => historyOptionsFromEnv({ COEDIT_HISTORY_QUIET_SECONDS: 'soon' })).toThrow(
      /COEDIT_HISTORY_QUIET_SECONDS/,
    );
    expect(() => historyOptionsFromEnv({ COEDIT_HISTORY_BURST_SECONDS: '-1' })).toThrow(
      /COEDIT_HISTORY_BURST_SECONDS/,
    );
  });
});
