import { DOCUMENT_CSS } from './document-styles';
import { escapeHtml, unescapeHtml } from './escape';
import type { MathRenderer } from './math';
import { MarkdownRenderer } from './render';

/**
 * A document as one standalone, sanitized HTML file: the title, the rendered document and its
 * styles inline, nothing fetched but the document's own http(s) images. Used for the "HTML"
 * download and the printable page, and meant for the relay's HTML route too: it needs no DOM
 * itself, the caller brings the sanitizer (`createPreviewSanitizer` on a browser DOMPurify, or
 * on one over jsdom in Node).
 *
 * - Math is typeset when the caller passes KaTeX (`loadMathRenderer`) and KaTeX's stylesheet.
 *   With KaTeX's fonts (`mathFonts`, its woff2 files) each @font-face points at its font as a
 *   `data:` URL, so formulas look as in the preview, offline too (about 350 KB, and only in files
 *   with math); a font not given loses its rule, and formulas then use KaTeX fonts installed
 *   locally, or the nearest serif font.
 * - Mermaid diagrams come as SVG when the caller has them drawn (`diagrams`: the preview's, after
 *   the diagram sanitizer); any other stays its source in a code block. Drawing needs Mermaid,
 *   which runs only inside the preview's sandbox, and the file carries no script.
 * - A CSP meta allows no script, no connection and no frame; only inline styles and images.
 */

export const STANDALONE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: http:; font-src data:; base-uri 'none'; form-action 'none'";

export interface StandaloneOptions {
  /** The document's title (explicit, or from its first heading); empty means "Untitled". */
  readonly title: string;
  /** The markdown source. */
  readonly text: string;
  /** The allow-list sanitizer (lib/markdown/sanitize.ts) on the caller's DOMPurify. */
  readonly sanitize: (html: string) => string;
  /** KaTeX, to typeset math; without it formulas stay their TeX source. */
  readonly math?: MathRenderer | null;
  /** KaTeX's stylesheet (katex.min.css), inlined when math was typeset. */
  readonly mathCss?: string;
  /**
   * KaTeX's woff2 fonts by the address its stylesheet gives them (`fonts/KaTeX_Main-Regular.woff2`),
   * each as base64; see {@link inlineFontFaces}.
   */
  readonly mathFonts?: ReadonlyMap<string, string>;
  /**
   * Drawn diagrams by their Mermaid source, as SVG that has passed the diagram sanitizer
   * (diagram-sanitize.ts); a ```` ```mermaid ```` block whose source is here is shown drawn.
   */
  readonly diagrams?: ReadonlyMap<string, string>;
  /** Show a screen-only line telling the reader how to print or save as PDF. */
  readonly printHint?: boolean;
}

/** The page around the document: a readable column on screen, plain black on white on paper. */
const PAGE_CSS = `
body { max-width: 760px; margin: 32px auto; padding: 0 20px; background: Canvas; }
.print-hint { margin: 0 0 24px; padding: 8px 12px; border: 1px solid var(--border);
  border-radius: 6px; color: var(--muted); font-size: 0.9em; }
@media print {
  :root { color-scheme: light; --fg: #000; --muted: #444; --border: #bbb; --code-bg: #f4f4f4;
    --link: #000; --kw: #000; --str: #000; --num: #000; --com: #555; --fn: #000; --type: #000; }
  body { max-width: none; margin: 0; padding: 0; background: #fff; }
  .print-hint { display: none; }
  pre, table, img, .math-block, blockquote { break-inside: avoid; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; }
  pre { white-space: pre-wrap; }
}
`;

const FONT_FACE = /@font-face\s*\{[^}]*\}/g;
const WOFF2_SOURCE = /url\(\s*["']?([^)"']+\.woff2)["']?\s*\)\s*format\(\s*["']woff2["']\s*\)/;
const FONT_SOURCES = /src\s*:[^;}]*/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * KaTeX's stylesheet with every @font-face's sources replaced by its woff2 font as a `data:` URL
 * (the other formats are for browsers that predate woff2); a rule whose woff2 is not in `fonts`
 * is dropped, so the file never points anywhere else.
 */
export function inlineFontFaces(css: string, fonts: ReadonlyMap<string, string>): string {
  return css.replace(FONT_FACE, (rule) => {
    const address = WOFF2_SOURCE.exec(rule)?.[1];
    const base64 = address === undefined ? undefined : fonts.get(address);
    if (base64 === undefined || !BASE64.test(base64)) return '';
    return rule.replace(FONT_SOURCES, `src:url(data:font/woff2;base64,${base64}) format("woff2")`);
  });
}

const MERMAID_SOURCE = /<pre class="mermaid-source"([^>]*)>([^<]*)<\/pre>/g;
const SOURCE_LINE = /\sdata-source-line="\d+"/;

/** Each diagram's source block (sanitized HTML) replaced by its drawing, where there is one. */
export function withDiagramsDrawn(html: string, diagrams: ReadonlyMap<string, string>): string {
  if (diagrams.size === 0) return html;
  return html.replace(MERMAID_SOURCE, (block, attributes: string, text: string) => {
    const svg = diagrams.get(unescapeHtml(text));
    if (svg === undefined) return block;
    const line = SOURCE_LINE.exec(attributes)?.[0] ?? '';
    return `<div class="mermaid-diagram"${line}>${svg}</div>`;
  });
}

/** The whole file. Everything from the document passes the sanitizer; the title is escaped. */
export function standaloneHtml(options: StandaloneOptions): string {
  const renderer = new MarkdownRenderer({ math: options.math ?? null, interactiveTasks: false });
  const body = withDiagramsDrawn(
    options.sanitize(renderer.render(options.text).html),
    options.diagrams ?? new Map(),
  );
  const mathCss =
    options.math && options.mathCss
      ? inlineFontFaces(options.mathCss, options.mathFonts ?? new Map())
      : '';
  const title = escapeHtml(options.title.trim() || 'Untitled');
  const hint = options.printHint
    ? '<p class="print-hint">To print this document or save it as a PDF, use your browser’s Print command (Ctrl+P, or ⌘P on a Mac).</p>\n'
    : '';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(STANDALONE_CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    // `</style` cannot occur in our CSS or KaTeX's; strip it anyway so no stylesheet ends early.
    `<style>${`${DOCUMENT_CSS}${PAGE_CSS}${mathCss}`.replace(/<\/style/gi, '')}</style>`,
    '</head>',
    '<body>',
    `${hint}<main>`,
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
