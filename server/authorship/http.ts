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
import { withRoom } from '../rooms';
import type { AuthorStore } from '../storage/authors';
import { commentsOf } from './comments';
import { authorshipOf, directoryOf } from './spans';

export interface AuthorshipRoutesDeps {
  readonly authors: AuthorStore;
  readonly rooms: { acquire(id: string): Promise<Room>; release(room: Room): void };
}

export function authorshipRoutes(deps: AuthorshipRoutesDeps): Route[] {
  /** The views over the document's state now (the room is loaded for the answer if need be). */
  const views = [
    ['authorship', authorshipOf],
    ['comments', commentsOf],
  ] as const;
  return ['/rooms', '/api/v1/documents'].flatMap((base): Route[] => [
    {
      method: 'GET',
      path: `${base}/:room/authors`,
      name: 'authors',
      access: 'read',
      async handle({ room, send }) {
        send(200, directoryOf(await deps.authors.load(room)));
      },
    },
    ...views.map(
      ([name, view]): Route => ({
        method: 'GET',
        path: `${base}/:room/${name}`,
        name,
        access: 'read',
        async handle({ room, send }) {
          const state = await withRoom(deps.rooms, room, (loaded) => loaded.fullState());
          send(200, view(state, await deps.authors.load(room)));
        },
      }),
    ),
  ]);
}
