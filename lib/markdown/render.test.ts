import { describe, expect, it } from 'vitest';
import { HeadingIds, slugify } from './heading-ids';
import { fenceLanguage } from './highlight';
import { MAX_RENDER_CHARS, MarkdownRenderer } from './render';
import { isAllowedUrl } from './urls';

const renderer = new MarkdownRenderer();
const render = (source: string) => renderer.render(source).html;

describe('GFM', () => {
  it('renders tables with alignment', () => {
    const html = render('| a | b |\n|:--|--:|\n| 1 | 2 |');
    expect(html).toContain('<table data-source-line="0">');
    expect(html).toContain('<th style="text-align:left">a</th>');
    expect(html).toContain('<td style="text-align:right">2</td>');
  });

  it('renders strikethrough', () => {
    expect(render('~~gone~~')).toContain('<s>gone</s>');
  });

  it('links bare http(s) addresses, www. addresses and emails, but not file names', () => {
    const html = render('https://example.com/a www.example.org foo@example.com README.md setup.py');
    expect(html).toContain('<a href="https://example.com/a" rel="noopener noreferrer nofollow">');
    expect(html).toContain('<a href="http://www.example.org"');
    expect(html).toContain('<a href="mailto:foo@example.com"');
    expect(html).not.toContain('README.md</a>');
    expect(html).not.toContain('setup.py</a>');
  });

  it('links CommonMark autolinks', () => {
    expect(render('<https://example.com>')).toContain('<a href="https://example.com"');
  });

  it('renders task lists as labelled checkboxes that carry their source line', () => {
    const html = render('intro\n\n- [ ] todo\n- [x] done\n  - [X] nested\n- plain');
    expect(html).toContain('<ul class="contains-task-list" data-source-line="2">');
    expect(html).toContain(
      '<li class="task-list-item" data-source-line="2"><label class="task-list-item-label"><input type="checkbox" class="task-list-item-checkbox" data-task-line="2" disabled> todo</label></li>',
    );
    expect(html).toContain('data-task-line="3" checked disabled> done');
    expect(html).toContain('data-task-line="4" checked disabled> nested');
    expect(html).toContain('<li data-source-line="5">plain</li>');
  });

  it('enables the checkboxes for editors', () => {
    const html = new MarkdownRenderer({ interactiveTasks: true }).render('- [ ] a').html;
    expect(html).toContain('data-task-line="0"> a');
    expect(html).not.toContain('disabled');
  });

  it('does not take brackets elsewhere for tasks', () => {
    const html = render('[ ] not in a list\n\n- text [ ] later\n- [y] other');
    expect(html).not.toContain('checkbox');
  });

  it('renders footnotes with hyphenated ids', () => {
    const html = render('Text[^a].\n\n[^a]: The note.');
    expect(html).toContain('<a href="#fn-1" id="fnref-1">[1]</a>');
    expect(html).toContain('<li id="fn-1" class="footnote-item">');
    expect(html).toContain('<a href="#fnref-1" class="footnote-backref">');
  });
});

describe('heading ids', () => {
  it('prefixes and deduplicates', () => {
    const html = render('# Intro\n## Intro\n### Intro 1\n# Intro');
    expect(html).toContain('<h1 id="h-intro" data-source-line="0">');
    expect(html).toContain('<h2 id="h-intro-1" data-source-line="1">');
    expect(html).toContain('<h3 id="h-intro-1-1" data-source-line="2">');
    expect(html).toContain('<h1 id="h-intro-2" data-source-line="3">');
  });

  it('cannot produce an id that clobbers a global', () => {
    for (const name of ['location', '__coeditText', 'document', 'alert', 'fn1', '']) {
      const html = render(`# ${name}`);
      const id = /id="([^"]*)"/.exec(html)?.[1] ?? '';
      expect(id.startsWith('h-'), html).toBe(true);
      expect(/^[A-Za-z_$][\w$]*$/.test(id)).toBe(false);
    }
  });

  it('slugs keep letters of any script and drop markup and punctuation', () => {
    expect(slugify('Hello, World!')).toBe('hello-world');
    expect(slugify('Überblick – 概要')).toBe('überblick-概要');
    expect(slugify('"><script>')).toBe('script');
    expect(slugify('!!!')).toBe('section');
    expect(render('# *Emph* `code` [link](/x)')).toContain('id="h-emph-code-link"');
  });

  it('stays linear with thousands of equal headings', () => {
    const ids = new HeadingIds();
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) ids.next('Same');
    expect(ids.next('Same')).toBe('h-same-20000');
    // Linear takes ~10 ms; quadratic (re-probing from -1 each time) takes tens of seconds. The
    // bound sits between the two with room for a machine busy with other work.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('source lines', () => {
  it('marks block elements with their 0-based first line', () => {
    const html = render('para\n\n> quote\n\n---\n\n    code\n\n```\nfence\n```');
    expect(html).toContain('<p data-source-line="0">para</p>');
    expect(html).toContain('<blockquote data-source-line="2">');
    expect(html).toContain('<hr data-source-line="4">');
    expect(html).toContain('<pre data-source-line="6"><code>code');
    expect(html).toContain('<pre data-source-line="8"><code>fence');
  });
});

