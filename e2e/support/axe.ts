import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** axe-core's result types, taken from the builder (axe-core itself comes with it). */
export type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
type Result = AxeResults['violations'][number];

/** WCAG 2.0, 2.1 and 2.2 levels A and AA, plus axe's best practices (one h1, landmarks). */
export const AXE_TAGS = [
  'wcag2a',
  'wcag2aa',
  'wcag21a',
  'wcag21aa',
  'wcag22aa',
  'best-practice',
] as const;

/** Impacts that fail the check; moderate and minor ones are only printed. */
const BLOCKING = new Set(['serious', 'critical']);
/** Moderate rules that fail the check too: every page has a level-one heading. */
const ALSO_BLOCKING = new Set(['page-has-heading-one']);
/** Nodes printed per rule (a contrast failure can hit every line number). */
const NODES_SHOWN = 6;

/**
 * Rules axe ships switched off as "experimental" that we hold ourselves to anyway: an
 * accessible name must contain the visible label (WCAG 2.5.3, serious).
 */
const EXTRA_RULES = { 'label-content-name-mismatch': { enabled: true } } as const;

/** One violation per line group: rule, impact, help, and each offending node with axe's summary. */
export function formatViolations(violations: readonly Result[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.slice(0, NODES_SHOWN).map((node) => {
        const target = node.target.map((part) => JSON.stringify(part)).join(' >> ');
        const why = node.failureSummary?.replace(/\s*\n\s*/g, ' ').trim() ?? '';
        return `    ${target}\n      ${node.html.slice(0, 200)}\n      ${why}`;
      });
      const more = violation.nodes.length - nodes.length;
      if (more > 0) nodes.push(`    …and ${more} more`);
      return `[${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/**
 * Run axe-core on the page as it is now (every frame Playwright can reach, the sandboxed
 * preview frame included) and fail on any serious or critical violation, printing them.
 */
export async function expectAccessible(
  page: Page,
  where: string,
  options: { exclude?: string } = {},
): Promise<AxeResults> {
  const builder = new AxeBuilder({ page }).options({ rules: EXTRA_RULES }).withTags([...AXE_TAGS]);
  if (options.exclude) builder.exclude(options.exclude);
  const results = await builder.analyze();
  const blocks = (v: Result) => BLOCKING.has(v.impact ?? '') || ALSO_BLOCKING.has(v.id);
  // axe is unsure whether a name like "Close" covers a visible "×": we count that as a failure.
  const unsure = results.incomplete.filter((v) => v.id === 'label-content-name-mismatch');
  const blocking = [...results.violations.filter(blocks), ...unsure];
  const minor = results.violations.filter((v) => !blocks(v));
  if (minor.length > 0) console.log(`axe (${where}), not blocking:\n${formatViolations(minor)}`);
  expect(formatViolations(blocking), `axe: serious or critical violations on ${where}`).toBe('');
  return results;
}

/**
 * Check the document inside the frame `frameSelector` as it is rendered now, on a page of its
 * own: its DOM (scripts left out) in a new tab of the same colour scheme and size.
 *
 * Why not through the page: the preview is a sandboxed frame with an opaque origin, so axe
 * cannot reach it from the page's side, and @axe-core/playwright's per-frame injection gives up
 * silently after one second, which a loaded machine exceeds (the frame was then skipped at
 * random). A copy is checked every time, with the frame's own stylesheet and colours.
 */
export async function expectFrameAccessible(
  page: Page,
  frameSelector: string,
  where: string,
): Promise<AxeResults> {
  const frameElement = page.locator(frameSelector);
  const frame = await (await frameElement.elementHandle())?.contentFrame();
  if (!frame) throw new Error(`no frame at ${frameSelector}`);
  const box = await frameElement.boundingBox();
  const html = (await frame.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const colorScheme = await page.evaluate(() =>
    matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
  );
  const copy = await page.context().newPage();
  try {
    await copy.emulateMedia({ colorScheme });
    if (box) {
      await copy.setViewportSize({ width: Math.ceil(box.width), height: Math.ceil(box.height) });
    }
    await copy.setContent(html);
    const results = await expectAccessible(copy, where);
    expect(await copy.locator('body *').count(), `${where} has content`).toBeGreaterThan(0);
    return results;
  } finally {
    await copy.close();
  }
}
