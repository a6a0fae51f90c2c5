/**
 * GET /rooms/<room>/authorship → 200 {authors: [{id, name, color}], spans: [{from, to, author}]}
 * over the document's current text (spans.ts).
 * GET /rooms/<room>/authors → 200 {authors: [{id, name, color}], clients: {<client id>: <author>}}
 * every author and binding, for an editor that attributes its own copy's items (Show authors).
 * GET /rooms/<room>/comments → 200 {threads: [{id, from, to, quote, onDeletedText, resolved,
 * resolvedBy, messages: [{id, author, text, at, edited, deleted}]}]} (comments.ts).
 * Each also under /api/v1/documents/<room>/…. Access is the socket's (http/auth.ts): a view
 * token may read them. The room is loaded for the answer if it is not (and may unload again).
 */
import type { Route } from '../http/router';
import type { Room } from '../room';
import type { AuthorStore } from '../storage/authors';
import { commentsOf } from './comments';
import { authorshipOf, directoryOf } from './spans';

export interface AuthorshipRoutesDeps {
  readonly authors: AuthorStore;
  readonly rooms: { acquire(id: string): Promise<Room>; release(room: Room): void };
}

export function authorshipRoutes(deps: AuthorshipRoutesDeps): Route[] {
  /** The room's whole state now, loading it for the answer if needed. */
  const stateOf = async (roomId: string): Promise<Uint8Array> => {
    const room = await deps.rooms.acquire(roomId);
    try {
      return room.fullState();
    } finally {
      deps.rooms.release(room);
    }
  };
  const routes: Route[] = [];
  for (const base of ['/rooms', '/api/v1/documents']) {
    routes.push(
      {
        method: 'GET',
        path: `${base}/:room/authors`,
        name: 'authors',
        access: 'read',
        async handle({ params, send }) {
          const room = params.room as string;
          send(200, directoryOf(await deps.authors.load(room)));
        },
      },
      {
        method: 'GET',
        path: `${base}/:room/authorship`,
        name: 'authorship',
        access: 'read',
        async handle({ params, send }) {
          const room = params.room as string;
          const state = await stateOf(room);
          send(200, authorshipOf(state, await deps.authors.load(room)));
        },
      },
      {
        method: 'GET',
        path: `${base}/:room/comments`,
        name: 'comments',
        access: 'read',
        async handle({ params, send }) {
          const room = params.room as string;
          const state = await stateOf(room);
          send(200, commentsOf(state, await deps.authors.load(room)));
        },
      },
    );
  }
  return routes;
}
