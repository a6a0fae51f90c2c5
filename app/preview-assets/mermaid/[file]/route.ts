import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/**
 * Mermaid's browser bundle for the preview frame, straight from the installed package (pinned in
 * package.json). It is large (about 1 MB gzipped), so nothing in the app imports it: the frame
 * adds this one script, which its CSP names exactly, only when a document has a diagram. A
 * classic script needs no CORS from the frame's opaque origin. It is gzipped once (3.5 MB →
 * about 1 MB) and served that way to every browser that accepts it.
 */

const BUNDLE = 'mermaid.min.js';
const BUNDLE_PATH = join(process.cwd(), 'node_modules', 'mermaid', 'dist', BUNDLE);

interface Bundle {
  readonly plain: Uint8Array<ArrayBuffer>;
  readonly gzipped: Uint8Array<ArrayBuffer>;
}

let bundle: Promise<Bundle> | null = null;

async function loadBundle(): Promise<Bundle> {
  const plain = await readFile(BUNDLE_PATH);
  const gzipped = await promisify(gzip)(plain, { level: 9 });
  return { plain: new Uint8Array(plain), gzipped: new Uint8Array(gzipped) };
}

export async function GET(
  request: Request,
  { params }: { params: Promise<{ file: string }> },
): Promise<Response> {
  const { file } = await params;
  if (file !== BUNDLE) return new Response('Not found', { status: 404 });
  bundle ??= loadBundle().catch((error: unknown) => {
    bundle = null; // try again on the next request
    throw error;
  });
  const { plain, gzipped } = await bundle;
  const acceptsGzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
  return new Response(acceptsGzip ? gzipped : plain, {
    headers: {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
      Vary: 'Accept-Encoding',
      ...(acceptsGzip ? { 'Content-Encoding': 'gzip' } : {}),
    },
  });
}
