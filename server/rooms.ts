/**
 * The room registry: finds, loads and unloads rooms. Concurrent connects to a cold room share
 * one load (in-flight promise map); a room is unloaded after its last connection leaves plus a
 * grace period, flushing first; a client arriving during an unload waits for it, then loads the
 * room fresh from storage, so no update is lost in between.
 */
import type { RoomLifecycleHooks } from './history/relay-hooks';
import type { Logger } from './log';
import { Room, type RoomDeps } from './room';

export type RoomFactory = Omit<RoomDeps, 'onEmpty' | 'onBroken'>;

/** Hold room `id` loaded (loading it if need be) while `use` runs, then let it unload again. */
export async function withRoom<R, T>(
  rooms: { acquire(id: string): Promise<R>; release(room: R): void },
  id: string,
  use: (room: R) => Promise<T> | T,
): Promise<T> {
  const room = await rooms.acquire(id);
  try {
    return await use(room);
  } finally {
    rooms.release(room);
  }
}

export class Rooms {
  private readonly loaded = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly unloadTimers = new Map<Room, NodeJS.Timeout>();
  /** Rooms being deleted: joins wait for it, then find the room deleted. */
  private readonly deleting = new Map<string, Promise<void>>();
  private readonly deps: RoomDeps;

  constructor(
    deps: RoomFactory,
    private readonly unloadGraceMs: number,
    private readonly logger: Logger,
    /** Told when a room loads, unloads or breaks (version history). */
    private readonly hooks?: RoomLifecycleHooks,
  ) {
    this.deps = {
      ...deps,
      onEmpty: (room) => this.scheduleUnload(room),
      onBroken: (room) => this.forget(room),
    };
  }

  get size(): number {
    return this.loaded.size;
  }

  /** The loaded rooms (the dashboard's busiest rooms); do not load or unload while iterating. */
  values(): IterableIterator<Room> {
    return this.loaded.values();
  }

  /** Whether room `id` is loaded now (joining it would not load another room). */
  has(id: string): boolean {
    return this.loaded.has(id);
  }

  /**
   * The loaded room `id`, loading it if needed, held for one joining socket: call `room.join`
   * or `release` afterwards, or the room never unloads.
   */
  async acquire(id: string): Promise<Room> {
    for (;;) {
      const deleting = this.deleting.get(id);
      if (deleting) {
        await deleting.catch(() => {});
        continue;
      }
      const unloading = this.unloading.get(id);
      if (unloading) {
        await unloading;
        continue;
      }
      const room = this.loaded.get(id);
      if (room) {
        room.pendingJoins++;
        this.cancelUnload(room);
        return room;
      }
      let load = this.loading.get(id);
      if (!load) {
        load = this.load(id);
        this.loading.set(id, load);
      }
      await load;
    }
  }

  /** Give back a hold from `acquire` whose socket never joined. */
  release(room: Room): void {
    room.pendingJoins--;
    if (room.connections.size === 0) this.scheduleUnload(room);
  }

  /** Room `id` if it is loaded now (no hold is taken). */
  loadedRoom(id: string): Room | undefined {
    return this.loaded.get(id);
  }

  /** Ids of the loaded rooms. */
  ids(): string[] {
    return [...this.loaded.keys()];
  }

  /**
   * Delete room `id`: close its connections with `code`, unload it, then `deleteStored`.
   * Joins arriving meanwhile wait and then load it from storage, which says it is deleted.
   */
  async remove(id: string, code: number, deleteStored: () => Promise<void>): Promise<void> {
    for (;;) {
      const pending = this.deleting.get(id);
      if (!pending) break;
      await pending.catch(() => {});
    }
    const done = (async () => {
      await this.loading.get(id)?.catch(() => {});
      await this.unloading.get(id);
      const room = this.loaded.get(id);
      if (room) {
        for (const conn of [...room.connections]) conn.close(code);
        await this.unload(room);
      }
      await deleteStored();
    })();
    this.deleting.set(id, done);
    try {
      await done;
    } finally {
      this.deleting.delete(id);
    }
  }

  /** Flush and unload every room (shutdown). */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.loading.values()]);
    for (const timer of this.unloadTimers.values()) clearTimeout(timer);
    this.unloadTimers.clear();
    const unloads = [...this.loaded.values()].map((room) => this.unload(room));
    await Promise.allSettled([...unloads, ...this.unloading.values()]);
  }

  private async load(id: string): Promise<Room> {
    try {
      const started = performance.now();
      const room = await Room.load(id, this.deps);
      this.loaded.set(id, room);
      this.hooks?.loaded(room);
      this.logger.debug({ room: id, ms: Math.round(performance.now() - started) }, 'room loaded');
      return room;
    } finally {
      this.loading.delete(id);
    }
  }

  private scheduleUnload(room: Room): void {
    if (this.loaded.get(room.id) !== room || this.unloadTimers.has(room)) return;
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room);
      if (room.connections.size === 0 && room.pendingJoins === 0) void this.unload(room);
    }, this.unloadGraceMs);
    timer.unref();
    this.unloadTimers.set(room, timer);
  }

  private cancelUnload(room: Room): void {
    const timer = this.unloadTimers.get(room);
    if (timer) {
      clearTimeout(timer);
      this.unloadTimers.delete(room);
    }
  }

  private unload(room: Room): Promise<void> {
    this.cancelUnload(room);
    this.loaded.delete(room.id);
    const done = room
      .flush()
      .catch((err) => this.logger.error({ room: room.id, err }, 'flush on unload failed'))
      .then(() => this.hooks?.unloading(room))
      .catch((err) => this.logger.error({ room: room.id, err }, 'unload hook failed'))
      .then(() => {
        room.destroy();
        this.unloading.delete(room.id);
        this.logger.debug({ room: room.id }, 'room unloaded');
      });
    this.unloading.set(room.id, done);
    return done;
  }

  /** Drop a broken room at once, without flushing; the next client loads it fresh. */
  private forget(room: Room): void {
    this.cancelUnload(room);
    this.hooks?.broken(room);
    if (this.loaded.get(room.id) === room) this.loaded.delete(room.id);
  }
}
