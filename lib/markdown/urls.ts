/**
 * Which link and image addresses a rendered document may carry: http(s), mailto, and relative
 * ones (no scheme). Everything else (javascript:, vbscript:, data:, file:, blob:, custom
 * schemes) is refused. Used by the renderer (markdown-it's validateLink) and again by the
 * sanitizer pass, so a renderer bug alone cannot let a bad address through.
 */

/** The rel every rendered link carries: no window.opener, no Referer, no endorsement. */
export const LINK_REL = 'noopener noreferrer nofollow';

const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * Browsers ignore ASCII whitespace and control characters inside a scheme (`java\tscript:`), and
 * leading ones; so do we before looking for the scheme.
 */
const IGNORED_BY_BROWSERS = /[\p{Cc} ]/gu;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

export function isAllowedUrl(url: string): boolean {
  const compact = url.replace(IGNORED_BY_BROWSERS, '');
  // A backslash is a slash to browsers: `\\evil.example` would be protocol-relative.
  if (compact.includes('\\')) return false;
  const scheme = SCHEME.exec(compact)?.[1];
  // No scheme: a relative address (including `//host/…`, which keeps the page's http(s)).
  if (scheme === undefined) return true;
  return ALLOWED_SCHEMES.has(scheme.toLowerCase());
}
