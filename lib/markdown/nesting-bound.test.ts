import { describe, expect, it } from 'vitest';
import { MAX_NESTING, MarkdownRenderer } from './render';

const renderer = new MarkdownRenderer();

function count(html: string, tag: string): number {
  return html.split(`<${tag}`).length - 1;
}

describe('block nesting past the bound', () => {
  it.each([
    ['lists', `${'- '.repeat(10_000)}deep`, 'ul'],
    ['quotes', `${'>'.repeat(10_000)} deep`, 'blockquote'],
  ])('10,000 nested %s stop at the bound and the text after them still renders', (_, deep, tag) => {
    const { html } = renderer.render(`${deep}\n\nafter the nesting\n`);
    expect(count(html, tag)).toBeGreaterThan(1);
    expect(count(html, tag)).toBeLessThanOrEqual(MAX_NESTING);
    expect(html).toContain('deep');
    expect(html).toMatch(/<p[^>]*>after the nesting<\/p>/);
  });

  it('keeps ordinary nesting and later lists', () => {
    const { html } = renderer.render('- a\n  - b\n    > c\n\n> e\n');
    expect(count(html, 'ul')).toBe(2);
    expect(count(html, 'blockquote')).toBe(2);
  });

  it('still parses containers after a too-deep one', () => {
    const { html } = renderer.render(`${'> '.repeat(100)}deep\n\n- item\n\n> quote\n`);
    expect(html).toMatch(/<li[^>]*>item<\/li>/);
    expect(html).toMatch(/<blockquote[^>]*>\s*<p[^>]*>quote<\/p>/);
  });
});
