import * as Y from 'yjs';
import { loadTrace, type TraceName, tracePath } from '../traces';

/** One keystroke of the trace: at `pos`, delete `del` characters and insert `insert`. */
export interface Keystroke {
  readonly pos: number;
  readonly del: number;
  readonly insert: string;
}

export interface TraceTail {
  /** The document just before the tail's first keystroke. */
  readonly startText: string;
  /** The trace's last keystrokes, in order (each applies to the text the previous ones left). */
  readonly keystrokes: readonly Keystroke[];
}

/**
 * The automerge-paper trace split into the document as it was `count` keystrokes before the end
 * (about 104,800 characters) and those last keystrokes: a real typist's edits on the full-size
 * document. The prefix is replayed through a Y.Text (string splicing 260,000 times would copy
 * the text each time).
 */
export function traceTail(name: TraceName, count: number): TraceTail {
  const trace = loadTrace(tracePath(name));
  const keystrokes: Keystroke[] = [];
  for (const txn of trace.txns) {
    for (const [pos, del, insert] of txn.patches) keystrokes.push({ pos, del, insert });
  }
  const split = keystrokes.length - count;
  const doc = new Y.Doc();
  const text = doc.getText('t');
  doc.transact(() => {
    for (const { pos, del, insert } of keystrokes.slice(0, split)) {
      if (del) text.delete(pos, del);
      if (insert) text.insert(pos, insert);
    }
  });
  return { startText: text.toString(), keystrokes: keystrokes.slice(split) };
}
