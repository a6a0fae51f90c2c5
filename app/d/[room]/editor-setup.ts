import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState } from '@codemirror/state';
import {
  crosshairCursor,
  drawSelection,
  dropCursor,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  placeholder,
  rectangularSelection,
} from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import type { LanguageId } from '../../../lib/languages';
import { showAuthors } from './authorship/show-authors';
import { commentHighlights } from './comments/comment-highlights';
import { editorTheme } from './editor-theme';
import { followScroll } from './follow-scroll';
import { imageDrop } from './images/image-drop';
import type { UploadNotices } from './images/upload-notices';
import { loadLanguage } from './languages-cm';
import { remoteCursors } from './remote-cursors';
import type { CollabSession } from './session';
import { showAuthorsPref } from './view-prefs';

/**
 * Builds the CodeMirror view for a session, outside React: the view owns its state and the Yjs
 * binding applies remote edits directly, so keystrokes never re-render components.
 * The extensions are basicSetup's minus its history (Yjs undo replaces it), folding,
 * autocompletion and bracket auto-closing (typed text stays exactly what was typed), plus soft
 * wrap and a search panel.
 *
 * Keyboard: Tab indents (`indentWithTab`), as editors of code and markdown expect. To leave the
 * editor with the keyboard, press Escape and then Tab (or Shift+Tab) within two seconds;
 * Ctrl+M (Shift+Alt+M on macOS) switches Tab to moving focus until pressed again. Both are
 * CodeMirror's own tab-focus mode, so the editor never traps keyboard users.
 */
export function createEditorView(
  parent: HTMLElement,
  session: CollabSession,
  uploadNotices: UploadNotices,
): () => void {
  const language = new Compartment();
  const authorship = new Compartment();
  const authorshipFor = (on: boolean) =>
    on ? showAuthors(session.text, session.authorDirectory()) : [];
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: session.text.toString(),
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        drawSelection(),
        dropCursor(),
        EditorState.allowMultipleSelections.of(true),
        indentOnInput(),
        bracketMatching(),
        rectangularSelection(),
        crosshairCursor(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        search({ top: true }),
        EditorView.lineWrapping,
        // tabindex: a read-only (view link) editor is still reached and scrolled by keyboard.
        EditorView.contentAttributes.of({ 'aria-label': 'Document text', tabindex: '0' }),
        // A view link reads along live but cannot change the text (the relay refuses it anyway).
        EditorState.readOnly.of(session.readOnly),
        EditorView.editable.of(!session.readOnly),
        placeholder(session.readOnly ? 'Nothing here yet.' : 'Start typing…'),
        keymap.of([...yUndoManagerKeymap, ...defaultKeymap, ...searchKeymap, indentWithTab]),
        editorTheme,
        language.of([]),
        authorship.of(authorshipFor(showAuthorsPref.get().get())),
        // No awareness for yCollab: remoteCursors draws the other people (with name updates).
        yCollab(session.text, null, { undoManager: session.undoManager }),
        remoteCursors(session.text, session.awareness),
        followScroll(session.follow, session.text, session.awareness),
        imageDrop(session, uploadNotices),
        commentHighlights(session.comments),
        EditorView.updateListener.of((update) => {
          if (update.selectionSet) session.hasSelection.set(!update.state.selection.main.empty);
        }),
      ],
    }),
  });

  // Apply the shared language; a slower load never overrides a newer choice.
  let wanted: LanguageId | null = null;
  let destroyed = false;
  const applyLanguage = () => {
    const id = session.metaState.get().language;
    if (id === wanted) return;
    wanted = id;
    loadLanguage(id).then(
      (support) => {
        if (wanted === id && !destroyed) view.dispatch({ effects: language.reconfigure(support) });
      },
      (error: unknown) => console.warn(`coedit: could not load ${id} support`, error),
    );
  };
  applyLanguage();
  const unsubscribe = session.metaState.subscribe(applyLanguage);
  const unsubscribeAuthors = showAuthorsPref.get().subscribe(() => {
    view.dispatch({ effects: authorship.reconfigure(authorshipFor(showAuthorsPref.get().get())) });
  });
  session.editorView.set(view);

  return () => {
    destroyed = true;
    unsubscribe();
    unsubscribeAuthors();
    if (session.editorView.get() === view) session.editorView.set(null);
    view.destroy();
  };
}
