import { DOCUMENT_CSS } from '../../../../lib/markdown/document-styles';

/**
 * The preview frame's stylesheet (inline in its srcdoc; the frame cannot see the page's CSS):
 * the document's own (lib/markdown/document-styles.ts) plus the frame's layout.
 */
export const FRAME_CSS = `${DOCUMENT_CSS}
html { background: Canvas; }
body { margin: 0; padding: 16px 24px 80vh; }
/* Each top-level block sits in a box-less wrapper (frame/blocks.ts). */
.md-block { display: contents; }
#preview-root > .md-block:first-child > :first-child { margin-top: 0; }
/* Blocks off screen are neither laid out nor painted, so an edit of a long document costs the
   blocks on screen, not every block (15 ms per keystroke on a 105 KB paper without it); a block
   keeps its last rendered size once it has been shown. */
.md-block > * { content-visibility: auto; contain-intrinsic-size: auto 3em; }
`;
