/**
 * The relay's share-link endpoints, used by the app's Share dialog (cross-origin, so CORS):
 *
 *   GET  /rooms/<room>/links                   working links (one edit + one view made if none)
 *   POST /rooms/<room>/links   {"role":"view"} a new link
 *   POST /rooms/<room>/links/<linkId>/revoke   revoke durably; its sockets close with 4403
 *
 * Every call needs `Authorization: Bearer <edit token of that room>` (401 otherwise, 403 for a
 * view token). Only a relay with a secret has links (404 otherwise).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isValidRoomId } from '../lib/room-id';
import { generateLinkId, isValidLinkId, type Role, signToken } from '../lib/token';
import type { Access } from './access';
import type { Logger } from './log';
import type { LinkRecord } from './storage/links';

const ROUTE = /^\/rooms\/([^/]+)\/links(?:\/([^/]+)\/(revoke))?$/;
const MAX_BODY_BYTES = 4096;

export interface LinksHttpDeps {
  readonly access: Access;
  readonly secret: string | undefined;
  /** Allowed Origins (empty = any), mirrored into CORS. */
  readonly allowedOrigins: readonly string[];
  readonly logger: Logger;
}

/** Handle the request if it is a links route; false lets the relay answer it. */
export function handleLinksHttp(
  req: IncomingMessage,
  res: ServerResponse,
  deps: LinksHttpDeps,
): boolean {
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  const match = ROUTE.exec(path);
  if (!match) return false;
  const origin = req.headers.origin;
  if (origin && (deps.allowedOrigins.length === 0 || deps.allowedOrigins.includes(origin))) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'origin');
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
    });
    res.end();
    return true;
  }
  const [, room = '', linkId, revoke] = match;
  serve(req, res, deps, room, revoke ? (linkId ?? '') : null).catch((err: unknown) => {
    deps.logger.error({ err, room }, 'links request failed');
    if (!res.headersSent) send(res, 500, { error: 'internal error' });
  });
  return true;
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  deps: LinksHttpDeps,
  room: string,
  revokeId: string | null,
): Promise<void> {
  const { access, secret } = deps;
  if (!secret || !access.links) return send(res, 404, { error: 'this relay has no share links' });
  if (!isValidRoomId(room)) return send(res, 400, { error: 'invalid room id' });
  const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
  const admitted = await access.admit(room, bearer);
  if (!admitted.ok) return send(res, 401, { error: `token ${admitted.reason}` });
  const { grant } = admitted;
  if (grant.role !== 'edit' || grant.linkId === null) {
    return send(res, 403, { error: 'only an edit link can manage links' });
  }
  const links = access.links;

  if (req.method === 'GET' && revokeId === null) {
    await links.record(room, grant.linkId, 'edit');
    let active = (await links.list(room)).filter((l) => l.revokedAt === null);
    for (const role of ['edit', 'view'] as const) {
      if (!active.some((l) => l.role === role)) await links.record(room, generateLinkId(), role);
    }
    active = (await links.list(room)).filter((l) => l.revokedAt === null);
    const out = await Promise.all(active.map((l) => withToken(secret, l)));
    return send(res, 200, { links: out.filter((l) => l !== null) });
  }
  if (req.method === 'POST' && revokeId === null) {
    const body = await readJson(req);
    const role = (body as { role?: unknown } | null)?.role;
    if (role !== 'edit' && role !== 'view') return send(res, 400, { error: 'role: edit or view' });
    const linkId = generateLinkId();
    await links.record(room, linkId, role);
    const created = await withToken(secret, { room, linkId, role, createdAt: Date.now() });
    return send(res, 201, { link: created });
  }
  if (req.method === 'POST' && revokeId !== null) {
    if (!isValidLinkId(revokeId)) return send(res, 400, { error: 'invalid link id' });
    const closed = await access.revoke(room, revokeId);
    deps.logger.info({ room, linkId: revokeId, closed }, 'link revoked');
    return send(res, 200, { revoked: revokeId, closedConnections: closed });
  }
  res.setHeader('allow', 'GET, POST, OPTIONS');
  send(res, 405, { error: 'method not allowed' });
}

async function withToken(
  secret: string,
  link: Pick<LinkRecord, 'room' | 'linkId' | 'role' | 'createdAt'>,
): Promise<{ linkId: string; role: Role; createdAt: number; token: string } | null> {
  if (link.role === null) return null;
  const token = await signToken(secret, { room: link.room, role: link.role, linkId: link.linkId });
  return { linkId: link.linkId, role: link.role, createdAt: link.createdAt, token };
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('error', () => resolve(null));
    req.on('close', () => resolve(null));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(null);
      }
    });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
