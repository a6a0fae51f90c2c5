/**
 * The document HTTP API, v1, on the relay's port (the admin routes, list and delete, are in
 * documents-admin.ts; the versions routes in history/http.ts):
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
 *   GET   /api/v1/openapi.json             the OpenAPI 3.1 description of all of it
 *
 * Writes are live edits: made on a Y.Doc of the room's state (Room.applyRelayEdit), stored, and
 * sent to everyone connected, merging with what they type. PUT applies the smallest edit that
 * turns the text into the body (lib/text-diff.ts), so text that stays keeps its Yjs items and
 * the cursors anchored in it. Access (http/auth.ts) is the socket's: view tokens read, edit
 * tokens write, an admin token does all, and creating needs one on a relay with a secret.
 */
import type { IncomingMessage } from 'node:http';
import type * as Y from 'yjs';
import { DOC_META, DOC_TEXT, MetaKey } from '../../lib/doc-schema';
import { DEFAULT_LANGUAGE, isLanguageId } from '../../lib/languages';
import { generateRoomId } from '../../lib/room-id';
import { diffText } from '../../lib/text-diff';
import { generateLinkId, signToken } from '../../lib/token';
import { readContents } from '../doc-contents';
import type { Access } from '../guard/access';
import type { VersionHistory } from '../history/service';
import { readJsonObject, readText } from '../http/body';
import { HttpError } from '../http/http-error';
import type { Route, RouteRequest } from '../http/router';
import type { Room } from '../room';
import { withRoom } from '../rooms';
import type { ApiWriters } from './api-writers';
import { documentHtml } from './document-html';
import { OPENAPI_DOCUMENT } from './openapi';
import { applyPatches, patchesOf, textOf } from './text-edits';

const MAX_TITLE_LENGTH = 200;

export interface DocumentsApiDeps {
  readonly rooms: { acquire(id: string): Promise<Room>; release(room: Room): void };
  readonly access: Pick<Access, 'links'>;
  readonly secret: string | undefined;
  readonly writers: ApiWriters;
  /** Version history, for restoring a version (absent: 404). */
  readonly history: Pick<VersionHistory, 'read'> | undefined;
  readonly maxBodyBytes: number;
}

function validTitle(title: unknown): string | undefined {
  if (title === undefined) return undefined;
  if (typeof title !== 'string' || title.length > MAX_TITLE_LENGTH) {
    throw new HttpError(
      400,
      'bad-request',
      `title must be a string of at most ${MAX_TITLE_LENGTH}`,
    );
  }
  return title.trim();
}

