/**
 * `npm run bench:authorship`: the cost of "Show authors" on the automerge-paper document
 * (about 105,000 characters after 260,000 keystrokes), written by three simulated authors who
 * take turns every 100 transactions. Measures, in Node (CodeMirror's RangeSet needs no DOM):
 * - build: the marks for the whole text from the Y.Text's items (what turning it on, or a
 *   reload, costs); issue 16 allows 100 ms;
 * - apply: following one more keystroke (map the marks, paint the inserted range).
 * Then what authorship, comments and chat add to storage.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeSet } from '@codemirror/state';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { AuthorMarks } from '../app/d/[room]/authorship/author-marks';
import { postChatMessage } from '../lib/chat';
import { reply, startThread } from '../lib/comments';
import { DOC_TEXT } from '../lib/doc-schema';
import { openSqliteAuthorStore } from '../server/storage/authors-sqlite';
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

// Storage: what authorship, comments and chat add to a document.
const storeDir = mkdtempSync(join(tmpdir(), 'coedit-bench-authors-'));
try {
  const path = join(storeDir, 'coedit.db');
  const authors = openSqliteAuthorStore(path);
  const pageBytes = () => {
    const db = new Database(path, { readonly: true });
    try {
      const count = db.pragma('page_count', { simple: true }) as number;
      const size = db.pragma('page_size', { simple: true }) as number;
      return count * size;
    } finally {
      db.close();
    }
  };
  const SESSIONS = 2000;
  const AUTHOR_COUNT = 20;
  const before = pageBytes();
  for (let i = 0; i < SESSIONS; i++) {
    const author = `k-${String(i % AUTHOR_COUNT).padStart(20, '0')}`;
    await authors.bind(
      'a-room-id-of-22-chars',
      [{ clientId: 1_000_000 + i, authorId: author, keyHash: 'f'.repeat(64) }],
      { authorId: author, name: `Author ${i % AUTHOR_COUNT}`, color: '#336699', linkId: null },
    );
  }
  await authors.close();
  const perBinding = (pageBytes() - before) / SESSIONS;
  console.log(
    `AuthorStore (SQLite): ${SESSIONS} client ids of ${AUTHOR_COUNT} authors take ${((pageBytes() - before) / 1024) | 0} KiB, ${perBinding.toFixed(0)} bytes per client id (one per page load that writes)`,
  );
} finally {
  rmSync(storeDir, { recursive: true, force: true });
}

const commented = new Y.Doc();
commented.getText(DOC_TEXT).insert(0, 'The quick brown fox jumps over the lazy dog.');
const bare = Y.encodeStateAsUpdate(commented).length;
startThread(
  commented.getText(DOC_TEXT),
  { from: 10, to: 15 },
  {
    threadId: 'a'.repeat(22),
    messageId: 'b'.repeat(22),
    text: 'Is it really brown? A typical comment of some forty characters.',
    at: Date.now(),
  },
);
const withThread = Y.encodeStateAsUpdate(commented).length;
reply(commented, 'a'.repeat(22), { id: 'c'.repeat(22), text: 'Yes, quite.', at: Date.now() });
const withReply = Y.encodeStateAsUpdate(commented).length;
for (let i = 0; i < 100; i++)
  postChatMessage(
    commented,
    `chat message number ${i}`,
    `m${String(i).padStart(21, '0')}`,
    Date.now(),
  );
const withChat = Y.encodeStateAsUpdate(commented).length;
console.log(
  `Comments: a thread with one 63-character message adds ${withThread - bare} bytes to the document, a reply of 11 characters ${withReply - withThread}; chat: ${((withChat - withReply) / 100).toFixed(0)} bytes per message of about 22 characters`,
);
