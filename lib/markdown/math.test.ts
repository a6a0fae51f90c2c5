import { beforeAll, describe, expect, it } from 'vitest';
import { loadMathRenderer, MAX_FORMULA_CHARS, type MathRenderer, mayContainMath } from './math';
import { MarkdownRenderer } from './render';

/** Stands in for KaTeX where only the parsing is under test: shows what would be typeset. */
const echo: MathRenderer = (tex, display) => `[${display ? 'D' : 'I'}:${tex}]`;
const render = (source: string) => new MarkdownRenderer({ math: echo }).render(source).html;

describe('math parsing', () => {
  it.each([
    ['$x^2$', '<p data-source-line="0">[I:x^2]</p>\n'],
    ['a $x$ b $y$', '<p data-source-line="0">a [I:x] b [I:y]</p>\n'],
    ['inline $$x$$ display', '<p data-source-line="0">inline [D:x] display</p>\n'],
    ['$a\\$b$', '<p data-source-line="0">[I:a\\$b]</p>\n'],
  ])('%j', (source, html) => {
    expect(render(source)).toBe(html);
  });

  it.each([
    ['costs $5 and $10', 'a closing $ may not be followed by a digit'],
    ['$ x$', 'no space after the opening $'],
    ['$x $', 'no space before the closing $'],
    ['$$', 'empty'],
    ['\\$x$', 'escaped opening $'],
    ['`$x$`', 'inside a code span'],
  ])('no math in %j (%s)', (source) => {
    expect(render(source)).not.toContain('[I:');
  });

  it('parses display blocks on one line and over several', () => {
    expect(render('$$x = 1$$')).toBe(
      '<div class="math-block" data-source-line="0">[D:x = 1]</div>\n',
    );
    expect(render('text\n\n$$\na\n\\\\\nb\n$$\n\nafter')).toContain(
      '<div class="math-block" data-source-line="2">[D:a\n\\\\\nb]</div>',
    );
  });

  it('leaves an unclosed display block as text', () => {
    expect(render('$$\nnever closed')).toContain('<p data-source-line="0">$$\nnever closed</p>');
  });

  it('does not parse math inside code', () => {
    expect(render('```\n$$\nx\n$$\n```')).not.toContain('[D:');
    expect(render('    $x$')).not.toContain('[I:');
  });

  it('shows the source, escaped, until KaTeX is loaded', () => {
    const html = new MarkdownRenderer().render('$<b>x</b>$\n\n$$\ny\n$$').html;
    expect(html).toContain('<span class="math-source">$&lt;b&gt;x&lt;/b&gt;$</span>');
    expect(html).toContain('<div class="math-source">$$y$$</div>');
  });

  it('shows overlong formulas as source', () => {
    const tex = 'x'.repeat(MAX_FORMULA_CHARS + 1);
    expect(render(`$$${tex}$$`)).toContain('class="math-source"');
  });

  it('is linear on runs of unmatched dollars', () => {
    const started = performance.now();
    render('$a '.repeat(100_000));
    render('$$a '.repeat(50_000));
    render('$$\n'.repeat(20_000));
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('says when KaTeX is worth loading', () => {
    expect(mayContainMath('no math here')).toBe(false);
    expect(mayContainMath('costs $5')).toBe(true);
  });
});

describe('KaTeX', () => {
  let katex: MathRenderer;
  beforeAll(async () => {
    katex = await loadMathRenderer();
  });

  it('typesets inline and display math with MathML for screen readers', () => {
    const inline = katex('x^2', false);
    expect(inline).toContain('<span class="katex">');
    expect(inline).toContain('<annotation encoding="application/x-tex">x^2</annotation>');
    expect(katex('x', true)).toContain('katex-display');
  });

  it('shows errors inline instead of throwing', () => {
    expect(katex('\\frac{', false)).toContain('katex-error');
  });
});
