/**
 * Toggling a task-list checkbox in the source: the `[ ]`/`[x]` right after a list marker (inside
 * any number of `>` quotes) on one line. The preview reports a click by line number only, so the
 * page re-checks the line it is about to edit: if someone changed it meanwhile and it no longer
 * holds a task marker, nothing is edited.
 */

const TASK_PREFIX = /(?:[ \t]*>)*[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[/.source;
const TASK_LINE = new RegExp(`^(${TASK_PREFIX})([ xX])\\](?=[ \\t]|$)`);
/** A marker holding several state characters: what two people ticking one box at once leave. */
const DOUBLED_TASK_LINE = new RegExp(`^(${TASK_PREFIX})([ xX]{2,})\\](?=[ \\t]|$)`);

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

/**
 * Two people ticking the same box at once each delete the one state character and insert their
 * own, so the line ends up with `[xx]`, which is no task at all. Returns the characters to
 * remove (every state character but the first) to make it one checkbox again, or null.
 */
export function doubledTaskMarker(line: string): { offset: number; extra: number } | null {
  const match = DOUBLED_TASK_LINE.exec(line);
  if (!match || match[1] === undefined || match[2] === undefined) return null;
  return { offset: match[1].length + 1, extra: match[2].length - 1 };
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
