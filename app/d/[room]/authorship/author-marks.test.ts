import { ChangeSet, Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { clientRuns } from '../../../../lib/client-runs';
import { AuthorMarks } from './author-marks';

/** Marks as [from, to, client], in order. */
function marksOf(marks: AuthorMarks): [number, number, number][] {
  const out: [number, number, number][] = [];
  const cursor = marks.decorations.iter();
  for (; cursor.value; cursor.next()) {
    out.push([cursor.from, cursor.to, (cursor.value.spec as { client: number }).client]);
  }
  return out;
}

/** Adjacent marks of one client joined, for comparing with clientRuns. */
function joined(marks: [number, number, number][]): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (const mark of marks) {
    const last = out.at(-1);
    if (last && last[2] === mark[2] && last[1] === mark[0]) last[1] = mark[1];
    else out.push([...mark]);
  }
  return out;
}

/**
 * Docs for clients 1, 2 and 3 on one text: `edit(client, pos, del, ins)` applies it through that
 * client's doc and hands the marks the matching CodeMirror change, as the editor would see it.
 */
function setup() {
  const docs = new Map<number, Y.Doc>();
  const main = new Y.Doc();
  main.clientID = 100;
  const marks = new AuthorMarks();
  let cm = Text.empty;
  const edit = (client: number, pos: number, del: number, ins: string) => {
    let doc = docs.get(client);
    if (!doc) {
      doc = new Y.Doc();
      doc.clientID = client;
      docs.set(client, doc);
    }
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(main, Y.encodeStateVector(doc)));
    const before = Y.encodeStateVector(main);
    doc.transact(() => {
      if (del) doc.getText('t').delete(pos, del);
      if (ins) doc.getText('t').insert(pos, ins);
    });
    Y.applyUpdate(main, Y.encodeStateAsUpdate(doc, before));
    const changes = ChangeSet.of([{ from: pos, to: pos + del, insert: ins }], cm.length);
    cm = changes.apply(cm);
    marks.apply(changes, client, main.getText('t'));
  };
  return { main, marks, edit };
}

describe('AuthorMarks', () => {
  it('builds marks matching the runs of each client', () => {
    const { main, marks, edit } = setup();
    edit(1, 0, 0, 'hello');
    edit(2, 5, 0, ' world');
    const fresh = new AuthorMarks();
    fresh.build(main.getText('t'));
    expect(marksOf(fresh)).toEqual([
      [0, 5, 1],
      [5, 11, 2],
    ]);
    expect(marksOf(marks)).toEqual(marksOf(fresh));
  });

  it('stays a partition equal to a fresh build through random edits of three clients', () => {
    const { main, marks, edit } = setup();
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 600; i++) {
      const length = main.getText('t').length;
      const client = 1 + random(3);
      const pos = random(length + 1);
      const del = random(4) === 0 ? Math.min(random(5), length - pos) : 0;
      const ins = random(5) === 0 ? '' : 'abcdefgh'.slice(0, 1 + random(8));
      if (!del && !ins) continue;
      edit(client, pos, del, ins);
      const got = marksOf(marks);
      for (let k = 1; k < got.length; k++) {
        expect((got[k] as number[])[0]).toBeGreaterThanOrEqual(
          (got[k - 1] as number[])[1] as number,
        );
      }
    }
    const runs = clientRuns(main.getText('t')).map((r) => [r.from, r.to, r.client]);
    expect(joined(marksOf(marks))).toEqual(runs);
    expect(marks.clientAt(0)).toBe(runs[0]?.[2]);
  });

  it('rebuilds when one transaction carries several writers', () => {
    const { main, marks, edit } = setup();
    edit(1, 0, 0, 'ab');
    const other = new Y.Doc();
    other.clientID = 9;
    Y.applyUpdate(other, Y.encodeStateAsUpdate(main));
    other.getText('t').insert(1, 'X');
    const third = new Y.Doc();
    third.clientID = 8;
    Y.applyUpdate(third, Y.encodeStateAsUpdate(main));
    third.getText('t').insert(2, 'Y');
    Y.applyUpdate(
      main,
      Y.mergeUpdates([Y.encodeStateAsUpdate(other), Y.encodeStateAsUpdate(third)]),
    );
    const changes = ChangeSet.of(
      [
        { from: 1, insert: 'X' },
        { from: 2, insert: 'Y' },
      ],
      2,
    );
    marks.apply(changes, null, main.getText('t'));
    expect(marksOf(marks)).toEqual([
      [0, 1, 1],
      [1, 2, 9],
      [2, 3, 1],
      [3, 4, 8],
    ]);
  });
});
