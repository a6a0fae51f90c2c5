/**
 * Markdown rendering shared by the app's preview and the relay's rendered view:
 *
 * ```ts
 * const math = mayContainMath(text) ? await loadMathRenderer() : null; // KaTeX only when needed
 * const { html } = new MarkdownRenderer({ math, interactiveTasks: canEdit }).render(text);
 * const sanitize = createPreviewSanitizer(DOMPurify(window)); // once, on its own instance
 * element.innerHTML = sanitize(html);
 * ```
 *
 * The renderer needs no DOM; the sanitizer runs on the DOMPurify instance the caller brings (the
 * browser's window, or a server-side DOM on the relay).
 */
export type { RenderedBlock } from './blocks';
export { HEADING_ID_PREFIX } from './heading-ids';
export { loadMathRenderer, type MathRenderer, mayContainMath } from './math';
export {
  type BlocksResult,
  MAX_RENDER_CHARS,
  MarkdownRenderer,
  type RenderOptions,
  type RenderResult,
} from './render';
export { createPreviewSanitizer } from './sanitize';
export { isAllowedUrl, LINK_REL } from './urls';
