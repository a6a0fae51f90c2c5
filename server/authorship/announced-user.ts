/**
 * The name and colour a connection announced in its awareness state's `user` field
 * (`{name, color}`, as the app and y-codemirror.next write it). Every state the room holds has
 * passed an awareness guard (this instance's or another's), which keeps only a normalised
 * non-empty name and `#rrggbb` colours (lib/presence.ts): this only picks them out.
 */
import type { AnnouncedUser } from './writer-gate';

/** The first state among `ids` whose `user.name` is a non-empty string, or null. */
export function announcedUser(
  states: ReadonlyMap<number, Record<string, unknown>>,
  ids: Iterable<number>,
): AnnouncedUser | null {
  for (const id of ids) {
    const user = states.get(id)?.user as { name?: unknown; color?: unknown } | undefined;
    if (typeof user?.name !== 'string' || user.name === '') continue;
    return { name: user.name, color: typeof user.color === 'string' ? user.color : null };
  }
  return null;
}
