import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOC_TEXT } from '../../../../lib/doc-schema';
import { type TaskSession, toggleTaskInText } from './task-edit';

function user(): TaskSession {
  const doc = new Y.Doc();
  const text = doc.getText(DOC_TEXT);
  return { doc, text, undoManager: new Y.UndoManager(text, { trackedOrigins: new Set() }) };
}

/** Deliver everything each document has that the other lacks, both ways. */
function exchange(a: TaskSession, b: TaskSession): void {
  const toB = Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc));
  const toA = Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc));
  Y.applyUpdate(b.doc, toB, 'remote');
  Y.applyUpdate(a.doc, toA, 'remote');
}

function syncUntilQuiet(a: TaskSession, b: TaskSession): void {
  // A repair is itself an update the other side must receive; a few rounds reach a fixed point.
  for (let round = 0; round < 4; round++) exchange(a, b);
}

describe('toggling a task checkbox', () => {
  const START = '# Plan\n- [ ] first\n- [ ] second\n';

  function twoUsers(): [TaskSession, TaskSession] {
    const alice = user();
    const bob = user();
    alice.text.insert(0, START);
    syncUntilQuiet(alice, bob);
    return [alice, bob];
  }

  it('two people ticking the same box at once end with one ticked box, not [xx]', () => {
    const [alice, bob] = twoUsers();
    expect(toggleTaskInText(alice, 1)).toBe(true);
    expect(toggleTaskInText(bob, 1)).toBe(true);
    syncUntilQuiet(alice, bob);
    expect(alice.text.toString()).toBe('# Plan\n- [x] first\n- [ ] second\n');
    expect(bob.text.toString()).toBe(alice.text.toString());
  });

  it('different boxes ticked at once both stay ticked', () => {
    const [alice, bob] = twoUsers();
    toggleTaskInText(alice, 1);
    toggleTaskInText(bob, 2);
    syncUntilQuiet(alice, bob);
    expect(alice.text.toString()).toBe('# Plan\n- [x] first\n- [x] second\n');
    expect(bob.text.toString()).toBe(alice.text.toString());
  });

  it('a [xx] typed by someone who toggled nothing is left alone', () => {
    const [alice, bob] = twoUsers();
    bob.text.insert(bob.text.length, '- [xx] typed by hand\n');
    syncUntilQuiet(alice, bob);
    expect(alice.text.toString()).toContain('- [xx] typed by hand');
  });

  it('a line that holds no task any more is not edited', () => {
    const [alice] = twoUsers();
    expect(toggleTaskInText(alice, 0)).toBe(false);
    expect(toggleTaskInText(alice, 9)).toBe(false);
    expect(alice.text.toString()).toBe(START);
  });
});
