import type { BlockContext, InlineContext, Line, MarkdownConfig } from '@lezer/markdown';

/**
 * Bounds on the editor's markdown highlighting, so a hostile document cannot stall or crash the
 * editor. The Lezer parser is incremental and time-sliced, but only between blocks: one block is
 * parsed in one uninterruptible step, and a few shapes cost far more than their size:
 * - 10,000 nested lists or quotes build a 20,000-deep tree that the highlighter walks
 *   recursively (stack overflow), and each level rescans the rest of the line;
 * - runs of `[a](` or `[a]` make link parsing quadratic (12 s for 160 KB);
 * - a 5,000-line paragraph or a 1 MB line is one step, re-parsed on every keystroke in it.
 * Past these limits the text is still there and editable; it is only highlighted as plain text
 * (the preview renders it with its own parser, in a worker).
 */

/** Open blocks (a list counts two: list and item) beyond which lines are plain paragraphs. */
export const MAX_BLOCK_NESTING = 40;
/** A paragraph longer than this gets no inline highlighting (emphasis, links, code). */
export const MAX_INLINE_CHARS = 5_000;
/** Link parsing costs about (closing brackets × text length); above this, links stay text. */
export const MAX_LINK_WORK = 2_000_000;
/** A paragraph is cut into parse steps of this many lines. */
export const MAX_LEAF_LINES = 200;

/**
 * Past the nesting bound, the line is taken whole as a paragraph before the quote and list
 * parsers can open another level (blank lines never reach block parsers).
 */
function flatBeyondNesting(cx: BlockContext, line: Line): boolean {
  if (cx.depth < MAX_BLOCK_NESTING) return false;
  cx.addElement(cx.elt('Paragraph', cx.lineStart + line.pos, cx.lineStart + line.text.length));
  cx.nextLine();
  return true;
}

/** Whether links are worth parsing in this inline text (computed once per paragraph). */
const linkBudget = new WeakMap<InlineContext, boolean>();

function linksAffordable(cx: InlineContext): boolean {
  let affordable = linkBudget.get(cx);
  if (affordable === undefined) {
    let closers = 0;
    for (let i = cx.text.indexOf(']'); i >= 0; i = cx.text.indexOf(']', i + 1)) closers++;
    affordable = closers * cx.text.length <= MAX_LINK_WORK;
    linkBudget.set(cx, affordable);
  }
  return affordable;
}

const leafLines = new WeakMap<object, number>();

export const markdownBounds: MarkdownConfig = {
  parseBlock: [
    { name: 'BoundedNesting', before: 'Blockquote', parse: flatBeyondNesting },
    {
      name: 'BoundedParagraph',
      parse: () => false,
      // End a long paragraph (it continues as the next one), keeping each parse step short.
      endLeaf: (_cx, _line, leaf) => {
        const lines = (leafLines.get(leaf) ?? 1) + 1;
        leafLines.set(leaf, lines);
        return lines > MAX_LEAF_LINES;
      },
    },
  ],
  parseInline: [
    {
      name: 'BoundedInline',
      before: 'Escape',
      // Claim the whole text as plain: nothing in it is parsed.
      parse: (cx) => (cx.text.length > MAX_INLINE_CHARS ? cx.end : -1),
    },
    {
      name: 'BoundedLinks',
      before: 'LinkEnd',
      // A closing bracket taken as plain text never starts the link scan.
      parse: (cx, next, pos) => (next === 93 && !linksAffordable(cx) ? pos + 1 : -1),
    },
  ],
};
