/**
 * A document's title: the one someone typed in the header, else the text of its first markdown
 * heading (as HedgeDoc does), else nothing ("Untitled" is the caller's word).
 *
 * The heading is found by a small line scanner rather than a full markdown parser: it runs
 * whenever the text changes, in the page's first-load bundle, so it must be cheap and tiny.
 * It follows CommonMark for what matters here (ATX and setext headings, fenced and indented
 * code, YAML front matter) and is checked against markdown-it in the tests.
 */

/** Longest title we derive; the header's title field accepts the same. */
export const MAX_TITLE_LENGTH = 200;

/** Only this much of the text is searched for a heading, so a huge heading-less doc stays cheap. */
export const HEADING_SCAN_LIMIT = 64 * 1024;

/** A heading line is cut to this before inline markup is stripped, bounding the regex work. */
const MAX_HEADING_SOURCE = 4 * MAX_TITLE_LENGTH;

const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]+|$)(.*)$/;
const ATX_CLOSING = /(?:^|[ \t]+)#+[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const BLANK = /^[ \t]*$/;
const INDENTED_CODE = /^(?: {4}|\t)/;
const THEMATIC_BREAK = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
/** A list item or block quote: its heading would not be the document's own. */
const CONTAINER_START = /^ {0,3}(?:[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|>)/;
/** The container starts that may interrupt a paragraph (CommonMark 5.2, 5.3). */
const CONTAINER_INTERRUPTS = /^ {0,3}(?:(?:[-+*]|1[.)])[ \t]+\S|>)/;

/** Content that is not paragraph text (after the container markers are stripped). */
const BLOCK_NOT_PARAGRAPH = /^(?:[ \t]*$| {0,3}#{1,6}(?:[ \t]|$)| {0,3}(?:`{3,}|~{3,}))/;
const CONTAINER_MARKER = /^ {0,3}(?:[-+*]|\d{1,9}[.)]|>)(?:[ \t]|$)/;

/** What follows the list and quote markers at the start of a line. */
function containerContent(line: string): string {
  let rest = line;
  for (let match = CONTAINER_MARKER.exec(rest); match; match = CONTAINER_MARKER.exec(rest)) {
    rest = rest.slice(match[0].length);
  }
  return THEMATIC_BREAK.test(rest) ? '' : rest;
}

/** The title to show: an explicit (non-blank) title wins over the derived one. */
export function effectiveTitle(explicitTitle: string, derivedTitle: string): string {
  return explicitTitle.trim() === '' ? derivedTitle : explicitTitle;
}

/** What the previous line left open: lazy continuation lines depend on it. */
type Block = 'none' | 'paragraph' | 'list' | 'quote';

/**
 * The plain text of the first non-empty top-level markdown heading, or '' when there is none.
 * Headings inside code blocks, list items and block quotes do not count.
 */
export function deriveTitle(markdown: string): string {
  const lines = markdown.slice(0, HEADING_SCAN_LIMIT).split('\n');
  let fence: { char: string; length: number } | null = null;
  let block: Block = 'none';
  let paragraph: string[] = [];
  for (let index = skipFrontMatter(lines); index < lines.length; index++) {
    const line = (lines[index] ?? '').replace(/\r$/, '');
    if (fence) {
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    if (BLANK.test(line)) {
      block = 'none';
      continue;
    }
    // Indented code cannot interrupt a paragraph or a container's lazy lines.
    if (block === 'none' && INDENTED_CODE.test(line)) continue;
    if (block === 'paragraph' && SETEXT_UNDERLINE.test(line)) {
      const title = plainText(paragraph.join(' '));
      if (title) return title;
      block = 'none';
      continue;
    }
    const opening = FENCE_OPEN.exec(line);
    if (opening?.[1] && !(opening[1][0] === '`' && opening[2]?.includes('`'))) {
      fence = { char: opening[1][0] ?? '`', length: opening[1].length };
      block = 'none';
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    if (atx) {
      const title = plainText((atx[1] ?? '').replace(ATX_CLOSING, ''));
      if (title) return title;
      block = 'none';
      continue;
    }
    if (THEMATIC_BREAK.test(line)) {
      block = 'none';
      continue;
    }
    const startsContainer =
      block === 'paragraph' ? CONTAINER_INTERRUPTS.test(line) : CONTAINER_START.test(line);
    if (startsContainer) {
      // Only a paragraph inside the container can swallow the next lines lazily.
      const lazy = !BLOCK_NOT_PARAGRAPH.test(containerContent(line));
      block = !lazy ? 'none' : /^ {0,3}>/.test(line) ? 'quote' : 'list';
      continue;
    }
    // Text after a list item or quote is a lazy continuation of it, never a heading's text;
    // an indented heading or break belongs to the item and ends the laziness.
    if (block === 'quote') continue;
    if (block === 'list') {
      if (INDENTED_CODE.test(line) && BLOCK_NOT_PARAGRAPH.test(line.trim())) block = 'none';
      continue;
    }
    if (block === 'none') paragraph = [];
    block = 'paragraph';
    paragraph.push(line.trim());
  }
  return '';
}

/** Index of the first line after a leading YAML front-matter block (0 when there is none). */
function skipFrontMatter(lines: readonly string[]): number {
  if (lines[0]?.replace(/\r$/, '') !== '---') return 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]?.replace(/\r$/, '');
    if (line === '---' || line === '...') return i + 1;
  }
  return 0;
}

function closesFence(line: string, fence: { char: string; length: number }): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return Boolean(match?.[1] && match[1][0] === fence.char && match[1].length >= fence.length);
}

/** Escaped punctuation is parked at U+E000 + its code while markup is stripped. */
const ESCAPE_BASE = 0xe000;

/**
 * Heading source → what a reader sees: emphasis, code and strike marks dropped, links and images
 * reduced to their text, backslash escapes resolved, control characters removed. The result is
 * plain text (never HTML) and at most {@link MAX_TITLE_LENGTH} characters.
 */
export function plainText(source: string): string {
  const text = source
    .slice(0, MAX_HEADING_SOURCE)
    // hide backslash-escaped ASCII punctuation from the markup passes (private-use stand-ins)
    .replace(/\\([!-/:-@[-`{-~])/g, (_, c: string) =>
      String.fromCharCode(ESCAPE_BASE + c.charCodeAt(0)),
    )
    // ![alt](src) and [text](href) / [text][ref] → alt / text
    .replace(/!?\[([^\]]*)\](?:\((?:[^()]|\([^()]*\))*\)|\[[^\]]*\])?/g, '$1')
    // <https://…> autolinks → the address
    .replace(/<((?:https?|mailto):[^<>\s]*)>/gi, '$1')
    // `code` → code (any run length of backticks)
    .replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_, _ticks: string, code: string) =>
      code.trim(),
    )
    // emphasis and strikethrough markers that wrap a word (underscores never inside a word)
    .replace(/(\*{1,3}|~~)(?=\S)([^*~]*?\S)\1/g, '$2')
    .replace(/(^|[^\p{L}\p{N}_])(_{1,3})(?=\S)([^_]*?\S)\2(?![\p{L}\p{N}_])/gu, '$1$3')
    // escaped punctuation comes back as itself, untouched by the passes above
    .replace(/[\uE000-\uE07F]/g, (c) => String.fromCharCode(c.charCodeAt(0) - ESCAPE_BASE))
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= MAX_TITLE_LENGTH) return text;
  return `${text.slice(0, MAX_TITLE_LENGTH - 1).trimEnd()}…`;
}
