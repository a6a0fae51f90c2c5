/**
 * Mapping between scroll offsets in the preview and 0-based source lines, through the
 * `data-source-line` every rendered block carries. Between two blocks the position is
 * interpolated, so scrolling stays smooth across long paragraphs and code blocks.
 */

interface Anchor {
  readonly line: number;
  readonly top: number;
}

function anchors(root: HTMLElement): Anchor[] {
  const result: Anchor[] = [];
  const scrollY = window.scrollY;
  let lastLine = -1;
  for (const element of root.querySelectorAll('[data-source-line]')) {
    const line = Number(element.getAttribute('data-source-line'));
    // Nested blocks repeat or go back in lines; keep one increasing sequence.
    if (!Number.isInteger(line) || line <= lastLine) continue;
    result.push({ line, top: element.getBoundingClientRect().top + scrollY });
    lastLine = line;
  }
  return result;
}

/** The document offset (px) that shows source `line` at the top of the frame. */
export function topForSourceLine(root: HTMLElement, line: number): number {
  const list = anchors(root);
  let before: Anchor | undefined;
  let after: Anchor | undefined;
  for (const anchor of list) {
    if (anchor.line <= line) before = anchor;
    else {
      after = anchor;
      break;
    }
  }
  if (!before) return 0;
  if (!after) return before.top;
  const fraction = (line - before.line) / (after.line - before.line);
  return before.top + fraction * (after.top - before.top);
}

/** The (fractional, floored) source line shown at document offset `top`. */
export function sourceLineAt(root: HTMLElement, top: number): number {
  const list = anchors(root);
  let before: Anchor | undefined;
  let after: Anchor | undefined;
  for (const anchor of list) {
    if (anchor.top <= top + 1) before = anchor;
    else {
      after = anchor;
      break;
    }
  }
  if (!before) return 0;
  if (!after || after.top === before.top) return before.line;
  const fraction = (top - before.top) / (after.top - before.top);
  return Math.floor(before.line + fraction * (after.line - before.line));
}
