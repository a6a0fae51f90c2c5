import type { MarkdownIt } from 'markdown-it';

/** Block rules that open a container and parse its content one level deeper. */
const CONTAINER_RULES = ['blockquote', 'list', 'footnote_def'];

/**
 * What markdown-it does past `maxNesting`: it stops parsing and skips to the end of the
 * enclosing block. A list item's content runs to the end of the document, so 10,000 nested
 * lists would make everything after them vanish from the preview. With this plugin, content past
 * the bound is parsed without the container rules instead: deeper list and quote markers stay
 * text, and the lines after the container render as usual. The bound on recursion is unchanged.
 */
export function nestingBoundPlugin(md: MarkdownIt): void {
  const tokenize = md.block.tokenize.bind(md.block);
  md.block.tokenize = (state, startLine, endLine) => {
    const bound = md.options.maxNesting ?? 100;
    if (state.level < bound) {
      tokenize(state, startLine, endLine);
      return;
    }
    md.block.ruler.disable(CONTAINER_RULES, true);
    md.options.maxNesting = Number.POSITIVE_INFINITY;
    try {
      tokenize(state, startLine, endLine);
    } finally {
      md.options.maxNesting = bound;
      md.block.ruler.enable(CONTAINER_RULES, true);
    }
  };
}
