/**
 * The thin seam between the relay and version history: room lifecycle hooks for the registry
 * and the HTTP handler, so relay.ts and rooms.ts each need only a couple of lines.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Access } from '../access';
import type { Logger } from '../log';
import type { Room } from '../room';
import { authorizeHistoryRequest } from './guard';
import { handleHistoryHttp } from './http';
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

/** The registry operations the API needs to load a room for a named version. */
export interface RoomAccess {
  acquire(id: string): Promise<Room>;
  release(room: Room): void;
}

/** HTTP handler for the history API; resolves false when the request is not one of its routes. */
export function historyHttpHandler(
  history: VersionHistory,
  rooms: RoomAccess,
  options: { access: Pick<Access, 'admitApi'>; allowedOrigins: readonly string[]; logger: Logger },
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return (req, res) =>
    handleHistoryHttp(req, res, {
      history,
      acquire: (id) => rooms.acquire(id),
      release: (room) => rooms.release(room as Room),
      authorize: authorizeHistoryRequest(options.access),
      allowedOrigins: options.allowedOrigins,
      onError: (err) => options.logger.error({ err }, 'history request failed'),
    });
}
