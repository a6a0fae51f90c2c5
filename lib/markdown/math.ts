import type { MarkdownIt, StateBlock, StateInline } from 'markdown-it';
import { sourceLineAttribute } from './block-attributes';
import { escapeHtml } from './escape';

/**
 * `$inline$` and `$$display$$` math. Parsing is ours (a few rules, linear on hostile input);
 * typesetting is KaTeX, loaded only when a document contains a `$` ({@link loadMathRenderer}).
 * Until it is loaded, or for a formula too long to typeset, the TeX source shows as code.
 */

/** Typesets one formula to HTML. */
export type MathRenderer = (tex: string, displayMode: boolean) => string;

/** A formula longer than this is shown as source, not typeset. */
export const MAX_FORMULA_CHARS = 5_000;
/** An inline formula must close within this many characters of its opening `$`. */
const MAX_INLINE_SCAN = 2_000;
/** A `$$` block must close within this many lines. */
export const MAX_BLOCK_LINES = 500;

/** KaTeX settings: nothing trusted, expansion and sizes bounded, errors shown inline. */
export const KATEX_OPTIONS = {
  output: 'htmlAndMathml',
  throwOnError: false,
  trust: false,
  strict: 'ignore',
  maxExpand: 1000,
  maxSize: 50,
  globalGroup: false,
} as const;

/** Whether a document may contain math, i.e. whether KaTeX is worth loading for it. */
export function mayContainMath(source: string): boolean {
  return source.includes('$');
}

/** Typeset formulas remembered per renderer; re-renders after an edit reuse all the others. */
const MAX_CACHED_FORMULAS = 5_000;

/**
 * Loads KaTeX (a separate chunk in the app) and returns a renderer with our settings. KaTeX
 * dominates render time (about 100 ms of 120 for the automerge paper's 650 formulas), and a
 * formula's output depends only on its source, so results are cached.
 */
export async function loadMathRenderer(): Promise<MathRenderer> {
  const { default: katex } = await import('katex');
  const cache = new Map<string, string>();
  return (tex, displayMode) => {
    const key = `${displayMode ? 'D' : 'I'}${tex}`;
    let html = cache.get(key);
    if (html === undefined) {
      // A fresh macros object per formula: \gdef in one formula cannot redefine another's.
      html = katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode, macros: {} });
      if (cache.size >= MAX_CACHED_FORMULAS) cache.delete(cache.keys().next().value ?? '');
      cache.set(key, html);
    }
    return html;
  };
}

/** Per inline-parse memo: from where a `$` search already found no closer (keeps it linear). */
const noCloserBefore = new WeakMap<StateInline, number>();

function isWhitespace(code: number | undefined): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a;
}

function inlineMath(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x24 /* $ */) return false;
  const display = src.charCodeAt(start + 1) === 0x24;
  const delimiter = display ? '$$' : '$';
  const contentStart = start + delimiter.length;
  if (!display && isWhitespace(src.charCodeAt(contentStart))) return false;
  const limit = Math.min(state.posMax, contentStart + MAX_INLINE_SCAN);
  let search = Math.max(contentStart, display ? contentStart : (noCloserBefore.get(state) ?? 0));
  let end = -1;
  while (search < limit) {
    const found = src.indexOf(delimiter, search);
    if (found < 0 || found >= limit) break;
    if (isCloser(src, found, contentStart, display)) {
      end = found;
      break;
    }
    search = found + 1;
  }
  if (end < 0) {
    if (!display) noCloserBefore.set(state, limit);
    return false;
  }
  if (!silent) {
    const token = state.push(display ? 'math_inline_display' : 'math_inline', 'math', 0);
    token.markup = delimiter;
    token.content = src.slice(contentStart, end);
  }
  state.pos = end + delimiter.length;
  return true;
}

/** A `$` closes when content precedes it, no space or backslash before it, no digit after. */
function isCloser(src: string, at: number, contentStart: number, display: boolean): boolean {
  if (at === contentStart) return false;
  if (src.charCodeAt(at - 1) === 0x5c /* \ */) return false;
  if (display) return true;
  if (isWhitespace(src.charCodeAt(at - 1))) return false;
  const after = src.charCodeAt(at + 1);
  return !(after >= 0x30 && after <= 0x39);
}

function blockMath(state: StateBlock, startLine: number, endLine: number, silent: boolean) {
  const lineStart = (line: number) => (state.bMarks[line] ?? 0) + (state.tShift[line] ?? 0);
  const lineText = (line: number) => state.src.slice(lineStart(line), state.eMarks[line]);
  if ((state.sCount[startLine] ?? 0) - state.blkIndent >= 4) return false;
  const first = lineText(startLine).trimEnd();
  if (!first.startsWith('$$')) return false;
  let content: string;
  let lastLine = startLine;
  if (first.length > 4 && first.endsWith('$$')) {
    content = first.slice(2, -2);
  } else {
    if (first.trim() !== '$$' && first.slice(2).includes('$$')) return false;
    const lines = [first.slice(2)];
    let closed = false;
    const stop = Math.min(endLine, startLine + MAX_BLOCK_LINES);
    for (let line = startLine + 1; line < stop; line++) {
      const text = lineText(line).trimEnd();
      if (text.endsWith('$$')) {
        lines.push(text.slice(0, -2));
        lastLine = line;
        closed = true;
        break;
      }
      lines.push(text);
    }
    if (!closed) return false;
    content = lines.join('\n');
  }
  if (silent) return true;
  const token = state.push('math_block', 'math', 0);
  token.block = true;
  token.content = content.trim();
  token.markup = '$$';
  token.map = [startLine, lastLine + 1];
  state.line = lastLine + 1;
  return true;
}

/** Source shown until KaTeX is loaded, or for formulas too long to typeset. */
function mathSource(tex: string, display: boolean): string {
  const tag = display ? 'div' : 'span';
  const delimiter = display ? '$$' : '$';
  return `<${tag} class="math-source">${escapeHtml(delimiter + tex + delimiter)}</${tag}>`;
}

function typeset(render: MathRenderer | null, tex: string, display: boolean): string {
  if (!render || tex.length > MAX_FORMULA_CHARS) return mathSource(tex, display);
  try {
    return render(tex, display);
  } catch {
    return mathSource(tex, display);
  }
}

/** markdown-it plugin: parses math always, typesets it when `render` is given. */
export function mathPlugin(md: MarkdownIt, render: MathRenderer | null): void {
  md.inline.ruler.after('escape', 'math_inline', inlineMath);
  md.block.ruler.before('fence', 'math_block', blockMath, {
    alt: ['paragraph', 'reference', 'blockquote', 'list'],
  });
  md.renderer.rules.math_inline = (tokens, idx) =>
    typeset(render, tokens[idx]?.content ?? '', false);
  md.renderer.rules.math_inline_display = (tokens, idx) =>
    typeset(render, tokens[idx]?.content ?? '', true);
  md.renderer.rules.math_block = (tokens, idx) => {
    const token = tokens[idx];
    const math = typeset(render, token?.content ?? '', true);
    return `<div class="math-block"${sourceLineAttribute(token)}>${math}</div>\n`;
  };
}
