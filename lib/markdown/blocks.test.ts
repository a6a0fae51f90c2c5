import { describe, expect, it } from 'vitest';
import { relativeLines } from './blocks';
import { HOSTILE_CORPUS } from './hostile-corpus';
import { loadMathRenderer } from './math';
import { MarkdownRenderer } from './render';

/** Puts a block's lines back to absolute ones (what the preview frame does). */
function absolute(html: string, line: number): string {
  return html.replace(
    /data-(source|task)-line="(\d+)"/g,
    (_m, kind: string, n: string) => `data-${kind}-line="${Number(n) + line}"`,
  );
}

const DOCUMENT = [
  '# Title',
  '',
  'Intro with a footnote[^1] and $x^2$.',
  '',
  '- [ ] one',
  '- [x] two',
  '  - nested',
  '',
  '> quote',
  '> > deeper',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  '```js',
  'const x = 1;',
  '```',
  '',
  '$$',
  'y = 2',
  '$$',
  '',
  '---',
  '',
  '    indented code',
  '',
  '[^1]: The note.',
].join('\n');

describe('renderBlocks', () => {
  it('gives the same HTML as render, block by block', async () => {
    const math = await loadMathRenderer();
    for (const options of [{}, { math, interactiveTasks: true }]) {
      const renderer = new MarkdownRenderer(options);
      for (const source of [
        DOCUMENT,
        '',
        'one paragraph',
        ...HOSTILE_CORPUS.map((p) => p.source),
      ]) {
        const { blocks } = renderer.renderBlocks(source);
        const joined = blocks.map((block) => absolute(block.html, block.line)).join('');
        expect(joined, source).toBe(renderer.render(source).html);
      }
    }
  });

  it('keeps a block’s HTML when lines are added above it', () => {
    const renderer = new MarkdownRenderer({ interactiveTasks: true });
    const before = renderer.renderBlocks(DOCUMENT).blocks;
    const after = renderer.renderBlocks(`new line\n\n${DOCUMENT}`).blocks;
    expect(after.slice(1).map((block) => block.html)).toEqual(before.map((block) => block.html));
    expect(after.slice(1).map((block) => block.line)).toEqual(before.map((b) => b.line + 2));
  });

  it('splits into top-level blocks only', () => {
    const { blocks } = new MarkdownRenderer().renderBlocks('- a\n- b\n\n> q\n\npara');
    expect(blocks.map((block) => block.html.slice(0, 4))).toEqual(['<ul ', '<blo', '<p d']);
  });
});

describe('relativeLines', () => {
  it('rewrites line attributes only', () => {
    const html = '<p data-source-line="7">data-source-line=&quot;9&quot;</p>';
    expect(relativeLines(html, 5)).toBe(
      '<p data-source-line="2">data-source-line=&quot;9&quot;</p>',
    );
    expect(relativeLines(html, 0)).toBe(html);
  });
});
