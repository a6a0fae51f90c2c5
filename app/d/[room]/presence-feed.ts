import type { Awareness } from 'y-protocols/awareness';
import { shownUser } from '../../../lib/presence';
import { Store } from './store';

/** One person in the room, as the presence list shows them. */
export interface Person {
  readonly clientId: number;
  readonly name: string;
  readonly color: string;
  readonly self: boolean;
}

/** The list before the session exists (server render, first paint). */
export const NOBODY: readonly Person[] = [];

/** The `user` field every coedit client puts in its awareness state (y-codemirror.next reads it). */
export interface AwarenessUser {
  name: string;
  color: string;
  colorLight: string;
}

/** Awareness changes on every cursor move; the list only needs names, at most this often. */
const THROTTLE_MS = 150;

function samePeople(a: readonly Person[], b: readonly Person[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return q && p.clientId === q.clientId && p.name === q.name && p.color === q.color;
    })
  );
}

/** A throttled, de-duplicated list of the people in a room (yourself first). */
export class PresenceFeed {
  readonly people = new Store<readonly Person[]>([], samePeople);
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly awareness: Awareness) {
    awareness.on('change', this.onChange);
    this.refresh();
  }

  dispose(): void {
    this.awareness.off('change', this.onChange);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly onChange = (): void => {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh();
    }, THROTTLE_MS);
  };

  private refresh(): void {
    const selfId = this.awareness.clientID;
    const people: Person[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      // Someone else's state is hostile input: checked names and colours only (lib/presence.ts).
      const user = shownUser(state.user);
      if (user.name)
        people.push({ clientId, name: user.name, color: user.color, self: clientId === selfId });
    }
    people.sort((a, b) => Number(b.self) - Number(a.self) || a.clientId - b.clientId);
    this.people.set(people);
  }
}