export function documentRoutes(deps: DocumentsApiDeps): Route[] {
  const base = '/api/v1/documents';

  /** The room's document now, 404 when there is none. */
  const read = (id: string) =>
    withRoom(deps.rooms, id, (room) => {
      // A room never written and with nobody in it is no document.
      if (room.stateVector().length <= 1 && room.connections.size === 0) {
        throw new HttpError(404, 'not-found', 'no such document');
      }
      return { ...readContents([room.fullState()]), room };
    });

  /** Run `edit` as a live edit of the request's author in room `id`. */
  const write = (req: IncomingMessage, id: string, edit: (doc: Y.Doc) => void) =>
    withRoom(deps.rooms, id, async (room) => {
      const clientId = await deps.writers.clientFor(id, deps.writers.nameOf(req));
      await room.applyRelayEdit(clientId, edit);
    });

  /** PUT text, POST append and PATCH text: the text after the edit, its length answered. */
  const textWrite =
    (change: (req: IncomingMessage, body: string, text: Y.Text) => void) =>
    async ({ req, room, send }: RouteRequest) => {
      const body = await readText(req, deps.maxBodyBytes);
      let length = 0;
      await write(req, room, (doc) => {
        const text = doc.getText(DOC_TEXT);
        change(req, body, text);
        length = text.length;
      });
      send(200, { room, length });
    };

  return [
    {
      method: 'GET',
      path: '/api/v1/openapi.json',
      name: 'openapi',
      access: 'anyone',
      handle: ({ res }) => {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(OPENAPI_DOCUMENT));
      },
    },
    {
      method: 'POST',
      path: base,
      name: 'documents.create',
      access: 'admin',
      async handle({ req, send }) {
        const body = await readJsonObject(req, deps.maxBodyBytes);
        const { text, language } = body;
        const title = validTitle(body.title);
        if (text !== undefined && typeof text !== 'string') {
          throw new HttpError(400, 'bad-request', 'text must be a string');
        }
        if (language !== undefined && !isLanguageId(language)) {
          throw new HttpError(400, 'bad-request', 'unknown language');
        }
        const room = generateRoomId();
        await write(req, room, (doc) => {
          if (text) doc.getText(DOC_TEXT).insert(0, text);
          const meta = doc.getMap(DOC_META);
          if (title) meta.set(MetaKey.Title, title);
          meta.set(MetaKey.Language, language ?? DEFAULT_LANGUAGE);
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
        send(201, {
          room,
          editUrl: link(editToken),
          viewUrl: link(viewToken),
          editToken,
          viewToken,
        });
      },
    },
    {
      method: 'GET',
      path: `${base}/:room`,
      name: 'documents.get',
      access: 'read',
      async handle({ room, send }) {
        const { room: loaded, explicitTitle, language, text } = await read(room);
        send(200, {
          room,
          title: explicitTitle,
          language,
          length: text.length,
          updatedAt: loaded.lastEditAt === null ? null : new Date(loaded.lastEditAt).toISOString(),
          people: loaded.connections.size,
        });
      },
    },
    {
      method: 'GET',
      path: `${base}/:room/text`,
      name: 'documents.text',
      access: 'read',
      async handle({ room, sendText }) {
        sendText(200, (await read(room)).text, 'text/plain');
      },
    },
    {
      method: 'GET',
      path: `${base}/:room/html`,
      name: 'documents.html',
      access: 'read',
      async handle({ room, sendText }) {
        const { title, text } = await read(room);
        sendText(200, await documentHtml(title, text), 'text/html');
      },
    },
    {
      method: 'PUT',
      path: `${base}/:room/text`,
      name: 'documents.put',
      access: 'write',
      handle: textWrite((req, body, text) =>
        applyPatches(text, diffText(text.toString(), textOf(req, body))),
      ),
    },
    {
      method: 'POST',
      path: `${base}/:room/append`,
      name: 'documents.append',
      access: 'write',
      handle: textWrite((req, body, text) => text.insert(text.length, textOf(req, body))),
    },
    {
      method: 'PATCH',
      path: `${base}/:room/text`,
      name: 'documents.patch',
      access: 'write',
      handle: textWrite((_req, body, text) => applyPatches(text, patchesOf(body, text.length))),
    },
    {
      method: 'PUT',
      path: `${base}/:room/title`,
      name: 'documents.title',
      access: 'write',
      async handle({ req, room, send }) {
        const title = validTitle((await readJsonObject(req, deps.maxBodyBytes)).title);
        if (title === undefined) throw new HttpError(400, 'bad-request', 'title is required');
        await write(req, room, (doc) => doc.getMap(DOC_META).set(MetaKey.Title, title));
        send(200, { room, title });
      },
    },
    {
      method: 'POST',
      path: `${base}/:room/versions/:version/restore`,
      name: 'documents.restore',
      access: 'write',
      async handle({ req, room, params, send }) {
        const versionId = params.version as string;
        const version = await deps.history?.read(room, versionId);
        if (!version) throw new HttpError(404, 'not-found', 'no such version');
        // The smallest edit back to the version's text, so unchanged text keeps its cursors.
        await write(req, room, (doc) => {
          const text = doc.getText(DOC_TEXT);
          applyPatches(text, diffText(text.toString(), version.text));
        });
        send(200, { room, length: version.text.length, restored: versionId });
      },
    },
  ];
}
