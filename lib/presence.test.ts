import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH, USER_COLORS } from './names';
import {
  DEFAULT_USER_COLOR,
  isUserColor,
  isUserColorLight,
  sanitizeUser,
  shownUser,
} from './presence';

/** Colours a hostile client announces: each one must be refused by both validators. */
const HOSTILE_COLORS = [
  'transparent; position: fixed; inset: 0; z-index: 99999; background: url(https://x.test/a) red',
  'url(https://x.test/a)',
  'expression(alert(1))',
  'red; background-image:url(//x.test)',
  'red',
  '#fff',
  '#30bced33 ',
  '#30bced\n',
  '#30bced33;',
  '#30bced3',
  '#30bced333',
  '#gggggg',
  'var(--x)',
  '',
];

describe('presence colours', () => {
  it('accepts #rrggbb (and #rrggbbaa for selections), in either case', () => {
    for (const { color, colorLight } of USER_COLORS) {
      expect(isUserColor(color)).toBe(true);
      expect(isUserColorLight(colorLight)).toBe(true);
      expect(isUserColorLight(color)).toBe(true);
    }
    expect(isUserColor('#30BCED')).toBe(true);
    expect(isUserColor('#30bced33')).toBe(false);
  });

  it('refuses anything else', () => {
    for (const color of [
      ...HOSTILE_COLORS,
      42,
      null,
      undefined,
      ['#30bced'],
      { color: '#30bced' },
    ]) {
      expect(isUserColor(color), String(color)).toBe(false);
      expect(isUserColorLight(color), String(color)).toBe(false);
    }
  });
});

describe('sanitizeUser', () => {
  it('keeps a well-formed user as is', () => {
    const user = { name: 'Sunny Otter', color: '#30bced', colorLight: '#30bced33' };
    expect(sanitizeUser(user)).toEqual({ user, dropped: [] });
  });

  it('drops unknown fields and fields of the wrong shape, one entry each', () => {
    expect(
      sanitizeUser({
        name: '   ',
        color: HOSTILE_COLORS[0],
        colorLight: HOSTILE_COLORS[1],
        avatar: 'x',
        style: 'y',
      }),
    ).toEqual({ user: {}, dropped: ['name', 'color', 'colorLight', 'other', 'other'] });
    expect(sanitizeUser({ name: ['a'], color: 7 }).dropped).toEqual(['name', 'color']);
  });

  it('drops a user that is not a plain object', () => {
    for (const value of [null, 'name', 3, ['#30bced'], true]) {
      expect(sanitizeUser(value)).toEqual({ user: undefined, dropped: ['user'] });
    }
  });

  it('normalises the name: bounded, no control or bidi override characters', () => {
    const { user } = sanitizeUser({
      name: `\u202eevil\u0000\u0007 \n name\u2066${'x'.repeat(80)}`,
    });
    expect(user?.name).toBe(`evil name${'x'.repeat(MAX_NAME_LENGTH - 9)}`);
  });
});

describe('shownUser', () => {
  it('fills in defaults for whatever is missing or malformed', () => {
    expect(shownUser(undefined)).toEqual({
      name: '',
      color: DEFAULT_USER_COLOR,
      colorLight: `${DEFAULT_USER_COLOR}33`,
    });
    expect(shownUser({ name: '<b>x</b>', color: 'red', colorLight: HOSTILE_COLORS[0] })).toEqual({
      name: '<b>x</b>',
      color: DEFAULT_USER_COLOR,
      colorLight: `${DEFAULT_USER_COLOR}33`,
    });
    expect(shownUser({ name: 'a', color: '#e5484d' })).toEqual({
      name: 'a',
      color: '#e5484d',
      colorLight: '#e5484d33',
    });
  });
});
