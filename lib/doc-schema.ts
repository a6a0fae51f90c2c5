/** Names of the shared types inside every coedit Y.Doc. Both the app and the relay use these. */

/** Y.Text holding the document's text (bound to CodeMirror by yCollab). */
export const DOC_TEXT = 'body';

/** Y.Map holding document-wide settings shared by everyone in the room. */
export const DOC_META = 'meta';

/** Keys of {@link DOC_META}. */
export const MetaKey = {
  /** string: the document title shown in the header and the browser tab. */
  Title: 'title',
  /** string: one of the language ids the editor offers (e.g. 'markdown'). */
  Language: 'language',
} as const;
