import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOC_TEXT } from '../lib/doc-schema';
import { replayToDocument } from './trace-doc';
import type { Trace } from './traces';

describe('replayToDocument', () => {
  it('encodes the end content as one update a fresh document can load', () => {
    const trace: Trace = {
      startContent: '',
      endContent: 'axc',
      txns: [{ patches: [[0, 0, 'abc']] }, { patches: [[1, 1, 'x']] }],
    };
    const { update, text } = replayToDocument(trace);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    expect(doc.getText(DOC_TEXT).toString()).toBe('axc');
    expect(text).toBe('axc');
  });

  it('refuses a trace whose patches do not produce its end content', () => {
    const trace: Trace = { startContent: '', endContent: 'b', txns: [{ patches: [[0, 0, 'a']] }] };
    expect(() => replayToDocument(trace)).toThrow(/diverged/);
  });
});
