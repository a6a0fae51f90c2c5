/**
 * Messages between the document page and its sandboxed preview frame (postMessage). Both sides
 * treat what arrives as untrusted: every message is checked against these shapes before use, and
 * anything else is dropped. Pure data, no DOM: the frame's bundle and the page share this file.
 */

/** One top-level block: unsanitized HTML with source lines relative to `line` (see blocks.ts). */
export interface PreviewBlock {
  readonly html: string;
  readonly line: number;
}

/**
 * A block as sent: its HTML, or `same`, the index of a block of the previous render message with
 * the same HTML. After an edit nearly every block is `same`, so a message stays a few kilobytes
 * however large the document (cloning megabytes per keystroke would cost the page's main thread).
 */
export type SentBlock =
  | { readonly html: string; readonly line: number }
  | { readonly same: number; readonly line: number };

/**
 * The page → frame: show these blocks. The frame sanitizes them in its own document, and only
 * those whose HTML it is not already showing. A frame that cannot resolve a `same` announces
 * itself `ready` again, and gets every block in full.
 */
export interface RenderMessage {
  readonly type: 'render';
  readonly seq: number;
  readonly blocks: readonly SentBlock[];
  /** The HTML holds KaTeX output: the frame loads KaTeX's stylesheet (once). */
  readonly math: boolean;
}

/**
 * The page → frame: the port transferred with this message is the frame's end of a channel to
 * the render worker, on which every later `RenderMessage` arrives (replacing any earlier port).
 */
export interface ConnectMessage {
  readonly type: 'connect';
}

/** The page → frame: bring this 0-based source line to the top of the preview. */
export interface ScrollToLineMessage {
  readonly type: 'scroll-to-line';
  readonly line: number;
}

/** The page → frame: send the diagrams you have drawn (for an export of the document). */
export interface DiagramsRequestMessage {
  readonly type: 'diagrams-request';
  readonly id: number;
}

export type ToFrameMessage =
  | RenderMessage
  | ConnectMessage
  | ScrollToLineMessage
  | DiagramsRequestMessage;

export interface OutlineHeading {
  readonly level: number;
  readonly text: string;
  /** 0-based source line of the heading. */
  readonly line: number;
}

/** The frame's script is running and listening. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** A render message was applied; `headings` is the outline of what is now shown. */
export interface RenderedMessage {
  readonly type: 'rendered';
  readonly seq: number;
  readonly headings: readonly OutlineHeading[];
}

/**
 * The frame painted the render `seq` (posted after the next animation frame that followed
 * applying it): what a latency measurement of the preview stops its clock at.
 */
export interface PaintedMessage {
  readonly type: 'painted';
  readonly seq: number;
}

/** The reader clicked the task checkbox of this 0-based source line. */
export interface ToggleTaskMessage {
  readonly type: 'toggle-task';
  readonly line: number;
}

/** The reader scrolled the preview; this 0-based source line is now at its top. */
export interface ScrolledMessage {
  readonly type: 'scrolled';
  readonly line: number;
}

/** The frame's Content-Security-Policy refused something (counted by the page). */
export interface CspViolationMessage {
  readonly type: 'csp-violation';
  readonly directive: string;
}

/** A diagram the frame has drawn: its Mermaid source and the sanitized SVG. */
export interface DiagramDrawing {
  readonly source: string;
  readonly svg: string;
}

/** The frame's answer to `diagrams-request` `id`. The page sanitizes each SVG again. */
export interface DiagramsMessage {
  readonly type: 'diagrams';
  readonly id: number;
  readonly drawings: readonly DiagramDrawing[];
}

export type FromFrameMessage =
  | DiagramsMessage
  | ReadyMessage
  | RenderedMessage
  | PaintedMessage
  | ToggleTaskMessage
  | ScrolledMessage
  | CspViolationMessage;

/** Bounds on what the page accepts from the frame. */
export const MAX_OUTLINE_HEADINGS = 2_000;
/** More blocks than a document of MAX_RENDER_CHARS characters can have. */
const MAX_BLOCKS = 600_000;
const MAX_HEADING_TEXT = 300;
const MAX_LINE = 10_000_000;
const MAX_DIRECTIVE = 100;
/** The frame keeps its last 64 drawings; sources and SVGs far beyond what Mermaid accepts. */
export const MAX_DIAGRAM_DRAWINGS = 64;
const MAX_DIAGRAM_SOURCE = 200_000;
const MAX_DIAGRAM_SVG = 10_000_000;

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLine(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_LINE;
}

