/**
 * The relay's one HTTP route table. Every route (health, metrics, the API, versions, links,
 * images, authorship, webhooks, the dashboard stream) is a method and a path pattern with
 * `:name` parameters; the router does what they all need the same way:
 * - CORS for the app's origin and preflights (OPTIONS), from the allowed origins;
 * - the socket's origin rule: a browser Origin outside `--allowed-origins` gets 403;
 * - parameters decoded, and `:room` checked as a room id (400);
 * - 404 for an unknown path, 405 (with Allow) for a known path and another method;
 * - errors as JSON `{error, code}` with their status: HttpError as thrown, anything else
 *   logged once and answered 500.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isValidRoomId } from '../../lib/room-id';
import type { Logger } from '../log';
import type { RequestAuth, RoomCaller } from './auth';
import { HttpError } from './http-error';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route (http/auth.ts): a share token of the `:room` that reads or writes, an
 * admin token, or anyone (the route checks for itself, or needs nothing).
 */
export type RouteAccess = 'read' | 'write' | 'admin' | 'anyone';

/** What a route handler gets: the request, its parsed address and how to answer. */
export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** The path's `:name` parts, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** The `:room` part, a valid room id ('' for a route without one). */
  readonly room: string;
  /** For 'read' and 'write' routes: the caller's rights in the room. */
  readonly caller: RoomCaller | null;
  /** CORS headers for this request (already set on `res`). */
  readonly cors: Readonly<Record<string, string>>;
  /** Answer JSON (no-store). */
  send(status: number, body: unknown): void;
  /** Answer text of `type` (utf-8). */
  sendText(status: number, body: string, type: string): void;
}

export interface Route {
  readonly method: Method;
  /** `/literal/:param/...`; a trailing slash in a request is ignored. */
  readonly path: string;
  /** Answered under this name in logs and errors of unexpected failures. */
  readonly name: string;
  /** Checked before `handle` runs. */
  readonly access: RouteAccess;
  handle(request: RouteRequest): Promise<void> | void;
  /**
   * False for routes that answer non-browser callers only (metrics, health): no CORS and no
   * origin check. Default true.
   */
  readonly browser?: boolean;
}

interface CompiledRoute extends Route {
  readonly parts: readonly string[];
}

export interface RouterOptions {
  /** Origins allowed to call (empty = any), as for the sockets. */
  readonly allowedOrigins: readonly string[];
  /** Checks the routes' `access`. */
  readonly auth: Pick<RequestAuth, 'room' | 'admin'>;
  readonly logger: Logger;
  /** An error some route may throw that has an answer of its own (else 500). */
  readonly translate?: (err: unknown) => HttpError | undefined;
  /**
   * Seconds the caller must wait before another request, or 0: asked before every route of
   * the scripting API (paths under /api/); a wait is answered 429 with Retry-After.
   */
  readonly retryAfter?: (req: IncomingMessage) => number;
}

