/** Friendly default identities for people who have not named themselves yet. */

const ADJECTIVES = [
  'Amber',
  'Brave',
  'Calm',
  'Clever',
  'Cosmic',
  'Curious',
  'Daring',
  'Eager',
  'Gentle',
  'Happy',
  'Jolly',
  'Kind',
  'Lively',
  'Lucky',
  'Mellow',
  'Nimble',
  'Quiet',
  'Rapid',
  'Sunny',
  'Swift',
  'Witty',
  'Zesty',
] as const;

const ANIMALS = [
  'Badger',
  'Beaver',
  'Crane',
  'Dolphin',
  'Falcon',
  'Fox',
  'Gecko',
  'Heron',
  'Koala',
  'Lynx',
  'Marmot',
  'Narwhal',
  'Otter',
  'Owl',
  'Panda',
  'Puffin',
  'Quokka',
  'Raven',
  'Seal',
  'Tiger',
  'Walrus',
  'Yak',
] as const;

/** A user colour: `color` for carets, labels and avatars; `colorLight` for selection highlights. */
export interface UserColor {
  readonly color: string;
  readonly colorLight: string;
}

/** Distinct from each other in light and dark themes; label text on them: {@link textColorOn}. */
export const USER_COLORS: readonly UserColor[] = [
  '#e5484d', // red
  '#f76b15', // orange
  '#d6409f', // pink
  '#8e4ec6', // purple
  '#3e63dd', // indigo
  '#0090ff', // blue
  '#12a594', // teal
  '#30a46c', // green
  '#ad7f58', // bronze
].map((color) => ({ color, colorLight: `${color}33` }));

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

/** A random "Adjective Animal" display name. */
export function randomFriendlyName(random: () => number = Math.random): string {
  return `${pick(ADJECTIVES, random)} ${pick(ANIMALS, random)}`;
}

export function randomUserColor(random: () => number = Math.random): UserColor {
  return pick(USER_COLORS, random);
}

/** The light (selection) variant of a colour from {@link USER_COLORS}, or a translucent fallback. */
export function lightVariant(color: string): string {
  return USER_COLORS.find((c) => c.color === color)?.colorLight ?? `${color}33`;
}

const DARK_TEXT = '#111111';
const LIGHT_TEXT = '#ffffff';

/** WCAG relative luminance of `#rrggbb` or `#rgb`; null for anything else. */
function luminance(color: string): number | null {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) return null;
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((at) => {
    const channel = Number.parseInt(full.slice(at, at + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Text colour for a label on a user colour (avatars, cursor names): white or near-black,
 * whichever contrasts more, so every colour, including one another client sent, stays legible.
 */
export function textColorOn(background: string): string {
  const l = luminance(background);
  if (l === null) return LIGHT_TEXT;
  const onWhite = 1.05 / (l + 0.05);
  const onDark = (l + 0.05) / ((luminance(DARK_TEXT) ?? 0) + 0.05);
  return onDark > onWhite ? DARK_TEXT : LIGHT_TEXT;
}

/** Longest display name we keep; longer input is cut so labels stay readable. */
export const MAX_NAME_LENGTH = 40;

/** Bidi embeddings, overrides and isolates: they would reorder the text around a name. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** C0 and C1 control characters (tabs and newlines among them: they become spaces). */
const CONTROLS = /\p{Cc}/gu;

/**
 * Trim and cap a display name; returns '' when nothing usable is left. Names come from other
 * people too (the relay and the app both apply this to every name they receive), so control
 * characters and bidi overrides go, whitespace collapses, and a cut never splits an emoji's
 * surrogate pair.
 */
export function normalizeName(name: string): string {
  const cleaned = name.replace(BIDI_CONTROLS, '').replace(CONTROLS, ' ').replace(/\s+/g, ' ');
  const cut = cleaned.trim().slice(0, MAX_NAME_LENGTH);
  return (/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut).trimEnd();
}

/** One or two initials for an avatar ("Sunny Otter" → "SO"). */
export function initials(name: string): string {
  const words = normalizeName(name).split(' ').filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0] ?? '?'];
  return letters
    .map((word) => Array.from(word ?? '')[0] ?? '')
    .join('')
    .toUpperCase();
}
