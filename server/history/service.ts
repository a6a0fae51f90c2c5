/**
 * Version history for the whole relay: one RoomHistory per loaded room, plus the reads the HTTP
 * API needs. The relay calls `attach` when a room loads and `detach` before it unloads.
 */
import type { Logger } from '../log';
import { type Clock, systemClock } from './auto-versioner';
import { decodeVersionText } from './codec';
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention';
import { type HistoryRoom, RoomHistory } from './room-history';
import { DEFAULT_SCHEDULE, type ScheduleOptions } from './schedule';
import type { VersionMeta, VersionStore } from './version-store';

/** Version texts kept decoded (the history panel reads the same few again and again). */
const TEXT_CACHE_SIZE = 16;

export interface VersionHistoryOptions {
  readonly store: VersionStore;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly schedule?: ScheduleOptions;
  readonly retention?: RetentionPolicy;
}

export class VersionHistory {
  private readonly rooms = new Map<HistoryRoom, RoomHistory>();
  /** Recently read version texts by `room\nid`, oldest first. */
  private readonly texts = new Map<string, string>();
  private readonly savedListeners = new Set<(room: HistoryRoom, meta: VersionMeta) => void>();

  constructor(private readonly options: VersionHistoryOptions) {}

  get store(): VersionStore {
    return this.options.store;
  }

  attach(room: HistoryRoom): void {
    if (this.rooms.has(room)) return;
    const { logger } = this.options;
    this.rooms.set(
      room,
      new RoomHistory(room, {
        store: this.options.store,
        clock: this.options.clock ?? systemClock,
        schedule: this.options.schedule ?? DEFAULT_SCHEDULE,
        retention: this.options.retention ?? DEFAULT_RETENTION,
        onError: (err, what) => logger.error({ room: room.id, err }, what),
        onSaved: (meta) => {
          for (const listener of this.savedListeners) listener(room, meta);
        },
      }),
    );
  }

  /** Tell `listener` of every version saved from now on; returns the unsubscribe function. */
  onVersionSaved(listener: (room: HistoryRoom, meta: VersionMeta) => void): () => void {
    this.savedListeners.add(listener);
    return () => this.savedListeners.delete(listener);
  }

  /** Before the room's doc is destroyed: saves a pending automatic version if one is due. */
  async detach(room: HistoryRoom): Promise<void> {
    const history = this.rooms.get(room);
    if (!history) return;
    this.rooms.delete(room);
    await history.dispose();
  }

  /** A broken room (its doc is gone): stop tracking it without saving. */
  discard(room: HistoryRoom): void {
    const history = this.rooms.get(room);
    this.rooms.delete(room);
    void history?.dispose(false);
  }

  /** Rooms with history attached (for tests and shutdown checks). */
  get attachedRooms(): number {
    return this.rooms.size;
  }

  list(roomId: string): Promise<VersionMeta[]> {
    return this.options.store.listVersions(roomId);
  }

  /** One version's metadata and text, or null if the room has no such version. */
  async read(roomId: string, id: string): Promise<{ meta: VersionMeta; text: string } | null> {
    const stored = await this.options.store.getVersion(roomId, id);
    if (!stored) return null;
    // Versions never change, and rebuilding a large doc takes a while (about 0.1-0.3 s for the
    // automerge-paper document): keep the last few texts. The store is still asked first, so a
    // thinned version is gone at once.
    const key = `${roomId}\n${id}`;
    let text = this.texts.get(key);
    if (text === undefined) {
      text = await decodeVersionText(stored.state);
      this.texts.set(key, text);
      if (this.texts.size > TEXT_CACHE_SIZE) {
        this.texts.delete(this.texts.keys().next().value as string);
      }
    }
    return { meta: stored.meta, text };
  }

  /** Delete every version of `roomId` (the document was deleted; it is unloaded by now). */
  async deleteRoom(roomId: string): Promise<number> {
    const ids = (await this.options.store.listVersions(roomId)).map((v) => v.id);
    for (const key of [...this.texts.keys()]) {
      if (key.startsWith(`${roomId}\n`)) this.texts.delete(key);
    }
    return ids.length === 0 ? 0 : this.options.store.deleteVersions(roomId, ids);
  }

  /** Close the store (after the relay closed, so every room is detached). Idempotent. */
  close(): Promise<void> {
    return this.options.store.close();
  }

  /** A named version of `room` as it is now (the room must be loaded and attached). */
  saveNamed(room: HistoryRoom, name: string, author: string | null): Promise<VersionMeta> {
    const history = this.rooms.get(room);
    if (!history) throw new Error(`room ${room.id} has no history attached`);
    return history.saveNamed(name, author);
  }
}
