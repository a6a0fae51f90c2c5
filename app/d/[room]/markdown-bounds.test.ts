import type { Tree } from '@lezer/common';
import { classHighlighter, highlightTree } from '@lezer/highlight';
import { parser as commonmark } from '@lezer/markdown';
import { describe, expect, it } from 'vitest';
import {
  MAX_BLOCK_NESTING,
  MAX_INLINE_CHARS,
  MAX_LEAF_LINES,
  markdownBounds,
} from './markdown-bounds';

const bounded = commonmark.configure(markdownBounds);

/** Parse step by step, as the editor does between time slices. */
function parse(text: string): { tree: Tree; steps: number } {
  const run = bounded.startParse(text);
  for (let steps = 1; ; steps++) {
    const tree = run.advance();
    if (tree) return { tree, steps };
  }
}

function depthOf(tree: Tree): number {
  let depth = 0;
  let deepest = 0;
  tree.iterate({
    enter: () => {
      depth++;
      deepest = Math.max(deepest, depth);
    },
    leave: () => {
      depth--;
    },
  });
  return deepest;
}

function count(tree: Tree, name: string, from = 0, to = tree.length): number {
  let found = 0;
  tree.iterate({
    from,
    to,
    enter: (node) => {
      if (node.name === name) found++;
    },
  });
  return found;
}

describe('editor markdown bounds', () => {
  it('parses ordinary markdown exactly as the unbounded parser does', () => {
    const text = [
      '# Title',
      '',
      '- one *two* [link](https://example.com)',
      '  - nested `code`',
      '    > quoted **strong**',
      '',
      '1. first',
      '2. second ![img](a.png "t")',
      '',
      '> > two levels',
      '',
      '```js',
      'const a = 1;',
      '```',
    ].join('\n');
    expect(parse(text).tree.toString()).toBe(commonmark.parse(text).toString());
  });

  it.each([
    ['lists', `${'- '.repeat(10_000)}deep\n`],
    ['quotes', `${'>'.repeat(10_000)} deep\n`],
  ])(
    'stops nesting 10,000 %s at the bound, so highlighting does not overflow the stack',
    (_, text) => {
      const { tree } = parse(`${text}\nafter\n`);
      expect(depthOf(tree)).toBeLessThanOrEqual(MAX_BLOCK_NESTING + 2);
      expect(() => highlightTree(tree, classHighlighter, () => {})).not.toThrow();
      expect(count(tree, 'Paragraph')).toBeGreaterThanOrEqual(2);
    },
  );

  it('keeps nesting up to the bound', () => {
    const quotes = `${'>'.repeat(MAX_BLOCK_NESTING - 2)} deep\n`;
    expect(count(parse(quotes).tree, 'Blockquote')).toBe(MAX_BLOCK_NESTING - 2);
  });

  it('takes link runs as text instead of scanning for each destination', () => {
    const runs = `${'[a]('.repeat(20_000)}${'[x'.repeat(20_000)}`.slice(0, MAX_INLINE_CHARS);
    const text = `${runs}\n\n[fine](https://example.com) and [also](b)\n`;
    const { tree } = parse(text);
    expect(count(tree, 'Link', 0, runs.length)).toBe(0);
    expect(count(tree, 'Link', runs.length)).toBe(2);
  });

  it('leaves a paragraph over the inline bound unparsed, and the next one parsed', () => {
    const line = 'lorem *ipsum* '.repeat(Math.ceil(MAX_INLINE_CHARS / 14) + 1);
    const { tree } = parse(`${line}\n\n*after*\n`);
    expect(count(tree, 'Emphasis', 0, line.length)).toBe(0);
    expect(count(tree, 'Emphasis', line.length)).toBe(1);
  });

  it('parses a 5,000-line paragraph in steps of at most the line bound', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => `| ${i} | ${i * i} | *row* ${i} |`);
    const { tree, steps } = parse(`${rows.join('\n')}\n`);
    expect(count(tree, 'Paragraph')).toBe(Math.ceil(5_000 / MAX_LEAF_LINES));
    expect(steps).toBeGreaterThan(5_000 / MAX_LEAF_LINES);
  });
});
