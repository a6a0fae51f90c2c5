import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  deleteMessage,
  editMessage,
  readThreads,
  reply,
  setResolved,
  startThread,
  threadsOf,
} from './comments';

function pair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.clientID = 1;
  b.clientID = 2;
  a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') Y.applyUpdate(a, u, 'remote');
  });
  return [a, b];
}

const first = (text: string) => ({ threadId: 't1', messageId: 'm1', text, at: 10 });

describe('comment threads', () => {
  it('anchors a thread that follows edits before, inside and right after its range', () => {
    const [a, b] = pair();
    const text = a.getText('t');
    text.insert(0, 'one two three');
    startThread(text, { from: 4, to: 7 }, first('about two'));
    b.getText('t').insert(0, '>> ');
    b.getText('t').insert(8, 'X');
    // Typing right after the range does not join it.
    b.getText('t').insert(11, '!');
    const [thread] = readThreads(a.getText('t'));
    expect(a.getText('t').toString()).toBe('>> one tXwo! three');
    expect(thread).toMatchObject({ from: 7, to: 11, quote: 'two', onDeletedText: false });
    expect(a.getText('t').toString().slice(thread?.from, thread?.to)).toBe('tXwo');
    expect(readThreads(b.getText('t'))).toEqual(readThreads(a.getText('t')));
  });

  it('keeps a thread whose text was deleted, marked so', () => {
    const [a, b] = pair();
    a.getText('t').insert(0, 'keep gone keep');
    startThread(a.getText('t'), { from: 5, to: 9 }, first('x'));
    b.getText('t').delete(5, 5);
    expect(readThreads(a.getText('t'))[0]).toMatchObject({
      from: 5,
      to: 5,
      onDeletedText: true,
      quote: 'gone',
    });
  });

  it('replies, edits, deletes and resolves, each attributed to its writer', () => {
    const [a, b] = pair();
    a.getText('t').insert(0, 'hello');
    startThread(a.getText('t'), { from: 0, to: 5 }, first('first'));
    reply(b, 't1', { id: 'm2', text: ' second ', at: 20 });
    editMessage(a, 't1', 'm1', 'first, edited', 30);
    deleteMessage(b, 't1', 'm2');
    setResolved(b, 't1', true);
    const [thread] = readThreads(a.getText('t'));
    expect(thread?.resolved).toBe(true);
    expect(thread?.resolvedBy).toBe(2);
    expect(thread?.messages).toEqual([
      { id: 'm1', text: 'first, edited', at: 10, client: 1, edited: true, deleted: false },
      { id: 'm2', text: '', at: 20, client: 2, edited: false, deleted: true },
    ]);
    setResolved(a, 't1', false);
    expect(readThreads(b.getText('t'))[0]).toMatchObject({ resolved: false, resolvedBy: 1 });
  });

  it('ignores empty comments and skips threads with malformed anchors', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'abc');
    startThread(doc.getText('t'), { from: 0, to: 2 }, first('   '));
    startThread(doc.getText('t'), { from: 2, to: 2 }, first('empty range'));
    expect(readThreads(doc.getText('t'))).toEqual([]);
    const hostile = new Y.Map<unknown>();
    hostile.set('anchor', { start: { item: 'nope' }, end: 5 });
    threadsOf(doc).set('evil', hostile);
    expect(readThreads(doc.getText('t'))).toEqual([]);
  });
});
