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

/**
 * Y.Array of Y.Maps: the document's chat, oldest first (lib/chat.ts). Who wrote a message is the
 * author of its map's Yjs item, as the relay vouches for it, never a field a client fills in.
 */
export const DOC_CHAT = 'chat';

/**
 * Y.Map of Y.Maps: comment threads by id, each anchored to a range of the text by Yjs relative
 * positions (lib/comments.ts). Authors come from the Yjs items, like the chat's.
 */
export const DOC_COMMENTS = 'comments';
