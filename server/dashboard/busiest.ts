/**
 * The busiest rooms over the last second: edits accepted (a per-second delta of each room's
 * counter), then people. One pass over the loaded rooms per second; a room costs a WeakMap
 * read and write, and only rooms entering the top `limit` allocate.
 */
import type { BusyRoom } from '../../lib/dashboard';

/** What is read of a room (server/room.ts Room). */
export interface RoomActivity {
  readonly id: string;
  readonly connections: { readonly size: number };
  /** Edits accepted since the room loaded. */
  readonly editCount: number;
}

export class BusiestRooms {
  /** Each room's editCount at the previous pass; forgotten with the room. */
  private readonly previous = new WeakMap<RoomActivity, number>();

  constructor(private readonly limit = 10) {}

  /** The top rooms since the previous call, busiest first; idle empty rooms are left out. */
  next(rooms: Iterable<RoomActivity>): BusyRoom[] {
    const top: BusyRoom[] = [];
    for (const room of rooms) {
      const count = room.editCount;
      // A room loaded since the last pass started from zero.
      const updates = count - (this.previous.get(room) ?? 0);
      this.previous.set(room, count);
      const people = room.connections.size;
      if (updates === 0 && people === 0) continue;
      if (top.length === this.limit && !busier(updates, people, top[top.length - 1] as BusyRoom))
        continue;
      let at = top.length;
      while (at > 0 && busier(updates, people, top[at - 1] as BusyRoom)) at--;
      top.splice(at, 0, { room: room.id, people, updates });
      if (top.length > this.limit) top.pop();
    }
    return top;
  }
}

function busier(updates: number, people: number, than: BusyRoom): boolean {
  return updates > than.updates || (updates === than.updates && people > than.people);
}
