import type { Parser } from '@lezer/common';
import { classHighlighter, highlightCode } from '@lezer/highlight';
import { parser as javascriptParser } from '@lezer/javascript';
import { parser as jsonParser } from '@lezer/json';
import { parser as markdownParser } from '@lezer/markdown';
import { parser as pythonParser } from '@lezer/python';
import type { LanguageId } from '../languages';
import { escapeHtml } from './escape';

/**
 * Syntax highlighting of fenced code for the languages the editor offers (lib/languages.ts),
 * with the same Lezer grammars the editor's language packs use: no second highlighter to ship,
 * and code reads the same in the editor and the preview. Output is `<span class="tok-…">` runs
 * (@lezer/highlight's classHighlighter); the preview's stylesheet colours them.
 */

const PARSERS: Readonly<Record<Exclude<LanguageId, 'plaintext'>, Parser>> = {
  markdown: markdownParser,
  javascript: javascriptParser.configure({ dialect: 'jsx' }),
  typescript: javascriptParser.configure({ dialect: 'ts jsx' }),
  python: pythonParser,
  json: jsonParser,
};

/** Fence info words (lower-cased) → a registered language. */
const ALIASES: Readonly<Record<string, LanguageId>> = {
  markdown: 'markdown',
  md: 'markdown',
  javascript: 'javascript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  typescript: 'typescript',
  ts: 'typescript',
  tsx: 'typescript',
  python: 'python',
  py: 'python',
  json: 'json',
  plaintext: 'plaintext',
  text: 'plaintext',
  txt: 'plaintext',
};

/** Code longer than this is shown unhighlighted: parsing it would cost more than it is worth. */
export const MAX_HIGHLIGHT_CHARS = 100_000;

/** The registered language a fence's info string names, or null. */
export function fenceLanguage(info: string): LanguageId | null {
  const word = info.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  return Object.hasOwn(ALIASES, word) ? (ALIASES[word] ?? null) : null;
}

/** Escaped HTML of `code`, highlighted when `language` has a grammar and the code is small. */
export function highlightToHtml(code: string, language: LanguageId | null): string {
  if (language === null || language === 'plaintext' || code.length > MAX_HIGHLIGHT_CHARS) {
    return escapeHtml(code);
  }
  const parser = PARSERS[language];
  let html = '';
  highlightCode(
    code,
    parser.parse(code),
    classHighlighter,
    (text, classes) => {
      html += classes ? `<span class="${classes}">${escapeHtml(text)}</span>` : escapeHtml(text);
    },
    () => {
      html += '\n';
    },
  );
  return html;
}
