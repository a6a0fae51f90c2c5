import { describe, expect, it } from 'vitest';
import {
  initials,
  lightVariant,
  MAX_NAME_LENGTH,
  normalizeName,
  randomFriendlyName,
  randomUserColor,
  USER_COLORS,
} from './names';

describe('names', () => {
  it('makes "Adjective Animal" names from the given randomness', () => {
    expect(randomFriendlyName(() => 0)).toBe('Amber Badger');
    expect(randomFriendlyName(() => 0.9999)).toMatch(/^\w+ \w+$/);
  });

  it('picks colours from the palette, with a light variant for selections', () => {
    const color = randomUserColor(() => 0.5);
    expect(USER_COLORS).toContain(color);
    expect(lightVariant(color.color)).toBe(color.colorLight);
    expect(lightVariant('#123456')).toBe('#12345633');
  });

  it('normalises display names', () => {
    expect(normalizeName('  Ada   Lovelace ')).toBe('Ada Lovelace');
    expect(normalizeName('   ')).toBe('');
    expect(normalizeName('x'.repeat(100))).toHaveLength(MAX_NAME_LENGTH);
  });

  it('derives avatar initials', () => {
    expect(initials('Sunny Otter')).toBe('SO');
    expect(initials('ada')).toBe('A');
    expect(initials('Jean Luc Picard')).toBe('JP');
    expect(initials('')).toBe('?');
  });
});
