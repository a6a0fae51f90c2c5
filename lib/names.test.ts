import { describe, expect, it } from 'vitest';
import {
  initials,
  lightVariant,
  MAX_NAME_LENGTH,
  normalizeName,
  randomFriendlyName,
  randomUserColor,
  textColorOn,
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
    // Names come from other people too: no controls, no reordering, no half emoji.
    expect(normalizeName('a\u0000b\u0085c\td')).toBe('a b c d');
    expect(normalizeName('\u202eevil\u202c \u2067name\u2069')).toBe('evil name');
    expect(normalizeName('مرحبا Ada')).toBe('مرحبا Ada');
    expect(normalizeName(`${'x'.repeat(MAX_NAME_LENGTH - 1)}😀`)).toBe(
      'x'.repeat(MAX_NAME_LENGTH - 1),
    );
    expect(normalizeName(`${'x'.repeat(MAX_NAME_LENGTH - 2)} y z`)).toBe(
      `${'x'.repeat(MAX_NAME_LENGTH - 2)} y`,
    );
  });

  it('derives avatar initials', () => {
    expect(initials('Sunny Otter')).toBe('SO');
    expect(initials('ada')).toBe('A');
    expect(initials('Jean Luc Picard')).toBe('JP');
    expect(initials('')).toBe('?');
  });

  it('picks label text that meets 4.5:1 on every user colour', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((at) => {
        const c = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: string, b: string) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (hi + 0.05) / (lo + 0.05);
    };
    for (const { color } of USER_COLORS) {
      expect(contrast(textColorOn(color), color), color).toBeGreaterThanOrEqual(4.5);
    }
    expect(textColorOn('#000')).toBe('#ffffff');
    expect(textColorOn('#fff')).toBe('#111111');
    expect(textColorOn('red; background: url(x)')).toBe('#ffffff');
  });
});
