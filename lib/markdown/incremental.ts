import { HEADING_IDS_KEY } from './block-attributes';
import type { RenderedBlock } from './blocks';
import { BUDGET_EXCEEDED_KEY, codeBlocksEnv, MAX_HIGHLIGHTED_CHARS } from './code-blocks';
import { HeadingIds, slugify } from './heading-ids';
import { MAX_BLOCK_LINES } from './math';
import { MAX_RENDER_CHARS, type MarkdownRenderer, type ParsedBlock } from './render';

/**
 * Re-renders a document after an edit by parsing only the top-level blocks around the edit, and
 * reusing every other block's HTML: on a 100 KB document an edit costs one or two blocks instead
 * of the whole text. The output is exactly what `MarkdownRenderer.renderBlocks` gives for the
 * new text (a property test compares them on random and real edits).
 *
 * Why that holds: markdown-it parses top-level blocks forward only. A block's extent depends on
 * its own lines and the line after it, so the blocks before the one preceding the edit are
 * unchanged; and once a re-parsed block equals an old block (same lines, same HTML) past the
 * edit, everything after it parses as before. The parse window starts one block before the edit
 * and grows past it until that happens.
 *
 * Constructs that reach across the document render the whole text instead:
 * - reference definitions (`[x]: /url`) and footnotes (`[^x]`) anywhere in the parsed window:
 *   links elsewhere resolve through them, and footnotes are numbered and listed document-wide;
 * - a heading whose id could change another heading's deduplicated id ("h-intro-1");
 * - code beyond the highlighting budget (which fences get highlighted depends on those before);
 * - documents longer than MAX_RENDER_CHARS (cut, with a note).
 * A `$$` in the edited lines may close a math block opened up to MAX_BLOCK_LINES lines above,
 * so the window then starts that far up.
 * Elsewhere, the window is parsed with the document's link references and the heading ids above
 * it, so links and ids come out as in a whole render.
 */

type Block = ParsedBlock;

export interface IncrementalResult {
  readonly blocks: readonly RenderedBlock[];
  /** Why the whole text was rendered, or null when only a window around the edit was. */
  readonly fullRender: string | null;
  /** Source lines parsed (the window, or the whole text). */
  readonly parsedLines: number;
}

/** Line boundaries of a text: `starts[i]` is the offset of line i. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** Index of the line holding offset `pos` (binary search in `starts`). */
function lineOf(starts: readonly number[], pos: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] as number) <= pos) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The text of lines [from, to) (to past the last line: up to the end). */
function linesText(text: string, starts: readonly number[], from: number, to: number): string {
  const start = starts[from] ?? text.length;
  const end = to < starts.length ? (starts[to] as number) : text.length;
  return text.slice(start, end);
}

