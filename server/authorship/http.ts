/**
 * GET /rooms/<room>/authorship → 200 {authors: [{id, name, color}], spans: [{from, to, author}]}
 * over the document's current text (spans.ts).
 * GET /rooms/<room>/authors → 200 {authors: [{id, name, color}], clients: {<client id>: <author>}}
 * every author and binding, for an editor that attributes its own copy's items (Show authors).
 * GET /rooms/<room>/comments → 200 {threads: [{id, from, to, quote, onDeletedText, resolved,
 * resolvedBy, messages: [{id, author, text, at, edited, deleted}]}]} (comments.ts).
 * Guarded like the versions API: on a relay with a
 * secret it needs a share token for the room (query `token` or `Authorization: Bearer`); a view
 * token may read it. The room is loaded for the answer if it is not (and may unload again).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Access } from '../access';
import { authorizeHistoryRequest } from '../history/guard';
import type { RoomAccess } from '../history/relay-hooks';
import { HttpError, serveRoomJson } from '../http-json';
import type { Logger } from '../log';
import type { AuthorStore } from '../storage/authors';
import { commentsOf } from './comments';
import { authorshipOf, directoryOf } from './spans';

const ROUTE = /^\/rooms\/([^/]+)\/(authorship|authors|comments)\/?$/;

export interface AuthorshipHttpDeps {
  readonly authors: AuthorStore;
  readonly rooms: RoomAccess;
  readonly access: Pick<Access, 'admitApi'>;
  readonly allowedOrigins: readonly string[];
  readonly logger: Logger;
}

/** Resolves false (sending nothing) when `req` is not the authorship route. */
export function authorshipHttpHandler(
  deps: AuthorshipHttpDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const authorize = authorizeHistoryRequest(deps.access);
  const options = {
    route: ROUTE,
    allowedOrigins: deps.allowedOrigins,
    onError: (err: unknown) => deps.logger.error({ err }, 'authorship request failed'),
  };
  return (req, res) =>
    serveRoomJson(req, res, options, async ({ match, roomId, query, send }) => {
      if (req.method !== 'GET') throw new HttpError(405, 'method not allowed');
      const access = await authorize(req, roomId, query);
      if (!access.ok) throw new HttpError(access.status, access.error);
      if (match[2] === 'authors') {
        send(200, directoryOf(await deps.authors.load(roomId)));
        return;
      }
      const room = await deps.rooms.acquire(roomId);
      let state: Uint8Array;
      try {
        state = room.fullState();
      } finally {
        deps.rooms.release(room);
      }
      const known = await deps.authors.load(roomId);
      send(200, match[2] === 'comments' ? commentsOf(state, known) : authorshipOf(state, known));
    });
}
