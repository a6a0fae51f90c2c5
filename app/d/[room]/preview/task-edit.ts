import * as Y from 'yjs';
import {
  doubledTaskMarker,
  lineAt,
  lineStartOffset,
  taskMarkerEdit,
} from '../../../../lib/markdown/task-toggle';
import type { CollabSession } from '../session';

/** Origin of checkbox edits; the undo manager tracks it, so Ctrl+Z undoes a toggle too. */
export const TASK_TOGGLE_ORIGIN = Symbol('task-toggle');
/** Origin of the repair below: not tracked, so undo never brings a doubled marker back. */
const TASK_REPAIR_ORIGIN = Symbol('task-repair');
/** The parts of a document session that toggling needs. */
export type TaskSession = Pick<CollabSession, 'doc' | 'text' | 'undoManager'>;
/** How long after a toggle a concurrent toggle of the same box is still repaired. */
const REPAIR_WINDOW_MS = 60_000;

/**
 * Toggles `[ ]`/`[x]` on 0-based `line` of the shared text as one ordinary Yjs edit, only if the
 * line still holds a task marker (the click may refer to a text someone has changed since).
 */
export function toggleTaskInText(session: TaskSession, line: number): boolean {
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
  watcherFor(session).watch(start);
  return true;
}

const watchers = new WeakMap<TaskSession, ConcurrentToggleRepair>();

function watcherFor(session: TaskSession): ConcurrentToggleRepair {
  let watcher = watchers.get(session);
  if (!watcher) {
    watcher = new ConcurrentToggleRepair(session);
    watchers.set(session, watcher);
  }
  return watcher;
}

/**
 * Two people ticking the same box at once leave `[xx]` (each replaced the one state character
 * with their own). Everyone who toggled a line watches it for a while; when a remote change
 * turns it into such a marker, they delete every state character but the first. All of them
 * compute that on the same converged text, so they delete the same Yjs items, and deleting an
 * item twice is harmless: the line converges to one checkbox. Only lines this client toggled
 * itself are touched, so a `[xx]` typed by hand is left alone.
 */
class ConcurrentToggleRepair {
  /** Where each recently toggled line starts (relative, so it follows edits), and until when. */
  private readonly lines: { start: Y.RelativePosition; until: number }[] = [];
  private observing = false;

  constructor(private readonly session: TaskSession) {}

  watch(lineStart: number): void {
    const start = Y.createRelativePositionFromTypeIndex(this.session.text, lineStart);
    this.lines.push({ start, until: Date.now() + REPAIR_WINDOW_MS });
    if (!this.observing) {
      this.session.text.observe(this.onChange);
      this.observing = true;
    }
  }

  private readonly onChange = (_event: Y.YTextEvent, transaction: Y.Transaction): void => {
    if (transaction.local) return;
    const now = Date.now();
    const text = this.session.text.toString();
    const repairs: { at: number; extra: number }[] = [];
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const entry = this.lines[i] as { start: Y.RelativePosition; until: number };
      const start = Y.createAbsolutePositionFromRelativePosition(entry.start, this.session.doc);
      if (entry.until < now || !start) {
        this.lines.splice(i, 1);
        continue;
      }
      const doubled = doubledTaskMarker(lineAt(text, start.index));
      if (doubled) repairs.push({ at: start.index + doubled.offset, extra: doubled.extra });
    }
    if (this.lines.length === 0) {
      this.session.text.unobserve(this.onChange);
      this.observing = false;
    }
    if (repairs.length === 0) return;
    // From the end of the text backwards, so earlier offsets stay valid.
    repairs.sort((a, b) => b.at - a.at);
    this.session.doc.transact(() => {
      for (const { at, extra } of repairs) this.session.text.delete(at, extra);
    }, TASK_REPAIR_ORIGIN);
  };
}
