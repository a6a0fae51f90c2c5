/**
 * GET /api/v1/documents/<room>/html: the document as one standalone, sanitized HTML page, by the
 * same renderer and allow-list as the app's preview and its HTML download
 * (lib/markdown/standalone.ts): DOMPurify over jsdom here, math typeset with KaTeX (its
 * stylesheet inlined; fonts are the reader's), no script, a CSP that allows nothing to load but
 * http(s) images. jsdom and KaTeX load on the first request only, then stay.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { MathRenderer } from '../../lib/markdown/math';
import { standaloneHtml } from '../../lib/markdown/standalone';

interface Renderer {
  readonly sanitize: (html: string) => string;
  readonly math: MathRenderer;
  readonly mathCss: string;
}

let renderer: Promise<Renderer> | null = null;

async function load(): Promise<Renderer> {
  const [
    { JSDOM },
    { default: createDOMPurify },
    { createPreviewSanitizer },
    { loadMathRenderer },
  ] = await Promise.all([
    import('jsdom'),
    import('dompurify'),
    import('../../lib/markdown/sanitize'),
    import('../../lib/markdown/math'),
  ]);
  const require = createRequire(import.meta.url);
  const mathCss = await readFile(require.resolve('katex/dist/katex.min.css'), 'utf8');
  return {
    sanitize: createPreviewSanitizer(createDOMPurify(new JSDOM('').window as never)),
    math: await loadMathRenderer(),
    mathCss,
  };
}

export async function documentHtml(title: string, text: string): Promise<string> {
  renderer ??= load().catch((err: unknown) => {
    renderer = null;
    throw err;
  });
  const { sanitize, math, mathCss } = await renderer;
  return standaloneHtml({ title, text, sanitize, math, mathCss });
}
