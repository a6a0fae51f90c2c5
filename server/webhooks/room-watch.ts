/**
 * Where document.updated comes from: room lifecycle hooks (history/relay-hooks.ts) that listen
 * to each loaded room's edits (sockets, the HTTP API, other instances alike) and report the
 * document once it stayed quiet for the debounce period, or when the room unloads with edits
 * pending. Every instance holding the room reports; the body's dedupe key is the document's
 * state digest, equal on every instance, so a cluster queues one delivery.
 *
 * Authors: the Yjs client ids whose clock advanced since the previous report from this
 * instance (or since the room loaded), mapped to authors through the AuthorStore; a client
 * without a binding is `c-<clientId>` with no name. Deletions alone advance no clock, so a
 * report of only deletions names nobody.
 */
import * as Y from 'yjs';
import { readContents } from '../doc-contents';
import type { RoomLifecycleHooks } from '../history/relay-hooks';
import type { Logger } from '../log';
import type { Room } from '../room';
import type { AuthorStore } from '../storage/authors';
import { Debouncer, type FireReason } from './debouncer';
import type { DocumentUpdate, WebhookAuthor, WebhookEvents } from './events';

interface Watched {
  readonly stop: () => void;
  /** The state vector at the previous report. */
  baseline: Map<number, number>;
}

export interface RoomWatch extends RoomLifecycleHooks {
  /** Stop every timer without reporting (after the rooms were closed). */
  close(): void;
}

export function watchRooms(deps: {
  readonly events: WebhookEvents;
  readonly debounceMs: number;
  /** Edits that never pause are reported this often (1–2× it); 0 = only after a pause. */
  readonly maxWaitMs: number;
  readonly authors?: AuthorStore;
  readonly logger: Logger;
}): RoomWatch {
  const watched = new Map<Room, Watched>();
  const reports = new Set<Promise<void>>();
  const debouncer = new Debouncer<Room>(
    deps.debounceMs,
    (room, reason) => {
      const report = reportUpdate(room, reason).finally(() => reports.delete(report));
      reports.add(report);
    },
    Date.now,
    deps.maxWaitMs,
  );

  /**
   * Report `room` if a webhook listens: what the body needs is read then (synchronously, while
   * the room is loaded), then authors are resolved and the delivery queued.
   */
  async function reportUpdate(room: Room, reason: FireReason): Promise<void> {
    if (!(await deps.events.wants('document.updated', room.id))) return;
    const entry = watched.get(room);
    if (!entry || room.broken) return;
    let update: Omit<DocumentUpdate, 'authors'>;
    let advanced: [number, number][];
    try {
      const vector = Y.decodeStateVector(room.stateVector());
      advanced = [...vector].filter(([client, clock]) => clock > (entry.baseline.get(client) ?? 0));
      entry.baseline = vector;
      update = {
        room: room.id,
        title: readContents([room.fullState()]).title,
        version: room.lastSeq,
        // After a pause every instance holds the same state; while busy they agree on the slot.
        fingerprint:
          reason.kind === 'quiet' ? room.state.known.fingerprint() : `busy-${reason.slot}`,
      };
    } catch (err) {
      deps.logger.error({ err, room: room.id }, 'document.updated not reported');
      return;
    }
    const authors = await authorsOf(
      room.id,
      advanced.map(([client]) => client),
    );
    await deps.events.documentUpdated({ ...update, authors });
  }

  async function authorsOf(room: string, clients: number[]): Promise<WebhookAuthor[]> {
    if (clients.length === 0) return [];
    let bound = new Map<number, string>();
    let names = new Map<string, string | null>();
    if (deps.authors) {
      try {
        const known = await deps.authors.load(room);
        bound = new Map(known.bindings.map((b) => [b.clientId, b.authorId]));
        names = new Map(known.authors.map((a) => [a.authorId, a.name]));
      } catch (err) {
        deps.logger.warn({ err, room }, 'webhook authors not loaded');
      }
    }
    const ids = new Set(clients.map((client) => bound.get(client) ?? `c-${client}`));
    return [...ids].map((authorId) => ({ authorId, name: names.get(authorId) ?? null }));
  }

  return {
    loaded(room) {
      if (watched.has(room)) return;
      const stop = room.onEdit(() => debouncer.touch(room));
      watched.set(room, { stop, baseline: Y.decodeStateVector(room.stateVector()) });
    },
    async unloading(room) {
      // Unloading is as good as quiet: report pending edits while the doc is still readable.
      debouncer.flush(room);
      await Promise.allSettled([...reports]);
      watched.get(room)?.stop();
      watched.delete(room);
    },
    broken(room) {
      debouncer.cancel(room);
      watched.get(room)?.stop();
      watched.delete(room);
    },
    close() {
      debouncer.clear();
      for (const entry of watched.values()) entry.stop();
      watched.clear();
    },
  };
}
