import DOMPurify from 'dompurify';
import { loadMathRenderer, mayContainMath } from '../../../lib/markdown';
import { createDiagramSanitizer } from '../../../lib/markdown/diagram-sanitize';
import { createPreviewSanitizer } from '../../../lib/markdown/sanitize';
import { standaloneHtml } from '../../../lib/markdown/standalone';
import { diagramDrawings } from './preview/diagram-drawings';
import type { CollabSession } from './session';

/**
 * The open document as one standalone, sanitized HTML file (lib/markdown/standalone.ts), built in
 * the browser from the shared text. Loaded on demand (from the Download menu and Ctrl+P), with
 * DOMPurify, the renderer and, for a document with math, KaTeX, its stylesheet and its fonts.
 * Diagrams come drawn from the open preview (Mermaid runs only in its sandbox), each SVG
 * sanitized once more here: the frame shows hostile content, so what it sends is not trusted.
 */

/** KaTeX's stylesheet and fonts as the app serves them (app/preview-assets/katex). */
const KATEX_ASSETS = '/preview-assets/katex/';
const WOFF2_ADDRESSES = /url\(\s*["']?(fonts\/KaTeX_[A-Za-z0-9_-]+\.woff2)["']?\s*\)/g;

async function fetchOk(path: string): Promise<Response | null> {
  try {
    const response = await fetch(path);
    return response.ok ? response : null;
  } catch {
    return null; // offline: the file is made without it
  }
}

function base64Of(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  let binary = '';
  for (let i = 0; i < view.length; i += 0x8000) {
    binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** KaTeX's stylesheet and the woff2 fonts it names (base64); a font that fails is left out. */
async function katexAssets(): Promise<{ css: string; fonts: Map<string, string> }> {
  const response = await fetchOk(`${KATEX_ASSETS}katex.min.css`);
  const css = response ? await response.text() : '';
  const addresses = [...new Set(Array.from(css.matchAll(WOFF2_ADDRESSES), (m) => m[1] ?? ''))];
  const fonts = new Map<string, string>();
  await Promise.all(
    addresses.map(async (address) => {
      const font = await fetchOk(`${KATEX_ASSETS}${address}`);
      if (font) fonts.set(address, base64Of(await font.arrayBuffer()));
    }),
  );
  return { css, fonts };
}

export async function documentHtml(
  session: CollabSession,
  options: { printHint?: boolean } = {},
): Promise<string> {
  const text = session.text.toString();
  const [[math, assets], drawn] = await Promise.all([
    mayContainMath(text) ? Promise.all([loadMathRenderer(), katexAssets()]) : [null, null],
    text.includes('mermaid') ? diagramDrawings() : new Map<string, string>(),
  ]);
  const sanitizeSvg = createDiagramSanitizer(DOMPurify(window));
  const diagrams = new Map([...drawn].map(([source, svg]) => [source, sanitizeSvg(svg)]));
  return standaloneHtml({
    title: session.displayTitle(),
    text,
    sanitize: createPreviewSanitizer(DOMPurify(window)),
    math,
    mathCss: assets?.css ?? '',
    mathFonts: assets?.fonts,
    diagrams,
    printHint: options.printHint ?? false,
  });
}
