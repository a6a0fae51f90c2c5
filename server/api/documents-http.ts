/**
 * The document HTTP API, v1 (issue 15, first part), on the relay's port:
 *
 *   POST  /api/v1/documents                {text?, title?, language?} → 201 {room, editUrl, viewUrl, editToken, viewToken}
 *   GET   /api/v1/documents/<room>         → {room, title, language, length, updatedAt, people}
 *   GET   /api/v1/documents/<room>/text    → the text (text/plain)
 *   GET   /api/v1/documents/<room>/html    → rendered and sanitized as the preview (document-html.ts)
 *   PUT   /api/v1/documents/<room>/text    text/plain or {text} → the text becomes exactly that
 *   POST  /api/v1/documents/<room>/append  text/plain or {text} → appended
 *   PATCH /api/v1/documents/<room>/text    {edits: [{from, to, insert}], baseLength?} → 409 on mismatch
 *   PUT   /api/v1/documents/<room>/title   {title}
 *   POST  /api/v1/documents/<room>/versions/<id>/restore → the version's text, as a live edit
 *   (…/versions routes themselves: history/http.ts)
 *
 * Writes are live edits: made on a Y.Doc of the room's state (Room.applyRelayEdit), stored, and
 * sent to everyone connected, merging with what they type. PUT applies the smallest edit that
 * turns the text into the body (lib/text-diff.ts), so text that stays keeps its Yjs items and
 * the cursors anchored in it. Auth (`Authorization: Bearer`): on a relay with a secret, a share
 * token of the room (view reads, edit writes) or an admin token (`npm run token -- --admin`:
 * every room, and creating documents); an open relay lets anyone do anything, as its socket does.
 * API writes are attributed to an author named "API" or the bounded `X-Coedit-Author` header.
 * Errors are `{error, code}` with their status.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { DOC_META, DOC_TEXT, MetaKey } from '../../lib/doc-schema';
import { deriveTitle, effectiveTitle } from '../../lib/doc-title';
import { DEFAULT_LANGUAGE, isLanguageId, languageOf } from '../../lib/languages';
import { normalizeName } from '../../lib/names';
import { generateRoomId, isValidRoomId } from '../../lib/room-id';
import { diffText } from '../../lib/text-diff';
import { generateLinkId, signToken } from '../../lib/token';
import type { Access } from '../access';
import type { VersionHistory } from '../history/service';
import { bearerToken, corsHeaders, decodePart } from '../http-json';
import type { Logger } from '../log';
import type { Room } from '../room';
import type { AuthorStore } from '../storage/authors';
import { documentHtml } from './document-html';
import { OPENAPI_DOCUMENT } from './openapi';

const PREFIX = '/api/v1/documents';
const OPENAPI_PATH = '/api/v1/openapi.json';

/** Every route served here; the OpenAPI document describes exactly these (openapi.test.ts). */
export const DOCUMENT_ROUTES = [
  ['post', '/api/v1/documents'],
  ['get', '/api/v1/documents/{room}'],
  ['get', '/api/v1/documents/{room}/text'],
  ['get', '/api/v1/documents/{room}/html'],
  ['put', '/api/v1/documents/{room}/text'],
  ['patch', '/api/v1/documents/{room}/text'],
  ['post', '/api/v1/documents/{room}/append'],
  ['put', '/api/v1/documents/{room}/title'],
  ['post', '/api/v1/documents/{room}/versions/{version}/restore'],
  // Served by history/http.ts, under this prefix as well as at /rooms/<room>/versions.
  ['get', '/api/v1/documents/{room}/versions'],
  ['post', '/api/v1/documents/{room}/versions'],
  ['get', '/api/v1/documents/{room}/versions/{version}'],
  ['get', OPENAPI_PATH],
] as const;
const MAX_TITLE_LENGTH = 200;
/** What no socket's key hash (64 hex digits) can equal: API client ids are the relay's alone. */
const API_KEY_HASH = 'relay-api';
const API_COLOR = '#6b7280';

export type ApiErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'too-large'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface DocumentsApiDeps {
  readonly rooms: { acquire(id: string): Promise<Room>; release(room: Room): void };
  readonly access: Pick<Access, 'admit' | 'isAdmin' | 'links' | 'secured'>;
  readonly secret: string | undefined;
  readonly authors: AuthorStore | undefined;
  /** Version history, for restoring a version (absent: 404). */
  readonly history: Pick<VersionHistory, 'read'> | undefined;
  readonly allowedOrigins: readonly string[];
  readonly maxBodyBytes: number;
  readonly logger: Logger;
}

