/**
 * The version-history routes, under /api/v1/documents/<room>/… and at their first address
 * /rooms/<room>/… (kept as an alias); restoring a version is the document API's:
 *
 *   GET  …/versions        → 200 { versions: VersionMeta[] }  (oldest first)
 *   GET  …/versions/<id>   → 200 { version: VersionMeta, text: string } | 404
 *   POST …/versions        { name, author? } → 201 { version: VersionMeta }
 *
 * Access is the socket's (http/auth.ts): a view token lists and reads, saving needs edit. POST
 * loads the room if it is not loaded (and lets it unload again).
 */

import { readJsonObject } from '../http/body';
import { HttpError } from '../http/http-error';
import type { Route } from '../http/router';
import { withRoom } from '../rooms';
import type { HistoryRoom } from './room-history';
import type { VersionHistory } from './service';

const MAX_BODY_BYTES = 16 * 1024;
const MAX_NAME_LENGTH = 100;
const MAX_AUTHOR_LENGTH = 100;

export interface HistoryRoutesDeps {
  readonly history: VersionHistory;
  /** Load (or find) a room and hold it until `release`. */
  acquire(roomId: string): Promise<HistoryRoom>;
  release(room: HistoryRoom): void;
}

function text(value: unknown, field: string, max: number, required: boolean): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) throw new HttpError(400, 'bad-request', `${field} is required`);
    return null;
  }
  if (typeof value !== 'string')
    throw new HttpError(400, 'bad-request', `${field} must be a string`);
  const trimmed = value.trim();
  if (required && !trimmed) throw new HttpError(400, 'bad-request', `${field} is required`);
  if (trimmed.length > max) {
    throw new HttpError(400, 'bad-request', `${field} is longer than ${max} characters`);
  }
  return trimmed || null;
}

export function historyRoutes(deps: HistoryRoutesDeps): Route[] {
  const routesAt = (base: string): Route[] => [
    {
      method: 'GET',
      path: `${base}/:room/versions`,
      name: 'versions.list',
      access: 'read',
      async handle({ room, send }) {
        send(200, { versions: await deps.history.list(room) });
      },
    },
    {
      method: 'GET',
      path: `${base}/:room/versions/:version`,
      name: 'versions.get',
      access: 'read',
      async handle({ room, params, send }) {
        const found = await deps.history.read(room, params.version as string);
        if (!found) throw new HttpError(404, 'not-found', 'no such version');
        send(200, { version: found.meta, text: found.text });
      },
    },
    {
      method: 'POST',
      path: `${base}/:room/versions`,
      name: 'versions.save',
      access: 'write',
      async handle({ req, room, send }) {
        const body = await readJsonObject(req, MAX_BODY_BYTES);
        const name = text(body.name, 'name', MAX_NAME_LENGTH, true) as string;
        const author = text(body.author, 'author', MAX_AUTHOR_LENGTH, false);
        const version = await withRoom(deps, room, (loaded) =>
          deps.history.saveNamed(loaded, name, author),
        );
        send(201, { version });
      },
    },
  ];
  return [...routesAt('/api/v1/documents'), ...routesAt('/rooms')];
}
