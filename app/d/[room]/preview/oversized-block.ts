/**
 * A rendered block whose HTML is larger than this is shown as a notice instead: sanitizing,
 * inserting and laying out hundreds of kilobytes of HTML in one piece (a 1 MB line, a
 * 5,000-row table) blocks the page for seconds, and the frame can only replace whole blocks.
 */
export const MAX_PREVIEW_BLOCK_HTML = 100_000;

/** The block's HTML, or a short notice when it is too large to preview. */
export function boundedBlockHtml(html: string): string {
  if (html.length <= MAX_PREVIEW_BLOCK_HTML) return html;
  const kilobytes = Math.round(html.length / 1024).toLocaleString('en');
  return (
    `<p><em>This part of the document is too large to preview (${kilobytes} KB rendered). ` +
    'It is kept in the text; split it into smaller paragraphs, lists or tables to see it here.</em></p>'
  );
}
