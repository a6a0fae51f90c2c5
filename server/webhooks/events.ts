/**
 * What the relay tells webhooks: `WebhookEvents` turns an event into its JSON body and queues
 * one delivery per matching webhook (event subscribed, room matching), then wakes the
 * dispatcher. The dedupe key names the event itself, so instances reporting the same event
 * (each instance of a cluster sees every edit) queue it once. Never throws: a failure to queue
 * is logged, it must not fail the edit or request that caused it.
 *
 * Body: {event, room, title, version, authors: [{authorId, name}], at} plus, for
 * version.created, versionName and kind. `version` is the store's update sequence for
 * document.updated, the version id for version.created, null for document.deleted.
 */
import { randomUUID } from 'node:crypto';
import type { VersionMeta } from '../history/version-store';
import type { Logger } from '../log';
import type { WebhookEventName, WebhookStore } from './store';

export interface WebhookAuthor {
  /** The authorship id (authorship/); null when only a display name is known. */
  readonly authorId: string | null;
  readonly name: string | null;
}

export interface DocumentUpdate {
  readonly room: string;
  readonly title: string;
  /** The update sequence the room's log reached (DocStore lastSeq). */
  readonly version: number;
  /** Who wrote since the previous document.updated of this room (see room-watch.ts). */
  readonly authors: readonly WebhookAuthor[];
  /** Digest of the document's state (KnownState.fingerprint): the same on every instance. */
  readonly fingerprint: string;
}

export interface WebhookEvents {
  /**
   * Whether any webhook listens for `event` in `room`, so a caller can skip reading what the
   * body needs (the document's title means decoding it) when none does.
   */
  wants(event: WebhookEventName, room: string): Promise<boolean>;
  /** The document changed, then stayed quiet for the debounce period (room-watch.ts). */
  documentUpdated(update: DocumentUpdate): Promise<void>;
  /** Version history saved `meta` for `room` (`title`: the document's title then). */
  versionCreated(room: string, title: string, meta: VersionMeta): Promise<void>;
  /**
   * The document was deleted. Call once, on the instance that deleted it, after the deletion
   * is committed. `eventId` (optional) makes repeated calls for one deletion queue it once.
   */
  documentDeleted(room: string, details?: { title?: string; eventId?: string }): Promise<void>;
}

export function createWebhookEvents(deps: {
  readonly store: WebhookStore;
  readonly logger: Logger;
  /** Called after deliveries were queued (the dispatcher's kick). */
  readonly queued: () => void;
  /** Told of every event reported (metrics), before matching. */
  readonly onEvent?: (event: WebhookEventName) => void;
  readonly now?: () => number;
}): WebhookEvents {
  const now = deps.now ?? Date.now;

  /** The webhooks `event` in `room` goes to. */
  async function listeners(event: WebhookEventName, room: string) {
    return (await deps.store.listWebhooks()).filter(
      (w) => w.events.includes(event) && (w.room === null || w.room === room),
    );
  }

  async function emit(
    event: WebhookEventName,
    room: string,
    dedupeKey: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    deps.onEvent?.(event);
    try {
      const hooks = await listeners(event, room);
      if (hooks.length === 0) return;
      const createdAt = now();
      const body = JSON.stringify({
        event,
        room,
        ...payload,
        at: new Date(createdAt).toISOString(),
      });
      const inserted = await deps.store.enqueue(
        hooks.map((w) => ({ webhookId: w.id, dedupeKey, event, room, body, createdAt })),
      );
      if (inserted > 0) deps.queued();
    } catch (err) {
      deps.logger.error({ err, event, room }, 'webhook event not queued');
    }
  }

  return {
    async wants(event, room) {
      try {
        return (await listeners(event, room)).length > 0;
      } catch (err) {
        deps.logger.error({ err, event, room }, 'webhooks not read');
        return false;
      }
    },
    documentUpdated: (u) =>
      emit('document.updated', u.room, `document.updated:${u.room}:${u.fingerprint}`, {
        title: u.title,
        version: u.version,
        authors: u.authors,
      }),
    versionCreated: (room, title, meta) =>
      emit('version.created', room, `version.created:${room}:${meta.id}`, {
        title,
        version: meta.id,
        versionName: meta.name,
        kind: meta.kind,
        authors: meta.authors.map((name) => ({ authorId: null, name })),
      }),
    documentDeleted: (room, details = {}) =>
      emit(
        'document.deleted',
        room,
        `document.deleted:${room}:${details.eventId ?? randomUUID()}`,
        {
          title: details.title ?? '',
          version: null,
          authors: [],
        },
      ),
  };
}
