/**
 * What a document says, read from its Yjs state: the text, the title set in its metadata, the
 * title people see (that, else the first heading, as the app shows it) and the language. The
 * document API, its admin list and the webhooks' bodies all read it here.
 */
import * as Y from 'yjs';
import { DOC_META, DOC_TEXT, MetaKey } from '../lib/doc-schema';
import { deriveTitle, effectiveTitle } from '../lib/doc-title';
import { languageOf } from '../lib/languages';

export interface DocContents {
  readonly text: string;
  /** The title set explicitly ('' when none). */
  readonly explicitTitle: string;
  /** The explicit title, else the first heading. */
  readonly title: string;
  readonly language: string;
}

/** `updates`: the document's state (Room.fullState(), or what a DocStore loaded). */
export function readContents(updates: readonly Uint8Array[]): DocContents {
  const doc = new Y.Doc();
  try {
    for (const update of updates) Y.applyUpdate(doc, update);
    const text = doc.getText(DOC_TEXT).toString();
    const meta = doc.getMap(DOC_META);
    const explicit = meta.get(MetaKey.Title);
    const explicitTitle = typeof explicit === 'string' ? explicit : '';
    return {
      text,
      explicitTitle,
      title: effectiveTitle(explicitTitle, deriveTitle(text)),
      language: languageOf(meta.get(MetaKey.Language)).id,
    };
  } finally {
    doc.destroy();
  }
}
