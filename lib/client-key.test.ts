import { describe, expect, it } from 'vitest';
import { isValidClientKey, newClientKey } from './client-key';

describe('client key', () => {
  it('new keys are valid, URL-safe and different each time', () => {
    const keys = new Set(Array.from({ length: 100 }, newClientKey));
    expect(keys.size).toBe(100);
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(isValidClientKey(key)).toBe(true);
    }
  });

  it('refuses short, long and non-URL-safe keys', () => {
    expect(isValidClientKey('a'.repeat(21))).toBe(false);
    expect(isValidClientKey('a'.repeat(129))).toBe(false);
    expect(isValidClientKey(`${'a'.repeat(30)}/+`)).toBe(false);
    expect(isValidClientKey(`${'a'.repeat(30)}%20`)).toBe(false);
    expect(isValidClientKey('')).toBe(false);
  });
});
