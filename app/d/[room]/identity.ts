import {
  lightVariant,
  normalizeName,
  randomFriendlyName,
  randomUserColor,
} from '../../../lib/names';
import { isUserColor } from '../../../lib/presence';
import type { AwarenessUser } from './presence-feed';

/** Who you are in every document: remembered in this browser. */
const STORAGE_KEY = 'coedit:identity';

function readStored(): { name?: unknown; color?: unknown } | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as { name?: unknown; color?: unknown }) : null;
  } catch {
    return null;
  }
}

function store(user: AwarenessUser): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ name: user.name, color: user.color }));
  } catch {
    // Storage can be full or disabled; the name still works for this visit.
  }
}

/** Your remembered identity, or a new random friendly name and colour (remembered from now on). */
export function loadIdentity(): AwarenessUser {
  const stored = readStored();
  const name = typeof stored?.name === 'string' ? normalizeName(stored.name) : '';
  const color = isUserColor(stored?.color) ? stored.color : randomUserColor().color;
  const user = { name: name || randomFriendlyName(), color, colorLight: lightVariant(color) };
  if (user.name !== stored?.name || user.color !== stored?.color) store(user);
  return user;
}

/** Remember a new display name (already normalised, non-empty). */
export function rememberName(user: AwarenessUser): void {
  store(user);
}
