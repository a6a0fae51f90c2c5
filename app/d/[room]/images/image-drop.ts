/**
 * Paste or drop image files into the editor: each file is checked by its first bytes (the relay
 * checks again and decides), uploaded with its progress shown, and its markdown inserted where
 * it was pasted or dropped.
 *
 * Nothing enters the shared text until the relay has kept the image: no "uploading…" placeholder
 * that everyone would see, that version history would keep, and that a closed tab would leave
 * behind. The spot is remembered instead, and moved along with every local or remote edit (CM
 * maps it through each change), so the image lands where it was put even if others type above.
 */
import { type Extension, StateEffect, StateField } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { SNIFF_BYTES, sniffImageType } from '../../../../lib/image-types';
import type { CollabSession } from '../session';
import { imageMarkdown } from './image-markdown';
import { type UploadTarget, uploadImage } from './image-upload';
import type { UploadNotices } from './upload-notices';

const ACCEPTED = 'PNG, JPEG, GIF or WebP';

/** Where the images of one paste or drop go, by gesture id; mapped through every change. */
const setSpot = StateEffect.define<{ id: number; pos: number | null }>();
const spots = StateField.define<ReadonlyMap<number, number>>({
  create: () => new Map(),
  update(value, tr) {
    let next = value;
    if (tr.docChanged && value.size > 0) {
      // -1: text typed at the spot afterwards goes after the image, not before it.
      next = new Map([...value].map(([id, pos]) => [id, tr.changes.mapPos(pos, -1)]));
    }
    for (const effect of tr.effects) {
      if (!effect.is(setSpot)) continue;
      const copy = new Map(next);
      if (effect.value.pos === null) copy.delete(effect.value.id);
      else copy.set(effect.value.id, effect.value.pos);
      next = copy;
    }
    return next;
  },
});

let nextGesture = 1;

/**
 * The files of a paste or drop if it is meant as adding images: at least one file the browser
 * calls an image. The declared type only routes the gesture (dropping a .md file still inserts its
 * text, as CodeMirror does); whether a file is accepted is decided by its bytes.
 */
function imageGesture(files: FileList | undefined | null): File[] | null {
  const list = files ? [...files] : [];
  return list.some((file) => file.type.startsWith('image/')) ? list : null;
}

export function imageDrop(session: CollabSession, notices: UploadNotices): Extension {
  const target: UploadTarget = {
    relayUrl: session.relayUrl,
    room: session.room,
    token: session.token,
  };

  async function place(view: EditorView, files: readonly File[], pos: number): Promise<void> {
    if (session.readOnly) {
      notices.refused('This is a view-only link: images cannot be added.');
      return;
    }
    const id = nextGesture++;
    view.dispatch({ effects: setSpot.of({ id, pos }) });
    let added = 0;
    const refusals: string[] = [];
    for (const [index, file] of files.entries()) {
      const name = file.name || 'image';
      const counter = files.length > 1 ? ` (${index + 1} of ${files.length})` : '';
      const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
      if (sniffImageType(head) === null) {
        refusals.push(`“${name}” is not a ${ACCEPTED} image, so it was not added.`);
        continue;
      }
      notices.uploading(`Uploading “${name}”${counter}…`, 0);
      const result = await uploadImage(target, file, (fraction) =>
        notices.uploading(`Uploading “${name}”${counter}…`, Math.round(fraction * 100)),
      );
      if (!result.ok) {
        refusals.push(`“${name}” was not added: ${result.message}`);
        continue;
      }
      const at = view.state.field(spots, false)?.get(id);
      if (at === undefined || !view.dom.isConnected) break; // The editor is gone.
      const insert = (added > 0 ? '\n' : '') + imageMarkdown(name, result.url);
      view.dispatch({
        changes: { from: at, insert },
        effects: setSpot.of({ id, pos: at + insert.length }),
        userEvent: 'input.paste',
      });
      added++;
    }
    if (view.dom.isConnected) view.dispatch({ effects: setSpot.of({ id, pos: null }) });
    if (refusals.length > 0) notices.refused(refusals.join(' '));
    else if (added > 0) notices.added(added === 1 ? 'Image added.' : `${added} images added.`);
    else notices.dismiss();
  }

  const start = (view: EditorView, files: readonly File[], pos: number) => {
    place(view, files, pos).catch((error: unknown) => {
      console.warn('coedit: image upload failed', error);
      notices.refused('The image could not be added.');
    });
  };

  return [
    spots,
    EditorView.domEventHandlers({
      paste(event, view) {
        const data = event.clipboardData;
        const files = imageGesture(data?.files);
        // Text wins: spreadsheets and word processors put a picture of the text beside it.
        if (!files || data?.getData('text/plain')) return false;
        event.preventDefault();
        start(view, files, view.state.selection.main.head);
        return true;
      },
      drop(event, view) {
        const files = imageGesture(event.dataTransfer?.files);
        if (!files) return false;
        event.preventDefault();
        const pos = view.posAtCoords({ x: event.clientX, y: event.clientY });
        start(view, files, pos ?? view.state.selection.main.head);
        return true;
      },
    }),
  ];
}
