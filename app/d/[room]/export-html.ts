import DOMPurify from 'dompurify';
import { loadMathRenderer, mayContainMath } from '../../../lib/markdown';
import { createPreviewSanitizer } from '../../../lib/markdown/sanitize';
import { standaloneHtml } from '../../../lib/markdown/standalone';
import type { CollabSession } from './session';

/**
 * The open document as one standalone, sanitized HTML file (lib/markdown/standalone.ts), built in
 * the browser from the shared text. Loaded on demand (from the Download menu), with DOMPurify,
 * the renderer and, for a document with math, KaTeX and its stylesheet.
 */

/** KaTeX's stylesheet as the app serves it (app/preview-assets/katex). */
const KATEX_CSS_PATH = '/preview-assets/katex/katex.min.css';

async function katexCss(): Promise<string> {
  try {
    const response = await fetch(KATEX_CSS_PATH);
    return response.ok ? await response.text() : '';
  } catch {
    return ''; // offline: formulas keep their layout minus KaTeX's stylesheet
  }
}

export async function documentHtml(
  session: CollabSession,
  options: { printHint?: boolean } = {},
): Promise<string> {
  const text = session.text.toString();
  const hasMath = mayContainMath(text);
  const [math, mathCss] = hasMath
    ? await Promise.all([loadMathRenderer(), katexCss()])
    : [null, ''];
  return standaloneHtml({
    title: session.displayTitle(),
    text,
    sanitize: createPreviewSanitizer(DOMPurify(window)),
    math,
    mathCss,
    printHint: options.printHint ?? false,
  });
}
