/**
 * Presence is hostile input: anyone holding a link, a view link too, announces their own
 * awareness state, and every other page in the room shows its `user` field (names on carets and
 * in "People here", colours on carets, selections and avatars). One definition of what a
 * well-formed `user` is, used by the relay (which drops everything else before relaying, counted
 * in /metrics) and by the app (which checks again, so a page stays safe behind any relay).
 */
import { lightVariant, normalizeName } from './names';

/** A caret, label or avatar colour: `#rrggbb`. */
const COLOR = /^#[0-9a-fA-F]{6}$/;
/** A selection colour: `#rrggbb` or `#rrggbbaa` (the app and y-codemirror.next send `#rrggbb33`). */
const COLOR_LIGHT = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;

export function isUserColor(value: unknown): value is string {
  return typeof value === 'string' && COLOR.test(value);
}

export function isUserColorLight(value: unknown): value is string {
  return typeof value === 'string' && COLOR_LIGHT.test(value);
}

/** The colour of someone whose state carries none we accept (y-codemirror.next's default). */
export const DEFAULT_USER_COLOR = '#30bced';

/** The `user` field as we keep it: only these fields, each well-formed, each optional. */
export interface PresenceUser {
  readonly name?: string;
  readonly color?: string;
  readonly colorLight?: string;
}

/**
 * What sanitizing dropped: a known field of the wrong shape (`name`, `color`, `colorLight`), any
 * unknown field (`other`, one label whatever its key, so a client cannot mint metric labels), or
 * a `user` that is not a plain object (`user`).
 */
export type DroppedPresenceField = 'name' | 'color' | 'colorLight' | 'other' | 'user';

export interface SanitizedUser {
  /** The well-formed user; undefined when `user` was not a plain object. */
  readonly user: PresenceUser | undefined;
  /** One entry per dropped field, in no particular order; empty (and shared) when none was. */
  readonly dropped: readonly DroppedPresenceField[];
}

const NOTHING_DROPPED: readonly DroppedPresenceField[] = Object.freeze([]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Keep only `name` (a string, normalised by {@link normalizeName}, non-empty after it), `color`
 * (`#rrggbb`) and `colorLight` (`#rrggbb` or `#rrggbbaa`) of an awareness `user` value.
 */
export function sanitizeUser(value: unknown): SanitizedUser {
  if (!isPlainObject(value)) return { user: undefined, dropped: ['user'] };
  let dropped: DroppedPresenceField[] | null = null;
  const drop = (field: DroppedPresenceField) => {
    dropped ??= [];
    dropped.push(field);
  };
  const user: { name?: string; color?: string; colorLight?: string } = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === 'name') {
      const name = typeof field === 'string' ? normalizeName(field) : '';
      if (name) user.name = name;
      else drop('name');
    } else if (key === 'color') {
      if (isUserColor(field)) user.color = field;
      else drop('color');
    } else if (key === 'colorLight') {
      if (isUserColorLight(field)) user.colorLight = field;
      else drop('colorLight');
    } else {
      drop('other');
    }
  }
  return { user, dropped: dropped ?? NOTHING_DROPPED };
}

/** A person as the page shows them: every field present and well-formed. */
export interface ShownUser {
  /** '' when the state carries no usable name. */
  readonly name: string;
  readonly color: string;
  readonly colorLight: string;
}

/**
 * The user of a remote awareness state, ready to show: sanitized as the relay does, then
 * defaults for what is missing (the default colour, the light variant of the colour).
 */
export function shownUser(value: unknown): ShownUser {
  const { user } = sanitizeUser(value);
  const color = user?.color ?? DEFAULT_USER_COLOR;
  return {
    name: user?.name ?? '',
    color,
    colorLight: user?.colorLight ?? lightVariant(color),
  };
}
