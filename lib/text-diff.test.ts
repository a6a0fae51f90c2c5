import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { restoreText } from './restore-text';
import { applyTextEdits, diffText } from './text-diff';

describe('diffText', () => {
  it('returns no edits for equal texts', () => {
    expect(diffText('same', 'same')).toEqual([]);
  });

  it('narrows an in-line change to the differing characters', () => {
    expect(diffText('hello world\nfoo\n', 'hello brave world\nfoo\n')).toEqual([
      { from: 6, to: 6, insert: 'brave ' },
    ]);
  });

  it('restores a deleted paragraph as one insertion', () => {
    const version = 'Intro\n\nMiddle paragraph.\n\nEnd\n';
    const current = 'Intro\n\nEnd\n';
    expect(diffText(current, version)).toEqual([
      { from: 7, to: 7, insert: 'Middle paragraph.\n\n' },
    ]);
  });

  it('keeps separate edits for changes far apart', () => {
    const a = 'one\ntwo\nthree\nfour\nfive\n';
    const b = 'ONE\ntwo\nthree\nfour\nfive!\n';
    expect(diffText(a, b)).toEqual([
      { from: 0, to: 3, insert: 'ONE' },
      { from: 23, to: 23, insert: '!' },
    ]);
  });

  it('never splits a surrogate pair', () => {
    const edits = diffText('a😀b', 'a😁b');
    for (const edit of edits) {
      expect(edit.insert).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    }
    expect(applyTextEdits('a😀b', edits)).toBe('a😁b');
  });

  it('turns any text into any other (property)', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'b', '\n', 'x\n', '😀', 'é'),
      maxLength: 60,
    });
    fc.assert(
      fc.property(text, text, (a, b) => {
        const edits = diffText(a, b);
        for (let i = 1; i < edits.length; i++) {
          expect((edits[i] as { from: number }).from).toBeGreaterThanOrEqual(
            (edits[i - 1] as { to: number }).to,
          );
        }
        expect(applyTextEdits(a, edits)).toBe(b);
      }),
      { numRuns: 500 },
    );
  });

  it('stays fast on large, very different texts', () => {
    const a = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'a'.repeat(i % 40)}`).join('\n');
    const b = Array.from({ length: 5000 }, (_, i) => `row ${i * 7} ${'b'.repeat(i % 30)}`).join(
      '\n',
    );
    const started = performance.now();
    expect(applyTextEdits(a, diffText(a, b))).toBe(b);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('restoreText', () => {
  it('applies the edit in one transaction with the given origin', () => {
    const doc = new Y.Doc();
    const text = doc.getText('body');
    text.insert(0, 'Intro\n\nEnd\n');
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const origin = Symbol('restore');
    expect(restoreText(text, 'Intro\n\nMiddle\n\nEnd\n', origin)).toEqual({
      deleted: 0,
      inserted: 8,
    });
    expect(text.toString()).toBe('Intro\n\nMiddle\n\nEnd\n');
    expect(origins).toEqual([origin]);
  });

  it('can be undone by an undo manager tracking its origin', () => {
    const doc = new Y.Doc();
    const text = doc.getText('body');
    text.insert(0, 'keep this\nand this\n');
    const origin = Symbol('restore');
    const undo = new Y.UndoManager(text, { trackedOrigins: new Set([origin]) });
    restoreText(text, 'keep this\n', origin);
    expect(text.toString()).toBe('keep this\n');
    undo.undo();
    expect(text.toString()).toBe('keep this\nand this\n');
  });
});
