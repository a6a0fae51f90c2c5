import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTrace } from '../../server/test/traces';
import { IncrementalRenderer } from './incremental';
import { loadMathRenderer, type MathRenderer } from './math';
import { MarkdownRenderer } from './render';

/**
 * The incremental render must equal a whole render of the same text after every edit: checked
 * on random edits of documents built from the constructs that reach across blocks (fences, `$$`
 * math, lists, quotes, setext headings, tables, duplicate headings, link references, footnotes),
 * and on real keystrokes of the automerge-paper trace.
 */

let math: MathRenderer;
beforeAll(async () => {
  math = await loadMathRenderer();
});

const LINES = [
  '',
  '',
  '',
  'plain text',
  'more *text* here',
  '# Title',
  '## Title',
  'Title',
  '===',
  '---',
  '- item',
  '  - nested',
  '1. first',
  '> quote',
  'lazy continuation',
  '```ts',
  'const x = 1;',
  '```',
  '~~~',
  '    indented code',
  '$$',
  'x^2',
  'a $b$ c',
  '$$ y $$',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '[ref]: https://example.com/',
  'see [ref] and [ref][]',
  'a footnote[^1]',
  '[^1]: the note',
  '- [ ] task',
  '- [x] done',
  '***',
];

const PIECES = [
  '\n',
  '\n\n',
  '#',
  '# ',
  '```',
  '$$',
  '$',
  '-',
  '- ',
  '>',
  '|',
  '=',
  '[',
  ']',
  ':',
  'x',
  ' ',
  '`',
  '*',
  '[^1]',
  '[ref]: /u',
];

const documentArbitrary = fc
  .array(fc.constantFrom(...LINES), { minLength: 0, maxLength: 40 })
  .map((lines) => lines.join('\n'));

const editArbitrary = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  deleteCount: fc.nat({ max: 6 }),
  insert: fc.oneof(
    fc.constantFrom(...PIECES),
    fc.constantFrom(...LINES).map((l) => `${l}\n`),
  ),
});

function applyEdit(text: string, edit: { at: number; deleteCount: number; insert: string }) {
  const at = Math.min(text.length, Math.floor(edit.at * (text.length + 1)));
  return text.slice(0, at) + edit.insert + text.slice(at + edit.deleteCount);
}

describe('incremental rendering', () => {
  it('equals a whole render after every random edit', () => {
    for (const interactiveTasks of [false, true]) {
      const renderer = new MarkdownRenderer({ math, interactiveTasks });
      fc.assert(
        fc.property(documentArbitrary, fc.array(editArbitrary, { maxLength: 12 }), (doc, edits) => {
          const incremental = new IncrementalRenderer(renderer);
          let text = doc;
          expect(incremental.render(text).blocks).toEqual(renderer.renderBlocks(text).blocks);
          for (const edit of edits) {
            text = applyEdit(text, edit);
            expect(incremental.render(text).blocks).toEqual(renderer.renderBlocks(text).blocks);
          }
        }),
        { numRuns: 300 },
      );
    }
  });

  it('re-parses only around the edit, and says when it renders everything', () => {
    const renderer = new MarkdownRenderer({ math });
    const incremental = new IncrementalRenderer(renderer);
    const paragraphs = Array.from({ length: 200 }, (_, i) => `Paragraph ${i} with $x_${i}$.`);
    let text = paragraphs.join('\n\n');
    expect(incremental.render(text).fullRender).toBe('first render');

    text = text.replace('Paragraph 100 ', 'Paragraph 100 edited ');
    const edit = incremental.render(text);
    expect(edit.fullRender).toBeNull();
    expect(edit.parsedLines).toBeLessThan(10);
    expect(edit.blocks).toEqual(renderer.renderBlocks(text).blocks);

    // Opening a fence swallows the rest of the document: the window grows to the end.
    text = text.replace('Paragraph 150 ', '```\nParagraph 150 ');
    const fence = incremental.render(text);
    expect(fence.fullRender).toBeNull();
    expect(fence.blocks).toEqual(renderer.renderBlocks(text).blocks);

    text = `${text}\n\n[ref]: https://example.com/`;
    expect(incremental.render(text).fullRender).toBe('a link reference or footnote near the edit');
  });

  it('equals a whole render over real keystrokes of the automerge-paper trace', () => {
    const trace = loadTrace('automerge-paper');
    const renderer = new MarkdownRenderer({ math, interactiveTasks: true });
    const incremental = new IncrementalRenderer(renderer);
    // The final text, then 40 of the trace's edits undone and redone in place: typing and
    // deleting at the positions the trace used, on the full-size document.
    const text = trace.endContent;
    incremental.render(text);
    const patches = trace.txns.slice(-40).flatMap((txn) => txn.patches);
    let partial = 0;
    for (const [pos, , insert] of patches) {
      const at = Math.min(pos, text.length);
      for (const next of [text.slice(0, at) + insert + text.slice(at), text]) {
        const result = incremental.render(next);
        if (result.fullRender === null) partial++;
        expect(result.blocks).toEqual(renderer.renderBlocks(next).blocks);
      }
    }
    expect(partial).toBe(patches.length * 2);
  }, 120_000);
});
