import { type NextRequest, NextResponse } from 'next/server';
import { hasValidPercentEncoding } from './lib/url-path';

/** No page lives here: rewriting to it renders the app's not-found page with status 404. */
const NOT_FOUND_PATH = '/_coedit/not-found';

/**
 * A document path with a malformed `%` escape (`/d/%%%bad`) would make Next.js fail to decode
 * the room parameter and answer a bare 500; it is simply a document that does not exist.
 */
export function proxy(request: NextRequest): NextResponse {
  if (hasValidPercentEncoding(request.nextUrl.pathname)) return NextResponse.next();
  return NextResponse.rewrite(new URL(NOT_FOUND_PATH, request.url));
}

export const config = { matcher: '/d/:path*' };
