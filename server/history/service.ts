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

export interface VersionHistoryOptions {
  readonly store: VersionStore;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly schedule?: ScheduleOptions;
  readonly retention?: RetentionPolicy;
}

export class VersionHistory {
  private readonly rooms = new Map<HistoryRoom, RoomHistory>();

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
      }),
    );
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
    return { meta: stored.meta, text: await decodeVersionText(stored.state) };
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
