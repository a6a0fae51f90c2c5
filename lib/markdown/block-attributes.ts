import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import { HeadingIds } from './heading-ids';

/**
 * Attributes on block elements: `data-source-line` (the 0-based first source line, for scroll
 * sync between editor and preview) and heading ids (for the outline and `#links`).
 */

export function blockAttributesPlugin(md: MarkdownIt): void {
  md.core.ruler.push('heading_ids', addHeadingIds);
  md.core.ruler.push('source_lines', addSourceLines);
}

/** ` data-source-line="N"` for a block token with a source map, else ''. */
export function sourceLineAttribute(token: Token | undefined): string {
  return token?.map ? ` data-source-line="${token.map[0]}"` : '';
}

/** Block tokens that open an element (or are one, like `hr`) and map to source lines. */
function addSourceLines(state: StateCore): void {
  for (const token of state.tokens) {
    if (!token.block || !token.map) continue;
    if ((token.nesting === 1 && !token.hidden) || token.type === 'hr') {
      token.attrSet('data-source-line', String(token.map[0]));
    }
  }
}

/**
 * markdown-it `env` key: a {@link HeadingIds} to continue from, when only part of a document is
 * parsed (an incremental render seeds it with the headings above the part).
 */
export const HEADING_IDS_KEY = 'headingIds';

function addHeadingIds(state: StateCore): void {
  const seeded = state.env?.[HEADING_IDS_KEY];
  const ids = seeded instanceof HeadingIds ? seeded : new HeadingIds();
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type !== 'heading_open') continue;
    token.attrSet('id', ids.next(inlineText(tokens[i + 1])));
  }
}

/** The visible text of an inline token (for slugs). */
export function inlineText(inline: Token | undefined): string {
  let text = '';
  for (const child of inline?.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline' || child.type === 'math_inline') {
      text += child.content;
    } else if (child.type === 'image') {
      text += inlineText(child);
    }
  }
  return text;
}
