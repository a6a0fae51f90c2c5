import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_CORPUS } from './hostile-corpus';
import { loadMathRenderer } from './math';
import { MarkdownRenderer } from './render';
import { createPreviewSanitizer, isAllowedStyle, PREVIEW_SANITIZE_CONFIG } from './sanitize';
import { isAllowedUrl } from './urls';

// A server-side DOM for DOMPurify, as the relay will use; the browser passes its own window.
const { window } = new JSDOM('');
const sanitize = createPreviewSanitizer(createDOMPurify(window));
const ALLOWED_TAGS = new Set(PREVIEW_SANITIZE_CONFIG.ALLOWED_TAGS);
const ALLOWED_ATTRIBUTES = new Set(
  PREVIEW_SANITIZE_CONFIG.ALLOWED_ATTR.map((a) => a.toLowerCase()),
);

let withMath: MarkdownRenderer;
let withoutMath: MarkdownRenderer;
beforeAll(async () => {
  withMath = new MarkdownRenderer({ math: await loadMathRenderer(), interactiveTasks: true });
  withoutMath = new MarkdownRenderer();
});

function parse(html: string): DocumentFragment {
  const template = window.document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** Everything in `html` that breaks the preview's rules (empty when it is inert). */
function violations(html: string): string[] {
  const found: string[] = [];
  for (const element of parse(html).querySelectorAll('*')) {
    const tag = element.localName;
    if (!ALLOWED_TAGS.has(tag)) found.push(`element <${tag}>`);
    for (const { name, value } of element.attributes) {
      const where = `<${tag} ${name}="${value}">`;
      if (!ALLOWED_ATTRIBUTES.has(name.toLowerCase())) found.push(`attribute ${where}`);
      if (/^on/i.test(name)) found.push(`handler ${where}`);
      if ((name === 'href' || name === 'src') && !isAllowedUrl(value)) found.push(`url ${where}`);
      if (name === 'id' && !/^(?:h|fn|fnref)-/.test(value)) found.push(`id ${where}`);
      if (name === 'style' && !isAllowedStyle(value)) found.push(`style ${where}`);
      if (name === 'type' && value !== 'checkbox') found.push(`input ${where}`);
    }
  }
  return found;
}

/** The same HTML as the DOM serialises it, so equal markup compares equal. */
function normalized(html: string): string {
  const template = window.document.createElement('template');
  template.innerHTML = html;
  return template.innerHTML;
}

describe('the hostile corpus', () => {
  it('has payloads of every class', () => {
    expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(HOSTILE_CORPUS.map((p) => p.name)).size).toBe(HOSTILE_CORPUS.length);
  });

  it.each(HOSTILE_CORPUS)('$name: the renderer alone emits only allowed markup', (payload) => {
    expect(violations(withMath.render(payload.source).html)).toEqual([]);
    expect(violations(withoutMath.render(payload.source).html)).toEqual([]);
  });

  it.each(HOSTILE_CORPUS)('$name: rendered and sanitized, it is inert', (payload) => {
    const html = sanitize(withMath.render(payload.source).html);
    expect(violations(html)).toEqual([]);
    expect(html).not.toMatch(/<(?:script|iframe|object|embed|form|meta|base|style|link)\b/i);
  });

  it.each(HOSTILE_CORPUS)('$name: as raw HTML, the sanitizer alone makes it inert', (payload) => {
    // As if a renderer bug had let the source through as HTML.
    expect(violations(sanitize(payload.source))).toEqual([]);
  });
});

describe('KaTeX runs untrusted and bounded', () => {
  it.each([
    ['\\href{https://example.com}{x}', /<a\b/],
    ['\\url{https://example.com}', /<a\b/],
    ['\\includegraphics{https://example.com/a.png}', /<img\b/],
    ['\\htmlData{foo=bar}{x}', /data-foo/],
    ['\\htmlId{location}{x}', /id="location"/],
    ['\\htmlStyle{color:red}{x}', /style="color:red"/],
  ])('%s produces no link, image, data, id or style', (tex, forbidden) => {
    const html = withMath.render(`$${tex}$`).html;
    expect(html).not.toMatch(forbidden);
    expect(html).toContain('katex');
  });

  it('stops an expansion bomb with an error instead of hanging', () => {
    const started = performance.now();
    const html = withMath.render('$\\def\\x{\\x\\x}\\x$').html;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(html).toContain('katex-error');
  });

  it('caps sizes at maxSize', () => {
    const html = withMath.render('$\\rule{100000em}{100000em}$').html;
    const sizes = [...html.matchAll(/:(\d+(?:\.\d+)?)em/g)].map((m) => Number(m[1]));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
  });

  it('does not let one formula define macros for another', () => {
    expect(withMath.render('$\\def\\secret{42}\\secret$').html).toContain('<mn>42</mn>');
    const html = withMath.render('$\\gdef\\secret{42}$ and $\\secret$').html;
    expect(html).not.toContain('<mn>42</mn>');
  });
});

