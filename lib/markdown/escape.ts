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
