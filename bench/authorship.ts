/**
 * `npm run bench:authorship`: the cost of "Show authors" on the automerge-paper document
 * (about 105,000 characters after 260,000 keystrokes), written by three simulated authors who
 * take turns every 100 transactions. Measures, in Node (CodeMirror's RangeSet needs no DOM):
 * - build: the marks for the whole text from the Y.Text's items (what turning it on, or a
 *   reload, costs); issue 16 allows 100 ms;
 * - apply: following one more keystroke (map the marks, paint the inserted range).
 */
import { ChangeSet } from '@codemirror/state';
import * as Y from 'yjs';
import { AuthorMarks } from '../app/d/[room]/authorship/author-marks';
import { DOC_TEXT } from '../lib/doc-schema';
import { loadTrace } from '../server/test/traces';
import { percentile } from './stats';

const AUTHORS = [11, 22, 33];
const TURN_TXNS = 100;
const BUILDS = 15;
const KEYSTROKES = 2000;

function authoredDoc(): Y.Doc {
  const trace = loadTrace('automerge-paper');
  const doc = new Y.Doc();
  const text = doc.getText(DOC_TEXT);
  trace.txns.forEach(({ patches }, i) => {
    doc.clientID = AUTHORS[Math.floor(i / TURN_TXNS) % AUTHORS.length] as number;
    doc.transact(() => {
      for (const [pos, deleted, inserted] of patches) {
        if (deleted > 0) text.delete(pos, deleted);
        if (inserted) text.insert(pos, inserted);
      }
    });
  });
  return doc;
}

const doc = authoredDoc();
const text = doc.getText(DOC_TEXT);
const marks = new AuthorMarks();
const builds: number[] = [];
for (let i = 0; i < BUILDS; i++) {
  const started = performance.now();
  marks.build(text);
  builds.push(performance.now() - started);
}
let ranges = 0;
for (const cursor = marks.decorations.iter(); cursor.value; cursor.next()) ranges++;

const applies: number[] = [];
let seed = 1;
for (let i = 0; i < KEYSTROKES; i++) {
  seed = (seed * 48271) % 2147483647;
  const pos = seed % (text.length + 1);
  doc.clientID = AUTHORS[i % AUTHORS.length] as number;
  text.insert(pos, 'x');
  const changes = ChangeSet.of([{ from: pos, insert: 'x' }], text.length - 1);
  const started = performance.now();
  marks.apply(changes, doc.clientID, text);
  applies.push(performance.now() - started);
}

const ms = (v: number) => v.toFixed(2);
console.log(
  `Show authors, automerge-paper: ${text.length} characters, ${ranges} author runs, ${AUTHORS.length} authors`,
);
console.log(
  `build (whole text), ms: p50 ${ms(
    percentile(
      builds.sort((a, b) => a - b),
      50,
    ),
  )}, max ${ms(Math.max(...builds))}`,
);
console.log(
  `apply (one keystroke), ms: p50 ${ms(
    percentile(
      applies.sort((a, b) => a - b),
      50,
    ),
  )}, p95 ${ms(percentile(applies, 95))}, max ${ms(Math.max(...applies))}`,
);
