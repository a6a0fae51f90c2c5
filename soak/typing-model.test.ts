import { describe, expect, it } from 'vitest';
import { chooseKeystroke, seededRng, TYPING, TypingRhythm } from './typing-model';

describe('typing model', () => {
  it('is reproducible from a seed', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('types in bursts at a human rate', () => {
    const rhythm = new TypingRhythm(seededRng(1));
    expect(rhythm.keysPerSecond).toBeGreaterThanOrEqual(2);
    expect(rhythm.keysPerSecond).toBeLessThanOrEqual(5);
    let totalMs = 0;
    let bursts = 0;
    for (let i = 0; i < 10_000; i++) {
      const { delayMs, burstStart } = rhythm.next();
      totalMs += delayMs;
      if (burstStart) bursts++;
    }
    const rate = 10_000 / (totalMs / 1000);
    expect(rate).toBeGreaterThan(1);
    expect(rate).toBeLessThan(rhythm.keysPerSecond);
    expect(bursts).toBeGreaterThan(100);
  });

  it('keeps keystrokes inside the text and the text around its target length', () => {
    const rng = seededRng(7);
    let text = '';
    let cursor = 0;
    for (let i = 0; i < 50_000; i++) {
      const key = chooseKeystroke(rng, text.length, cursor, i % 40 === 0);
      expect(key.at).toBeGreaterThanOrEqual(0);
      expect(key.at).toBeLessThanOrEqual(text.length);
      if (key.kind === 'insert') {
        text = text.slice(0, key.at) + key.text + text.slice(key.at);
        cursor = key.at + key.text.length;
      } else {
        expect(key.at + key.length).toBeLessThanOrEqual(text.length);
        text = text.slice(0, key.at) + text.slice(key.at + key.length);
        cursor = key.at;
      }
    }
    expect(text.length).toBeGreaterThan(TYPING.targetLength * 0.5);
    expect(text.length).toBeLessThan(TYPING.targetLength * 1.5);
  });
});
