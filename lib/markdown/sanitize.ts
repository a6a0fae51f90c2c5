import type { Config, DOMPurify, UponSanitizeAttributeHookEvent } from 'dompurify';
import { HEADING_ID_PREFIX } from './heading-ids';
import { isAllowedUrl, LINK_REL } from './urls';

/**
 * The allow-list pass over rendered HTML, run by DOMPurify. `lib/` has no DOM, so the caller
 * brings a DOMPurify instance: in the browser `DOMPurify(window)`, on the relay one built on a
 * server-side DOM (jsdom). {@link createPreviewSanitizer} installs this module's hooks on that
 * instance, so give it one of its own.
 *
 * Only what the renderer and KaTeX produce survives: no script, style, iframe, form, object,
 * embed, meta or base element; no event handler, `srcdoc`, `name` or unknown `data-*` attribute;
 * ids only with the renderer's prefixes; addresses only http(s), mailto or relative; inline
 * styles only with the few properties and plain values KaTeX and table alignment use.
 */

const HTML_TAGS = [
  'a',
  'blockquote',
  'br',
  'code',
  'del',
  'div',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'img',
  'input',
  // Only as the renderer's task-item label (no `for`: it wraps its checkbox).
  'label',
  'li',
  'ol',
  'p',
  'pre',
  's',
  'section',
  'span',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
];
/** KaTeX's MathML and the inline SVG of its stretchy glyphs. */
const MATH_TAGS = [
  'math',
  'annotation',
  'semantics',
  'menclose',
  'merror',
  'mfrac',
  'mi',
  'mn',
  'mo',
  'mover',
  'mpadded',
  'mphantom',
  'mroot',
  'mrow',
  'ms',
  'mspace',
  'msqrt',
  'mstyle',
  'msub',
  'msubsup',
  'msup',
  'mtable',
  'mtd',
  'mtext',
  'mtr',
  'mlabeledtr',
  'munder',
  'munderover',
  'svg',
  'path',
  'line',
];
const ATTRIBUTES = [
  'href',
  'src',
  'alt',
  'title',
  'class',
  'id',
  'style',
  'rel',
  'loading',
  'referrerpolicy',
  'start',
  'type',
  'checked',
  'disabled',
  'aria-hidden',
  'data-source-line',
  'data-task-line',
  // MathML
  'accent',
  'accentunder',
  'columnalign',
  'columnlines',
  'columnspacing',
  'display',
  'displaystyle',
  'encoding',
  'fence',
  'linethickness',
  'lspace',
  'mathbackground',
  'mathcolor',
  'mathvariant',
  'minsize',
  'maxsize',
  'movablelimits',
  'notation',
  'rowlines',
  'rowspacing',
  'rspace',
  'scriptlevel',
  'separator',
  'stretchy',
  'symmetric',
  'voffset',
  'width',
  'height',
  'depth',
  'xmlns',
  // SVG glyphs
  'd',
  'viewBox',
  'preserveAspectRatio',
  'stroke-width',
  'x1',
  'x2',
  'y1',
  'y2',
];

/** The DOMPurify settings of the pass (exported for tests and for callers that inspect them). */
export const PREVIEW_SANITIZE_CONFIG = {
  ALLOWED_TAGS: [...HTML_TAGS, ...MATH_TAGS],
  ALLOWED_ATTR: ATTRIBUTES,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // Our own check decides (isAllowedUrl); this regex is DOMPurify's, kept just as strict.
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  SANITIZE_DOM: true,
  KEEP_CONTENT: true,
  RETURN_TRUSTED_TYPE: false,
} satisfies Config;

/** Ids the renderer generates: headings (`h-…`) and footnotes (`fn-…`, `fnref-…`). */
const ALLOWED_ID = new RegExp(`^(?:${HEADING_ID_PREFIX}|fn-|fnref-)[^\\s]+$`);
const URL_ATTRIBUTES = new Set(['href', 'src']);

/** CSS properties KaTeX and table alignment write; anything else is dropped. */
const STYLE_PROPERTIES = new Set([
  'background-color',
  'border',
  'border-bottom-width',
  'border-color',
  'border-right-style',
  'border-right-width',
  'border-style',
  'border-top-width',
  'border-width',
  'bottom',
  'color',
  'height',
  'left',
  'margin',
  'margin-left',
  'margin-right',
  'margin-top',
  'min-width',
  'padding-left',
  'position',
  'text-align',
  'top',
  'vertical-align',
  'width',
]);
/** Plain values: numbers, units, keywords, colours; `(` only as rgb()/hsl(). */
const STYLE_VALUE = /^[-#\w.%, ]+$/;
const COLOR_FUNCTION = /\b(?:rgba?|hsla?)\(([-\d.%, ]*)\)/gi;
const POSITIONS = new Set(['relative', 'absolute', 'static']);

/** Whether every declaration of an inline style is one we allow. */
export function isAllowedStyle(style: string): boolean {
  const declarations = style.split(';').filter((d) => d.trim() !== '');
  return declarations.every((declaration) => {
    const colon = declaration.indexOf(':');
    if (colon < 0) return false;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration
      .slice(colon + 1)
      .trim()
      .replace(COLOR_FUNCTION, 'c');
    if (!STYLE_PROPERTIES.has(property) || !STYLE_VALUE.test(value)) return false;
    return property !== 'position' || POSITIONS.has(value.toLowerCase());
  });
}

/** Runs before DOMPurify's own checks; also refuses the data: images DOMPurify would allow. */
function keepAttribute(node: Element, data: UponSanitizeAttributeHookEvent): void {
  const name = data.attrName;
  const value = data.attrValue;
  if (URL_ATTRIBUTES.has(name) && !isAllowedUrl(value)) data.keepAttr = false;
  else if (name === 'id' && !ALLOWED_ID.test(value)) data.keepAttr = false;
  else if (name === 'style' && !isAllowedStyle(value)) data.keepAttr = false;
  else if (name === 'type' && !(node.localName === 'input' && value === 'checkbox')) {
    data.keepAttr = false;
  }
}

function finishElement(node: Element): void {
  // Only checkboxes may be inputs: an input that lost its type would be a text field.
  if (node.localName === 'input' && node.getAttribute('type') !== 'checkbox') {
    node.remove();
    return;
  }
  // Links that leave the document (not `#fragment` jumps within it) get the renderer's rel.
  const href = node.localName === 'a' ? node.getAttribute('href') : null;
  if (href !== null && !href.startsWith('#')) node.setAttribute('rel', LINK_REL);
  if (node.localName === 'img') node.setAttribute('referrerpolicy', 'no-referrer');
}

/** Installs the preview's hooks on `purify` (its own instance) and returns the sanitize pass. */
export function createPreviewSanitizer(purify: DOMPurify): (html: string) => string {
  installHooks(purify);
  return (html) => purify.sanitize(html, PREVIEW_SANITIZE_CONFIG);
}

const FRAGMENT_CONFIG = { ...PREVIEW_SANITIZE_CONFIG, RETURN_DOM_FRAGMENT: true } as const;

/**
 * The same pass, returning the sanitized nodes themselves (owned by `purify`'s document), so the
 * preview inserts them directly instead of serializing them and parsing the string again.
 */
export function createPreviewFragmentSanitizer(
  purify: DOMPurify,
): (html: string) => DocumentFragment {
  installHooks(purify);
  return (html) => purify.sanitize(html, FRAGMENT_CONFIG);
}

function installHooks(purify: DOMPurify): void {
  purify.addHook('uponSanitizeAttribute', keepAttribute);
  purify.addHook('afterSanitizeAttributes', finishElement);
}
