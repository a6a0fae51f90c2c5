import type { PreviewBlock } from '../../../../../lib/markdown/preview-protocol';

/**
 * The blocks the frame shows, updated in place: a block whose HTML the frame already shows is
 * kept (its source lines shifted if it moved), and only new or changed blocks are sanitized,
 * parsed and inserted. On a large document an edit then costs one block, not the whole page.
 * Each block lives in a `display: contents` wrapper, so the layout is that of plain siblings.
 */

interface ShownBlock {
  readonly html: string;
  /** The source line the element's line attributes are currently relative to. */
  line: number;
  readonly element: HTMLElement;
  /**
   * The elements carrying line attributes, found once: a line added above shifts every later
   * block, and searching their whole subtrees (thousands of KaTeX spans) each time would not do.
   */
  lined: readonly Element[];
}

const LINED = '[data-source-line], [data-task-line]';

/** The block's lined elements, found again if something replaced one (a rendered diagram). */
function linedElements(block: ShownBlock): readonly Element[] {
  if (block.lined.some((node) => !block.element.contains(node))) {
    block.lined = [...block.element.querySelectorAll(LINED)];
  }
  return block.lined;
}

const LINE_ATTRIBUTES = ['data-source-line', 'data-task-line'] as const;

function shiftLines(lined: readonly Element[], delta: number): void {
  if (delta === 0) return;
  for (const node of lined) {
    for (const name of LINE_ATTRIBUTES) {
      const value = node.getAttribute(name);
      if (value !== null) node.setAttribute(name, String(Number(value) + delta));
    }
  }
}

export class BlockList {
  private shown: ShownBlock[] = [];

  constructor(
    private readonly root: HTMLElement,
    /** Turns one block's untrusted HTML into the (sanitized) element to show. */
    private readonly build: (html: string) => HTMLElement,
  ) {}

  update(blocks: readonly PreviewBlock[]): void {
    const unused = new Map<string, ShownBlock[]>();
    for (const block of this.shown) {
      const list = unused.get(block.html);
      if (list) list.push(block);
      else unused.set(block.html, [block]);
    }
    const next = blocks.map(({ html, line }): ShownBlock => {
      const kept = unused.get(html)?.shift();
      if (kept) {
        if (line !== kept.line) shiftLines(linedElements(kept), line - kept.line);
        kept.line = line;
        return kept;
      }
      const element = this.build(html);
      const lined = [...element.querySelectorAll(LINED)];
      shiftLines(lined, line);
      return { html, line, element, lined };
    });
    for (const list of unused.values()) for (const block of list) block.element.remove();
    // What is left is in the old order; insert the new blocks (and moved ones) where they go.
    let cursor = this.root.firstChild;
    for (const block of next) {
      if (block.element === cursor) cursor = cursor.nextSibling;
      else this.root.insertBefore(block.element, cursor);
    }
    this.shown = next;
  }
}