/** Compared a chunk at a time first: equal slices compare natively, far faster than a loop. */
const CHUNK = 1024;

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let at = 0;
  while (at + CHUNK <= max && a.slice(at, at + CHUNK) === b.slice(at, at + CHUNK)) at += CHUNK;
  while (at < max && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/** Length of the common end of `a` and `b`, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let n = 0;
  while (
    n + CHUNK <= max &&
    a.slice(a.length - n - CHUNK, a.length - n) === b.slice(b.length - n - CHUNK, b.length - n)
  ) {
    n += CHUNK;
  }
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

const WHOLE_DOCUMENT = /\]:|\[\^/;

/** Whether ids of headings with these texts could interact (equal bases, or one a suffix form). */
function idsInteract(a: readonly string[], b: ReadonlySet<string>): boolean {
  for (const text of a) {
    const slug = slugify(text);
    for (const other of b) {
      if (slug === other || slug.startsWith(`${other}-`) || other.startsWith(`${slug}-`)) {
        return true;
      }
    }
  }
  return false;
}

export class IncrementalRenderer {
  private text: string | null = null;
  private starts: number[] = [];
  private blocks: Block[] = [];
  private footnotes: Block | null = null;
  private references: unknown = undefined;
  private budgetExceeded = false;

  constructor(private readonly renderer: MarkdownRenderer) {}

  render(text: string): IncrementalResult {
    const reason = this.text === null ? 'first render' : this.partial(text);
    if (typeof reason !== 'string') return reason;
    return { blocks: this.renderAll(text), fullRender: reason, parsedLines: this.starts.length };
  }

  private renderAll(text: string): RenderedBlock[] {
    if (text.length > MAX_RENDER_CHARS) {
      this.text = null; // the renderer cuts it; the next edit renders the whole text again
      return [...this.renderer.renderBlocks(text).blocks];
    }
    const env = codeBlocksEnv();
    const parsed = this.renderer.parseBlocks(text, env);
    this.text = text;
    this.starts = lineStarts(text);
    this.references = env.references;
    this.budgetExceeded = env[BUDGET_EXCEEDED_KEY] === true;
    this.footnotes = parsed.find((block) => block.footnotes) ?? null;
    this.blocks = parsed.filter((block) => !block.footnotes);
    return this.output();
  }

  private output(): RenderedBlock[] {
    const all: RenderedBlock[] = this.blocks.map(({ html, line }) => ({ html, line }));
    if (this.footnotes) all.push({ html: this.footnotes.html, line: this.footnotes.line });
    return all;
  }

  /** Renders only a window around the edit; a string says why the whole text is needed. */
  private partial(text: string): IncrementalResult | string {
    const old = this.text as string;
    if (text.length > MAX_RENDER_CHARS) return 'document longer than the render limit';
    if (this.budgetExceeded) return 'code beyond the highlighting budget';
    const prefix = commonPrefix(old, text);
    const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - prefix);
    const oldStarts = this.starts;
    const newStarts = lineStarts(text);
    const firstLine = lineOf(oldStarts, prefix);
    const oldLastLine = lineOf(oldStarts, old.length - suffix);
    const newLastLine = lineOf(newStarts, text.length - suffix);
    const delta = newLastLine - oldLastLine;

    const edited =
      linesText(old, oldStarts, firstLine, oldLastLine + 1) +
      linesText(text, newStarts, firstLine, newLastLine + 1);
    // A `$$` may open or close a math block up to MAX_BLOCK_LINES lines away, either way.
    const reach = edited.includes('$$') ? MAX_BLOCK_LINES : 0;
    const blocks = this.blocks;
    // The window starts one block before the first block the edit (or its reach) touches: an
    // edit on the line after a block can extend it (a paragraph, a setext heading's underline).
    let touched = blocks.findIndex((block) => block.end > firstLine - reach);
    if (touched < 0) touched = blocks.length;
    const from = Math.max(0, touched - 1);
    const windowStart = touched === 0 ? 0 : (blocks[from] as Block).line;

    let sync = blocks.findIndex((block) => block.line > oldLastLine + reach);
    let step = 1;
    for (;;) {
      const target = sync >= 0 && sync < blocks.length ? (blocks[sync] as Block) : null;
      const oldEnd = target ? target.end : oldStarts.length;
      const newEnd = target ? target.end + delta : newStarts.length;
      const oldWindow = linesText(old, oldStarts, windowStart, oldEnd);
      const newWindow = linesText(text, newStarts, windowStart, newEnd);
      if (WHOLE_DOCUMENT.test(oldWindow) || WHOLE_DOCUMENT.test(newWindow)) {
        return 'a link reference or footnote near the edit';
      }
      const result = this.parseWindow(newWindow, windowStart, from);
      if (typeof result === 'string') return result;
      const last = result.parsed.at(-1);
      const synced =
        !target ||
        (last !== undefined &&
          last.line === target.line + delta &&
          last.end === target.end + delta &&
          last.html === target.html);
      if (synced) {
        const replaced = blocks.slice(from, target ? sync + 1 : blocks.length);
        const after = target ? blocks.slice(sync + 1) : [];
        const headingsAfter = new Set(
          after.flatMap((block) => block.headings.map((heading) => slugify(heading))),
        );
        const windowHeadings = [
          ...replaced.flatMap((block) => block.headings),
          ...result.parsed.flatMap((block) => block.headings),
        ];
        if (idsInteract(windowHeadings, headingsAfter)) {
          return 'a heading whose id other headings depend on';
        }
        const highlighted = [...blocks.slice(0, from), ...result.parsed, ...after].reduce(
          (sum, block) => sum + block.highlighted,
          0,
        );
        if (result.budgetExceeded || highlighted > MAX_HIGHLIGHTED_CHARS) {
          return 'code beyond the highlighting budget';
        }
        const shifted = delta === 0 ? after : after.map((block) => shift(block, delta));
        this.blocks = [...blocks.slice(0, from), ...result.parsed, ...shifted];
        if (this.footnotes && delta !== 0 && this.footnotes.line > oldLastLine) {
          this.footnotes = shift(this.footnotes, delta);
        }
        this.text = text;
        this.starts = newStarts;
        return { blocks: this.output(), fullRender: null, parsedLines: newEnd - windowStart };
      }
      // Not in step yet (the edit opened a fence, say): parse further, doubling the distance.
      sync = sync < 0 ? blocks.length : sync + step;
      step *= 2;
    }
  }

  /** Parses lines starting at `windowStart` as they would parse in the whole document. */
  private parseWindow(
    source: string,
    windowStart: number,
    blocksBefore: number,
  ): { parsed: Block[]; budgetExceeded: boolean } | string {
    const ids = new HeadingIds();
    let highlighted = 0;
    for (const block of this.blocks.slice(0, blocksBefore)) {
      for (const heading of block.headings) ids.next(heading);
      highlighted += block.highlighted;
    }
    const env = codeBlocksEnv(MAX_HIGHLIGHTED_CHARS - highlighted);
    env[HEADING_IDS_KEY] = ids;
    if (this.references !== undefined) env.references = { ...(this.references as object) };
    const parsed = this.renderer.parseBlocks(source, env);
    if (parsed.some((block) => block.footnotes)) return 'a footnote near the edit';
    return {
      parsed: parsed.map((block) => shift(block, windowStart)),
      budgetExceeded: env[BUDGET_EXCEEDED_KEY] === true,
    };
  }
}

function shift(block: Block, delta: number): Block {
  return { ...block, line: block.line + delta, end: block.end + delta };
}
