import { FRAME_SCRIPT, FRAME_SCRIPT_HASH } from './frame-script.generated';
import { FRAME_CSS } from './frame-styles';

/**
 * The preview frame: a sandboxed `srcdoc` iframe WITHOUT allow-same-origin. Its origin is
 * opaque, so even markup that slipped past the renderer and the sanitizer could not reach the
 * editor page's DOM, globals, storage, cookies or relay connection; it can only post messages,
 * which the page validates. Sandbox flags: scripts (the frame's own, for DOMPurify, the outline,
 * task clicks and scroll sync), and popups that escape the sandbox (links open in a normal new
 * tab; their addresses are allow-listed to http(s)/mailto). No forms, modals, top navigation,
 * downloads or same-origin.
 */
export const FRAME_SANDBOX = 'allow-scripts allow-popups allow-popups-to-escape-sandbox';

/** Where KaTeX's stylesheet and fonts are served (app/preview-assets/katex/[...file]). */
export const KATEX_ASSET_PATH = '/preview-assets/katex/';

/**
 * Mermaid's browser bundle, loaded by the frame only for diagrams. `new URL` makes the bundler
 * emit it as a static asset with a hashed name (`/_next/static/media/`), so the app serves it
 * gzipped (about 1 MB instead of 3.5) and cached as immutable; a route handler cannot, because
 * Next drops its Content-Encoding header.
 */
export const MERMAID_SCRIPT_PATH = new URL(
  '../../../../node_modules/mermaid/dist/mermaid.min.js',
  import.meta.url,
).pathname;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The CSP of the frame, strict on top of the sandbox: only its own script (by hash) and
 * Mermaid's bundle (that one address); styles inline (KaTeX positions glyphs with style
 * attributes, Mermaid scopes a <style> in each SVG; the sanitizers limit both) plus KaTeX's
 * stylesheet; KaTeX's fonts; images from http(s) only. No connections,
 * frames, objects, forms or <base>.
 */
export function frameCsp(origin: string): string {
  const katex = `${origin}${KATEX_ASSET_PATH}`;
  return [
    "default-src 'none'",
    `script-src ${FRAME_SCRIPT_HASH} ${origin}${MERMAID_SCRIPT_PATH}`,
    `style-src 'unsafe-inline' ${katex}`,
    `font-src ${katex}`,
    'img-src https: http:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The frame's whole document, for its `srcdoc`; `origin` is the page's own origin. */
export function frameDocument(origin: string): string {
  return [
    // The page's language and a title, for screen readers that announce the frame's document.
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Preview</title>',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(frameCsp(origin))}">`,
    `<meta name="coedit-parent-origin" content="${escapeAttribute(origin)}">`,
    `<meta name="coedit-katex-css" content="${escapeAttribute(`${origin}${KATEX_ASSET_PATH}katex.min.css`)}">`,
    `<meta name="coedit-mermaid-js" content="${escapeAttribute(`${origin}${MERMAID_SCRIPT_PATH}`)}">`,
    `<style>${FRAME_CSS}</style>`,
    '</head><body><main id="preview-root"></main>',
    `<script>${FRAME_SCRIPT}</script>`,
    '</body></html>',
  ].join('');
}
