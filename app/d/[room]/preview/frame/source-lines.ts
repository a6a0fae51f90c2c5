/**
 * Mapping between scroll offsets in the preview and 0-based source lines, through the
 * `data-source-line` every rendered block carries. Between two blocks the position is
 * interpolated, so scrolling stays smooth across long paragraphs and code blocks.
 *
 * Only the top-level blocks are measured, plus the nested blocks (list items, quoted
 * paragraphs) of the one top-level block the position falls in: off-screen blocks are not laid
 * out (`content-visibility: auto`, frame-styles.ts), and measuring what is inside one forces its
 * layout, so measuring every nested block would lay out the whole document on each scroll.
 */

interface Anchor {
  readonly line: number;
  readonly top: number;
  readonly element: Element;
}

/** Anchors of `elements` with lines increasing past `afterLine` (nested blocks repeat lines). */
function collect(elements: Iterable<Element>, scrollY: number, afterLine: number): Anchor[] {
  const result: Anchor[] = [];
  let lastLine = afterLine;
  for (const element of elements) {
    const line = Number(element.getAttribute('data-source-line'));
    if (!Number.isInteger(line) || line <= lastLine) continue;
    result.push({ line, top: element.getBoundingClientRect().top + scrollY, element });
    lastLine = line;
  }
  return result;
}

/**
 * The top-level anchors, with the nested ones of the block `pick` chooses spliced in after it
 * (those before the next top-level block's line).
 */
function anchors(root: HTMLElement, pick: (blocks: readonly Anchor[]) => number): Anchor[] {
  const scrollY = window.scrollY;
  const blocks = collect(
    root.querySelectorAll(':scope > .md-block > [data-source-line]'),
    scrollY,
    -1,
  );
  const index = pick(blocks);
  const block = blocks[index];
  if (!block) return blocks;
  const nextLine = blocks[index + 1]?.line ?? Number.POSITIVE_INFINITY;
  const nested = collect(block.element.querySelectorAll('[data-source-line]'), scrollY, block.line);
  return [
    ...blocks.slice(0, index + 1),
    ...nested.filter((anchor) => anchor.line < nextLine),
    ...blocks.slice(index + 1),
  ];
}

/** Index of the last anchor for which `isBefore` holds (they are in document order), or -1. */
function lastBefore(list: readonly Anchor[], isBefore: (anchor: Anchor) => boolean): number {
  let found = -1;
  for (const [index, anchor] of list.entries()) {
    if (!isBefore(anchor)) break;
    found = index;
  }
  return found;
}

/** The document offset (px) that shows source `line` at the top of the frame. */
export function topForSourceLine(root: HTMLElement, line: number): number {
  const isBefore = (anchor: Anchor) => anchor.line <= line;
  const list = anchors(root, (blocks) => lastBefore(blocks, isBefore));
  const at = lastBefore(list, isBefore);
  const before = list[at];
  const after = list[at + 1];
  if (!before) return 0;
  if (!after) return before.top;
  const fraction = (line - before.line) / (after.line - before.line);
  return before.top + fraction * (after.top - before.top);
}

/** The (fractional, floored) source line shown at document offset `top`. */
export function sourceLineAt(root: HTMLElement, top: number): number {
  const isBefore = (anchor: Anchor) => anchor.top <= top + 1;
  const list = anchors(root, (blocks) => lastBefore(blocks, isBefore));
  const at = lastBefore(list, isBefore);
  const before = list[at];
  const after = list[at + 1];
  if (!before) return 0;
  if (!after || after.top === before.top) return before.line;
  const fraction = (top - before.top) / (after.top - before.top);
  return Math.floor(before.line + fraction * (after.line - before.line));
}
