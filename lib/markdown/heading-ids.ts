/**
 * Ids for headings, so the outline and `#links` can point at them. Every generated id starts
 * with {@link HEADING_ID_PREFIX} and so contains a hyphen: it can never be a JavaScript
 * identifier, so a heading named "location" or "__coeditText" cannot clobber a global of the
 * page (DOM clobbering through named access on window or document).
 */

export const HEADING_ID_PREFIX = 'h-';
const MAX_SLUG_LENGTH = 64;

/** "Hello, World!" → "hello-world"; letters and digits of any script survive. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]+/gu, '')
    .trim()
    .replace(/[\s_-]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug || 'section';
}

/** Hands out unique heading ids within one rendered document ("h-intro", "h-intro-1", …). */
export class HeadingIds {
  private readonly used = new Set<string>();
  /** Next suffix to try per base, so 10,000 equal headings stay linear. */
  private readonly nextSuffix = new Map<string, number>();

  next(text: string): string {
    const base = HEADING_ID_PREFIX + slugify(text);
    let suffix = this.nextSuffix.get(base) ?? 0;
    let id = suffix === 0 ? base : `${base}-${suffix}`;
    while (this.used.has(id)) id = `${base}-${++suffix}`;
    this.nextSuffix.set(base, suffix + 1);
    this.used.add(id);
    return id;
  }
}