/** Headers a browser needs to call from the app's origin; none for an origin not allowed. */
export function corsHeaders(
  req: IncomingMessage,
  allowed: readonly string[],
): Record<string, string> {
  const origin = req.headers.origin;
  const allow =
    allowed.length === 0 ? (origin ?? '*') : origin && allowed.includes(origin) ? origin : null;
  if (!allow) return {};
  return {
    'access-control-allow-origin': allow,
    'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    // Echo what the preflight asks for: no cookies are used, so any header is harmless.
    'access-control-allow-headers':
      req.headers['access-control-request-headers'] ?? 'content-type, authorization',
    'access-control-expose-headers': 'retry-after',
    'access-control-max-age': '600',
    vary: 'origin',
  };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  constructor(private readonly options: RouterOptions) {}

  /** Add routes; the first route matching a request's path and method serves it. */
  add(routes: readonly Route[]): this {
    for (const route of routes) this.routes.push({ ...route, parts: splitPath(route.path) });
    return this;
  }

  /** Every route, for the OpenAPI check and the README. */
  list(): readonly Route[] {
    return this.routes;
  }

  /** Serve `req`; resolves false (sending nothing) when no route has its path. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://relay');
    const parts = splitPath(url.pathname);
    const method = req.method ?? 'GET';
    let params: Record<string, string> | null = null;
    let route: CompiledRoute | undefined;
    const allowed = new Set<string>();
    let malformed = false;
    for (const candidate of this.routes) {
      const matched = match(candidate.parts, parts);
      if (matched === null) continue;
      if (matched === 'malformed') {
        malformed = true;
        continue;
      }
      allowed.add(candidate.method);
      if (candidate.method === 'GET') allowed.add('HEAD');
      const sameMethod =
        candidate.method === method || (method === 'HEAD' && candidate.method === 'GET');
      if (!route && sameMethod) {
        route = candidate;
        params = matched;
      }
    }
    if (allowed.size === 0 && !malformed) return false;
    const browser = route?.browser ?? this.routes.find((r) => match(r.parts, parts))?.browser;
    const cors = browser === false ? {} : corsHeaders(req, this.options.allowedOrigins);
    for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
    const send = (status: number, body: unknown) => {
      res
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(body));
    };
    try {
      if (method === 'OPTIONS' && browser !== false) {
        res.writeHead(204).end();
        return true;
      }
      if (malformed && !route) throw new HttpError(400, 'bad-request', 'malformed path');
      if (!route || !params) {
        res.setHeader('allow', [...allowed].join(', '));
        throw new HttpError(405, 'method-not-allowed', `use ${[...allowed].join(' or ')}`);
      }
      const origin = req.headers.origin;
      const origins = this.options.allowedOrigins;
      if (browser !== false && origins.length > 0 && origin && !origins.includes(origin)) {
        // The socket refuses such origins (1008); so does its API.
        throw new HttpError(403, 'forbidden', 'origin not allowed');
      }
      const room = params.room ?? '';
      if (params.room !== undefined && !isValidRoomId(room)) {
        throw new HttpError(400, 'bad-request', 'invalid room id');
      }
      const wait = route.path.startsWith('/api/') ? (this.options.retryAfter?.(req) ?? 0) : 0;
      if (wait > 0) {
        res.setHeader('retry-after', String(wait));
        throw new HttpError(429, 'rate-limited', `too many requests; retry in ${wait} s`);
      }
      let caller: RoomCaller | null = null;
      if (route.access === 'admin') await this.options.auth.admin(req, url);
      else if (route.access !== 'anyone') {
        caller = await this.options.auth.room(req, url, room, route.access);
      }
      await route.handle({
        req,
        res,
        url,
        params,
        room,
        caller,
        cors,
        send,
        sendText(status, body, type) {
          res
            .writeHead(status, {
              'content-type': `${type}; charset=utf-8`,
              'cache-control': 'no-store',
            })
            .end(body);
        },
      });
    } catch (err) {
      const error =
        err instanceof HttpError
          ? err
          : (this.options.translate?.(err) ?? new HttpError(500, 'internal', 'internal error'));
      if (error.code === 'internal') {
        this.options.logger.error({ err, route: route?.name }, 'HTTP request failed');
      }
      if (!res.headersSent) send(error.status, { error: error.message, code: error.code });
      else res.end();
    }
    return true;
  }
}

/** The decoded parameters if `parts` fit `pattern`; 'malformed' for a bad percent escape. */
function match(
  pattern: readonly string[],
  parts: readonly string[],
): Record<string, string> | 'malformed' | null {
  if (pattern.length !== parts.length) return null;
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string;
    if (!expected.startsWith(':') && expected !== parts[i]) return null;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string;
    if (!expected.startsWith(':')) continue;
    try {
      params[expected.slice(1)] = decodeURIComponent(parts[i] as string);
    } catch {
      return 'malformed';
    }
  }
  return params;
}
