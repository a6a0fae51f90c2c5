/**
 * Toggling a task-list checkbox in the source: the `[ ]`/`[x]` right after a list marker (inside
 * any number of `>` quotes) on one line. The preview reports a click by line number only, so the
 * page re-checks the line it is about to edit: if someone changed it meanwhile and it no longer
 * holds a task marker, nothing is edited.
 */

const TASK_LINE = /^((?:[ \t]*>)*[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[)([ xX])\](?=[ \t]|$)/;

export interface TaskMarkerEdit {
  /** Offset of the state character (the space or x between the brackets) within the line. */
  readonly offset: number;
  /** The character to put there: 'x' to check, ' ' to uncheck. */
  readonly replacement: 'x' | ' ';
}

/** The edit that toggles the task marker of `line`, or null when the line holds none. */
export function taskMarkerEdit(line: string): TaskMarkerEdit | null {
  const match = TASK_LINE.exec(line);
  if (!match || match[1] === undefined) return null;
  return { offset: match[1].length, replacement: match[2] === ' ' ? 'x' : ' ' };
}

/** Start offset of 0-based `line` in `text`, or -1 when the text has fewer lines. */
export function lineStartOffset(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const newline = text.indexOf('\n', offset);
    if (newline < 0) return -1;
    offset = newline + 1;
  }
  return offset;
}

/** The text of 0-based `line` starting at `start` (without its newline). */
export function lineAt(text: string, start: number): string {
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
}
