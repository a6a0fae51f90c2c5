/**
 * Whether every `%` escape in a URL path decodes to valid UTF-8. Next.js answers a path that
 * does not (e.g. `/d/%%%bad`) with a bare 500 in an App Router-only app, so `proxy.ts` checks
 * first and sends such requests to the not-found page.
 */
export function hasValidPercentEncoding(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
