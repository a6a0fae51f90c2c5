import { describe, expect, it } from 'vitest';
import { waitFor } from '../test/harness';
import { STREAK_GAP_MS, type Throttleable, Throttler } from './throttle';

/** A socket stand-in that records what the throttler did to it. */
function socket(): Throttleable & { paused: boolean; pauses: number } {
  return {
    isOpen: true,
    paused: false,
    pauses: 0,
    pause() {
      this.paused = true;
      this.pauses++;
    },
    resume() {
      this.paused = false;
    },
  };
}

describe('Throttler', () => {
  it('pauses a socket for its debt, extends the pause for frames still arriving, then resumes', async () => {
    const throttler = new Throttler(0);
    const s = socket();
    const started = performance.now();
    expect(throttler.throttle(s, 30)).toBe('paused');
    expect(throttler.throttle(s, 60)).toBe('paused'); // a frame read before the pause took hold
    expect(s.paused).toBe(true);
    expect(s.pauses).toBe(1);
    expect(throttler.stats()).toMatchObject({ paused: 1, throttles: 1 });
    await waitFor(() => !s.paused, 2000, 'resume');
    expect(performance.now() - started).toBeGreaterThanOrEqual(59);
    const stats = throttler.stats();
    expect(stats.paused).toBe(0);
    expect(stats.pausedSeconds).toBeGreaterThanOrEqual(0.059);
  });

  it('reports a socket over budget for closeAfterMs in a row as abuse, without pausing it', async () => {
    const throttler = new Throttler(150);
    const s = socket();
    const started = performance.now();
    let verdict: 'paused' | 'abuse' = 'paused';
    while (verdict === 'paused' && performance.now() - started < 5000) {
      verdict = throttler.throttle(s, 10);
      await waitFor(() => !s.paused, 2000, 'resume');
    }
    expect(verdict).toBe('abuse');
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(s.paused).toBe(false);
    expect(throttler.stats().paused).toBe(0);
  });

  it('starts a new streak after a quiet gap, so a bursty honest sender is never closed', async () => {
    let now = 0;
    const throttler = new Throttler(100, () => now);
    const s = socket();
    /** One pause of 1 ms on the fake clock, waited out. */
    const pauseOnce = async () => {
      expect(throttler.throttle(s, 1)).toBe('paused');
      now += 1;
      await waitFor(() => !s.paused, 2000, 'resume');
    };
    await pauseOnce();
    now += STREAK_GAP_MS + 1;
    await pauseOnce(); // a new streak starts here
    now += 50; // within the gap: the same streak, 51 ms old
    await pauseOnce();
    now += 60; // 112 ms into the streak
    expect(throttler.throttle(s, 1)).toBe('abuse');
  });

  it('forgets a closed socket and never resumes it', async () => {
    const throttler = new Throttler(0);
    const s = socket();
    throttler.throttle(s, 20);
    throttler.release(s);
    expect(throttler.stats().paused).toBe(0);
    await new Promise((r) => setTimeout(r, 40)); // past the pause: the timer must be gone
    expect(s.paused).toBe(true);
  });
});
