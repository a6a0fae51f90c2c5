/**
 * The thin seam between the room registry and version history: room lifecycle hooks, so
 * rooms.ts needs only a couple of lines.
 */
import type { Room } from '../room';
import type { VersionHistory } from './service';

/** What the room registry calls around a room's life. */
export interface RoomLifecycleHooks {
  /** The room's stored state is loaded; it is about to serve clients. */
  loaded(room: Room): void;
  /** The room is flushed and about to be destroyed (its doc is still readable). */
  unloading(room: Room): Promise<void>;
  /** The room broke (storage failure) and was dropped without a flush. */
  broken(room: Room): void;
}

export function historyRoomHooks(history: VersionHistory): RoomLifecycleHooks {
  return {
    loaded: (room) => history.attach(room),
    unloading: (room) => history.detach(room),
    broken: (room) => history.discard(room),
  };
}
