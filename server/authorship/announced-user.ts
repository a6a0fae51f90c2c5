/**
 * The name and colour a connection announced in its awareness state's `user` field
 * (`{name, color}`, as the app and y-codemirror.next write it). The awareness guard has already
 * bounded and checked the fields; this only picks them out.
 */
import { MAX_NAME_LENGTH } from '../../lib/names';
import { isUserColor } from '../../lib/presence';
import type { AnnouncedUser } from './writer-gate';

/** The first state among `ids` whose `user.name` is a non-empty string, or null. */
export function announcedUser(
  states: ReadonlyMap<number, Record<string, unknown>>,
  ids: Iterable<number>,
): AnnouncedUser | null {
  for (const id of ids) {
    const user = states.get(id)?.user as { name?: unknown; color?: unknown } | undefined;
    if (typeof user?.name !== 'string' || user.name.trim() === '') continue;
    return {
      name: user.name.trim().slice(0, MAX_NAME_LENGTH),
      color: isUserColor(user.color) ? user.color : null,
    };
  }
  return null;
}
