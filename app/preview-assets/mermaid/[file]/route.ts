import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Mermaid's browser bundle for the preview frame, straight from the installed package (pinned in
 * package.json). It is large (about 1 MB gzipped), so nothing in the app imports it: the frame
 * adds this one script, which its CSP names exactly, only when a document has a diagram. A
 * classic script needs no CORS from the frame's opaque origin. It goes out uncompressed: Next
 * drops a route handler's own Content-Encoding header (tried: the browser then got gzip bytes
 * as script), so compression is left to the proxy in front, as for every other response.
 */

const BUNDLE = 'mermaid.min.js';
const BUNDLE_PATH = join(process.cwd(), 'node_modules', 'mermaid', 'dist', BUNDLE);

let bundle: Promise<Uint8Array<ArrayBuffer>> | null = null;

export async function GET(
  _request: Request,
  { params }: { params: Promise<{ file: string }> },
): Promise<Response> {
  const { file } = await params;
  if (file !== BUNDLE) return new Response('Not found', { status: 404 });
  bundle ??= readFile(BUNDLE_PATH).then(
    (body) => new Uint8Array(body),
    (error: unknown) => {
      bundle = null; // try again on the next request
      throw error;
    },
  );
  return new Response(await bundle, {
    headers: {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
    },
  });
}
