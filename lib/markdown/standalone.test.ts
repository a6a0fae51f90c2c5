import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDiagramSanitizer } from './diagram-sanitize';
import { HOSTILE_CORPUS } from './hostile-corpus';
import { loadMathRenderer, type MathRenderer } from './math';
import { createPreviewSanitizer } from './sanitize';
import { STANDALONE_CSP, standaloneHtml } from './standalone';

// The relay's way: DOMPurify over jsdom (the browser passes its own window).
const sanitize = createPreviewSanitizer(createDOMPurify(new JSDOM('').window));
const KATEX_CSS = readFileSync(join('node_modules', 'katex', 'dist', 'katex.min.css'), 'utf8');

let math: MathRenderer;
beforeAll(async () => {
  math = await loadMathRenderer();
});

function parse(html: string): Document {
  return new JSDOM(html).window.document;
}

describe('standaloneHtml', () => {
  it('is a whole page: escaped title, CSP first, the styles and the document inline', () => {
    const html = standaloneHtml({
      title: 'Notes </title><script>alert(1)</script> & more',
      text: '# Heading\n\nSome *text* and a [link](https://example.com/).',
      sanitize,
    });
    const doc = parse(html);
    expect(doc.title).toBe('Notes </title><script>alert(1)</script> & more');
    expect(html).toContain(
      '<title>Notes &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</title>',
    );
    expect(doc.head.firstElementChild?.getAttribute('charset')).toBe('utf-8');
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]');
    expect(csp?.getAttribute('content')).toBe(STANDALONE_CSP);
    expect(STANDALONE_CSP).toContain("default-src 'none'");
    expect(doc.querySelectorAll('link, script')).toHaveLength(0);
    expect(doc.querySelector('style')?.textContent).toContain('.tok-keyword');
    expect(doc.querySelector('main h1#h-heading')?.textContent).toBe('Heading');
    expect(doc.querySelector('main a')?.getAttribute('rel')).toBe('noopener noreferrer nofollow');
  });

  it('names an untitled document "Untitled"', () => {
    expect(parse(standaloneHtml({ title: '  ', text: 'x', sanitize })).title).toBe('Untitled');
  });

  it('typesets math and inlines KaTeX’s stylesheet, without fonts when none are given', () => {
    const html = standaloneHtml({
      title: 't',
      text: 'Area $x^2$',
      sanitize,
      math,
      mathCss: KATEX_CSS,
    });
    const doc = parse(html);
    expect(doc.querySelector('main .katex')).not.toBeNull();
    const css = doc.querySelector('style')?.textContent ?? '';
    expect(css).toContain('.katex');
    expect(css).not.toContain('@font-face');
    expect(css).not.toMatch(/url\(/);
  });

  it('inlines KaTeX’s woff2 fonts as data: URLs, and drops a font that is missing or not base64', () => {
    const dir = join('node_modules', 'katex', 'dist');
    const files = readdirSync(join(dir, 'fonts')).filter((name) => name.endsWith('.woff2'));
    const fonts = new Map(
      files.map((name) => [
        `fonts/${name}`,
        readFileSync(join(dir, 'fonts', name)).toString('base64'),
      ]),
    );
    const cssOf = (given: ReadonlyMap<string, string>) =>
      parse(
        standaloneHtml({
          title: 't',
          text: '$x^2$',
          sanitize,
          math,
          mathCss: KATEX_CSS,
          mathFonts: given,
        }),
      ).querySelector('style')?.textContent ?? '';

    const css = cssOf(fonts);
    const faces = css.match(/@font-face\s*\{[^}]*\}/g) ?? [];
    expect(faces).toHaveLength(files.length);
    for (const face of faces) {
      expect(face).toMatch(
        /src:url\(data:font\/woff2;base64,[A-Za-z0-9+/]+={0,2}\) format\("woff2"\)\}$/,
      );
    }
    expect(css.match(/url\(/g)).toHaveLength(files.length); // nothing but the inlined fonts
    expect(css).toContain(`base64,${fonts.get('fonts/KaTeX_Main-Regular.woff2')})`);

    const partial = new Map(fonts);
    partial.delete('fonts/KaTeX_AMS-Regular.woff2');
    partial.set(
      'fonts/KaTeX_Main-Bold.woff2',
      ') } body { background: url(https://evil.example/x)',
    );
    const cut = cssOf(partial);
    expect(cut.match(/@font-face/g)).toHaveLength(files.length - 2);
    expect(cut).not.toContain('KaTeX_AMS;');
    expect(cut).not.toContain('evil.example');
  });

  it('shows a diagram drawn where its source was, and keeps one not drawn as its source', () => {
    const drawn = 'graph TD\n  A["a < b & c"] --> B\n';
    const text = `# D\n\n\`\`\`mermaid\n${drawn}\`\`\`\n\n\`\`\`mermaid\ngraph LR\nX-->Y\n\`\`\`\n`;
    const svg =
      '<svg id="mmd-1" xmlns="http://www.w3.org/2000/svg"><g><text>a &lt; b</text></g></svg>';
    const doc = parse(
      standaloneHtml({ title: 't', text, sanitize, diagrams: new Map([[drawn, svg]]) }),
    );
    const figures = doc.querySelectorAll('main .mermaid-diagram');
    expect(figures).toHaveLength(1);
    expect(figures[0]?.querySelector('svg#mmd-1 text')?.textContent).toBe('a < b');
    expect(figures[0]?.getAttribute('data-source-line')).toBe('2');
    expect(doc.querySelectorAll('main pre.mermaid-source')).toHaveLength(1);
    expect(doc.querySelector('main pre.mermaid-source')?.textContent).toBe('graph LR\nX-->Y\n');
  });

  it('shows a hostile drawing inert once the diagram sanitizer has seen it, as the export does', () => {
    // What a compromised preview frame could send for a diagram whose source is hostile too.
    const source = 'graph TD\n  A["</pre><script>alert(1)</script>"] --> B\n';
    const svg = [
      '<svg id="mmd-2" xmlns="http://www.w3.org/2000/svg" onload="alert(1)">',
      '<script>alert(2)</script><style>@import url(https://evil.example/x.css);</style>',
      '<foreignObject><img src="x" onerror="alert(3)"></foreignObject>',
      '<a href="javascript:alert(4)"><text>click</text></a>',
      '<use href="https://evil.example/s.svg#x"/><image href="https://evil.example/i.png"/>',
      '<g id="location"><text>A</text></g></svg>',
    ].join('');
    const sanitizeSvg = createDiagramSanitizer(createDOMPurify(new JSDOM('').window));
    const html = standaloneHtml({
      title: 't',
      text: `\`\`\`mermaid\n${source}\`\`\`\n`,
      sanitize,
      diagrams: new Map([[source, sanitizeSvg(svg)]]),
    });
    const doc = parse(html);
    expect(doc.querySelector('main .mermaid-diagram svg#mmd-2 text')?.textContent).toBe('click');
    expect(doc.querySelectorAll('script, foreignObject, img, use, image, #location')).toHaveLength(
      0,
    );
    expect(html).not.toMatch(/\son\w+=|javascript:|evil\.example/i);
  });

  it('keeps a Mermaid diagram as its source in a code block', () => {
    const doc = parse(
      standaloneHtml({ title: 't', text: '```mermaid\ngraph TD\nA-->B\n```', sanitize }),
    );
    expect(doc.querySelector('main pre.mermaid-source')?.textContent).toBe('graph TD\nA-->B\n');
    expect(doc.querySelector('main svg')).toBeNull();
  });

  it('adds a screen-only printing hint when asked', () => {
    const doc = parse(standaloneHtml({ title: 't', text: 'x', sanitize, printHint: true }));
    expect(doc.querySelector('.print-hint')?.textContent).toContain('Ctrl+P');
    expect(doc.querySelector('style')?.textContent).toMatch(
      /@media print[\s\S]*\.print-hint \{ display: none; \}/,
    );
  });

  it('leaves every payload of the hostile corpus inert', () => {
    const text = HOSTILE_CORPUS.map((payload) => payload.source).join('\n\n');
    const html = standaloneHtml({ title: 'x', text, sanitize, math, mathCss: KATEX_CSS });
    const doc = parse(html);
    expect(doc.querySelectorAll('script, iframe, object, embed, form, base, link')).toHaveLength(0);
    expect(doc.querySelectorAll('meta')).toHaveLength(4); // ours: charset, CSP, referrer, viewport
    expect(doc.querySelectorAll('style')).toHaveLength(1); // ours
    for (const element of doc.querySelectorAll('*')) {
      for (const { name, value } of element.attributes) {
        expect(name, `<${element.localName} ${name}>`).not.toMatch(/^on/i);
        if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name)) {
          expect(value.replace(/[\p{Cc} ]/gu, ''), `<${element.localName} ${name}>`).not.toMatch(
            /^(?:javascript|vbscript|data):/i,
          );
        }
      }
    }
    expect(html).not.toMatch(/<script/i);
    expect(doc.querySelectorAll('main [id]:not([id^="h-"]):not([id^="fn"])')).toHaveLength(0);
  });
});
