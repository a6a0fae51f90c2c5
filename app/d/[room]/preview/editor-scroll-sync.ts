import { EditorView } from '@codemirror/view';
import type { CollabSession } from '../session';

/** A scroll we caused on one side is not echoed back from the other for this long. */
const ECHO_GUARD_MS = 150;

/**
 * The editor's half of scroll sync: reports the source line at the top of the editor as the
 * reader scrolls it, and scrolls the editor to a line the preview reports. Each side ignores the
 * scroll events its own programmatic scrolling causes, so the two never chase each other.
 * While the editor follows someone's cursor (follow mode) it does not follow the preview: the
 * preview, re-laid out as they type, would pull it back.
 */
export class EditorScrollSync {
  private view: EditorView | null = null;
  private enabled = true;
  private ignoreUntil = 0;
  private pending = false;
  private readonly unsubscribe: () => void;
  private readonly onScroll = () => {
    if (!this.enabled || this.pending || performance.now() < this.ignoreUntil) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      const line = this.topLine();
      if (line !== null) this.report(line);
    });
  };

  constructor(
    private readonly session: CollabSession,
    private readonly report: (line: number) => void,
  ) {
    this.attach(session.editorView.get());
    this.unsubscribe = session.editorView.subscribe(() => this.attach(session.editorView.get()));
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    const line = on ? this.topLine() : null;
    if (line !== null) this.report(line);
  }

  /** The preview was scrolled to `line`: follow it (when sync is on). */
  followPreview(line: number): void {
    if (!this.enabled || !this.view || this.session.follow.leader.get() !== null) return;
    this.scrollEditor(line, false);
  }

  /** Put the caret at the start of `line` and that line at the top (outline clicks). */
  moveEditorTo(line: number): void {
    if (this.view) this.scrollEditor(line, true);
  }

  dispose(): void {
    this.unsubscribe();
    this.attach(null);
  }

  private attach(view: EditorView | null): void {
    if (view === this.view) return;
    this.view?.scrollDOM.removeEventListener('scroll', this.onScroll);
    this.view = view;
    view?.scrollDOM.addEventListener('scroll', this.onScroll, { passive: true });
  }

  /** 0-based source line at the top of the editor's visible area. */
  private topLine(): number | null {
    const view = this.view;
    if (!view) return null;
    const top = view.scrollDOM.getBoundingClientRect().top;
    const block = view.lineBlockAtHeight(top - view.documentTop);
    return view.state.doc.lineAt(block.from).number - 1;
  }

  private scrollEditor(line: number, moveCaret: boolean): void {
    const view = this.view;
    if (!view) return;
    const doc = view.state.doc;
    const position = doc.line(Math.min(line + 1, doc.lines)).from;
    this.ignoreUntil = performance.now() + ECHO_GUARD_MS;
    view.dispatch({
      ...(moveCaret ? { selection: { anchor: position } } : {}),
      effects: EditorView.scrollIntoView(position, { y: 'start' }),
    });
  }
}
