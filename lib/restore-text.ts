/**
 * Restore a version: turn a shared Y.Text into `target` with the smallest practical edit, as one
 * ordinary local transaction. Other people's concurrent edits merge as with any edit, and the
 * caller's undo manager can undo it when `origin` is one of its tracked origins.
 */
import type * as Y from 'yjs';
import { diffText } from './text-diff';

/** Returns how many characters were deleted and inserted (0, 0 when already equal). */
export function restoreText(
  text: Y.Text,
  target: string,
  origin: unknown,
): { deleted: number; inserted: number } {
  const edits = diffText(text.toString(), target);
  let deleted = 0;
  let inserted = 0;
  if (edits.length === 0) return { deleted, inserted };
  const apply = () => {
    // Back to front, so earlier offsets stay valid.
    for (let i = edits.length - 1; i >= 0; i--) {
      const edit = edits[i];
      if (!edit) continue;
      if (edit.to > edit.from) text.delete(edit.from, edit.to - edit.from);
      if (edit.insert) text.insert(edit.from, edit.insert);
      deleted += edit.to - edit.from;
      inserted += edit.insert.length;
    }
  };
  if (text.doc) text.doc.transact(apply, origin);
  else apply();
  return { deleted, inserted };
}
