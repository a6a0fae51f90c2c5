import { lineAt, lineStartOffset, taskMarkerEdit } from '../../../../lib/markdown/task-toggle';
import type { CollabSession } from '../session';

/** Origin of checkbox edits; the undo manager tracks it, so Ctrl+Z undoes a toggle too. */
export const TASK_TOGGLE_ORIGIN = Symbol('task-toggle');

/**
 * Toggles `[ ]`/`[x]` on 0-based `line` of the shared text as one ordinary Yjs edit, only if the
 * line still holds a task marker (the click may refer to a text someone has changed since).
 */
export function toggleTaskInText(session: CollabSession, line: number): boolean {
  const text = session.text.toString();
  const start = lineStartOffset(text, line);
  const edit = start < 0 ? null : taskMarkerEdit(lineAt(text, start));
  if (!edit) return false;
  const at = start + edit.offset;
  session.undoManager.addTrackedOrigin(TASK_TOGGLE_ORIGIN);
  session.doc.transact(() => {
    session.text.delete(at, 1);
    session.text.insert(at, edit.replacement);
  }, TASK_TOGGLE_ORIGIN);
  return true;
}
