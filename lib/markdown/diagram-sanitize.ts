import type { Config, DOMPurify, UponSanitizeAttributeHookEvent } from 'dompurify';
import { isAllowedUrl, LINK_REL } from './urls';

/**
 * The allow-list pass over a diagram's SVG (Mermaid's output), run again by us after Mermaid's
 * own `securityLevel: 'strict'` handling, so a Mermaid bug alone cannot put script or an
 * outside request into the preview. Like `sanitize.ts`, it runs on the DOMPurify instance the
 * caller brings (give it one of its own: the hooks are installed on it).
 *
 * Kept: SVG shapes, text, markers, gradients and filters, Mermaid's scoped `<style>`, class and
 * ARIA attributes. Dropped: `<foreignObject>` (HTML labels), `<image>`, `<use>`, animations, any
 * event handler or data attribute, ids that are not under the diagram's own prefix (no DOM
 * clobbering through node names), addresses other than http(s)/mailto/relative, and CSS that
 * could load something (`url(…)` other than `url(#…)`, `@import`, escapes).
 */

/** Every id a diagram keeps starts with this (the frame names each render `mmd-<n>`). */
export const DIAGRAM_ID_PREFIX = 'mmd-';

export const DIAGRAM_SANITIZE_CONFIG = {
  USE_PROFILES: { svg: true, svgFilters: true },
  FORBID_TAGS: [
    'foreignObject',
    'image',
    'use',
    'animate',
    'animatecolor',
    'animatemotion',
    'animatetransform',
    'set',
    'script',
  ],
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  SANITIZE_DOM: true,
  RETURN_TRUSTED_TYPE: false,
} satisfies Config;

/** CSS that reaches outside the diagram: an address other than a `#fragment`, an import, escapes. */
const LOADING_CSS = /url\s*\(\s*['"]?(?!#)|@import|expression\s*\(|\\|javascript:/i;
const URL_ATTRIBUTES = new Set(['href', 'xlink:href']);

function keepAttribute(_node: Element, data: UponSanitizeAttributeHookEvent): void {
  const name = data.attrName.toLowerCase();
  const value = data.attrValue;
  if (URL_ATTRIBUTES.has(name)) {
    if (!isAllowedUrl(value)) data.keepAttr = false;
  } else if (name === 'id') {
    if (!value.startsWith(DIAGRAM_ID_PREFIX)) data.keepAttr = false;
  } else if (LOADING_CSS.test(value)) {
    // style, fill, marker-end, filter…: only `url(#…)` references inside the diagram.
    data.keepAttr = false;
  }
}

function checkElement(node: Node): void {
  if (node.nodeName.toLowerCase() !== 'style') return;
  if (LOADING_CSS.test(node.textContent ?? '')) node.textContent = '';
}

function finishElement(node: Element): void {
  if (node.localName !== 'a') return;
  const href = node.getAttribute('href') ?? node.getAttribute('xlink:href');
  if (href === null || href.startsWith('#')) return;
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', LINK_REL);
}

/** Installs the diagram hooks on `purify` (its own instance) and returns the sanitize pass. */
export function createDiagramSanitizer(purify: DOMPurify): (svg: string) => string {
  purify.addHook('uponSanitizeAttribute', keepAttribute);
  purify.addHook('uponSanitizeElement', checkElement);
  purify.addHook('afterSanitizeAttributes', finishElement);
  return (svg) => purify.sanitize(svg, DIAGRAM_SANITIZE_CONFIG);
}
