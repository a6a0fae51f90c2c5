import type { MarkdownIt } from 'markdown-it';
import markdownItFootnote from 'markdown-it-footnote';

/**
 * Footnotes (markdown-it-footnote). Its ids are `fn1`, `fnref1`: valid JavaScript identifiers,
 * so they could clobber globals of that name. Ours are `fn-1`, `fnref-1` (with a hyphen, like
 * heading ids).
 */
export function footnotesPlugin(md: MarkdownIt): void {
  md.use(markdownItFootnote);
  md.renderer.rules.footnote_anchor_name = (tokens, idx) =>
    `-${Number(tokens[idx]?.meta?.id ?? 0) + 1}`;
}
