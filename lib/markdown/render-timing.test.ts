import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTrace } from '../../server/test/traces';
import { loadMathRenderer } from './math';
import { MarkdownRenderer } from './render';
import { createPreviewSanitizer } from './sanitize';

/**
 * Render times of a large real document and of documents built to be slow. The budgets only
 * catch super-linear blow-ups (those take minutes on a megabyte): the machine is shared, so the
 * printed medians (`TIMING_VERBOSE=1`) are the numbers to compare, not the pass/fail.
 */

/** Quiet machine: 0.3–2 s per case; measured up to 12 s with the suite beside other builds. */
const BUDGET_MS = 15_000;

let renderer: MarkdownRenderer;
beforeAll(async () => {
  renderer = new MarkdownRenderer({ math: await loadMathRenderer(), interactiveTasks: true });
});

function medianMs(run: () => void, repetitions: number): number {
  const times: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

function report(name: string, chars: number, ms: number): void {
  if (process.env.TIMING_VERBOSE) {
    console.log(
      `${name.padEnd(40)} ${String(chars).padStart(9)} chars ${ms.toFixed(1).padStart(8)} ms`,
    );
  }
}

const PATHOLOGICAL: ReadonlyArray<readonly [string, () => string]> = [
  ['10,000 nested lists', () => `${'- '.repeat(10_000)}x`],
  [
    '10,000 nested lists, one per line',
    () => Array.from({ length: 10_000 }, () => '1. ').join('\n'),
  ],
  ['10,000 nested quotes', () => `${'>'.repeat(10_000)} x`],
  [
    '10,000 quote lines, nesting growing',
    () => Array.from({ length: 2_000 }, (_, i) => `${'> '.repeat(i % 200)}x`).join('\n'),
  ],
  [
    '5,000-row table',
    () =>
      `| a | b | c | d | e |\n|---|---|---|---|---|\n${'| 1 | **2** | `3` | [4](/x) | $5$ |\n'.repeat(5_000)}`,
  ],
  ['emphasis run *a', () => '*a'.repeat(100_000)],
  ['emphasis run **_', () => '**_'.repeat(100_000)],
  ['emphasis mixed run', () => '*_~'.repeat(100_000)],
  ['open brackets [', () => '['.repeat(100_000)],
  ['link openers [a](', () => '[a]('.repeat(50_000)],
  ['image openers ![', () => '!['.repeat(100_000)],
  ['unclosed autolinks <http:', () => '<http://a'.repeat(50_000)],
  [
    'backtick runs',
    () => Array.from({ length: 20_000 }, (_, i) => '`'.repeat(1 + (i % 30))).join('a'),
  ],
  [
    'reference definitions',
    () => Array.from({ length: 20_000 }, (_, i) => `[r${i}]: /x${i}`).join('\n'),
  ],
  ['dollar runs', () => '$a '.repeat(200_000)],
  ['1 MB line of words', () => 'word '.repeat(200_000)],
  ['1 MB line of www.', () => 'www.'.repeat(250_000)],
  ['1 MB line of urls', () => 'http://a.b/ '.repeat(90_000)],
  ['1 MB line of emails', () => 'a@b.cd '.repeat(150_000)],
  ['100,000 headings', () => '# same\n'.repeat(100_000)],
  ['1 MB fenced ts code', () => `\`\`\`ts\n${'const x = 1;\n'.repeat(80_000)}\`\`\``],
  ['20,000 tasks', () => '- [ ] task\n'.repeat(20_000)],
];

describe('render time', () => {
  it('of the automerge-paper document (104,852 characters)', async () => {
    const text = loadTrace('automerge-paper').endContent;
    expect(text.length).toBe(104_852);
    renderer.render(text); // warm up the JIT
    const ms = medianMs(() => renderer.render(text), 9);
    report('automerge-paper, formulas cached', text.length, ms);
    expect(ms).toBeLessThan(BUDGET_MS);

    // A first render typesets every formula (about 650) with KaTeX.
    const math = await loadMathRenderer();
    const coldMs = medianMs(() => new MarkdownRenderer({ math }).render(text), 1);
    report('automerge-paper, first render', text.length, coldMs);
    expect(coldMs).toBeLessThan(BUDGET_MS);
    const noMathMs = medianMs(() => new MarkdownRenderer().render(text), 5);
    report('automerge-paper, KaTeX not loaded', text.length, noMathMs);

    const { window } = new JSDOM('');
    const sanitize = createPreviewSanitizer(createDOMPurify(window));
    const html = renderer.render(text).html;
    const sanitizeMs = medianMs(() => sanitize(html), 5);
    report('automerge-paper sanitize (jsdom)', html.length, sanitizeMs);
    expect(sanitizeMs).toBeLessThan(BUDGET_MS * 3);
  });

  it.each(PATHOLOGICAL)('of %s stays bounded', (name, build) => {
    const source = build();
    const ms = medianMs(() => renderer.render(source), 1);
    report(name, source.length, ms);
    expect(ms).toBeLessThan(BUDGET_MS);
  });
});