function isSeq(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** An array of at most `max` items, each passing `isItem`. */
function isListOf<T>(
  value: unknown,
  max: number,
  isItem: (item: unknown) => item is T,
): value is T[] {
  return Array.isArray(value) && value.length <= max && value.every(isItem);
}

function hasOnly(message: Fields, keys: readonly string[]): boolean {
  return Object.keys(message).every((key) => keys.includes(key));
}

function isHeading(value: unknown): value is OutlineHeading {
  return (
    isRecord(value) &&
    hasOnly(value, ['level', 'text', 'line']) &&
    Number.isInteger(value.level) &&
    (value.level as number) >= 1 &&
    (value.level as number) <= 6 &&
    typeof value.text === 'string' &&
    value.text.length <= MAX_HEADING_TEXT &&
    isLine(value.line)
  );
}

function isDrawing(value: unknown): value is DiagramDrawing {
  return (
    isRecord(value) &&
    hasOnly(value, ['source', 'svg']) &&
    typeof value.source === 'string' &&
    value.source.length <= MAX_DIAGRAM_SOURCE &&
    typeof value.svg === 'string' &&
    value.svg.length <= MAX_DIAGRAM_SVG
  );
}

/** A message from the frame, or null when it has any other shape. */
export function parseFromFrame(data: unknown): FromFrameMessage | null {
  if (!isRecord(data)) return null;
  switch (data.type) {
    case 'ready':
      return hasOnly(data, ['type']) ? { type: 'ready' } : null;
    case 'rendered': {
      const headings = data.headings;
      if (!hasOnly(data, ['type', 'seq', 'headings']) || !isSeq(data.seq)) return null;
      if (!isListOf(headings, MAX_OUTLINE_HEADINGS, isHeading)) return null;
      return { type: 'rendered', seq: data.seq, headings };
    }
    case 'painted':
      return hasOnly(data, ['type', 'seq']) && isSeq(data.seq)
        ? { type: 'painted', seq: data.seq }
        : null;
    case 'toggle-task':
    case 'scrolled':
      if (!hasOnly(data, ['type', 'line']) || !isLine(data.line)) return null;
      return { type: data.type, line: data.line };
    case 'csp-violation':
      if (!hasOnly(data, ['type', 'directive']) || typeof data.directive !== 'string') return null;
      return { type: 'csp-violation', directive: data.directive.slice(0, MAX_DIRECTIVE) };
    case 'diagrams': {
      const drawings = data.drawings;
      if (!hasOnly(data, ['type', 'id', 'drawings']) || !isSeq(data.id)) return null;
      if (!isListOf(drawings, MAX_DIAGRAM_DRAWINGS, isDrawing)) return null;
      return { type: 'diagrams', id: data.id, drawings };
    }
    default:
      return null;
  }
}

function isSentBlock(value: unknown): value is SentBlock {
  if (!isRecord(value) || !isLine(value.line)) return false;
  if (hasOnly(value, ['html', 'line'])) return typeof value.html === 'string';
  return hasOnly(value, ['same', 'line']) && isLine(value.same);
}

/** A message from the page, or null when it has any other shape. */
export function parseToFrame(data: unknown): ToFrameMessage | null {
  if (!isRecord(data)) return null;
  if (data.type === 'render') {
    if (!hasOnly(data, ['type', 'seq', 'blocks', 'math']) || !isSeq(data.seq)) return null;
    const blocks = data.blocks;
    if (!isListOf(blocks, MAX_BLOCKS, isSentBlock)) return null;
    if (typeof data.math !== 'boolean') return null;
    return { type: 'render', seq: data.seq, blocks, math: data.math };
  }
  if (data.type === 'connect') return hasOnly(data, ['type']) ? { type: 'connect' } : null;
  if (data.type === 'diagrams-request') {
    if (!hasOnly(data, ['type', 'id']) || !isSeq(data.id)) return null;
    return { type: 'diagrams-request', id: data.id };
  }
  if (data.type === 'scroll-to-line') {
    if (!hasOnly(data, ['type', 'line']) || !isLine(data.line)) return null;
    return { type: 'scroll-to-line', line: data.line };
  }
  return null;
}
