import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * KaTeX's stylesheet and fonts for the preview frame, straight from the installed package (no
 * copies to keep in step). The frame links the stylesheet only when a document has math, and the
 * browser fetches a font only when a glyph needs it. Fonts are fetched with CORS from the frame's
 * opaque origin ("null"), hence `Access-Control-Allow-Origin: *`; they are public files. A
 * preflight (only sent when a client adds its own request headers) is answered for the same reason.
 */

const KATEX_DIST = join(process.cwd(), 'node_modules', 'katex', 'dist');
const FONT_FILE = /^KaTeX_[A-Za-z0-9_-]+\.woff2$/;

function contentTypeOf(file: readonly string[]): string | null {
  if (file.length === 1 && file[0] === 'katex.min.css') return 'text/css; charset=utf-8';
  if (file.length === 2 && file[0] === 'fonts' && FONT_FILE.test(file[1] ?? '')) {
    return 'font/woff2';
  }
  return null;
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Max-Age': '86400',
};

export function OPTIONS(): Response {
  return new Response(null, { status: 204, headers: CORS_HEADERS });
}

export async function GET(
  _request: Request,
  { params }: { params: Promise<{ file: string[] }> },
): Promise<Response> {
  const { file } = await params;
  const contentType = contentTypeOf(file);
  if (!contentType) return new Response('Not found', { status: 404 });
  const body = await readFile(join(KATEX_DIST, ...file));
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': contentType,
      'Cache-Control': 'public, max-age=86400',
      'Access-Control-Allow-Origin': '*',
    },
  });
}
