import fc from 'fast-check';
import type { Token } from 'markdown-it';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import {
  deriveTitle,
  effectiveTitle,
  HEADING_SCAN_LIMIT,
  MAX_TITLE_LENGTH,
  plainText,
} from './doc-title';

describe('deriveTitle', () => {
  it.each([
    ['# Meeting notes', 'Meeting notes'],
    ['## Second level', 'Second level'],
    ['###### Six', 'Six'],
    ['   # Three spaces of indent', 'Three spaces of indent'],
    ['#\tTab after the marks', 'Tab after the marks'],
    ['# Closing marks ###', 'Closing marks'],
    ['# Closing marks ###   ', 'Closing marks'],
    ['# C# stays', 'C# stays'],
    ['# Not closing#', 'Not closing#'],
    ['intro\n\n# Later heading', 'Later heading'],
    ['Setext one\n==========', 'Setext one'],
    ['Setext two\n---', 'Setext two'],
    ['Two line\nsetext title\n===', 'Two line setext title'],
    ['\n\n  Indented setext\n  ===', 'Indented setext'],
    ['Windows\r\n===\r\n', 'Windows'],
  ])('%j → %j', (source, title) => {
    expect(deriveTitle(source)).toBe(title);
  });

  it.each([
    ['', 'empty'],
    ['plain paragraph\nno heading', 'no heading at all'],
    ['#hashtag', 'no space after the marks'],
    ['####### seven', 'seven marks'],
    ['    # indented code', 'indented code'],
    ['```\n# in a fence\n```', 'backtick fence'],
    ['~~~~ js\n# in a fence\n~~~\n# still in it\n~~~~', 'longer tilde fence'],
    ['> # quoted', 'block quote'],
    ['- # listed', 'list item'],
    ['- item\n===', 'lazy continuation of a list item'],
    ['\n---\n', 'thematic break after a blank line'],
    ['#\n##   ##', 'empty headings'],
    ['\\# escaped', 'escaped mark'],
  ])('no title from %j (%s)', (source) => {
    expect(deriveTitle(source)).toBe('');
  });

  it('skips empty headings and takes the next one', () => {
    expect(deriveTitle('#\n# Real')).toBe('Real');
  });

  it('ignores a heading inside a fence, then finds the one after it', () => {
    expect(deriveTitle('```md\n# Example\n```\n\n# Actual title')).toBe('Actual title');
  });

  it('does not take YAML front matter for a setext heading', () => {
    expect(deriveTitle('---\ntitle: x\n---\n# From the body')).toBe('From the body');
  });

  it('searches only the first HEADING_SCAN_LIMIT characters', () => {
    const filler = 'x\n'.repeat(HEADING_SCAN_LIMIT / 2);
    expect(deriveTitle(`${filler}# Too late`)).toBe('');
  });

  it('is fast on a large document without headings', () => {
    const text = 'lorem ipsum dolor sit amet\n'.repeat(40_000);
    const started = performance.now();
    for (let i = 0; i < 20; i++) deriveTitle(text);
    expect((performance.now() - started) / 20).toBeLessThan(20);
  });
});

describe('plainText (inline markup of a heading)', () => {
  it.each([
    ['*emphasis* and **strong**', 'emphasis and strong'],
    ['_under_ and __double__ and ***both***', 'under and double and both'],
    ['~~struck~~ text', 'struck text'],
    ['`code` span', 'code span'],
    ['`` a ` tick ``', 'a ` tick'],
    ['[a link](https://example.com "t") here', 'a link here'],
    ['[ref link][ref]', 'ref link'],
    ['![an image](x.png)', 'an image'],
    ['<https://example.com>', 'https://example.com'],
    ['\\*not emphasis\\*', '*not emphasis*'],
    ['snake_case_name', 'snake_case_name'],
    ['2 * 3 * 4', '2 * 3 * 4'],
    ['  many   spaces  ', 'many spaces'],
  ])('%j → %j', (source, text) => {
    expect(plainText(source)).toBe(text);
  });

  it('keeps hostile markup as literal text', () => {
    expect(deriveTitle('# <img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(deriveTitle('# <script>alert(1)</script>')).toBe('<script>alert(1)</script>');
    expect(deriveTitle('# [x](javascript:alert(1))')).toBe('x');
  });

  it('removes control and bidi-override characters', () => {
    expect(plainText('a\u0000b\u0007c\u202eevil\u2066d')).toBe('a b c evil d');
  });

  it('bounds the length', () => {
    const title = deriveTitle(`# ${'word '.repeat(1000)}`);
    expect(title.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
    expect(title.endsWith('…')).toBe(true);
  });

  it('stays fast on ReDoS-shaped headings', () => {
    for (const run of ['[', '*', '_', '`', '![', '<http:', '\\', '~~']) {
      const started = performance.now();
      deriveTitle(`# ${run.repeat(100_000)}`);
      expect(performance.now() - started, run).toBeLessThan(50);
    }
  });
});

describe('effectiveTitle', () => {
  it('prefers an explicit title, ignoring a blank one', () => {
    expect(effectiveTitle('Mine', 'Derived')).toBe('Mine');
    expect(effectiveTitle('', 'Derived')).toBe('Derived');
    expect(effectiveTitle('   ', 'Derived')).toBe('Derived');
    expect(effectiveTitle('', '')).toBe('');
  });
});

/** markdown-it's answer: the text of the first non-empty top-level heading. */
function oracleTitle(markdown: string): string {
  const tokens = new MarkdownIt('commonmark').parse(markdown, {});
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type !== 'heading_open' || token.level !== 0) continue;
    const text = inlineText(tokens[i + 1]?.children ?? []);
    if (text) return text;
  }
  return '';
}

function inlineText(children: readonly Token[]): string {
  return children
    .map((child) => {
      if (child.type === 'softbreak' || child.type === 'hardbreak') return ' ';
      if (child.type === 'image') return inlineText(child.children ?? []);
      return child.type === 'text' || child.type === 'code_inline' ? child.content : '';
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('agrees with markdown-it on which heading comes first', () => {
  const LINES = [
    '',
    '# Title',
    '## Sub *em*',
    '#no',
    'text',
    'more text',
    '```',
    '```js',
    '~~~',
    '    # code',
    '===',
    '---',
    '***',
    '> # quoted',
    '> quote',
    '- item',
    '1. first',
    '2. second',
    '# [link](http://x) `c`',
    '#',
    '# closing ##',
  ];

  it('for documents built from tricky lines', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { maxLength: 12 }), (lines) => {
        // Front matter is a coedit rule markdown-it does not know; leave it out of the race.
        fc.pre(lines[0] !== '---');
        const source = lines.join('\n');
        expect(deriveTitle(source)).toBe(oracleTitle(source));
      }),
      { numRuns: 3000 },
    );
  });
});
