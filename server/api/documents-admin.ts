import { CloseCode } from '../../lib/close-codes';
import { readContents } from '../doc-contents';
import type { VersionHistory } from '../history/service';
import { HttpError } from '../http/http-error';
import type { Route } from '../http/router';
import type { Logger } from '../log';
import type { Rooms } from '../rooms';
import type { AuthorStore } from '../storage/authors';
import type { ImageStore } from '../storage/images';
import type { DocStore } from '../storage/store';
import type { WebhookEvents } from '../webhooks/events';
import type { ApiWriters } from './api-writers';

/** Documents per page of the list, by default and at most. */
const LIST_PAGE = 50;
const MAX_LIST_PAGE = 500;

export interface DocumentsAdminDeps {
  readonly rooms: Pick<Rooms, 'remove' | 'loadedRoom'>;
  readonly store: Pick<DocStore, 'load' | 'delete' | 'list'>;
  readonly writers: ApiWriters;
  readonly history: Pick<VersionHistory, 'deleteRoom'> | undefined;
  readonly images: Pick<ImageStore, 'deleteRoom'> | undefined;
  readonly authors: Pick<AuthorStore, 'deleteRoom'> | undefined;
  /** Told once a document is deleted (document.deleted). */
  readonly webhooks?: Pick<WebhookEvents, 'documentDeleted'>;
  readonly logger: Logger;
}

export interface DocumentSummary {
  readonly room: string;
  readonly title: string;
  readonly length: number;
  readonly bytes: number;
  readonly people: number;
}

/** What a document is, from its loaded room, else from storage (not loading the room). */
export async function summaryOf(
  deps: Pick<DocumentsAdminDeps, 'rooms' | 'store'>,
  room: string,
): Promise<DocumentSummary> {
  const loaded = deps.rooms.loadedRoom(room);
  const stored = loaded ? null : await deps.store.load(room);
  const { title, text } = readContents(loaded ? [loaded.fullState()] : (stored?.updates ?? []));
  return {
    room,
    title,
    length: text.length,
    bytes: loaded ? loaded.stateBytes : (stored?.bytes ?? 0),
    people: loaded?.connections.size ?? 0,
  };
}

export function documentAdminRoutes(deps: DocumentsAdminDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/documents',
      name: 'documents.list',
      access: 'admin',
      async handle({ url, send }) {
        const after = url.searchParams.get('after') ?? '';
        const limitParam = url.searchParams.get('limit');
        const limit = limitParam === null ? LIST_PAGE : Number(limitParam);
        if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_PAGE) {
          throw new HttpError(400, 'bad-request', `limit must be 1 to ${MAX_LIST_PAGE}`);
        }
        const page = await deps.store.list(after, limit);
        const documents = [];
        for (const { room, updatedAt } of page) {
          const at = deps.rooms.loadedRoom(room)?.lastEditAt ?? updatedAt;
          documents.push({
            ...(await summaryOf(deps, room)),
            updatedAt: at === null ? null : new Date(at).toISOString(),
          });
        }
        const last = page.at(-1);
        send(200, { documents, next: page.length === limit && last ? last.room : null });
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/documents/:room',
      name: 'documents.delete',
      access: 'admin',
      async handle({ room, send }) {
        let title = '';
        let existed = false;
        await deps.rooms.remove(room, CloseCode.DocumentDeleted, async () => {
          const stored = await deps.store.load(room);
          if (stored.deleted) throw new HttpError(410, 'gone', 'the document was already deleted');
          existed = stored.lastSeq > 0;
          // Nothing to delete: no tombstone either, the id stays free.
          if (!existed) return;
          title = (await summaryOf(deps, room)).title;
          await deps.store.delete(room);
          await Promise.all([
            deps.history?.deleteRoom(room),
            deps.images?.deleteRoom(room),
            deps.authors?.deleteRoom(room),
          ]);
          deps.writers.forgetRoom(room);
        });
        if (!existed) throw new HttpError(404, 'not-found', 'no such document');
        deps.logger.info({ room }, 'document deleted through the API');
        // On this instance only: the others' deletion sweeps do not report it again.
        await deps.webhooks?.documentDeleted(room, { title });
        send(200, { room, deleted: true });
      },
    },
  ];
}
