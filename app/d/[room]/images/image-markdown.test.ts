import { describe, expect, it } from 'vitest';
import { MarkdownRenderer } from '../../../../lib/markdown';
import { altTextOf, imageMarkdown } from './image-markdown';

const URL = 'http://relay.example:1234/rooms/r1/images/abc?s=x-y_z';
const renderer = new MarkdownRenderer();

/** The `<img>` tags the inserted markdown renders to. */
const images = (markdown: string) => renderer.render(markdown).html.match(/<img [^>]*>/g) ?? [];

describe('imageMarkdown', () => {
  it('names the image after its file, without the extension', () => {
    expect(imageMarkdown('red dot.png', URL)).toBe(`![red dot](<${URL}>)`);
    expect(altTextOf('')).toBe('image');
    expect(altTextOf('.png')).toBe('image');
    expect(altTextOf('a\nb\tc.webp')).toBe('a b c');
  });

  it.each([
    'x](javascript:alert(1)) [y',
    'a`](<http://evil.example>)`b',
    '<http://evil.example/]>',
    'back\\slash]',
    '![nested](http://evil.example/x.png)',
  ])('renders exactly one image at the relay address whatever the name: %s', (name) => {
    const found = images(imageMarkdown(`${name}.png`, URL));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`src="${URL.replace(/&/g, '&amp;')}"`);
    expect(found[0]).not.toContain('evil.example"');
  });
});
