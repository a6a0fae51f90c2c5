/**
 * RoomAudience: per subscribed room, whether a broadcast could reach another instance.
 *
 * With a room-affine load balancer most rooms live on one instance, and publishing their every
 * update and cursor move would buy nothing. The bus tells us when that is so: a broadcast's
 * reply counts the subscribers it reached (`reached`), and one that reached no other instance
 * marks the room "alone". Any frame from another instance for the room clears that
 * (`heardFrom`). An instance that loads the room later is noticed when it announces itself,
 * which it always does with a broadcast sync step 1 (RoomLink.resync, also after every
 * reconnect); that announcement is never withheld, and the answer to it carries everything
 * the newcomer lacks.
 *
 * Inference is only trusted while this instance's own subscription to the room is known to be
 * in place (`confirm`), since a count taken without it would be off by one, and only if nothing
 * was heard from another instance between the broadcast and its reply (`ticket`): a reply
 * counted before a newcomer subscribed must not silence the room after its announcement.
 */

interface RoomState {
  alone: boolean;
  /** This instance's own subscription is known to be in place. */
  confirmed: boolean;
  /** Bumped by anything that invalidates a reply still in flight. */
  epoch: number;
}

export class RoomAudience {
  private readonly rooms = new Map<string, RoomState>();

  /** Start tracking `room` (this instance subscribes to it): not alone, not confirmed. */
  watch(room: string): void {
    if (!this.rooms.has(room)) this.rooms.set(room, { alone: false, confirmed: false, epoch: 0 });
  }

  unwatch(room: string): void {
    this.rooms.delete(room);
  }

  /** This instance's subscription to `room` is in place. */
  confirm(room: string): void {
    const state = this.rooms.get(room);
    if (state) state.confirmed = true;
  }

  /** This instance's subscriptions were lost (the bus connection dropped). */
  lost(): void {
    for (const state of this.rooms.values()) {
      state.confirmed = false;
      state.alone = false;
      state.epoch++;
    }
  }

  /** A frame from another instance for `room` arrived. */
  heardFrom(room: string): void {
    const state = this.rooms.get(room);
    if (!state) return;
    state.alone = false;
    state.epoch++;
  }

  /** Taken when a broadcast to `room` is sent; undefined if its reply cannot be trusted. */
  ticket(room: string): number | undefined {
    const state = this.rooms.get(room);
    return state?.confirmed ? state.epoch : undefined;
  }

  /** The broadcast sent with `ticket` reached `others` other instances. */
  reached(room: string, ticket: number, others: number): void {
    const state = this.rooms.get(room);
    if (!state) return;
    if (others > 0) state.alone = false;
    else if (state.confirmed && state.epoch === ticket) state.alone = true;
  }

  /** False only when the room is known to be held by this instance alone. */
  reachesOthers(room: string): boolean {
    return this.rooms.get(room)?.alone !== true;
  }
}
