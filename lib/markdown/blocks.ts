import type { Token } from 'markdown-it';

/**
 * Rendering a document as its top-level blocks, so a preview can update only the blocks an edit
 * changed. A block's HTML carries its source lines relative to the block's first line: typing a
 * line near the top then leaves every later block's HTML as it was (only its `line` moves), and
 * the preview reuses those blocks instead of sanitizing and laying them out again.
 */

export interface RenderedBlock {
  /** HTML of the block, with `data-source-line`/`data-task-line` relative to {@link line}. */
  readonly html: string;
  /** 0-based source line of the block's first mapped token (0 when none has one). */
  readonly line: number;
}

/** The block tokens grouped into top-level blocks (each opens and closes at nesting level 0). */
export function topLevelGroups(tokens: readonly Token[]): Token[][] {
  const groups: Token[][] = [];
  let level = 0;
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    level += tokens[i]?.nesting ?? 0;
    if (level === 0) {
      groups.push(tokens.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < tokens.length) groups.push(tokens.slice(start));
  return groups;
}

const LINE_ATTRIBUTE = /data-(source|task)-line="(\d+)"/g;

/**
 * Rewrites the line attributes of `html` relative to `base`. Only real attributes match: the
 * renderer escapes `"` in text and code, so a document cannot spell one out.
 */
export function relativeLines(html: string, base: number): string {
  if (base === 0) return html;
  return html.replace(LINE_ATTRIBUTE, (_match, kind: string, line: string) => {
    return `data-${kind}-line="${Number(line) - base}"`;
  });
}
