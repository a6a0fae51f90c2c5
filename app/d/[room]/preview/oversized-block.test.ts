import { describe, expect, it } from 'vitest';
import { MarkdownRenderer } from '../../../../lib/markdown';
import { boundedBlockHtml, MAX_PREVIEW_BLOCK_HTML } from './oversized-block';

describe('oversized preview blocks', () => {
  it('passes blocks up to the bound through unchanged', () => {
    const html = `<p>${'a'.repeat(MAX_PREVIEW_BLOCK_HTML - 7)}</p>`;
    expect(boundedBlockHtml(html)).toBe(html);
  });

  it('replaces a 1 MB line and a 5,000-row table with a short notice', () => {
    const renderer = new MarkdownRenderer();
    const table = [
      '| n | square |',
      '|---|---|',
      ...Array.from({ length: 5_000 }, (_, i) => `| ${i} | ${i * i} |`),
    ].join('\n');
    for (const source of [`${'lorem ipsum '.repeat(83_000)}\n`, table]) {
      const [block] = renderer.renderBlocks(source).blocks;
      const shown = boundedBlockHtml(block?.html ?? '');
      expect(shown).toMatch(
        /^<p><em>This part of the document is too large to preview \([\d,]+ KB/,
      );
      expect(shown.length).toBeLessThan(300);
    }
  });
});
