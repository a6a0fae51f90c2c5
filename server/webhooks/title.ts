/** The title a webhook body carries: the explicit title, else the first heading (as the app shows). */
import * as Y from 'yjs';
import { DOC_META, DOC_TEXT, MetaKey } from '../../lib/doc-schema';
import { deriveTitle, effectiveTitle } from '../../lib/doc-title';

/** `state`: the whole document as one update (Room.fullState()). */
export function titleOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    const explicit = doc.getMap(DOC_META).get(MetaKey.Title);
    return effectiveTitle(
      typeof explicit === 'string' ? explicit : '',
      deriveTitle(doc.getText(DOC_TEXT).toString()),
    );
  } finally {
    doc.destroy();
  }
}
