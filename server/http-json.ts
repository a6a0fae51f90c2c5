/**
 * What the relay's JSON HTTP APIs share (versions, authorship): CORS for the app's origin, an
 * error that carries its status, path decoding that answers 400 instead of throwing, and the
 * request flow of a room's routes (serveRoomJson).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isValidRoomId } from '../lib/room-id';

/** Answered as `{error: message}` with `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function corsHeaders(
  req: IncomingMessage,
  allowed: readonly string[],
): Record<string, string> {
  const origin = req.headers.origin;
  const allow = allowed.length === 0 ? '*' : origin && allowed.includes(origin) ? origin : null;
  if (!allow) return {};
  return {
    'access-control-allow-origin': allow,
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, OPTIONS',
    // Echo what the preflight asks for: no cookies are used, so any header is harmless.
    'access-control-allow-headers':
      req.headers['access-control-request-headers'] ?? 'content-type, authorization',
    'access-control-max-age': '600',
    vary: 'origin',
  };
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(req: IncomingMessage): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

/** A percent-decoded path segment; 400 for a malformed escape. */
export function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, 'malformed path');
  }
}

/** What a room's JSON route handler gets once the shared checks passed. */
export interface RoomRequest {
  /** The route's match on the path; group 1 is the room id (decoded into `roomId`). */
  readonly match: RegExpExecArray;
  readonly roomId: string;
  readonly query: URLSearchParams;
  send(status: number, body: unknown): void;
}

/**
 * Serve `req` if its path matches `route` (group 1: the room id): CORS and preflight, the
 * socket's origin rule, a valid room id, and errors as `{error}` (HttpError with its status,
 * anything else logged through `onError` and answered 500). Resolves false, sending nothing,
 * when the path does not match.
 */
export async function serveRoomJson(
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    readonly route: RegExp;
    readonly allowedOrigins: readonly string[];
    readonly onError: (err: unknown) => void;
  },
  handle: (request: RoomRequest) => Promise<void>,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://relay');
  const match = options.route.exec(url.pathname);
  if (!match) return false;
  const cors = corsHeaders(req, options.allowedOrigins);
  const send = (status: number, body: unknown) => {
    res
      .writeHead(status, {
        ...cors,
        'content-type': 'application/json',
        'cache-control': 'no-store',
      })
      .end(JSON.stringify(body));
  };
  try {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return true;
    }
    const origin = req.headers.origin;
    if (options.allowedOrigins.length > 0 && origin && !options.allowedOrigins.includes(origin)) {
      // The socket refuses such origins (1008); so does its API.
      throw new HttpError(403, 'origin not allowed');
    }
    const roomId = decodePart(match[1] ?? '');
    if (!isValidRoomId(roomId)) throw new HttpError(400, 'invalid room id');
    await handle({ match, roomId, query: url.searchParams, send });
  } catch (err) {
    if (err instanceof HttpError) send(err.status, { error: err.message });
    else {
      options.onError(err);
      if (!res.headersSent) send(500, { error: 'internal error' });
    }
  }
  return true;
}