describe('code blocks', () => {
  it('highlights registered languages with the editor grammars', () => {
    const html = render('```ts\nconst x: number = 1;\n```');
    expect(html).toContain('<code class="language-typescript">');
    expect(html).toContain('<span class="tok-keyword">const</span>');
    expect(render('```python\ndef f(): pass\n```')).toContain(
      '<span class="tok-keyword">def</span>',
    );
    expect(render('```json\n{"a": 1}\n```')).toContain('<span class="tok-number">1</span>');
  });

  it('escapes unknown languages and gives them no class', () => {
    const html = render('```evil" onmouseover="alert(1)\n<b>x</b>\n```');
    expect(html).toBe('<pre data-source-line="0"><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n');
  });

  it('maps fence names to registered languages', () => {
    expect(fenceLanguage('js')).toBe('javascript');
    expect(fenceLanguage('TSX {title}')).toBe('typescript');
    expect(fenceLanguage('cobol')).toBeNull();
    expect(fenceLanguage('constructor')).toBeNull();
    expect(fenceLanguage('__proto__')).toBeNull();
  });

  it('escapes highlighted code', () => {
    const html = render('```js\nconst s = "</code><script>alert(1)</script>";\n```');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;/code&gt;&lt;script&gt;');
  });

  it('emits mermaid blocks as inert source', () => {
    const html = render('```mermaid\ngraph TD; A-->B; click A "javascript:alert(1)"\n```');
    expect(html).toBe(
      '<pre class="mermaid-source" data-source-line="0">graph TD; A--&gt;B; click A &quot;javascript:alert(1)&quot;\n</pre>\n',
    );
  });
});

describe('links and images', () => {
  it.each([
    'https://example.com',
    'http://example.com',
    'mailto:a@example.com',
    '/relative/path',
    'relative.md',
    '#anchor',
    '?query',
    '//example.com/x',
  ])('allows %j', (url) => {
    expect(isAllowedUrl(url)).toBe(true);
    expect(render(`[x](${url})`)).toContain('<a href=');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'blob:https://example.com/x',
    'ftp://example.com',
    'custom:thing',
    '\\\\evil.example/share',
  ])('refuses %j', (url) => {
    expect(isAllowedUrl(url)).toBe(false);
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](javas&#99;ript:alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '![x](javascript:alert(1))',
    '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
    '![x](data:image/png;base64,AAAA)',
    '[x]: javascript:alert(1)\n\n[x]',
    '<javascript:alert(1)>',
  ])('renders %j without a link or image', (source) => {
    const html = render(source);
    expect(html).not.toMatch(/<a |<img /);
  });

  it('adds rel to links and a no-referrer policy and lazy loading to images', () => {
    expect(render('[x](https://e.x)')).toContain(
      '<a href="https://e.x" rel="noopener noreferrer nofollow">x</a>',
    );
    expect(render('![alt "q"](https://e.x/i.png)')).toContain(
      '<img src="https://e.x/i.png" alt="alt &quot;q&quot;" loading="lazy" referrerpolicy="no-referrer">',
    );
  });

  it('keeps raw HTML as text', () => {
    const html = render('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('bounds', () => {
  it('cuts documents longer than MAX_RENDER_CHARS and says so', () => {
    const result = renderer.render('a'.repeat(MAX_RENDER_CHARS + 10));
    expect(result.truncated).toBe(true);
    expect(result.html).toContain('class="render-truncated"');
    expect(renderer.render('short').truncated).toBe(false);
  });

  it('stops nesting past the limit', () => {
    const html = render(`${'>'.repeat(10_000)} deep`);
    expect(html.match(/<blockquote/g)?.length ?? 0).toBeLessThanOrEqual(32);
  });
});

describe('highlighting budget', () => {
  it('highlights fences until the per-render budget is spent, then shows them plain', () => {
    const fence = `\`\`\`js\n${'let a = 1;\n'.repeat(9_000)}\`\`\``; // 99,000 characters
    const html = render([fence, fence, fence].join('\n\n'));
    const highlighted = html.split('<pre').filter((block) => block.includes('tok-keyword'));
    expect(highlighted).toHaveLength(2);
    expect(html.match(/class="language-javascript"/g)).toHaveLength(3);
    // Each render starts with a full budget.
    expect(render(fence)).toContain('tok-keyword');
  });
});