describe('the sanitizer', () => {
  it('keeps everything the renderer makes for a benign document', () => {
    const source = [
      '# Title *em* `code`',
      '',
      'Text with **bold**, ~~strike~~, [a link](https://example.com "t"), ![img](/i.png)',
      'and www.example.org, <https://example.com>, a note[^1] and $e^{i\\pi} + 1 = 0$.',
      '',
      '- [ ] todo',
      '- [x] done',
      '',
      '1. one',
      '2. two',
      '',
      '> quote',
      '',
      '| l | r |',
      '|:--|--:|',
      '| 1 | 2 |',
      '',
      '```ts',
      'const x: number = 1;',
      '```',
      '',
      '```mermaid',
      'graph TD; A-->B',
      '```',
      '',
      '$$',
      '\\sum_{i=1}^n \\sqrt{x_i} \\overrightarrow{AB} \\color{red}{r} \\boxed{b}',
      '\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix} \\xrightarrow{abc} \\cancel{c}',
      '$$',
      '',
      '---',
      '',
      '[^1]: The note.',
    ].join('\n');
    const html = withMath.render(source).html;
    expect(violations(html)).toEqual([]);
    expect(sanitize(html)).toBe(normalized(html));
  });

  it('forces rel on links and no-referrer on images', () => {
    const html = sanitize('<a href="https://e.x" rel="opener">x</a><img src="/a.png">');
    expect(html).toBe(
      '<a href="https://e.x" rel="noopener noreferrer nofollow">x</a><img src="/a.png" referrerpolicy="no-referrer">',
    );
  });

  it('drops data: images that DOMPurify would allow by default', () => {
    expect(sanitize('<img src="data:image/png;base64,AAAA" alt="x">')).toBe(
      '<img alt="x" referrerpolicy="no-referrer">',
    );
  });

  it('keeps prefixed ids and our data attributes, drops the rest', () => {
    expect(sanitize('<h1 id="h-a">a</h1><h2 id="location">b</h2>')).toBe(
      '<h1 id="h-a">a</h1><h2>b</h2>',
    );
    expect(sanitize('<p data-source-line="3" data-foo="x" name="y">p</p>')).toBe(
      '<p data-source-line="3">p</p>',
    );
  });

  it('allows checkboxes only', () => {
    expect(sanitize('<input type="checkbox" checked data-task-line="2">')).toBe(
      '<input type="checkbox" checked="" data-task-line="2">',
    );
    expect(sanitize('<input type="text" value="x"><input><input type="image" src="/a">')).toBe('');
  });

  it('keeps the task label but not a `for` pointing it elsewhere', () => {
    expect(
      sanitize('<label class="task-list-item-label" for="h-x"><input type="checkbox"> a</label>'),
    ).toBe('<label class="task-list-item-label"><input type="checkbox"> a</label>');
  });

  it.each([
    ['height:0.8em;vertical-align:-0.2em;', true],
    ['color:#ff0000', true],
    ['color:rgb(255, 0, 0)', true],
    ['text-align:right', true],
    ['position:relative', true],
    ['position:fixed', false],
    ['background:url(https://e.x)', false],
    ['background-color:url(https://e.x)', false],
    ['color:expression(alert(1))', false],
    ['width:calc(1px + 1px)', false],
    ['color:red;behavior:url(x.htc)', false],
    ['color:var(--x)', false],
    ['color:red\\;background:url(x)', false],
    ['color', false],
  ])('style %j allowed: %s', (style, allowed) => {
    expect(isAllowedStyle(style)).toBe(allowed);
  });
});
