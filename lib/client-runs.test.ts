import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { clientRuns } from './client-runs';

function pair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.clientID = 1;
  b.clientID = 2;
  a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u));
  b.on('update', (u: Uint8Array) => Y.applyUpdate(a, u));
  return [a, b];
}

describe('clientRuns', () => {
  it('is empty for an empty text', () => {
    expect(clientRuns(new Y.Doc().getText('t'))).toEqual([]);
  });

  it('merges a client’s adjacent items and splits where another client wrote', () => {
    const [a, b] = pair();
    const text = a.getText('t');
    text.insert(0, 'hello');
    text.insert(5, ' world');
    b.getText('t').insert(5, ',');
    expect(clientRuns(text)).toEqual([
      { from: 0, to: 5, client: 1 },
      { from: 5, to: 6, client: 2 },
      { from: 6, to: 12, client: 1 },
    ]);
    expect(clientRuns(b.getText('t'))).toEqual(clientRuns(text));
  });

  it('skips deleted text and counts UTF-16 units', () => {
    const [a, b] = pair();
    a.getText('t').insert(0, 'a😀b');
    b.getText('t').insert(4, 'c');
    a.getText('t').delete(0, 1);
    expect(clientRuns(a.getText('t'))).toEqual([
      { from: 0, to: 3, client: 1 },
      { from: 3, to: 4, client: 2 },
    ]);
  });
});
