const HTML_SPECIALS = /[&<>"']/g;
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text → HTML text or attribute value (double- or single-quoted). */
export function escapeHtml(text: string): string {
  return text.replace(HTML_SPECIALS, (c) => ENTITIES[c] ?? c);
}

const ENTITY = /&(amp|lt|gt|quot|#39|nbsp);/g;
const CHARACTERS: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  nbsp: '\u00a0',
};

/**
 * HTML text → text, for text serialized by {@link escapeHtml} or by a DOM (which writes only
 * these entities); one pass, so `&amp;lt;` stays `&lt;`.
 */
export function unescapeHtml(html: string): string {
  return html.replace(ENTITY, (entity, name: string) => CHARACTERS[name] ?? entity);
}
