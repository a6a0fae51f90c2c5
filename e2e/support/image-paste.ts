import type { DocPage } from '../pages/doc-page';

/**
 * Paste a file into the user's editor as the browser would: a real File in a DataTransfer on a
 * ClipboardEvent, dispatched on the editor's content.
 */
export async function pasteFile(user: DocPage, name: string, type: string, bytes: Uint8Array) {
  await user.content.evaluate(
    (content, file) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
      const event = new ClipboardEvent('paste', {
        clipboardData: data,
        bubbles: true,
        cancelable: true,
      });
      content.dispatchEvent(event);
    },
    { name, type, bytes: [...bytes] },
  );
}
