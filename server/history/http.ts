/**
 * The version-history HTTP JSON API, served on the relay's port, under /api/v1/documents/<room>/…
 * and at its first address /rooms/<room>/… (below); restoring one is the document API's
 * (api/documents-http.ts):
 *
 *   GET  /rooms/<room>/versions        → 200 { versions: VersionMeta[] }  (oldest first)
 *   GET  /rooms/<room>/versions/<id>   → 200 { version: VersionMeta, text: string } | 404
 *   POST /rooms/<room>/versions        { name, author? } → 201 { version: VersionMeta }
 *
 * POST loads the room if it is not loaded (and lets it unload again). Every response carries
 * CORS headers, because the app is served from another origin than the relay.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodePart, HttpError, serveRoomJson } from '../http-json';
import type { HistoryAuthorizer } from './guard';
import type { HistoryRoom } from './room-history';
import type { VersionHistory } from './service';

export interface HistoryHttpDeps {
  readonly history: VersionHistory;
  /** Load (or find) a room and hold it until `release`. */
  acquire(roomId: string): Promise<HistoryRoom>;
  release(room: HistoryRoom): void;
  readonly authorize: HistoryAuthorizer;
  /** Origins allowed to call the API; empty = any. */
  readonly allowedOrigins: readonly string[];
  /** An unexpected failure (answered with 500). */
  onError(err: unknown): void;
}

/** Under v1 of the HTTP API, and at their first address (kept as an alias). */
const ROUTE = /^\/(?:rooms|api\/v1\/documents)\/([^/]+)\/versions(?:\/([^/]+))?\/?$/;
const MAX_BODY_BYTES = 16 * 1024;
const MAX_NAME_LENGTH = 100;
const MAX_AUTHOR_LENGTH = 100;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {}
  throw new HttpError(400, 'body must be a JSON object');
}

function text(value: unknown, field: string, max: number, required: boolean): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) throw new HttpError(400, `${field} is required`);
    return null;
  }
  if (typeof value !== 'string') throw new HttpError(400, `${field} must be a string`);
  const trimmed = value.trim();
  if (required && !trimmed) throw new HttpError(400, `${field} is required`);
  if (trimmed.length > max) throw new HttpError(400, `${field} is longer than ${max} characters`);
  return trimmed || null;
}

/**
 * Serve `req` if it is a history route; returns false (and sends nothing) otherwise, so the
 * relay can answer it.
 */
export async function handleHistoryHttp(
  req: IncomingMessage,
  res: ServerResponse,
  deps: HistoryHttpDeps,
): Promise<boolean> {
  return serveRoomJson(
    req,
    res,
    { route: ROUTE, allowedOrigins: deps.allowedOrigins, onError: deps.onError },
    async ({ match, roomId, query, send }) => {
      const versionId = match[2] === undefined ? null : decodePart(match[2]);
      const access = await deps.authorize(req, roomId, query);
      if (!access.ok) throw new HttpError(access.status, access.error);

      if (req.method === 'GET' && versionId === null) {
        send(200, { versions: await deps.history.list(roomId) });
      } else if (req.method === 'GET' && versionId !== null) {
        const found = await deps.history.read(roomId, versionId);
        if (!found) throw new HttpError(404, 'no such version');
        send(200, { version: found.meta, text: found.text });
      } else if (req.method === 'POST' && versionId === null) {
        if (!access.canWrite) throw new HttpError(403, 'read-only access cannot save versions');
        const body = await readJson(req);
        const name = text(body.name, 'name', MAX_NAME_LENGTH, true) as string;
        const author = text(body.author, 'author', MAX_AUTHOR_LENGTH, false);
        const room = await deps.acquire(roomId);
        try {
          send(201, { version: await deps.history.saveNamed(room, name, author) });
        } finally {
          deps.release(room);
        }
      } else {
        throw new HttpError(405, 'method not allowed');
      }
    },
  );
}
