import { describe, expect, it } from 'vitest';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import { Follow } from './follow';

/** Our awareness, with remote clients `others` present in it as the relay would bring them. */
function room(others: number[]) {
  const awareness = new Awareness(new Y.Doc());
  for (const id of others) {
    const doc = new Y.Doc();
    doc.clientID = id;
    const theirs = new Awareness(doc);
    theirs.setLocalState({ user: { name: `user ${id}` } });
    applyAwarenessUpdate(awareness, encodeAwarenessUpdate(theirs, [id]), 'remote');
    theirs.destroy();
  }
  return { awareness, follow: new Follow(awareness) };
}

describe('Follow', () => {
  it('follows someone here, toggles off, and never follows yourself or someone absent', () => {
    const { awareness, follow } = room([7, 8]);
    const seen: (number | null)[] = [];
    follow.leader.subscribe(() => seen.push(follow.leader.get()));
    follow.start(awareness.clientID);
    follow.start(99);
    expect(follow.leader.get()).toBeNull();
    follow.toggle(7);
    follow.start(8);
    follow.toggle(8);
    expect(seen).toEqual([7, 8, null]);
    awareness.destroy();
  });

  it('stops when the person followed leaves, not when someone else does', () => {
    const { awareness, follow } = room([7, 8]);
    follow.start(7);
    removeAwarenessStates(awareness, [8], 'remote');
    expect(follow.leader.get()).toBe(7);
    removeAwarenessStates(awareness, [7], 'remote');
    expect(follow.leader.get()).toBeNull();
    awareness.destroy();
  });
});