interface Permission {
  readonly read: boolean;
  readonly write: boolean;
  readonly admin: boolean;
}

const EVERYTHING: Permission = { read: true, write: true, admin: true };

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new ApiError(413, 'too-large', `body larger than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function jsonObject(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body || '{}');
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {}
  throw new ApiError(400, 'bad-request', 'body must be a JSON object');
}

/** A text body: the raw body for text/plain, else `{text}`. */
function textOf(req: IncomingMessage, body: string): string {
  if ((req.headers['content-type'] ?? '').startsWith('text/plain')) return body;
  const { text } = jsonObject(body);
  if (typeof text !== 'string') throw new ApiError(400, 'bad-request', 'text must be a string');
  return text;
}

interface Patch {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
}

/** `[{from, to, insert}]` (or `{edits, baseLength?}`), in order, not overlapping, within `length`. */
function patchesOf(body: string, length: number): Patch[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ApiError(400, 'bad-request', 'body must be JSON');
  }
  const wrapped = typeof value === 'object' && value !== null && !Array.isArray(value);
  const edits = wrapped ? (value as { edits?: unknown }).edits : value;
  const baseLength = wrapped ? (value as { baseLength?: unknown }).baseLength : undefined;
  if (baseLength !== undefined && baseLength !== length) {
    throw new ApiError(409, 'conflict', `the text is ${length} long, not ${String(baseLength)}`);
  }
  if (!Array.isArray(edits)) throw new ApiError(400, 'bad-request', 'edits must be an array');
  let end = 0;
  return edits.map((edit: unknown) => {
    const { from, to, insert } = (edit ?? {}) as Record<string, unknown>;
    if (
      !Number.isSafeInteger(from) ||
      !Number.isSafeInteger(to) ||
      (from as number) < end ||
      (to as number) < (from as number) ||
      (to as number) > length ||
      (insert !== undefined && typeof insert !== 'string')
    ) {
      throw new ApiError(
        400,
        'bad-request',
        'each edit needs from <= to within the text, in order',
      );
    }
    end = to as number;
    return { from: from as number, to: to as number, insert: (insert as string | undefined) ?? '' };
  });
}

/** Apply `patches` (offsets of the text before any of them) back to front. */
function applyPatches(text: Y.Text, patches: readonly Patch[]): void {
  for (let i = patches.length - 1; i >= 0; i--) {
    const { from, to, insert } = patches[i] as Patch;
    if (to > from) text.delete(from, to - from);
    if (insert) text.insert(from, insert);
  }
}

function decodeOr400(part: string): string {
  try {
    return decodePart(part);
  } catch {
    throw new ApiError(400, 'bad-request', 'malformed path');
  }
}

export function documentsHttpHandler(
  deps: DocumentsApiDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  /** One client id per API author name in this process; bound per room before its first edit. */
  const apiClients = new Map<string, number>();
  const boundIn = new Set<string>();

  async function permission(req: IncomingMessage, room: string | null): Promise<Permission> {
    if (!deps.access.secured) return EVERYTHING;
    const token = bearerToken(req);
    if (!token) throw new ApiError(401, 'unauthorized', 'a Bearer token is required');
    if (await deps.access.isAdmin(token)) return EVERYTHING;
    if (room === null) throw new ApiError(403, 'forbidden', 'an admin token is required');
    const admission = await deps.access.admit(room, token);
    if (!admission.ok)
      throw new ApiError(401, 'unauthorized', `token refused (${admission.reason})`);
    return { read: true, write: admission.grant.role === 'edit', admin: false };
  }

  function authorName(req: IncomingMessage): string {
    const header = req.headers['x-coedit-author'];
    const name = typeof header === 'string' ? normalizeName(header) : '';
    return name || 'API';
  }

  /** The client id `name` writes with in `room`, bound to its API author first. */
  async function apiClient(room: string, name: string): Promise<number> {
    let clientId = apiClients.get(name);
    if (clientId === undefined) {
      clientId = 1 + Math.floor(Math.random() * 0xfffffffe);
      apiClients.set(name, clientId);
    }
    if (deps.authors && !boundIn.has(`${room}\0${clientId}`)) {
      const authorId = `api-${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
      const [inForce] = await deps.authors.bind(
        room,
        [{ clientId, authorId, keyHash: API_KEY_HASH }],
        { authorId, name, color: API_COLOR, linkId: null },
      );
      if (inForce?.keyHash !== API_KEY_HASH) {
        // Someone else's id by chance (one in four billion): take another next time.
        apiClients.delete(name);
        throw new ApiError(500, 'internal', 'client id taken, retry');
      }
      boundIn.add(`${room}\0${clientId}`);
    }
    return clientId;
  }

  async function withRoom<T>(id: string, use: (room: Room) => Promise<T>): Promise<T> {
    const room = await deps.rooms.acquire(id);
    try {
      return await use(room);
    } finally {
      deps.rooms.release(room);
    }
  }

  /** The room's doc as it is now (a copy), for reading. */
  function snapshot(room: Room): Y.Doc {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, room.fullState());
    return doc;
  }

  async function serve(req: IncomingMessage, res: ServerResponse, path: string[]) {
    const send = (status: number, body: unknown, type = 'application/json') =>
      res
        .writeHead(status, {
          ...corsHeaders(req, deps.allowedOrigins),
          'content-type': type === 'application/json' ? type : `${type}; charset=utf-8`,
          'cache-control': 'no-store',
        })
        .end(type === 'application/json' ? JSON.stringify(body) : String(body));
    const method = req.method ?? 'GET';
    const [roomPart, action, ...rest] = path;
    const restoring = action === 'versions' && rest.length === 2 && rest[1] === 'restore';
    if (rest.length > 0 && !restoring) throw new ApiError(404, 'not-found', 'no such route');

    if (roomPart === undefined) {
      if (method !== 'POST') throw new ApiError(405, 'method-not-allowed', 'use POST');
      await permission(req, null);
      await create(req, send);
      return;
    }
    const room = decodeOr400(roomPart);
    if (!isValidRoomId(room)) throw new ApiError(400, 'bad-request', 'invalid room id');
    const can = await permission(req, room);
    const needWrite = () => {
      if (!can.write) throw new ApiError(403, 'forbidden', 'a view token cannot write');
    };
    if (restoring) {
      if (method !== 'POST') throw new ApiError(405, 'method-not-allowed', 'use POST');
      needWrite();
      send(200, await restore(req, room, decodeOr400(rest[0] ?? '')));
      return;
    }
    const route = `${method} ${action ?? ''}`;
    switch (route) {
      case 'GET ':
      case 'GET html':
      case 'GET text': {
        const body = await withRoom(room, async (r) => {
          const doc = snapshot(r);
          try {
            const text = doc.getText(DOC_TEXT).toString();
            const meta = doc.getMap(DOC_META);
            if (r.stateVector().length <= 1 && r.connections.size === 0) {
              throw new ApiError(404, 'not-found', 'no such document');
            }
            if (action === 'text') return text;
            const title = meta.get(MetaKey.Title);
            if (action === 'html') {
              const explicit = typeof title === 'string' ? title : '';
              return {
                html: await documentHtml(effectiveTitle(explicit, deriveTitle(text)), text),
              };
            }
            return {
              room,
              title: typeof title === 'string' ? title : '',
              language: languageOf(meta.get(MetaKey.Language)).id,
              length: text.length,
              updatedAt: r.lastEditAt === null ? null : new Date(r.lastEditAt).toISOString(),
              people: r.connections.size,
            };
          } finally {
            doc.destroy();
          }
        });
        if (typeof body === 'string') send(200, body, 'text/plain');
        else if ('html' in body) send(200, body.html, 'text/html');
        else send(200, body);
        return;
      }
      case 'PUT text':
      case 'POST append':
      case 'PATCH text': {
        needWrite();
        const body = await readBody(req, deps.maxBodyBytes);
        const length = await withRoom(room, async (r) => {
          const clientId = await apiClient(room, authorName(req));
          let after = 0;
          await r.applyRelayEdit(clientId, (doc) => {
            const text = doc.getText(DOC_TEXT);
            if (route === 'PUT text') {
              applyPatches(text, diffText(text.toString(), textOf(req, body)));
            } else if (route === 'POST append') {
              text.insert(text.length, textOf(req, body));
            } else {
              applyPatches(text, patchesOf(body, text.length));
            }
            after = text.length;
          });
          return after;
        });
        send(200, { room, length });
        return;
      }
      case 'PUT title': {
        needWrite();
        const { title } = jsonObject(await readBody(req, deps.maxBodyBytes));
        if (typeof title !== 'string' || title.length > MAX_TITLE_LENGTH) {
          throw new ApiError(
            400,
            'bad-request',
            `title must be a string of at most ${MAX_TITLE_LENGTH}`,
          );
        }
        await withRoom(room, async (r) => {
          const clientId = await apiClient(room, authorName(req));
          await r.applyRelayEdit(clientId, (doc) =>
            doc.getMap(DOC_META).set(MetaKey.Title, title.trim()),
          );
        });
        send(200, { room, title: title.trim() });
        return;
      }
      default:
        throw new ApiError(
          ['text', 'html', 'append', 'title', ''].includes(action ?? '') ? 405 : 404,
          ['text', 'html', 'append', 'title', ''].includes(action ?? '')
            ? 'method-not-allowed'
            : 'not-found',
          `no route ${method} ${PREFIX}/<room>${action ? `/${action}` : ''}`,
        );
    }
  }

  /** Restore a version of `room` as a live edit: the smallest edit back to its text. */
  async function restore(req: IncomingMessage, room: string, versionId: string) {
    const version = await deps.history?.read(room, versionId);
    if (!version) throw new ApiError(404, 'not-found', 'no such version');
    const length = await withRoom(room, async (r) => {
      const clientId = await apiClient(room, authorName(req));
      await r.applyRelayEdit(clientId, (doc) => {
        const text = doc.getText(DOC_TEXT);
        applyPatches(text, diffText(text.toString(), version.text));
      });
      return version.text.length;
    });
    return { room, length, restored: versionId };
  }

  async function create(
    req: IncomingMessage,
    send: (status: number, body: unknown) => void,
  ): Promise<void> {
    const { text, title, language } = jsonObject(await readBody(req, deps.maxBodyBytes));
    if (text !== undefined && typeof text !== 'string') {
      throw new ApiError(400, 'bad-request', 'text must be a string');
    }
    if (title !== undefined && (typeof title !== 'string' || title.length > MAX_TITLE_LENGTH)) {
      throw new ApiError(
        400,
        'bad-request',
        `title must be a string of at most ${MAX_TITLE_LENGTH}`,
      );
    }
    if (language !== undefined && !isLanguageId(language)) {
      throw new ApiError(400, 'bad-request', 'unknown language');
    }
    const room = generateRoomId();
    await withRoom(room, async (r) => {
      const clientId = await apiClient(room, authorName(req));
      await r.applyRelayEdit(clientId, (doc) => {
        if (text) doc.getText(DOC_TEXT).insert(0, text);
        const meta = doc.getMap(DOC_META);
        if (title) meta.set(MetaKey.Title, title.trim());
        meta.set(MetaKey.Language, language ?? DEFAULT_LANGUAGE);
      });
    });
    let editToken: string | null = null;
    let viewToken: string | null = null;
    if (deps.secret !== undefined && deps.access.links) {
      const editLink = generateLinkId();
      const viewLink = generateLinkId();
      await deps.access.links.record(room, editLink, 'edit');
      await deps.access.links.record(room, viewLink, 'view');
      editToken = await signToken(deps.secret, { room, role: 'edit', linkId: editLink });
      viewToken = await signToken(deps.secret, { room, role: 'view', linkId: viewLink });
    }
    const link = (token: string | null) => `/d/${room}${token ? `?t=${token}` : ''}`;
    send(201, { room, editUrl: link(editToken), viewUrl: link(viewToken), editToken, viewToken });
  }

  return async (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (path === OPENAPI_PATH && req.method === 'GET') {
      res
        .writeHead(200, {
          ...corsHeaders(req, deps.allowedOrigins),
          'content-type': 'application/json',
        })
        .end(JSON.stringify(OPENAPI_DOCUMENT));
      return true;
    }
    if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return false;
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, corsHeaders(req, deps.allowedOrigins)).end();
        return true;
      }
      await serve(req, res, path.slice(PREFIX.length).split('/').filter(Boolean));
    } catch (err) {
      const error = err instanceof ApiError ? err : new ApiError(500, 'internal', 'internal error');
      if (!(err instanceof ApiError)) deps.logger.error({ err }, 'document API request failed');
      if (!res.headersSent) {
        res
          .writeHead(error.status, {
            ...corsHeaders(req, deps.allowedOrigins),
            'content-type': 'application/json',
          })
          .end(JSON.stringify({ error: error.message, code: error.code }));
      }
    }
    return true;
  };
}
